#pragma once
// The format table: one row per format, each with a pure probe and a parser. No registration at
// start-up: the table is a constant in formats.cpp. Detection sits on top of the readers (ofx/,
// banks/, pdf/, sheet/); the plumbing they share is format/format.hpp, below them.

#include "format/format.hpp"

#include <bankflow/error.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <span>
#include <string_view>
#include <vector>

namespace bankflow::detail {

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

/// Runs the format's probe (its own, or the layout engine's).
void run_probe(const format_entry& f, const probe_input& in, std::vector<candidate>& out);

/// Runs the format's parser (its own, or the layout engine's).
[[nodiscard]] result<statement> run_parse(const format_entry& f, const parse_input& in);

/// Every format bankflow reads, in a stable order.
[[nodiscard]] std::span<const format_entry> format_table() noexcept;

/// The format with this id (format_info::id), nullptr when there is none.
[[nodiscard]] const format_entry* find_format(std::string_view id) noexcept;

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

}  // namespace bankflow::detail
