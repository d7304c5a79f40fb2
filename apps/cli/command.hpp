#pragma once
// What main.cpp needs of a subcommand, without CLI11: each subcommand's file registers it with
// setup_x(CLI::App&) and hands back how to run it once parsed (CLI11's subcom_in_files shape).

#include <functional>

namespace CLI {
class App;
}  // namespace CLI

namespace bankflow::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_data_error = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_skipped_rows = 3;  ///< convert --skip-bad-rows left rows out

/// A registered subcommand: `run` does its work with the options CLI11 filled in and returns the
/// exit code (0 ok, 1 data error, 2 usage, 3 converted with skipped rows).
struct command {
  CLI::App* app = nullptr;    ///< the subcommand; main runs the one that was parsed
  std::function<int()> run;
};

}  // namespace bankflow::cli
