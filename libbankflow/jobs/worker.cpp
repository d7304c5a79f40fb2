// Processing one job (parse the upload, write the three outputs, record the outcome) and the
// worker threads that feed it from a queue.

#include <bankflow/export.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>

#include "jobs/queue_common.hpp"

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

namespace bankflow {
namespace {

namespace fs = std::filesystem;

// Failures that may go away on their own: the store or the disk. Everything else parse()
// reports is about the uploaded bytes and fails the job at once.
bool is_transient(errc code) { return code == errc::io_error || code == errc::storage_error; }

// Writes `bytes` to a temporary name beside `path`, then renames it over `path`: a reader sees
// the old file, no file, or the whole new one.
result<void> write_atomically(const fs::path& path, std::string_view bytes) {
  fs::path tmp = path;
  tmp += ".tmp-" + detail::new_receipt();
  const auto failed = [&](std::string why) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    auto e = make_error(errc::io_error, std::move(why));
    e.file = path.string();
    return e;
  };
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return failed("cannot create a result file");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) return failed("cannot write a result file");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return failed("cannot rename a result file into place: " + ec.message());
  return {};
}

// What a job's owner may read of a transient failure.
std::string public_reason(const error& why) {
  if (why.code == errc::storage_error) return "the server's storage failed";
  if (why.code == errc::io_error) return "the server could not read or write this job's files";
  return why.message;
}

// Publishing is best effort: the state is in the store, and streams send it first.
void announce(job_events& events, const job& j) { (void)events.publish(j); }

}  // namespace

result<job> process_job(job_store& jobs, job_events& events, const job_paths& paths, std::string_view job_id) {
  auto started = jobs.start(job_id);
  if (!started) return started.error();
  if (started->status == job_status::completed || started->status == job_status::failed) {
    paths.remove_upload(job_id);  // a crash after finishing it may have left them
    return started;
  }
  announce(events, *started);

  auto bytes = read_file(paths.upload(job_id));
  if (!bytes) return bytes.error();  // io_error: transient

  parse_options popt;
  popt.file_name = started->filename;
  popt.skip_bad_rows = started->skip_bad_rows;
  auto st = parse(*bytes, popt);
  if (!st) {
    if (is_transient(st.error().code)) return st.error();
    auto failed = jobs.fail(job_id, st.error());
    if (!failed) return failed.error();
    paths.remove_upload(job_id);  // the bytes are not readable: failed for good
    announce(events, *failed);
    return failed;
  }

  // The same calls and options as `bankflow convert` (apps/cli/convert.cpp), so downloads are
  // byte for byte what the CLI writes.
  const std::pair<std::string_view, std::string> outputs[] = {
      {"csv", to_csv(*st, csv_style::standard)},
      {"excel-br", to_csv(*st, csv_style::excel_br)},
      {"json", to_json(*st)},
  };
  for (const auto& [style, text] : outputs)
    if (auto ok = write_atomically(paths.result(job_id, style), text); !ok) return ok.error();

  job outcome;
  if (st->bank != nullptr && st->bank->id != "unknown") {
    outcome.bank = st->bank->id;
    outcome.bank_name = st->bank->name;
  }
  outcome.format = st->format;
  outcome.confidence = st->confidence;
  outcome.transactions = static_cast<std::int64_t>(st->transactions.size());
  outcome.skipped_rows = static_cast<std::int64_t>(st->skipped_rows.size());
  if (st->period_start) outcome.period_start = format_date(*st->period_start);
  if (st->period_end) outcome.period_end = format_date(*st->period_end);
  auto completed = jobs.complete(job_id, outcome);
  if (!completed) return completed.error();
  // Sensitive data only while processing: from now on only the results are kept.
  paths.remove_upload(job_id);
  announce(events, *completed);
  return completed;
}

struct job_worker::impl {
  job_store& jobs;
  job_queue& queue;
  job_events& events;
  job_paths paths;
  worker_options options;
  std::mutex mutex;
  std::condition_variable stopped;
  bool stopping = false;
  std::vector<std::thread> threads;

  impl(job_store& j, job_queue& q, job_events& e, job_paths p, worker_options o)
      : jobs(j), queue(q), events(e), paths(std::move(p)), options(std::move(o)) {}

  bool should_stop() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // Sleeps up to `d`, waking at once on stop().
  void pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    stopped.wait_for(lock, d, [&] { return stopping; });
  }

  void handle(const queue_item& item) {
    const auto began = std::chrono::steady_clock::now();
    auto outcome = process_job(jobs, events, paths, item.job_id);
    if (outcome) {
      (void)queue.ack(item);
      if (options.on_processed) options.on_processed(*outcome, std::chrono::steady_clock::now() - began);
      return;
    }
    const error& why = outcome.error();
    if (why.code == errc::not_found) {  // the job is gone (purged with its session): nothing to do
      (void)queue.ack(item);
      return;
    }
    (void)jobs.requeue(item.job_id, why);
    auto again = queue.retry(item, why.to_string());
    // When the queue cannot be reached either, the lease runs out and the item comes back.
    if (!again || *again) return;
    // Out of attempts: the item is in the dead letters with the details, the job fails for good
    // with the kind of the last error. Its owner sees the message: storage and disk errors name
    // tables, statements and paths, so they are said in general terms.
    error final_error;
    final_error.code = why.code;
    final_error.message = "gave up after " + std::to_string(item.attempt) + " attempts (retried " +
                          std::to_string(item.attempt - 1) + " times): " + public_reason(why);
    auto failed = jobs.fail(item.job_id, final_error);
    if (failed) paths.remove_upload(item.job_id);
    if (failed) {
      announce(events, *failed);
      if (options.on_processed) options.on_processed(*failed, std::chrono::steady_clock::now() - began);
    }
  }

  void run() {
    while (!should_stop()) {
      auto item = queue.take(options.poll);
      if (!item) {  // the queue's backend is down: wait a little, then try again
        pause(options.poll);
        continue;
      }
      if (!*item) continue;
      handle(**item);
    }
  }
};

job_worker::job_worker(job_store& jobs, job_queue& queue, job_events& events, job_paths paths,
                       worker_options options)
    : impl_(std::make_unique<impl>(jobs, queue, events, std::move(paths), std::move(options))) {
  const std::size_t n = std::max<std::size_t>(1, impl_->options.threads);
  for (std::size_t i = 0; i < n; ++i) impl_->threads.emplace_back([p = impl_.get()] { p->run(); });
}

void job_worker::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->stopped.notify_all();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
}

job_worker::~job_worker() { stop(); }

}  // namespace bankflow
