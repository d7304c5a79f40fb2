#pragma once
// The plumbing every reader shares, below the readers and above the statement: what a probe sees,
// what a parser gets, how a parser skips a bad row and how it finishes its statement. The readers
// (ofx/, banks/, pdf/) include this; the format table and detection over it live in detect/.

#include <bankflow/error.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <string_view>
#include <vector>

namespace bankflow::detail {

/// What a probe sees: the decoded head of the file (at most detect_head_bytes, UTF-8).
struct probe_input {
  std::string_view head;
  bool truncated = false;  ///< the file is longer than head
};

/// What a parser gets: the whole decoded text.
struct parse_input {
  std::string_view text;
  std::string_view file_name;
  const bank_info* forced_bank = nullptr;  ///< --bank, when the user gave one
  bool skip_bad_rows = false;              ///< parse_options::skip_bad_rows
};

/// A reader's probe: adds its candidates for the head to `out`.
using probe_fn = void (*)(const probe_input&, std::vector<candidate>& out);
/// A reader's parser over the whole text.
using parse_fn = result<statement> (*)(const parse_input&);

/// A row that cannot be read. With in.skip_bad_rows it is recorded in st.skipped_rows (`raw` is
/// the row's text) and the parser reads on (true); otherwise `e` is marked as a row error and the
/// parser returns it (false).
[[nodiscard]] bool skip_bad_row(const parse_input& in, statement& st, bankflow::error& e,
                                std::string_view raw);

/// Finalizes a parsed statement: period, dedupe keys, an account when none was found. A period
/// the parser set (the one the file declares) is kept; otherwise the transactions' dates give it.
void finish_statement(statement& st);

}  // namespace bankflow::detail
