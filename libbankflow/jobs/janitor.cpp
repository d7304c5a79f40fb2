// One janitor pass: expired sessions and downloaded jobs lose their rows and files, and files no
// job accounts for (a crash between writing and recording) go once they are old enough.

#include <bankflow/jobs.hpp>
#include <bankflow/session.hpp>

#include <filesystem>

namespace bankflow {
namespace {

namespace fs = std::filesystem;

// Files older than `orphan_age` whose job is not in the store. Names are `<id>` (uploads, held) or
// `<id>.<style>[.tmp-…]` (results); anything else in these directories is not ours to keep either.
result<void> remove_orphans(job_store& jobs, const job_paths& paths, std::chrono::seconds orphan_age) {
  const auto now = fs::file_time_type::clock::now();
  for (const char* sub : {"uploads", "results", "held"}) {
    std::error_code ec;
    fs::directory_iterator it(paths.data_dir / sub, ec);
    if (ec) continue;  // not prepared yet: nothing to clean
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::directory_entry& entry = *it;
      std::error_code stat_ec;
      if (!entry.is_regular_file(stat_ec)) continue;
      const auto written = entry.last_write_time(stat_ec);
      if (stat_ec || now - written < orphan_age) continue;
      const std::string name = entry.path().filename().string();
      const std::string id = name.substr(0, name.find('.'));
      const bool temporary = name.find(".tmp-") != std::string::npos;
      if (!temporary && is_job_id(id)) {
        auto j = jobs.get(id);
        if (j) continue;  // a live job's file
        if (j.error().code != errc::not_found) return j.error();
      }
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
  }
  return {};
}

}  // namespace

result<std::size_t> run_janitor(session_store& sessions, job_store& jobs, const job_paths& paths,
                                const janitor_policy& policy) {
  // What the sessions own goes first; the sessions go only once that worked, so a pass that
  // fails midway leaves them for the next one instead of orphaning their jobs.
  auto expired = sessions.expired();
  if (!expired) return expired.error();
  std::vector<std::string> owners;
  owners.reserve(expired->size());
  for (const auto& s : *expired) owners.push_back(s.id);
  auto removed = jobs.remove_expired(policy.download_grace, owners, policy.account_retention);
  if (!removed) return removed.error();
  for (const std::string& id : *removed) paths.remove_files(id);
  // exactly the sessions cleaned up after: one that expired or was revoked since the listing keeps
  // its jobs until the next pass lists it
  if (auto purged = sessions.purge(owners); !purged) return purged.error();
  auto stuck = jobs.fail_stuck(policy.stuck_after);
  if (!stuck) return stuck.error();
  for (const job& j : *stuck) paths.remove_upload(j.id);  // failed for good: only results are kept
  if (auto ok = remove_orphans(jobs, paths, policy.orphan_age); !ok) return ok.error();
  return removed->size();
}

result<std::size_t> fail_dead_letters(job_store& jobs, job_queue& queue, const job_paths& paths) {
  auto dead = queue.dead_letters();
  if (!dead) return dead.error();
  std::size_t failed = 0;
  for (const auto& [id, reason] : *dead) {
    auto j = jobs.get(id);
    if (!j) {
      if (j.error().code == errc::not_found) continue;  // removed since
      return j.error();
    }
    if (j->status != job_status::pending && j->status != job_status::processing) continue;
    auto f = jobs.fail(id, make_error(errc::storage_error, "no worker finished this job: " + reason));
    if (!f) return f.error();
    if (f->status == job_status::failed) {
      paths.hold_upload(id);  // an operator may send it through again (requeue_dead_letter)
      ++failed;
    }
  }
  return failed;
}

}  // namespace bankflow
