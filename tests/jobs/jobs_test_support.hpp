#pragma once
// Shared by the job tests: a hand-moved clock, a temporary data directory, and reading files.

#include <bankflow/clock.hpp>
#include <bankflow/jobs.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::test {

/// A clock the test moves by hand; thread-safe.
struct manual_clock {
  std::atomic<long long> ms{1700000000000LL};
  [[nodiscard]] clock_fn fn() {
    return [this] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms.load())); };
  }
  void advance(std::chrono::milliseconds d) { ms += d.count(); }
};

/// A fresh directory under the temp dir, removed with its contents at the end.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The whole file ("" when missing).
std::string slurp(const std::filesystem::path& p);

/// Writes a whole file.
void spit(const std::filesystem::path& p, std::string_view bytes);

/// Every regular file below `dir`, as paths relative to it.
std::vector<std::string> files_below(const std::filesystem::path& dir);

}  // namespace bankflow::test
