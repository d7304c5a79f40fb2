// Processing one job (parse the upload, write the three outputs, record the outcome) and the
// worker threads that feed it from a queue.

#include <bankflow/export.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>

#include "jobs/queue_common.hpp"

#include <boost/json.hpp>

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <new>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

// Parses the upload and writes the three result files; the outcome carries what the job shows
// (bank, format, counts, period).
result<job> convert(std::string_view bytes, const parse_options& popt, const job_paths& paths,
                    std::string_view job_id) {
  auto st = parse(bytes, popt);
  if (!st) return st.error();
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
  return outcome;
}

// The child's answer on its pipe: {"job": {...}} or {"error": {...}}.
std::string outcome_message(const result<job>& r) {
  boost::json::object o;
  if (r) {
    boost::json::object j;
    j["bank"] = r->bank;
    j["bank_name"] = r->bank_name;
    j["format"] = r->format;
    j["confidence"] = r->confidence;
    j["transactions"] = r->transactions;
    j["skipped_rows"] = r->skipped_rows;
    j["period_start"] = r->period_start;
    j["period_end"] = r->period_end;
    o["job"] = std::move(j);
  } else {
    const error& e = r.error();
    o["error"] = {{"code", static_cast<int>(e.code)}, {"message", e.message}, {"file", e.file},
                  {"line", e.line},  {"field", e.field},  {"row_error", e.row_error}};
  }
  return boost::json::serialize(o);
}

result<job> outcome_of(std::string_view message) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(message, ec);
  if (ec || !v.is_object()) return make_error(errc::damaged_container, "the PDF reader stopped without an answer");
  const auto& o = v.as_object();
  if (const auto* e = o.if_contains("error")) {
    const auto& eo = e->as_object();
    error out = make_error(static_cast<errc>(eo.at("code").to_number<int>()), std::string(eo.at("message").as_string()),
                           eo.at("line").to_number<std::size_t>(), std::string(eo.at("field").as_string()));
    out.file = std::string(eo.at("file").as_string());
    out.row_error = eo.at("row_error").as_bool();
    return out;
  }
  const auto& j = o.at("job").as_object();
  job out;
  auto text = [&](const char* k) { return std::string(j.at(k).as_string()); };
  out.bank = text("bank");
  out.bank_name = text("bank_name");
  out.format = text("format");
  out.period_start = text("period_start");
  out.period_end = text("period_end");
  out.confidence = j.at("confidence").to_number<double>();
  out.transactions = j.at("transactions").to_number<std::int64_t>();
  out.skipped_rows = j.at("skipped_rows").to_number<std::int64_t>();
  return out;
}

// In the child: an allocation that fails at the memory limit ends it with this answer (written
// without allocating).
int oom_fd = -1;
constexpr std::string_view oom_answer =
    R"({"error":{"code":6,"message":"reading this PDF needs more memory than the server's limit","file":"","line":0,"field":"","row_error":false}})";

void on_out_of_memory() {
  std::string_view rest = oom_answer;
  while (!rest.empty()) {
    const ssize_t n = ::write(oom_fd, rest.data(), rest.size());
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  ::_exit(0);
}

// The address space of this process now (VmSize), in bytes; 0 when /proc cannot say.
std::size_t inherited_address_space() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  const int got = std::fscanf(f, "%lu", &pages);
  std::fclose(f);
  if (got != 1) return 0;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// convert() in a child process under setrlimit: a PDF that exhausts the memory or CPU limit, or
// crashes the reader, fails its job; the server goes on.
result<job> convert_isolated(std::string_view bytes, const parse_options& popt, const job_paths& paths,
                             std::string_view job_id, const pdf_limits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(errc::io_error, "cannot create a pipe for the PDF reader");
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return make_error(errc::io_error, "cannot start the PDF reader process");
  }
  if (pid == 0) {
    ::close(fds[0]);
    // the budget is on top of what the child inherits (the server's threads, buffers, mappings)
    const std::size_t budget = inherited_address_space() + limits.max_memory;
    const rlimit memory{budget, budget};
    const rlimit cpu{limits.cpu_seconds, limits.cpu_seconds + 1};
    ::setrlimit(RLIMIT_AS, &memory);
    ::setrlimit(RLIMIT_CPU, &cpu);
    oom_fd = fds[1];
    std::set_new_handler(on_out_of_memory);
    if (limits.crash_for_tests) std::abort();
    std::string message;
    try {
      message = outcome_message(convert(bytes, popt, paths, job_id));
    } catch (...) {  // std::bad_alloc at the memory limit
      message = outcome_message(make_error(errc::limit_exceeded, "reading this PDF needs more memory than the limit"));
    }
    std::string_view rest = message;
    while (!rest.empty()) {
      const ssize_t n = ::write(fds[1], rest.data(), rest.size());
      if (n <= 0) break;
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string message;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) message.append(buf, static_cast<std::size_t>(n));
    else if (n < 0 && errno == EINTR) continue;
    else break;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL)
      return make_error(errc::limit_exceeded, "reading this PDF took longer than the limit of " +
                                                  std::to_string(limits.cpu_seconds) + " s of CPU time: it was stopped");
    return make_error(errc::damaged_container,
                      "the PDF reader stopped on this file (signal " + std::to_string(sig) +
                          "): the PDF is damaged or hostile, or needs more than the memory limit of " +
                          std::to_string(limits.max_memory >> 20) +
                          " MiB; download it again from the bank, or export OFX or CSV");
  }
  if (message.empty())
    return make_error(errc::limit_exceeded, "reading this PDF needs more memory than the limit of " +
                                                std::to_string(limits.max_memory >> 20) + " MiB");
  return outcome_of(message);
}

}  // namespace

namespace {
std::mutex passwords_mutex;
std::map<std::string, std::string, std::less<>> passwords;  // job id → password, in memory only
}  // namespace

void remember_pdf_password(std::string_view job_id, std::string_view password) {
  if (password.empty()) return;
  std::lock_guard lock(passwords_mutex);
  if (passwords.size() > 10000) passwords.clear();  // never a store: jobs whose worker never came
  passwords.insert_or_assign(std::string(job_id), std::string(password));
}

std::string take_pdf_password(std::string_view job_id) {
  std::lock_guard lock(passwords_mutex);
  auto it = passwords.find(job_id);
  if (it == passwords.end()) return {};
  std::string out = std::move(it->second);
  passwords.erase(it);
  return out;
}

result<job> process_job(job_store& jobs, job_events& events, const job_paths& paths, std::string_view job_id,
                        const pdf_limits& pdf) {
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
  popt.max_pages = pdf.max_pages;
  const std::string password = take_pdf_password(job_id);
  popt.password = password;
  auto converted = pdf.isolate && looks_like_pdf(*bytes) ? convert_isolated(*bytes, popt, paths, job_id, pdf)
                                                         : convert(*bytes, popt, paths, job_id);
  if (!converted) {
    if (is_transient(converted.error().code)) return converted.error();
    auto failed = jobs.fail(job_id, converted.error());
    if (!failed) return failed.error();
    paths.remove_upload(job_id);  // the bytes are not readable: failed for good
    announce(events, *failed);
    return failed;
  }
  const job& outcome = *converted;
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
    auto outcome = process_job(jobs, events, paths, item.job_id, options.pdf);
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
