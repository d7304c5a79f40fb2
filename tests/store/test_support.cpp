#include "test_support.hpp"

#include <bankflow/database.hpp>

#include "store/db.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace bankflow::test {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::string unique_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          static_cast<std::uint64_t>(::getpid()) << 32};
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (int i = 0; i < 12; ++i) s += digits[rng() % 36];
  return s;
}

namespace {

std::string with_search_path(const std::string& base, const std::string& schema) {
  if (base.find("://") != std::string::npos)
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
  return base + " options='-csearch_path=" + schema + "'";
}

void run_sql(const std::string& url, const std::string& statement) {
  auto db = database::open(url, {.pool_size = 1});
  REQUIRE(db);
  auto ok = detail::with_session(detail::database_access::impl(*db), "test set-up",
                                 [&](soci::session& sql) { sql << statement; });
  if (!ok) FAIL(ok.error().to_string());
}

}  // namespace

sql_targets::sql_targets(bool include_memory) {
  if (include_memory) targets_.push_back({"sqlite-memory", "sqlite::memory:", false});
  auto dir = std::filesystem::temp_directory_path() / ("bankflow-test-" + unique_suffix());
  std::filesystem::create_directories(dir);
  dir_ = dir.string();
  targets_.push_back({"sqlite-file", "sqlite://" + (dir / "test.db").string(), true});
  if (auto pg = env("BANKFLOW_TEST_DATABASE_URL")) {
    pg_base_ = *pg;
    pg_schema_ = "bf_test_" + unique_suffix();
    run_sql(pg_base_, "CREATE SCHEMA " + pg_schema_);
    targets_.push_back({"postgresql", with_search_path(pg_base_, pg_schema_), true});
  } else {
    WARN("BANKFLOW_TEST_DATABASE_URL is not set: the PostgreSQL variants of this test are skipped "
         "(bash scripts/test.sh starts a local server and sets it)");
  }
}

sql_targets::~sql_targets() {
  if (!pg_schema_.empty()) {
    try {
      auto db = database::open(pg_base_, {.pool_size = 1});
      if (db)
        (void)detail::with_session(detail::database_access::impl(*db), "test clean-up", [&](soci::session& sql) {
          sql << "DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE";
        });
    } catch (...) {
    }
  }
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::optional<std::string> redis_url() {
  auto url = env("BANKFLOW_TEST_REDIS_URL");
  if (!url)
    WARN("BANKFLOW_TEST_REDIS_URL is not set: the Redis variants of this test are skipped "
         "(bash scripts/test.sh starts a local server and sets it)");
  return url;
}

child spawn_process(const std::string& program, const std::vector<std::string>& args) {
  int in[2];
  int out[2];
  // close-on-exec: a child gets its own two ends (dup2 clears the flag), not its siblings'
  REQUIRE(::pipe2(in, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<std::string> argv_s;
  argv_s.push_back(program);
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  child c;
  const int rc = ::posix_spawn(&c.pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  REQUIRE(rc == 0);
  c.to = ::fdopen(in[1], "w");
  c.from = ::fdopen(out[0], "r");
  REQUIRE(c.to != nullptr);
  REQUIRE(c.from != nullptr);
  return c;
}

std::string read_line(FILE* f) {
  std::string line;
  for (int ch = std::fgetc(f); ch != EOF && ch != '\n'; ch = std::fgetc(f)) line += static_cast<char>(ch);
  return line;
}


race_result run_race(const std::vector<std::string>& args, int processes) {
  std::vector<child> children;
  for (int i = 0; i < processes; ++i) children.push_back(spawn_process(BANKFLOW_RACE_HELPER, args));
  for (auto& c : children) {
    const std::string ready = read_line(c.from);
    INFO("helper said: " << ready);
    REQUIRE(ready == "ready");
  }
  // Release every process at once: each has its threads blocked on a latch.
  for (auto& c : children) {
    std::fputs("go\n", c.to);
    std::fflush(c.to);
  }
  race_result total;
  for (auto& c : children) {
    const std::string line = read_line(c.from);
    long accepted = -1;
    long rejected = -1;
    long errors = -1;
    std::istringstream in(line);
    std::string word;
    while (in >> word) {
      const auto eq = word.find('=');
      if (eq == std::string::npos) continue;
      const long v = std::strtol(word.c_str() + eq + 1, nullptr, 10);
      const std::string k = word.substr(0, eq);
      if (k == "accepted") accepted = v;
      if (k == "rejected") rejected = v;
      if (k == "errors") errors = v;
    }
    INFO("helper said: " << line);
    CHECK(accepted >= 0);
    total.accepted += std::max(accepted, 0L);
    total.rejected += std::max(rejected, 0L);
    total.errors += std::max(errors, 0L);
    if (errors > 0 && total.first_error.empty()) total.first_error = read_line(c.from);
    std::fclose(c.to);
    std::fclose(c.from);
    int status = 0;
    ::waitpid(c.pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  return total;
}

}  // namespace bankflow::test
