#pragma once
// bankflow rules test RULES.json STATEMENT [--json] [--password P]

#include "command.hpp"

#include <string>

namespace bankflow::cli {

/// What `bankflow rules test` was asked to do.
struct rules_options {
  std::string rules;      ///< the rules file (rules.hpp)
  std::string statement;  ///< a statement file, or "-" for stdin
  bool json = false;      ///< rules_test_to_json instead of a table
  std::string password;   ///< PDFs: the document's password
};

/// Registers `rules` (and its `test` subcommand) on app.
[[nodiscard]] command setup_rules(CLI::App& app);

/// Shows which rule gives each row of the statement its category; the exit code (1: the rules
/// file or the statement cannot be read).
[[nodiscard]] int run_rules_test(const rules_options& options);

}  // namespace bankflow::cli
