#pragma once
// A bank's CSV/TXT layout as data: separator, quoting, number and date style, the header's
// columns (aliases matched accent- and case-insensitively) and their roles, balance-row names,
// section markers and the sign rule. One generic engine (layout.cpp) probes and parses every
// layout; a layout adds code only through the few hooks below, for what a table cannot say
// (a preamble with the account number, per-card sections, a header-less line pattern).
//
// Adding a layout: one file in libbankflow/banks/ defining a `const csv_layout`, its
// declaration in layouts.hpp, one row in the table in libbankflow/detect/formats.cpp, and one
// corpus folder tests/corpus/<bank>/.

#include "format/format.hpp"

#include <bankflow/csv.hpp>
#include <bankflow/date.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// What a column holds.
enum class role : unsigned char {
  ignore,
  date,         ///< the posting date
  description,  ///< text; several description columns are joined with " - "
  amount,       ///< one signed amount
  credit,       ///< money in, unsigned (or signed: the column decides the direction)
  debit,        ///< money out, unsigned or written negative (Bradesco CSV): the column decides
  balance,      ///< running balance after the row
  document,     ///< document / check number
  fitid,        ///< the bank's transaction id
  direction,    ///< C/D, Entrada/Saída: the amount's direction
  card,         ///< the card's last digits: one account per card
  installment,  ///< "3/10", "Parcela 1/3": appended to the description unless "Única"/"à vista"
  account,      ///< the account number, repeated on every row (Caixa)
  usd_amount,   ///< a card bill's US$ amount of a foreign purchase (0 or empty: a domestic one)
  usd_rate,     ///< the R$ per US$ rate the bill applied to the row, as printed
};

/// One column of a header: its accepted names, folded ("valor (r$)"), separated by '|'.
struct column {
  std::string_view names;
  role what;
};

/// One accepted header line: the exact column list, in order. Trailing empty cells (a line that
/// ends with the separator) are ignored when matching.
using header = std::span<const column>;

/// Mutable state a hook may read and change while a file is parsed.
struct layout_state {
  statement& st;
  std::size_t account = 0;            ///< account of the rows that follow
  std::optional<date> reference;      ///< the bill's date, for dates without a year
  const parse_input& in;
  int section = 0;                    ///< a hook's own note of the part of the file it is in
  std::size_t section_first = 0;      ///< a hook's own note: st.transactions.size() at a mark
};

/// The hooks: code only for what the table cannot say. All optional.
struct layout_hooks {
  /// A line before the header: read the agency, account, bill date … from it.
  void (*preamble)(std::string_view line, const csv_row& cells, layout_state& s) = nullptr;
  /// A row that is not a transaction (no date): return true when it was consumed (a card
  /// section opener, a summary line the hook understands).
  bool (*section)(const csv_row& row, layout_state& s) = nullptr;
  /// Probe for a header-less layout: score the head (0..1) from its line pattern.
  double (*probe)(std::string_view head) = nullptr;
  /// Any row after the header, before the engine reads it: return true when it was consumed
  /// (the rows of a footer section that are not this account's movements).
  bool (*row)(const csv_row& row, layout_state& s) = nullptr;
  /// After the last row, before the statement is finished (a footer that repeats rows).
  void (*finish)(layout_state& s) = nullptr;
};

struct csv_layout {
  std::string_view id{};               ///< format id: "itau-extrato-csv"
  std::string_view bank{};             ///< bank id
  document_kind kind = document_kind::extrato;
  std::string_view description{};      ///< one line for `bankflow banks`
  char separator = ';';
  csv_quoting quoting = csv_quoting::rfc4180;
  number_style numbers = number_style::pt_br;
  date_style dates = date_style::dmy;
  bool day_month = false;              ///< dates are dd/mm: the year comes from the reference date
  std::span<const header> headers{};   ///< accepted header lines; the first is used when headerless
  bool headerless = false;             ///< no header line: every row has headers[0]'s columns
  bool negate = false;                 ///< card bills: the file writes purchases positive
  bool continuations = false;          ///< a dateless row with only text continues the row above
  bool amount_is_last_filled = false;  ///< the amount is the last non-empty cell (Bradesco fatura)
  bool unsigned_amounts = false;       ///< amounts written unsigned: the running balance gives the direction
  account_kind account = account_kind::checking;
  std::span<const std::string_view> stop_markers{};  ///< folded prefixes that end the list
  std::span<const std::string_view> skip_markers{};  ///< folded prefixes of rows to pass over
  /// folded prefixes of the row that opens the scheduled (not yet posted) entries: the rows
  /// after it are left out, and one warning counts them
  std::span<const std::string_view> scheduled_markers{};
  std::span<const std::string_view> hints{};         ///< folded texts in the head that confirm it
  /// folded prefixes of descriptions that are credits although the bill writes them positive
  /// like its purchases (Itaú's `Devolucao Saldo Credor`): with `negate`, they stay positive
  std::span<const std::string_view> credit_words{};
  layout_hooks hooks{};
  /// An Excel layout: read from a worksheet rendered as ';'-separated text (sheet/workbook.hpp),
  /// numbers in pt-BR form and date cells as dd/mm/yyyy; probed only on workbooks. Its header
  /// cells are matched with the empty ones skipped (merged-cell fillers).
  bool spreadsheet = false;
};

/// Scores the head against the layout: a full header match, hints, the header-less pattern.
void probe_layout(const csv_layout& layout, const probe_input& in, std::vector<candidate>& out);

/// Parses a whole file with the layout.
[[nodiscard]] result<statement> parse_layout(const csv_layout& layout, const parse_input& in);

/// True for a layout read from Excel workbooks.
[[nodiscard]] bool is_spreadsheet_layout(const csv_layout& layout) noexcept;

// Helpers for hooks.

/// The cells of a row trimmed, folded and joined with one blank ("agencia: 1234").
[[nodiscard]] std::string folded_row(const csv_row& row);

/// The digits (and '-', 'X') of an account or agency as written, trimmed: "1234 " → "1234".
[[nodiscard]] std::string clean_number(std::string_view s);

/// The text after `label` in `line` (folded comparison), up to `stop` or the end, trimmed:
/// value_after("Agência: 1234  Conta: 56789-0", "agencia:", "conta") → "1234".
[[nodiscard]] std::string_view value_after(std::string_view line, std::string_view label,
                                           std::string_view stop = {});

/// The account index for a card's last digits, adding the card on first sight.
std::size_t card_account(layout_state& s, std::string_view last_digits);

}  // namespace bankflow::detail
