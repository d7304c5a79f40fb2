#pragma once
// bankflow banks [--json]

#include "command.hpp"

namespace bankflow::cli {

/// What `bankflow banks` was asked to do.
struct banks_options {
  bool json = false;  ///< as JSON
};

/// Registers `banks` on app.
[[nodiscard]] command setup_banks(CLI::App& app);

/// Lists the supported banks and formats; the exit code.
[[nodiscard]] int run_banks(const banks_options& options);

}  // namespace bankflow::cli
