// An upload becomes a job (submit_upload): the checks that refuse it before anything is stored,
// then the file, the row and the queue item, undone in that order when a later step fails.

#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/rules.hpp>
#include <bankflow/session.hpp>

namespace bankflow {
namespace {

// Refuses what no worker could read, with the library's explanation. A PDF is opened only by its
// job, in a child process with limits (pdf_limits): never here.
result<void> check_readable(std::string_view data) {
  if (looks_like_pdf(data)) return {};
  auto candidates = detect(data);
  if (!candidates) return candidates.error();
  if (candidates->empty()) {
    auto parsed = parse(data);  // fails at once: its error names what the file looks like
    if (!parsed) return parsed.error();
  }
  return {};
}

// The checks that cost nothing durable, then the rate limits: only a file that will become a
// job counts against them (per session, then per client address, which a new cookie does not
// reset).
result<void> admit(const upload_intake& in, const upload_request& up, std::chrono::seconds* retry_after) {
  if (in.max_bytes != 0 && up.data.size() > in.max_bytes)
    return make_error(errc::payload_too_large, "the file is larger than " + std::to_string(in.max_bytes) + " bytes");
  if (auto readable = check_readable(up.data); !readable) return readable;
  if (!up.rules.empty())
    if (auto rules = parse_rules(up.rules, "rules"); !rules) return rules.error();
  if (auto room = in.paths.check_room(up.data.size(), in.disk_quota); !room) return room;
  if (in.limiter == nullptr) return {};
  std::chrono::seconds wait{0};
  auto admitted = in.limiter->admit(up.owner, up.client, "upload", "uploads", wait);
  if (!admitted && retry_after != nullptr) *retry_after = wait;
  return admitted;
}

}  // namespace

result<job> submit_upload(const upload_intake& in, const upload_request& up, std::chrono::seconds* retry_after) {
  if (auto ok = admit(in, up, retry_after); !ok) return ok.error();
  const std::string id = job_store::new_job_id();
  // sealed when there are data keys; renamed into place, so a worker never sees half a file
  if (auto w = in.paths.write_data(in.paths.upload(id), up.data); !w) return w.error();
  if (!up.rules.empty()) {
    if (auto w = in.paths.write_data(in.paths.rules(id), up.rules); !w) {
      in.paths.remove_upload(id);
      return w.error();
    }
  }
  auto created = in.jobs.create(id, up.owner, up.filename, up.data.size(), up.skip_bad_rows, up.kept);
  if (!created) {
    in.paths.remove_upload(id);
    return created.error();
  }
  if (looks_like_pdf(up.data)) remember_pdf_password(id, up.pdf_password);  // memory only, until the worker takes it
  if (auto pushed = in.queue.push(id); !pushed) {
    (void)in.jobs.fail(id, pushed.error());
    (void)take_pdf_password(id);
    in.paths.remove_upload(id);
    return pushed.error();
  }
  return created;
}

}  // namespace bankflow
