#pragma once
/// @file Conversion jobs: an uploaded statement becomes a job (pending → processing → completed |
/// failed) kept in the SQL store; a queue carries job ids to workers (in-process or a Redis
/// reliable queue with leases, retries and a dead-letter list); status changes are published
/// (in-process or Redis pub/sub) so any API process can stream any job; a janitor deletes files
/// and jobs after download + grace and when their session expires.

#include <bankflow/clock.hpp>
#include <bankflow/data_key.hpp>
#include <bankflow/error.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

class database;
class rate_limiter;
class redis_client;
class session_store;

/// Where a job is in its life.
enum class job_status { pending, processing, completed, failed };

/// "pending", "processing", "completed", "failed".
[[nodiscard]] std::string_view to_string(job_status s) noexcept;

/// True for what new_job_id() makes: 32 lowercase hex digits. Check ids from requests with it
/// before building paths (job_paths refuses anything else).
[[nodiscard]] bool is_job_id(std::string_view id) noexcept;

/// The most bytes of a client's file name a job keeps.
inline constexpr std::size_t max_job_filename_bytes = 255;

/// What a job keeps of the file name a client sent: well-formed UTF-8 (ill-formed bytes become
/// U+FFFD, repair_utf8), no control characters (C0, DEL), at most max_job_filename_bytes cut on
/// a character boundary. job_store::create stores only this; the JSON job list can then always
/// show it.
[[nodiscard]] std::string job_filename(std::string_view client_name);

/// What the store knows of a job. Times are UTC, millisecond precision.
struct job {
  std::string id;        ///< 32 lowercase hex digits from OpenSSL's CSPRNG
  std::string owner;     ///< the session id that uploaded it
  std::string filename;  ///< job_filename() of the client's name, for display only (never a path)
  std::uint64_t size = 0;  ///< uploaded bytes
  job_status status = job_status::pending;  ///< where it is in its life
  std::string bank;      ///< bank id once detected ("itau"); empty before, or for an unknown OFX bank
  std::string bank_name; ///< display name ("Itaú Unibanco"), empty when bank is
  std::string format;    ///< format id once detected ("itau-extrato-csv")
  double confidence = 0.0;  ///< detection confidence 0..1 (a score, not money)
  std::int64_t transactions = 0;  ///< rows in the result once completed
  bool skip_bad_rows = false;     ///< asked at upload: leave unreadable rows out (parse_options)
  std::int64_t skipped_rows = 0;  ///< rows left out once completed (listed in the JSON result)
  std::string period_start;  ///< "YYYY-MM-DD": the statement period once completed, or empty
  std::string period_end;    ///< (statement::period_start/end), or empty
  std::string error_code;  ///< stable errc name when failed ("unsupported_container"), else empty
  std::string error;       ///< human message when failed, else empty
  bool row_error = false;  ///< failed on one row (error::row_error): skip_bad_rows would convert the rest
  int attempts = 0;        ///< times a worker has started it
  timestamp created_at{};  ///< when it was uploaded
  timestamp updated_at{};  ///< its last change of state
  /// its first download (the deletion grace runs from it), or none yet
  std::optional<timestamp> downloaded_at;
};

/// The job as the HTTP API shows it: {"id","status","bank","bank_name","format","confidence",
/// "transactions","skip_bad_rows","skipped_rows","period":{"start","end"}|null,"error",
/// "error_code","row_error","created_at","updated_at","filename"}; bank, bank_name, format, error
/// and error_code are null when empty; period is null
/// before completion; confidence has two decimals; times ISO-8601 UTC with milliseconds and `Z`.
/// One line (fits an SSE `data:` field).
[[nodiscard]] std::string to_json(const job& j);

/// The files of jobs live under one data directory (shared by every process that serves the same
/// store): `uploads/<job id>` for the bytes as uploaded (`held/<job id>` while the job is a dead
/// letter) and `results/<job id>.csv`, `results/<job id>.excel-br.csv`, `results/<job id>.json`,
/// `results/<job id>.xlsx` for the outputs. An id that is not
/// is_job_id() (or an unknown style) is a caller bug: std::invalid_argument, never a path.
/// With `keys`, uploads and results are sealed at rest (data_key.hpp); read_data and write_data
/// are the way in and out for every caller.
struct job_paths {
  std::filesystem::path data_dir;  ///< holds uploads/ and results/
  /// Seals what write_data writes and opens what read_data reads; null: plaintext files, as
  /// before data keys (plaintext files stay readable with keys too).
  std::shared_ptr<const data_key_ring> keys{};

  /// One of this job's files (upload(), held(), result()), opened when sealed
  /// (read_data_file). Error: io_error.
  [[nodiscard]] bankflow::result<std::string> read_data(const std::filesystem::path& file) const;
  /// Writes one of the job's files, sealed when there are keys (write_data_file: 0600, renamed
  /// into place). Error: io_error.
  [[nodiscard]] bankflow::result<void> write_data(const std::filesystem::path& file, std::string_view bytes) const;

  /// `uploads/<job id>`: the bytes as uploaded.
  [[nodiscard]] std::filesystem::path upload(std::string_view job_id) const;
  /// `uploads/<job id>.rules`: the category rules sent with the upload (rules.hpp), when there
  /// were any; kept, sealed like the upload, until the upload goes.
  [[nodiscard]] std::filesystem::path rules(std::string_view job_id) const;
  /// `results/<job id>.<ext>` for `style` "csv", "excel-br", "json" or "xlsx".
  [[nodiscard]] std::filesystem::path result(std::string_view job_id, std::string_view style) const;
  /// Creates the directories (uploads/, results/, held/; 0700). Error: io_error.
  /// (Spelled bankflow::result: the member result() hides the template inside this struct.)
  [[nodiscard]] bankflow::result<void> prepare() const;

  /// Bytes of the regular files under uploads/, results/ and held/ (what the disk quota counts).
  [[nodiscard]] std::uint64_t disk_usage() const;

  /// Whether `incoming` more bytes fit: under `quota` (0: no quota) with the files already there,
  /// and on a file system that keeps some room free (the upload, twice, plus 16 MiB). Error:
  /// insufficient_storage (the message says which, without paths).
  [[nodiscard]] bankflow::result<void> check_room(std::uint64_t incoming, std::uint64_t quota) const;

  /// Deletes a job's uploaded bytes, held or not, and its rules (already gone is fine): once its
  /// job is completed or has failed for good, only the results are kept.
  void remove_upload(std::string_view job_id) const;

  /// Deletes every file of a job: its upload (held or not) and its results (already gone is fine).
  void remove_files(std::string_view job_id) const;

  /// `held/<job id>`: the upload of a job the queue gave up on (a dead letter), kept out of
  /// uploads/ until an operator sends the job through again or discards it.
  [[nodiscard]] std::filesystem::path held(std::string_view job_id) const;

  /// Moves a job's upload to held() (already gone is fine; one that cannot be moved is deleted).
  void hold_upload(std::string_view job_id) const;

  /// Moves a held upload back to upload(); true when the upload is there now.
  [[nodiscard]] bool restore_upload(std::string_view job_id) const;
};

/// The first `limit` transactions of a completed job's normalized JSON (results/<id>.json) with
/// what frames them: {"transactions":[…],"total":N,"period":…,"opening_balance":…,
/// "closing_balance":…,"currency":…,"due_date":…,"reconciliation":…,"skipped_rows":[…]} (skipped_rows every row the job left
/// out, [] when none), values as the result file has them. Reading it is not a
/// download (the deletion grace does not start). Error: io_error (missing or unreadable result).
[[nodiscard]] result<std::string> preview_json(const job_paths& paths, std::string_view job_id,
                                               std::size_t limit);

/// Ok when the job is completed; otherwise not_ready saying why: "job <id> is failed: <its error>",
/// or "job <id> is pending: <verb> it once it is completed" (verb: what the caller wants to do).
[[nodiscard]] result<void> check_completed(const job& j, std::string_view verb);

/// Jobs that changed within a window ending now (the operator console's rates).
struct job_rates {
  std::chrono::seconds window{0};  ///< how far back it counts
  std::int64_t created = 0;    ///< uploaded within the window
  std::int64_t completed = 0;  ///< completed within the window (by their last change)
  std::int64_t failed = 0;     ///< failed within the window (by their last change)
};

/// How a job store behaves.
struct job_store_options {
  clock_fn clock{};  ///< empty: the system clock (stamps created_at/updated_at, decides expiry)
};

/// Jobs in SQL (table bankflow_jobs, migrated on open). Move-only, thread-safe; the database
/// must outlive it.
class job_store {
 public:
  /// Migrates the schema. Error: storage_error.
  [[nodiscard]] static result<job_store> open(database& db, job_store_options options = {});

  /// Records a new pending job for bytes already written to paths.upload(id) — the caller picks
  /// the id with new_job_id() so it can write the file first; `filename` is kept as
  /// job_filename(filename); `kept`: an account's job, which a download does not expire (only
  /// its owner's deletion does). `skip_bad_rows` is kept with the
  /// job for the worker (parse_options::skip_bad_rows). Error: storage_error.
  [[nodiscard]] result<job> create(std::string_view id, std::string_view owner,
                                   std::string_view filename, std::uint64_t size,
                                   bool skip_bad_rows = false, bool kept = false);

  /// Deletes the row of one job of `owner` (its owner deleting it) and returns the job, so the
  /// caller removes its files (job_paths::remove_files). Errors: not_found (missing or
  /// another's: the same error, as get_owned), storage_error.
  [[nodiscard]] result<job> remove(std::string_view owner, std::string_view id);

  /// Deletes the rows of every job of `owner` (an account being erased) and returns their ids,
  /// so the caller removes their files (job_paths::remove_files). Error: storage_error.
  [[nodiscard]] result<std::vector<std::string>> remove_owned(std::string_view owner);

  /// A fresh random job id (32 hex digits).
  [[nodiscard]] static std::string new_job_id();

  /// The job with this id, whoever owns it (a client's request wants get_owned).
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<job> get(std::string_view id);

  /// The job with this id if it belongs to the session `owner`; otherwise the one
  /// not_found_error("job", id), whatever the reason (malformed id, missing, another session's),
  /// so another session's job looks exactly like a missing one. Errors: not_found, storage_error.
  [[nodiscard]] result<job> get_owned(std::string_view owner, std::string_view id);

  /// The session's jobs, newest first, at most `limit`. Error: storage_error.
  [[nodiscard]] result<std::vector<job>> list(std::string_view owner, std::size_t limit = 100);

  /// Gives every job of owner `from` (an anonymous session) to `to` (the user who just signed up
  /// or logged in with it), kept from then on like an account's, and returns how many moved.
  /// Error: storage_error.
  [[nodiscard]] result<std::size_t> transfer_owner(std::string_view from, std::string_view to);

  /// pending or processing (a worker died and the queue handed it out again) → processing,
  /// attempts + 1. Returns the job; a job already completed/failed comes back unchanged (the
  /// worker then acks it without work).
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<job> start(std::string_view id);

  /// processing → completed with what the worker found (bank, bank_name, format, confidence,
  /// transactions, skipped_rows, period_start/end). A job already completed/failed comes back unchanged.
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<job> complete(std::string_view id, const job& outcome);

  /// pending/processing → failed with the error (code name; message with its file:line: field
  /// prefix; row_error). A job already completed/failed comes back unchanged. Errors: not_found, storage_error.
  [[nodiscard]] result<job> fail(std::string_view id, const error& why);

  /// processing → pending again (a transient error; the queue retries it later and keeps the
  /// reason). Other states come back unchanged. Errors: not_found, storage_error.
  [[nodiscard]] result<job> requeue(std::string_view id, const error& why);

  /// pending, processing or failed → pending with no attempts and no error (an operator sends a
  /// job the queue gave up on through again). A completed job comes back unchanged.
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<job> reopen(std::string_view id);

  /// pending, processing or failed → failed with this error, replacing an earlier one (an
  /// operator's last word on a job the queue gave up on). A completed job comes back unchanged.
  /// Errors: not_found, storage_error.
  [[nodiscard]] result<job> fail_for_good(std::string_view id, const error& why);

  /// Records the first download time (later downloads keep the first). Errors: not_found,
  /// storage_error.
  [[nodiscard]] result<job> mark_downloaded(std::string_view id);

  /// Fails every job still `processing` whose last change is older than `older_than`: its last
  /// worker died and the queue gave up on it (or lost it). Returns the failed jobs.
  /// Error: storage_error.
  [[nodiscard]] result<std::vector<job>> fail_stuck(std::chrono::seconds older_than);

  /// The jobs not finished yet (pending or processing), oldest first: what a queue that keeps
  /// nothing across restarts starts from. Error: storage_error.
  [[nodiscard]] result<std::vector<job>> unfinished();

  /// Jobs counted by status (for metrics). Error: storage_error.
  [[nodiscard]] result<std::vector<std::pair<job_status, std::int64_t>>> count_by_status();

  /// Jobs created, completed and failed within the last `window` by the store's clock.
  /// Error: storage_error.
  [[nodiscard]] result<job_rates> rates(std::chrono::seconds window);

  /// Deletes the rows of jobs downloaded more than `grace` ago (an account's jobs are kept: see
  /// create's `kept`), of an account's jobs created more than `account_retention` ago (0: never)
  /// and of jobs whose owner is in `owners`, returning their ids (each exactly once even with
  /// concurrent janitors) so the caller removes their files. Error: storage_error.
  [[nodiscard]] result<std::vector<std::string>> remove_expired(
      std::chrono::seconds grace, const std::vector<std::string>& owners,
      std::chrono::seconds account_retention = std::chrono::seconds(0));

  /// Takes over another store's connection to the database.
  job_store(job_store&& other) noexcept;
  /// Takes over another store's connection to the database.
  job_store& operator=(job_store&& other) noexcept;
  job_store(const job_store&) = delete;
  job_store& operator=(const job_store&) = delete;
  /// Closes the store (the rows stay in the database).
  ~job_store();

 private:
  struct impl;
  explicit job_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// The bytes of a job's result file for a download: check_completed(j, "download"), then
/// `paths.result(j.id, style)` (style "csv", "excel-br", "json" or "xlsx"), then, when `mark`, the first
/// download is recorded (the deletion grace starts; a HEAD request is no download).
/// Errors: not_ready, io_error, not_found, storage_error.
[[nodiscard]] result<std::string> download_result(job_store& jobs, const job_paths& paths, const job& j,
                                                  std::string_view style, bool mark);

/// A job handed to a worker: the id, which attempt this is (1-based) and a receipt the queue
/// uses to recognise the lease.
struct queue_item {
  std::string job_id;   ///< the job to process
  int attempt = 1;      ///< 1 for the first hand-out, then one more per retry or lost lease
  std::string receipt;  ///< identifies this lease in ack() and retry()
};

/// An item the queue gave up on: its job id, the reason of its last failure and when it died.
struct dead_letter {
  std::string job_id{};  ///< the job it carried
  std::string reason{};  ///< the last failure (a retry's reason, or the lease that ran out)
  /// when it went to the dead letters, by the queue's clock; the epoch when the queue cannot say
  timestamp died_at{};
};

/// How a queue hands out work.
struct queue_options {
  std::chrono::milliseconds lease{30000};     ///< a taken item not acked by then is handed out again
  int max_attempts = 5;                        ///< after this many, an item goes to the dead letters
  std::chrono::milliseconds backoff{500};      ///< retry delay: backoff * 2^(attempt-1), capped
  std::chrono::milliseconds max_backoff{30000};  ///< the longest retry delay
  clock_fn clock{};                              ///< empty: the system clock
};

/// Carries job ids to workers. At-least-once: an item is handed out again when its lease expires
/// (its worker died), so processing must be safe to repeat. Implementations are thread-safe and,
/// for shared backends, safe across processes. Users may implement their own.
class job_queue {
 public:
  /// Destroys the queue (a shared backend keeps its items).
  virtual ~job_queue() = default;

  /// Enqueues a job id. Error: storage_error.
  [[nodiscard]] virtual result<void> push(std::string_view job_id) = 0;

  /// Takes the next due item, waiting up to `wait` for one; nullopt when none came. Items whose
  /// lease expired or whose retry delay has passed are due again. Error: storage_error.
  [[nodiscard]] virtual result<std::optional<queue_item>> take(std::chrono::milliseconds wait) = 0;

  /// Done with an item (completed, or failed for good): it leaves the queue.
  [[nodiscard]] virtual result<void> ack(const queue_item& item) = 0;

  /// A transient failure: the item comes back after the backoff delay, or goes to the dead letters
  /// when it has had max_attempts. Returns true when it will be retried.
  [[nodiscard]] virtual result<bool> retry(const queue_item& item, std::string_view reason) = 0;

  /// Items waiting (ready + delayed, not leased). Error: storage_error.
  [[nodiscard]] virtual result<std::size_t> depth() = 0;

  /// Items that exhausted their attempts, oldest first (job id and last reason).
  [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::string>>> dead_letters() = 0;

  /// The dead letters with when each died, oldest first. The default builds them from
  /// dead_letters() with died_at at the epoch; the shipped queues know the time. Error: storage_error.
  [[nodiscard]] virtual result<std::vector<dead_letter>> list_dead_letters();

  /// Takes a job out of the dead letters and back into the line, with a fresh count of attempts.
  /// Errors: not_found (not a dead letter), storage_error; invalid_argument from the default, for
  /// a queue that does not support it (both shipped queues do).
  [[nodiscard]] virtual result<void> requeue_dead_letter(std::string_view job_id);

  /// Removes a job from the dead letters for good. Errors: not_found (not a dead letter),
  /// storage_error; invalid_argument from the default, as requeue_dead_letter's.
  [[nodiscard]] virtual result<void> discard_dead_letter(std::string_view job_id);
};

/// In-process queue (threads of one process); leases and retries behave as in Redis. Never
/// fails; a result like every make_* factory.
[[nodiscard]] result<std::unique_ptr<job_queue>> make_memory_job_queue(queue_options options = {});

/// In-process queue that starts from what the store still has to do, as a Redis queue keeps its
/// items across a restart: every pending job is enqueued, and every processing job (its worker
/// died with the previous process) is held under a lease that runs out `options.lease` after its
/// last change and then comes back (or goes to the dead letters after its last attempt). Attempts
/// continue from the store's count. `jobs` is only read here. Error: storage_error.
[[nodiscard]] result<std::unique_ptr<job_queue>> make_memory_job_queue(job_store& jobs,
                                                                       queue_options options = {});

/// Redis reliable queue under `<prefix>jobs:`; `redis` must outlive it. Error: storage_error.
[[nodiscard]] result<std::unique_ptr<job_queue>> make_redis_job_queue(redis_client& redis,
                                                                       queue_options options = {});

/// A live subscription; dropping it unsubscribes (after which the callback is never called).
class job_subscription {
 public:
  /// Unsubscribes.
  virtual ~job_subscription() = default;
};

/// Status changes of jobs, fanned out to subscribers. publish() of a job reaches every
/// subscription to that job id in every process sharing the backend. Callbacks run on a
/// background thread of the bus and must not block; they receive to_json(job).
class job_events {
 public:
  /// Ends the bus; its subscriptions must be dropped first.
  virtual ~job_events() = default;

  /// Publishes a job's new state. Error: storage_error.
  [[nodiscard]] virtual result<void> publish(const job& j) = 0;

  /// Calls `on_change(json)` for every later publish of this job id.
  [[nodiscard]] virtual result<std::unique_ptr<job_subscription>> subscribe(
      std::string_view job_id, std::function<void(const std::string& json)> on_change) = 0;
};

/// In-process fan-out. Never fails; a result like every make_* factory.
[[nodiscard]] result<std::unique_ptr<job_events>> make_memory_job_events();

/// Redis pub/sub, one channel per job, `<prefix>jobs:events:<job id>` (so a process receives only
/// the jobs it streams), with one subscriber connection per bus (reconnecting on failure;
/// publishes made while it is disconnected are lost — streams send the stored state first).
/// subscribe() returns once Redis has confirmed the subscription, so every later publish reaches
/// it. `redis` must outlive it. Error: storage_error.
[[nodiscard]] result<std::unique_ptr<job_events>> make_redis_job_events(redis_client& redis);

/// How process_job reads a PDF: in a child process (fork) with the limits below (setrlimit: address space and CPU
/// time; and a page limit): a hostile PDF that exhausts them, or crashes the reader, fails only its
/// job (limit_exceeded or damaged_container), never the process that asked.
struct pdf_limits {
  bool isolate = true;                          ///< read PDFs in a child process
  /// address space the child may add to what it has once started, bytes
  std::size_t max_memory = std::size_t{1} << 30;
  unsigned cpu_seconds = 120;                   ///< the child's CPU time
  unsigned max_pages = 2000;                    ///< pages a PDF may have to be read
  /// The program the child runs (fork, then exec): one whose main() starts with
  /// run_pdf_reader(), such as bankflow-server, which names itself ("/proc/self/exe"). A fresh
  /// program holds none of the locks other threads held at the fork. Empty: the child is the
  /// fork itself, without exec — only for a program whose other threads never hold a lock the
  /// reader needs (malloc's own are safe with glibc; a sanitizer's allocator is not).
  std::string reader_program{};
  bool crash_for_tests = false;                 ///< TEST ONLY: the child aborts before reading
  bool hang_for_tests = false;                  ///< TEST ONLY: the child waits forever
};

/// The longest a PDF reader child may take in wall-clock time before it is killed and its job
/// fails with limit_exceeded: twice its CPU time and ten seconds (a blocked child uses no CPU).
[[nodiscard]] std::chrono::seconds pdf_reader_deadline(const pdf_limits& limits) noexcept;

/// The first argument that makes a program the PDF reader child (pdf_limits::reader_program).
inline constexpr std::string_view pdf_reader_flag = "--bankflow-pdf-reader";

/// Call first thing in main() of a program named as pdf_limits::reader_program. When argv[1] is
/// pdf_reader_flag this process is a PDF reader child: it applies its limits, reads one upload,
/// writes the job's result files and answers on file descriptor 3; the return value is main()'s
/// exit status. Otherwise it returns std::nullopt and main() goes on.
[[nodiscard]] std::optional<int> run_pdf_reader(int argc, char** argv);

/// A PDF's password for one job, kept only in this process's memory until the job's worker takes
/// it (never in the store, the queue or a file). A worker in another process does not see it: the
/// job then fails with `encrypted`, asking for the password again.
void remember_pdf_password(std::string_view job_id, std::string_view password);
/// Takes (and forgets) the password remembered for a job; empty when none.
[[nodiscard]] std::string take_pdf_password(std::string_view job_id);

/// What one processing of a job does, for workers: start it in the store, parse the upload,
/// write the three result files, complete it (or fail it with the parse error at once), publish
/// each change, and delete the uploaded bytes once the job is completed or failed (a job found
/// finished already loses them too). A transient failure (storage, io) is returned as an error so
/// the caller retries; the upload stays for the next attempt. A PDF is read as `pdf` says.
/// Returns the job's final state for this attempt.
[[nodiscard]] result<job> process_job(job_store& jobs, job_events& events, const job_paths& paths,
                                      std::string_view job_id, const pdf_limits& pdf = {});

/// Where submit_upload puts an upload and what it holds it to; everything must outlive the call.
struct upload_intake {
  job_store& jobs;         ///< records the job
  job_queue& queue;        ///< carries it to a worker
  const job_paths& paths;  ///< where the bytes go (paths.upload(id))
  /// Counts action "upload" per session and per client address (both limits set); null: none.
  rate_limiter* limiter = nullptr;
  std::uint64_t max_bytes = 0;   ///< the largest file accepted; 0: any size
  std::uint64_t disk_quota = 0;  ///< what job_paths::check_room allows; 0: no quota
};

/// One uploaded file; views into the caller's buffers.
struct upload_request {
  std::string_view owner;         ///< the session id the job will belong to
  std::string_view client;        ///< the client's address key for the per-address limit; empty: not counted
  std::string_view filename;      ///< the client's name for the file (job_filename() keeps it)
  std::string_view data;          ///< the file's bytes
  bool skip_bad_rows = false;     ///< parse_options::skip_bad_rows for the worker
  std::string_view pdf_password;  ///< a PDF's password: memory only (remember_pdf_password)
  /// A category rules document (rules.hpp) the worker enriches with; empty: the shipped rules.
  /// Checked here (invalid_argument naming the rule and field), stored as job_paths::rules().
  std::string_view rules{};
  bool kept = false;              ///< `owner` is an account: the job outlives its download (job_store::create)
};

/// Turns an upload into a pending job, or refuses it before anything is stored. In order: the
/// size (payload_too_large); the content — a file no worker could read is refused with the
/// library's explanation (detect, then parse's error), while a PDF is only opened by its job's
/// worker, in a child process; room on disk (insufficient_storage); then the rate limits, so a
/// refused upload costs the visitor nothing (rate_limited, with the wait in `*retry_after` when
/// given). Then it writes the bytes (job_paths::write_data: sealed with its keys, 0600, renamed
/// into place so a worker never sees half a file),
/// records the job and enqueues it. A job that cannot be recorded leaves no file; one that cannot
/// be enqueued is failed with that error and its upload deleted. Errors: payload_too_large, the
/// content's errors (unknown_format …), insufficient_storage, rate_limited, io_error,
/// storage_error.
[[nodiscard]] result<job> submit_upload(const upload_intake& intake, const upload_request& upload,
                                        std::chrono::seconds* retry_after = nullptr);

/// How a job_worker runs.
struct worker_options {
  std::size_t threads = 1;              ///< worker threads
  std::chrono::milliseconds poll{500};  ///< how long one take() waits
  /// Called after each processed item with its duration (for metrics); may be empty.
  std::function<void(const job&, std::chrono::nanoseconds)> on_processed{};
  pdf_limits pdf{};  ///< how PDFs are read (process_job)
};

/// Worker threads: take from the queue, process_job, ack or retry, until stop(). After the last
/// attempt the job fails (its message names the kind of failure, never a path or SQL: the queue's
/// dead letter keeps the details) and its upload is held for an operator (job_paths::hold_upload:
/// requeue_dead_letter sends it through again, discard_dead_letter deletes it).
class job_worker {
 public:
  /// Starts the threads. The stores, queue and events must outlive the worker.
  job_worker(job_store& jobs, job_queue& queue, job_events& events, job_paths paths,
             worker_options options = {});
  /// Stops taking new items, finishes the ones in hand, joins.
  void stop();
  /// stop().
  ~job_worker();
  job_worker(const job_worker&) = delete;
  job_worker& operator=(const job_worker&) = delete;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Fails every job the queue gave up on (its dead letters) that the store still has pending or
/// processing — a worker that died on the job's last attempt — with the dead letter's reason, and
/// holds its upload for an operator (job_paths::hold_upload), at once rather than after
/// run_janitor's `stuck_after`. Returns how many it
/// failed. Errors: storage_error.
[[nodiscard]] result<std::size_t> fail_dead_letters(job_store& jobs, job_queue& queue, const job_paths& paths);

// ---------------------------------------------------------------------------------------------
// Operator console: the queue, its dead letters and what an operator does with them. Nothing here
// shows a job's owner.

/// The queue and the jobs at a glance.
struct queue_overview {
  std::size_t depth = 0;         ///< items waiting (job_queue::depth)
  std::size_t dead_letters = 0;  ///< items the queue gave up on
  std::vector<std::pair<job_status, std::int64_t>> by_status{};  ///< job_store::count_by_status
  job_rates last_hour{};  ///< job_store::rates over the last hour
};

/// Reads the queue's depth and dead letters and the store's counts and last hour.
/// Error: storage_error.
[[nodiscard]] result<queue_overview> overview(job_store& jobs, job_queue& queue);

/// {"depth":N,"dead_letters":N,"jobs":{"pending":N,"processing":N,"completed":N,"failed":N},
/// "last_hour":{"window_seconds":3600,"created":N,"completed":N,"failed":N}}.
[[nodiscard]] std::string to_json(const queue_overview& o);

/// A dead letter and what the store knows of its job (never its owner).
struct dead_letter_info {
  dead_letter letter{};       ///< job id, the queue's last reason, when it died
  bool job_found = false;   ///< false when the job's row is gone (its session expired): the rest is empty
  job_status status = job_status::failed;  ///< the job's state
  int attempts = 0;         ///< times a worker started it
  std::string filename{};     ///< job::filename
  std::string bank{};         ///< job::bank, empty when not detected
  std::string error_code{};   ///< job::error_code, empty unless failed
  timestamp created_at{};   ///< when it was uploaded
};

/// The newest `limit` (1..1000) dead letters, newest first, with their jobs. Error: storage_error.
[[nodiscard]] result<std::vector<dead_letter_info>> list_dead_letters(job_store& jobs, job_queue& queue,
                                                                      std::size_t limit = 100);

/// {"dead_letters":[{"job_id","error" (the queue's last reason),"died_at","job_found","status",
/// "attempts","filename","bank","error_code","created_at"}…]}: status, filename, bank, error_code
/// and created_at null when the job is gone (bank and error_code also when empty), attempts 0;
/// died_at null when the queue cannot say. Times ISO-8601 UTC with milliseconds.
[[nodiscard]] std::string to_json(const std::vector<dead_letter_info>& letters);

/// Sends a dead letter's job through again: its held upload back in place
/// (job_paths::restore_upload), the job pending with no attempts (job_store::reopen), the item back
/// in the queue with a fresh count, so a worker processes it again. A completed job stays completed
/// (its worker acks it without work). Returns the job. Errors: not_found (not a dead letter, or its
/// job is gone: discard it), not_ready (its upload is gone: discard it), storage_error.
[[nodiscard]] result<job> requeue_dead_letter(job_store& jobs, job_queue& queue, const job_paths& paths,
                                              std::string_view job_id);

/// Gives a dead letter up for good: its job fails with its error followed by "discarded by an
/// operator" (job_store::fail_for_good; a completed job stays completed), the letter leaves the
/// queue and the held upload is deleted. A dead letter whose job is gone is just removed.
/// Errors: not_found (not a dead letter), storage_error.
[[nodiscard]] result<void> discard_dead_letter(job_store& jobs, job_queue& queue, const job_paths& paths,
                                               std::string_view job_id);

/// How long run_janitor keeps what it cleans up.
struct janitor_policy {
  std::chrono::seconds download_grace{3600};  ///< an anonymous conversion, after its first download
  /// An account's conversion, after it was created; 0: until its owner deletes it (or the account).
  std::chrono::seconds account_retention{0};
  std::chrono::seconds orphan_age{3600};   ///< a file no job accounts for
  std::chrono::seconds stuck_after{3600};  ///< a job in `processing` whose worker died
};

/// One janitor pass: deletes the rows and files of the jobs of expired/revoked sessions and then
/// the sessions themselves (in that order, so a failure midway is finished by the next pass), the
/// anonymous jobs downloaded more than `download_grace` ago, the accounts' jobs created more than
/// `account_retention` ago (when it is not 0), and orphan files in the data directory older than
/// `orphan_age` (a crash between writing a file and recording its job); fails jobs stuck in
/// `processing` for longer than `stuck_after` (their worker died on the last attempt) and deletes
/// their uploads. Returns the number of jobs removed. Safe to run from several processes at once.
/// Error: storage_error.
[[nodiscard]] result<std::size_t> run_janitor(session_store& sessions, job_store& jobs,
                                              const job_paths& paths, const janitor_policy& policy);

}  // namespace bankflow
