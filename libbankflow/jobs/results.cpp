// Reading a job's results: whether there are any yet, and the download of one file.

#include <bankflow/jobs.hpp>

namespace bankflow {

result<void> check_completed(const job& j, std::string_view verb) {
  if (j.status == job_status::completed) return {};
  std::string message = "job " + j.id + " is " + std::string(to_string(j.status));
  message += j.status == job_status::failed ? ": " + j.error : ": " + std::string(verb) + " it once it is completed";
  return make_error(errc::not_ready, std::move(message));
}

result<std::string> download_result(job_store& jobs, const job_paths& paths, const job& j, std::string_view style,
                                    bool mark) {
  if (auto ready = check_completed(j, "download"); !ready) return ready.error();
  auto bytes = paths.read_data(paths.result(j.id, style));
  if (!bytes) return bytes.error();
  if (mark)
    if (auto marked = jobs.mark_downloaded(j.id); !marked) return marked.error();
  return bytes;
}

}  // namespace bankflow
