// Processing one job (parse the upload, write the three outputs, record the outcome) and the
// worker threads that feed it from a queue.

#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>

#include "jobs/convert.hpp"
#include "jobs/queue_common.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace bankflow {
namespace {

// Failures that may go away on their own: the store or the disk. Everything else parse()
// reports is about the uploaded bytes and fails the job at once.
bool is_transient(errc code) { return code == errc::io_error || code == errc::storage_error; }

// What a job's owner may read of a transient failure.
std::string public_reason(const error& why) {
  if (why.code == errc::storage_error) return "the server's storage failed";
  if (why.code == errc::io_error) return "the server could not read or write this job's files";
  return why.message;
}

// Publishing is best effort: the state is in the store, and streams send it first.
void announce(job_events& events, const job& j) { (void)events.publish(j); }

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

  auto bytes = paths.read_data(paths.upload(job_id));
  if (!bytes) return bytes.error();  // io_error: transient

  parse_options popt;
  popt.file_name = started->filename;
  popt.skip_bad_rows = started->skip_bad_rows;
  popt.max_pages = pdf.max_pages;
  const std::string password = take_pdf_password(job_id);
  popt.password = password;
  auto rules = detail::read_job_rules(paths.rules(job_id), paths.keys.get());
  if (!rules) return rules.error();  // io_error: transient
  if (*rules) popt.category_rules = &(*rules)->rules;
  const auto out = detail::result_files_of(paths, job_id);
  auto converted = pdf.isolate && looks_like_pdf(*bytes)
                       ? detail::convert_isolated(paths.upload(job_id), popt, out, pdf,
                                                  *rules ? paths.rules(job_id) : std::filesystem::path())
                       : detail::convert_upload(*bytes, popt, out);
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
    if (failed) paths.hold_upload(item.job_id);  // an operator may send it through again
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
