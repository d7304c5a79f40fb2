#pragma once
// The format table: one row per format, each with a pure probe and a parser. No registration at
// start-up: the table is a constant in formats.cpp.

#include <bankflow/error.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <span>
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

/// A row that cannot be read. With in.skip_bad_rows it is recorded in st.skipped_rows (`raw` is
/// the row's text) and the parser reads on (true); otherwise `e` is marked as a row error and the
/// parser returns it (false).
[[nodiscard]] bool skip_bad_row(const parse_input& in, statement& st, bankflow::error& e,
                                std::string_view raw);

using probe_fn = void (*)(const probe_input&, std::vector<candidate>& out);
using parse_fn = result<statement> (*)(const parse_input&);

struct csv_layout;
namespace pdf {
struct pdf_layout;
}

/// A format: its own probe and parser, or a CSV/TXT layout read by the generic engine.
struct format_entry {
  format_info info;
  probe_fn probe = nullptr;
  parse_fn parse = nullptr;
  const csv_layout* layout = nullptr;
  const pdf::pdf_layout* pdf = nullptr;  ///< a PDF layout (pdf/layout.hpp): probed only on PDFs
};

/// True for a layout read from Excel workbooks.
[[nodiscard]] bool is_spreadsheet_layout(const csv_layout& layout) noexcept;

/// Runs the format's probe (its own, or the layout engine's).
void run_probe(const format_entry& f, const probe_input& in, std::vector<candidate>& out);

/// Runs the format's parser (its own, or the layout engine's).
[[nodiscard]] result<statement> run_parse(const format_entry& f, const parse_input& in);

/// Every format bankflow reads, in a stable order.
[[nodiscard]] std::span<const format_entry> format_table() noexcept;

[[nodiscard]] const format_entry* find_format(std::string_view id) noexcept;

// Parsers and probes, one pair per format.
void probe_ofx(const probe_input& in, std::vector<candidate>& out);
[[nodiscard]] result<statement> parse_ofx(const parse_input& in);

/// OFC (Money 95), OFX's older dialect: the same reader (ofx.cpp).
void probe_ofc(const probe_input& in, std::vector<candidate>& out);
[[nodiscard]] result<statement> parse_ofc(const parse_input& in);

void probe_bb_ourocard_txt(const probe_input& in, std::vector<candidate>& out);
[[nodiscard]] result<statement> parse_bb_ourocard_txt(const parse_input& in);

/// Candidates with a positive score, best first.
void sort_candidates(std::vector<candidate>& out);

/// The best candidate when it is confident and clearly ahead of the runner-up; `what` names the
/// kind of file in the error (unknown_format, ambiguous_format).
[[nodiscard]] result<candidate> choose(std::vector<candidate> cs, const bank_info* forced_bank,
                                       std::string_view what);

/// True for the first bytes of a PDF ("%PDF", possibly after a little junk, as readers allow).
[[nodiscard]] bool is_pdf(std::string_view bytes) noexcept;

/// PDFs (detect/parse_pdf.cpp): the candidates for a PDF, and its parse.
[[nodiscard]] result<std::vector<candidate>> detect_pdf(std::string_view bytes, std::string_view password);
[[nodiscard]] result<statement> parse_pdf(std::string_view bytes, const parse_options& options,
                                          const format_entry* forced, const bank_info* forced_bank);

/// Finalizes a parsed statement: period, dedupe keys, an account when none was found. A period
/// the parser set (the one the file declares) is kept; otherwise the transactions' dates give it.
void finish_statement(statement& st);

/// compute_dedupe_keys and compute_period in one pass over the transactions (statement.cpp).
void compute_dedupe_keys_and_period(statement& st);

}  // namespace bankflow::detail
