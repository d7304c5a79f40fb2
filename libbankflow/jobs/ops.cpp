// The operator console's side of the jobs: the queue at a glance, its dead letters with their
// jobs, and sending a dead letter through again or giving it up. Nothing here shows an owner.

#include <bankflow/date.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/json.hpp>
#include <bankflow/session.hpp>

#include <algorithm>

namespace bankflow {
namespace {

constexpr std::chrono::seconds rate_window = std::chrono::hours(1);

result<bool> is_dead_letter(job_queue& queue, std::string_view job_id) {
  auto dead = queue.list_dead_letters();
  if (!dead) return dead.error();
  return std::any_of(dead->begin(), dead->end(), [&](const dead_letter& d) { return d.job_id == job_id; });
}

// Dead letters come only from transient failures (the worker retries nothing else), so a
// discarded job keeps the kind of its last one.
errc transient_code(const job& j) {
  return j.error_code == to_string(errc::io_error) ? errc::io_error : errc::storage_error;
}

result<dead_letter_info> describe(job_store& jobs, dead_letter letter) {
  dead_letter_info info;
  auto j = jobs.get(letter.job_id);
  info.letter = std::move(letter);
  if (!j && j.error().code != errc::not_found) return j.error();
  if (!j) return info;  // gone with its session: shown without its job
  info.job_found = true;
  info.status = j->status;
  info.attempts = j->attempts;
  info.filename = std::move(j->filename);
  info.bank = std::move(j->bank);
  info.error_code = std::move(j->error_code);
  info.created_at = j->created_at;
  return info;
}

void write_letter(json_writer& w, const dead_letter_info& d) {
  w.begin_object().field("job_id", d.letter.job_id).field("error", d.letter.reason).key("died_at");
  if (d.letter.died_at == timestamp{}) w.null();
  else w.string(format_timestamp(d.letter.died_at));
  w.field("job_found", d.job_found).key("status");
  if (d.job_found) w.string(to_string(d.status));
  else w.null();
  w.field("attempts", d.attempts).key("filename");
  if (d.job_found) w.string(d.filename);
  else w.null();
  w.key("bank").string_or_null(d.bank).key("error_code").string_or_null(d.error_code).key("created_at");
  if (d.job_found) w.string(format_timestamp(d.created_at));
  else w.null();
  w.end_object();
}

}  // namespace

result<queue_overview> overview(job_store& jobs, job_queue& queue) {
  queue_overview o;
  auto depth = queue.depth();
  if (!depth) return depth.error();
  o.depth = *depth;
  auto dead = queue.dead_letters();
  if (!dead) return dead.error();
  o.dead_letters = dead->size();
  auto counts = jobs.count_by_status();
  if (!counts) return counts.error();
  o.by_status = std::move(*counts);
  auto rates = jobs.rates(rate_window);
  if (!rates) return rates.error();
  o.last_hour = *rates;
  return o;
}

std::string to_json(const queue_overview& o) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("depth", o.depth).field("dead_letters", o.dead_letters).key("jobs").begin_object();
  for (const auto& [status, n] : o.by_status) w.field(to_string(status), n);
  w.end_object()
      .key("last_hour")
      .begin_object()
      .field("window_seconds", o.last_hour.window.count())
      .field("created", o.last_hour.created)
      .field("completed", o.last_hour.completed)
      .field("failed", o.last_hour.failed)
      .end_object()
      .end_object();
  return out;
}

result<std::vector<dead_letter_info>> list_dead_letters(job_store& jobs, job_queue& queue, std::size_t limit) {
  auto dead = queue.list_dead_letters();
  if (!dead) return dead.error();
  const std::size_t n = std::min(std::clamp<std::size_t>(limit, 1, 1000), dead->size());
  std::vector<dead_letter_info> out;
  out.reserve(n);
  for (auto it = dead->rbegin(); it != dead->rbegin() + static_cast<std::ptrdiff_t>(n); ++it) {
    auto info = describe(jobs, std::move(*it));
    if (!info) return info.error();
    out.push_back(std::move(*info));
  }
  return out;
}

std::string to_json(const std::vector<dead_letter_info>& letters) {
  std::string out;
  json_writer w(out);
  w.begin_object().key("dead_letters").begin_array();
  for (const auto& d : letters) write_letter(w, d);
  w.end_array().end_object();
  return out;
}

result<job> requeue_dead_letter(job_store& jobs, job_queue& queue, const job_paths& paths, std::string_view job_id) {
  auto dead = is_dead_letter(queue, job_id);
  if (!dead) return dead.error();
  if (!*dead) return not_found_error("dead letter", job_id);
  auto j = jobs.get(job_id);
  if (!j) return j.error();
  if (j->status != job_status::completed && !paths.restore_upload(job_id))
    return make_error(errc::not_ready, "job " + std::string(job_id) +
                                           " cannot be processed again: its upload is gone (discard it)");
  // The store first: a worker that takes the item must find the job pending, not failed.
  auto reopened = jobs.reopen(job_id);
  if (!reopened) return reopened.error();
  // A failure leaves a pending job among the dead letters: fail_dead_letters fails it again.
  if (auto back = queue.requeue_dead_letter(job_id); !back) return back.error();
  return reopened;
}

result<void> discard_dead_letter(job_store& jobs, job_queue& queue, const job_paths& paths, std::string_view job_id) {
  auto dead = is_dead_letter(queue, job_id);
  if (!dead) return dead.error();
  if (!*dead) return not_found_error("dead letter", job_id);
  auto j = jobs.get(job_id);
  if (!j && j.error().code != errc::not_found) return j.error();
  if (j) {
    // The store first: were the letter gone first, a failure here would leave the job pending
    // with nothing to fail it.
    const std::string message = (j->error.empty() ? "" : j->error + "; ") + "discarded by an operator";
    if (auto failed = jobs.fail_for_good(job_id, make_error(transient_code(*j), message)); !failed)
      return failed.error();
  }
  if (auto gone = queue.discard_dead_letter(job_id); !gone) return gone.error();
  if (is_job_id(job_id)) paths.remove_upload(job_id);
  return {};
}

}  // namespace bankflow
