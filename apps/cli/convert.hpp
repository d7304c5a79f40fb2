#pragma once
// bankflow convert FILE... [-o OUT] [--to csv|json|xlsx] [--style excel-br] [--bank ID] [--format ID]
//                  [--skip-bad-rows] [--password P] [--pages A-B]

#include "command.hpp"

#include <string>
#include <vector>

namespace bankflow::cli {

/// What `bankflow convert` was asked to do.
struct convert_options {
  std::vector<std::string> inputs;  ///< files, directories, or "-" for stdin
  std::string output;               ///< file, directory (DIR/), or empty for stdout
  std::string to = "csv";           ///< csv | json | xlsx
  std::string style = "standard";   ///< standard | excel-br (CSV only)
  std::string bank;                 ///< force a bank id
  std::string format;               ///< force a format id
  bool verbose = false;             ///< print each file's warnings on stderr
  bool progress = true;             ///< a progress bar on a terminal for batches
  bool skip_bad_rows = false;       ///< leave unreadable rows out, list them, exit 3
  std::string password;             ///< PDFs: the document's password
  std::string pages;                ///< PDFs: "A-B", "A-", "-B" or "A": the pages to read
  std::string rules;                ///< a category rules file (rules.hpp); empty: the shipped rules
};

/// Registers `convert` on app.
[[nodiscard]] command setup_convert(CLI::App& app);

/// Converts the inputs; the exit code.
[[nodiscard]] int run_convert(const convert_options& options);

}  // namespace bankflow::cli
