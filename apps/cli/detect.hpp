#pragma once
// bankflow detect FILE... [--json] [--password P]

#include "command.hpp"

#include <string>
#include <vector>

namespace bankflow::cli {

/// What `bankflow detect` was asked to do.
struct detect_options {
  std::vector<std::string> inputs;  ///< files, directories, or "-" for stdin
  bool json = false;                ///< one JSON object per file
  std::string password;             ///< PDFs: the document's password
};

/// Registers `detect` on app.
[[nodiscard]] command setup_detect(CLI::App& app);

/// Names the bank and format of each input; the exit code.
[[nodiscard]] int run_detect(const detect_options& options);

}  // namespace bankflow::cli
