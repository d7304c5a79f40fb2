#pragma once
// A bank's PDF layout: a probe that scores the first pages' text, and a reader that takes the
// document page by page (memory stays bounded by a page) and builds the statement. Layouts are
// code on lines and words (pdf.hpp) with the shared helpers below: amounts in every sign shape
// of FORMATS-PDF.md §1.1, dates without a year (§1.3), installments, reconciliation (§1.2).
//
// Adding a layout: one file in libbankflow/pdf/ defining a `const pdf_layout`, its declaration
// at the end of this header, one row in the table in libbankflow/detect/formats.cpp, and
// generated PDFs with facts in tests/corpus/<bank>/ (tests/corpus/make_pdfs.py).

#include "pdf/pdf.hpp"

#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail::pdf {

/// What a probe sees: the first pages of the document.
struct head {
  std::vector<page> pages;
  std::string folded;     ///< every line folded (fold()), one per '\n', pages in order
  std::string compact;    ///< `folded` without any blank: letter-spaced text reads as words
  std::string producer;   ///< document info, as written
  std::string creator;
  /// Whether the folded text holds `folded_text` (itself folded, e.g. "total a pagar").
  [[nodiscard]] bool has(std::string_view folded_text) const;
  /// Whether the text without blanks holds `compact_text` (folded, no blanks): letter-spaced labels.
  [[nodiscard]] bool has_compact(std::string_view compact_text) const;
};

/// What a reader is given.
struct reader_options {
  std::string_view file_name;
  bool skip_bad_rows = false;
};

/// Reads one document, page by page, into `st`.
class reader {
 public:
  explicit reader(const reader_options& options) : options_(options) {}
  virtual ~reader() = default;
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  /// Before the first page: the document's first pages (from page 1, whatever the page range),
  /// for what a layout reads once (the bill's dates, the period, the account). Copy what is kept.
  virtual void begin(const head& h) { (void)h; }
  /// One page, in document order. Returns an error to stop (a bad row without skip_bad_rows).
  [[nodiscard]] virtual result<void> page(const pdf::page& p) = 0;
  /// After the last page: totals, reconciliation, what the document lacked.
  [[nodiscard]] virtual result<void> finish() = 0;

  statement st;

 protected:
  /// A row that cannot be read: recorded in st.skipped_rows and true with skip_bad_rows, else an
  /// error naming the page and the line is stored in `failure` and false.
  bool bad_row(const pdf::page& p, const line& l, errc code, std::string message, std::string field = {});
  /// The global line number of a line of page p (for transaction::line and warnings): lines are
  /// numbered through the document in reading order.
  std::size_t line_number(const pdf::page& p, const line& l) const;
  /// The card account whose number is the last four digits at the end of `text` (blanks inside
  /// ignored: "2306****1234", "… 1 2 3 4"), added on first sight.
  std::size_t card_by_last_digits(std::string_view text);
  /// Adds a transaction to account `account`; returns it.
  transaction& add(date posted, std::string_view description, std::int64_t amount, std::size_t line,
                   std::size_t account = 0);
  /// A warning at a line.
  void warn(std::size_t line, std::string message);

  reader_options options_;
  std::optional<error> failure;
  std::size_t lines_before_ = 0;  ///< lines of the pages already read
  unsigned page_seen_ = 0;

 public:
  /// Called by the driver after each page (numbers the lines).
  void page_done(const pdf::page& p) {
    lines_before_ += p.lines.size();
    page_seen_ = p.number;
  }
};

/// A PDF layout's code. Its id, bank, kind and description are its row in the format table
/// (detect/formats.cpp).
struct pdf_layout {
  /// Scores the head 0..1 (0: not this layout).
  double (*probe)(const head& h) = nullptr;
  /// A fresh reader for one document.
  std::unique_ptr<reader> (*make)(const reader_options& options) = nullptr;
};

// ---- helpers for layouts ----

/// The text with U+2212 MINUS SIGN (and the other dashes banks print) made '-' and U+00A0 a blank.
[[nodiscard]] std::string ascii_signs(std::string_view text);

/// A pt-BR money number alone: "1.234,56", "0,20", "98,00", optionally "R$" glued in front,
/// a sign in front ("-", "+", U+2212) or a trailing minus ("145.000,00-"). No blanks inside.
/// Returns the value in centavos with its sign.
[[nodiscard]] std::optional<std::int64_t> money_word(std::string_view word);

/// An amount at the end of words [first, last) of a line, in any shape of FORMATS-PDF.md §1.1:
/// `1.234,56`, `-1.234,56`, `- 1.234,56`, `R$ 1.234,56`, `- R$ 1,00`, `-R$ 808,06`, `−R$ 2,00`,
/// `+ R$ 1.701,24`, `145.000,00-`, `189,99 C`, `25.708,82 D`, `R$98,00`, `(2.150,15)`.
/// letter_spaced: digits split by blanks are joined (`R$ 10.858, 22`, `R $ 1 .6 2 8 , 7 3`).
struct amount_found {
  std::int64_t value = 0;     ///< signed as printed (C is +, D is −)
  bool sign_printed = false;  ///< a '-', '+', U+2212, parentheses, C/D or a trailing minus
  std::size_t first = 0;      ///< index of the amount's first word
  double x0 = 0, x1 = 0;      ///< the amount's left and right edges
};
[[nodiscard]] std::optional<amount_found> trailing_amount(const line& l, std::size_t first, std::size_t last,
                                                          bool letter_spaced = false);
[[nodiscard]] inline std::optional<amount_found> trailing_amount(const line& l, bool letter_spaced = false) {
  return trailing_amount(l, 0, l.words.size(), letter_spaced);
}

/// The month of a pt-BR name or abbreviation, any case, with or without accent or dot:
/// "FEV", "fev.", "Fev", "fevereiro", "março", "m ai" (blanks removed) → 2; 0 when none.
[[nodiscard]] unsigned month_of(std::string_view name);

/// A day 1..31 written with 1 or 2 digits; 0 when not.
[[nodiscard]] unsigned day_of(std::string_view text);

/// "DD/MM/YYYY" → date; "DD/MM/YY" too.
[[nodiscard]] std::optional<date> dmy(std::string_view text);

/// "DD/MM" → {day, month}.
struct day_month {
  unsigned day = 0, month = 0;
};
[[nodiscard]] std::optional<day_month> dm(std::string_view text);

/// An installment "n/N" in a description: "Parcela 2/6", " - 1/2", "(2/3)", "LOJA X02/10",
/// "Parcela 02 de 02", "Parc. 7 /1 2". {0,0} when none.
struct installment {
  unsigned n = 0, of = 0;
};
[[nodiscard]] installment installment_in(std::string_view description);

/// The year of a row dated day/month without a year on a bill of `bill` (its closing or due
/// month): the bill's year; a month after the bill's month is the year before; an installment
/// n/N is pushed back a year while its purchase month would come after n−1 months before the bill
/// (FORMATS-PDF.md §1.3). Invalid day/month → nullopt.
[[nodiscard]] std::optional<date> date_on_bill(unsigned day, unsigned month, std::chrono::year_month bill,
                                               installment inst = {});

/// A card bill's check against its printed total: sets st.reconciliation (status by comparing
/// printed and computed) and warns on a mismatch. `basis` says what the total contains.
void reconcile(statement& st, std::optional<std::int64_t> printed, std::int64_t computed, std::string basis);

/// A per-card (or per-account) check, added to st.reconciliation->cards; warns on a mismatch.
const reconciliation_check& reconcile_card(statement& st, std::size_t account, std::optional<std::int64_t> printed,
                                           std::int64_t computed, std::string basis);

/// An extrato's check: opening balance + Σ amounts against the printed closing balance. The
/// balances given (and the closing one's date) also become the main account's.
void reconcile_balances(statement& st, std::optional<std::int64_t> opening, std::optional<std::int64_t> closing,
                        std::optional<date> closing_date = std::nullopt);

/// Σ of the amounts of the transactions (of one account when `account` is given).
[[nodiscard]] std::int64_t sum_amounts(const statement& st, std::optional<std::size_t> account = std::nullopt);

/// Whether a folded text starts with one of the prefixes (credit wording, section titles).
[[nodiscard]] bool starts_with_any(std::string_view folded, std::span<const std::string_view> prefixes);

/// The last amount in a text (folded or not): "total a pagar r$ 1.234,56" → 123456; "-R$ 1,00" → -100.
[[nodiscard]] std::optional<std::int64_t> amount_in(std::string_view text);

/// The text after `label` in a folded line, trimmed; empty when the label is not there.
[[nodiscard]] std::string_view after(std::string_view folded_line, std::string_view label);

/// The first full date in a text: "10/10/2024", "09 MAI 2025", "15 de agosto de 2025".
[[nodiscard]] std::optional<date> date_in_words(std::string_view text);

/// Index of the first word at or after `from` whose left edge is at or right of x (words.size()
/// when none).
[[nodiscard]] std::size_t word_at_x(const line& l, double x, std::size_t from = 0);

/// An ISO 4217 code as the bills print it: three capital letters ("USD", "EUR").
[[nodiscard]] bool currency_code(std::string_view word) noexcept;

/// Keeps a row's amount in another currency (enrichment's `foreign`): `currency` (copied into
/// st), `minor` (its size in minor units) signed like the row. Returns it, for the rate.
foreign_amount& keep_foreign(statement& st, transaction& t, std::string_view currency, std::int64_t minor);

// ---- the layouts (one file each) ----
extern const pdf_layout nubank_fatura_pdf;
extern const pdf_layout nubank_fatura_pdf_2022;
extern const pdf_layout itau_fatura_pdf;
extern const pdf_layout itau_extrato_pdf;
extern const pdf_layout itau_empresas_pdf;
extern const pdf_layout itau_lancamentos_pdf;
extern const pdf_layout itau_extrato_mensal_pdf;
extern const pdf_layout inter_fatura_pdf;
extern const pdf_layout inter_fatura_pdf_2023;
extern const pdf_layout c6_fatura_pdf;
extern const pdf_layout btg_fatura_pdf;
extern const pdf_layout unicred_fatura_pdf;
extern const pdf_layout pan_fatura_pdf;
extern const pdf_layout bb_extrato_pdf;
extern const pdf_layout bradesco_extrato_pdf;
extern const pdf_layout caixa_extrato_pdf;
extern const pdf_layout santander_extrato_pdf;
extern const pdf_layout nubank_conta_pdf;
extern const pdf_layout generic_pdf;

}  // namespace bankflow::detail::pdf
