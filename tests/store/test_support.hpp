#pragma once
// Shared by the storage, webhook and session tests: the backends to run against (SQLite always,
// PostgreSQL and Redis when BANKFLOW_TEST_DATABASE_URL / BANKFLOW_TEST_REDIS_URL are set; a WARN
// says so when they are not), isolated per test, and a runner for cross-process races.

#include <chrono>
#include <cstdio>
#include <sys/types.h>
#include <optional>
#include <string>
#include <vector>

namespace bankflow::test {

/// A value of the environment, or nothing when unset or empty.
std::optional<std::string> env(const char* name);

/// A fresh random suffix for names (schemas, key prefixes, event ids).
std::string unique_suffix();

/// One SQL database a test may use.
struct sql_target {
  std::string name;        ///< "sqlite-memory", "sqlite-file", "postgresql"
  std::string url;         ///< what bankflow::database::open takes
  bool shared_between_processes;  ///< a file or a server (not :memory:)
};

/// The SQL databases for one test: an in-memory SQLite (optional), a SQLite file in a fresh
/// directory, and PostgreSQL in a fresh schema when BANKFLOW_TEST_DATABASE_URL is set (WARN
/// otherwise). Everything is removed when this object goes away.
class sql_targets {
 public:
  explicit sql_targets(bool include_memory = true);
  ~sql_targets();
  sql_targets(const sql_targets&) = delete;
  sql_targets& operator=(const sql_targets&) = delete;
  [[nodiscard]] const std::vector<sql_target>& all() const { return targets_; }

 private:
  std::vector<sql_target> targets_;
  std::string dir_;
  std::string pg_base_;
  std::string pg_schema_;
};

/// BANKFLOW_TEST_REDIS_URL, or nothing with a WARN.
std::optional<std::string> redis_url();

/// A child process talking over pipes: write to `to` (its stdin), read from `from` (its stdout).
struct child {
  pid_t pid = -1;
  FILE* to = nullptr;
  FILE* from = nullptr;
};

/// Starts `program` with `args`, its stdin and stdout connected to the returned pipes.
child spawn_process(const std::string& program, const std::vector<std::string>& args);

/// One line from `f` without its '\n' ("" at the end of input).
std::string read_line(FILE* f);

/// The result of a race run by bankflow_race_helper processes.
struct race_result {
  long accepted = 0;
  long rejected = 0;
  long errors = 0;
  std::string first_error;
};

/// Starts `processes` copies of bankflow_race_helper with `args`, waits until each has its
/// threads ready, releases them all at once, and adds up what they report.
race_result run_race(const std::vector<std::string>& args, int processes);

}  // namespace bankflow::test
