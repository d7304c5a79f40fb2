#pragma once
// What every subcommand shares: reading inputs, writing outputs safely, printing errors.

#include <bankflow/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bankflow::cli {

/// The one shape of every problem the CLI reports, the empty parts left out:
/// "WHERE: KIND: CODE: FIELD: message", e.g. "extrato.ofx:46: bad_amount: TRNAMT: … " or, with
/// kind "skipped row", "extrato.csv:8: skipped row: bad_amount: Valor: …". A code of ok is left
/// out (a warning or a usage message has none).
[[nodiscard]] std::string describe(const bankflow::error& e, std::string_view kind = {});

/// One line on stderr: "bankflow: " + describe(e, kind).
void print_error(const bankflow::error& e, std::string_view kind = {});

/// One line on stderr: "bankflow: message" (a problem with no code and no place).
void print_error(std::string_view message);

/// Reads a path, or all of stdin for "-".
[[nodiscard]] result<std::string> read_input(const std::string& path);

/// The display name of an input ("-" is "<stdin>").
[[nodiscard]] std::string display_name(const std::string& path);

/// Expands directories (their regular files, sorted, not recursive) and keeps the order given.
[[nodiscard]] result<std::vector<std::string>> expand_inputs(const std::vector<std::string>& inputs);

/// Writes data to path through a temporary file and a rename, so a failure never leaves half a
/// file; "-" or empty writes to stdout.
[[nodiscard]] result<void> write_output(const std::string& path, std::string_view data);

/// Rows of cells on stdout as columns padded to their widest cell (in characters: UTF-8 counts
/// once per code point), two spaces apart, no trailing blanks.
void print_table(const std::vector<std::vector<std::string>>& rows);

/// True when stdout is a terminal (binary output is refused there).
[[nodiscard]] bool stdout_is_terminal();

/// True when stderr is a terminal (progress bars go there, never into pipes).
[[nodiscard]] bool stderr_is_terminal();

}  // namespace bankflow::cli
