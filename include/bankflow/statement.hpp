#pragma once
/// @file The normalized statement model every parser produces, and the list of known banks.

#include <bankflow/date.hpp>
#include <bankflow/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bankflow {

/// A bank bankflow knows by name.
struct bank_info {
  std::string_view id;     ///< "itau", "bb", … ; "unknown" for an OFX from a bank not listed
  std::string_view name;   ///< "Itaú Unibanco"
  std::string_view compe;  ///< COMPE code, 3 digits: "341"
};

/// Every bank in the table (ARCHITECTURE.md "Bank ids"), in a stable order.
[[nodiscard]] std::span<const bank_info> known_banks() noexcept;

/// Looks a bank up by id ("itau"); nullptr when unknown.
[[nodiscard]] const bank_info* find_bank(std::string_view id) noexcept;

/// Looks a bank up by COMPE code in any spelling ("0341", "341", " 1 "); nullptr when unknown.
[[nodiscard]] const bank_info* find_bank_by_compe(std::string_view code) noexcept;

/// What kind of account a file is about, when it says.
enum class account_kind { unknown, checking, savings, credit_card };

/// "unknown", "checking", "savings" or "credit_card".
[[nodiscard]] std::string_view to_string(account_kind k) noexcept;

/// One account or card inside a file; a file may hold several (BB OFX, card bills).
struct account {
  std::string branch;   ///< agency, as written ("1234-X"), may be empty
  std::string number;   ///< account number or card's last digits, as written, trimmed
  account_kind kind = account_kind::unknown;  ///< as the file or its format tells
  std::optional<std::int64_t> opening_balance;  ///< minor units, when the file states it
  std::optional<std::int64_t> closing_balance;  ///< minor units, when the file states it
  std::optional<date> closing_balance_date;  ///< the day closing_balance is of, when stated
  std::string holder;   ///< the cardholder's name when a bill names it per card, may be empty
};

/// What a movement is, whatever the bank calls it (modelled on Open Finance Brasil's types;
/// docs/FORMATS-OUT.md lists what maps to each). Stable: values are only ever appended.
enum class transaction_kind : std::uint8_t {
  other,          ///< the text gives no clue
  pix,            ///< PIX, sent or received
  ted,            ///< TED
  doc,            ///< DOC
  tef,            ///< a transfer between accounts of one bank that is not PIX, TED or DOC
  boleto,         ///< a boleto / título / utility bill (convênio) paid or received
  card_purchase,  ///< a purchase row on a card bill
  card_payment,   ///< paying a card bill from the account, or the payment credit on the bill
  debit_card,     ///< a debit-card purchase on the account statement
  withdrawal,     ///< saque
  deposit,        ///< depósito (cash, cheque, card sales settled by an acquirer)
  salary,         ///< payroll: SISPAG SALARIO, REMUNERACAO, FOLHA, proventos
  yield,          ///< rendimento, remuneração of an investment or the account
  investment,     ///< aplicação
  redemption,     ///< resgate
  fee,            ///< tarifa, anuidade, cesta, pacote de serviços
  tax,            ///< IOF, IR, DARF
  interest,       ///< juros, encargos, multa, mora
  refund,         ///< estorno, devolução
  loan,           ///< empréstimo, financiamento, rotativo
  direct_debit,   ///< débito automático, `DA …`
};

/// The kind's id: "pix", "card_purchase", … ("other").
[[nodiscard]] std::string_view to_string(transaction_kind k) noexcept;

/// The kind with this id ("pix"); nothing when the id is unknown.
[[nodiscard]] std::optional<transaction_kind> parse_transaction_kind(std::string_view id) noexcept;

/// What decided a row's kind.
enum class kind_source : std::uint8_t {
  none,         ///< nothing did: the kind is `other`
  ofx_trntype,  ///< a specific OFX TRNTYPE (FEE, INT, DIV, ATM, CASH, POS, DIRECTDEBIT …)
  bank_table,   ///< the bank's own mnemonic table (Itaú `SISPAG`, Caixa `ENVIO TEV` …)
  rule,         ///< a generic rule over the description
};

/// "none", "ofx_trntype", "bank_table" or "rule".
[[nodiscard]] std::string_view to_string(kind_source s) noexcept;

/// An OFX STMTTRN's TRNTYPE, kept so enrichment can use it; `none` for other formats.
enum class ofx_trntype : std::uint8_t {
  none, credit, debit, int_, div, fee, srvchg, dep, atm, pos, xfer, check, payment, cash,
  directdep, directdebit, repeatpmt, hold, other
};

/// The TRNTYPE for its OFX spelling ("DEBIT"; any case, blanks ignored); `none` when unknown.
[[nodiscard]] ofx_trntype parse_ofx_trntype(std::string_view text) noexcept;

/// A bank as a counterparty's memo names it.
struct bank_ref {
  std::string_view compe;  ///< 3 digits ("260"), empty when not printed
  std::string_view name;   ///< "Nubank" from the bank table, else as printed; may be empty
};

/// The other side of a transfer, as the row's text names it. Empty views when not printed.
struct counterparty {
  std::string_view name;      ///< as printed ("MARIA E SILVA"), may be cut by the bank
  std::string_view document;  ///< CPF/CNPJ as printed, masked or not ("•••.123.456-••")
  bank_ref bank;              ///< the other side's bank
  std::string_view branch;    ///< agência, as printed
  std::string_view account;   ///< conta, as printed
};

/// One instalment of a purchase paid in several: number of count.
struct installment {
  std::uint16_t number = 0;  ///< 1..count
  std::uint16_t count = 0;   ///< 2..99; a loan's up to 999 (a mortgage's 118/360)
  std::optional<date> purchase_date;  ///< the original purchase, when the bill prints it
};

/// A purchase in another currency, as the bill states it.
struct foreign_amount {
  std::string_view currency;  ///< ISO 4217 ("USD")
  std::int64_t amount = 0;    ///< minor units of that currency, signed like the row
  std::string_view rate;      ///< the rate printed, as a decimal with a dot ("5.76" for `5,76`); empty when not printed
  std::optional<std::size_t> iof_of;  ///< on an IOF row: index of the purchase row it taxes
};

/// The rarer per-row facts, stored in statement::details (see transaction::details). Kept small
/// (40 bytes), since most card rows have a merchant: the rarer counterparty and foreign amount
/// live in their own vectors (statement::counterparty_of(), statement::foreign_of()).
struct row_details {
  std::string_view merchant;  ///< card and debit-card rows: a clean display name ("iFood")
  std::optional<bankflow::installment> installment;  ///< `PARC 02/10`, `Parcela 3 de 12`, …
  /// Transfers whose memo names the other side: 1 + index into statement::counterparties; 0 = none.
  std::uint32_t counterparty = 0;
  /// Card purchases in another currency: 1 + index into statement::foreign_amounts; 0 = none.
  std::uint32_t foreign = 0;
};

/// One normalized movement. Amount is signed: positive = money into the holder's account;
/// on card bills purchases are negative and payments/refunds positive.
///
/// The text fields are views. In a parsed statement they point into the statement's own storage
/// (statement::keep), stay valid as long as the statement (moves included) and are followed by a
/// NUL byte. Code that builds or edits a statement stores text with `t.description =
/// st.keep(text)`, or points at storage that outlives the statement (a string literal).
///
/// Enrichment (enrich(), run by parse()) sets kind, kind_from and category on every row; the
/// rarer facts (counterparty, installment, foreign amount, merchant) live in statement::details,
/// found with statement::details_of() (counterparty_of(), foreign_of()), so the row stays small.
struct transaction {
  date posted{};                      ///< the day the bank booked it
  transaction_kind kind = transaction_kind::other;  ///< what the movement is (enrichment)
  kind_source kind_from = kind_source::none;        ///< what decided `kind`
  ofx_trntype trntype = ofx_trntype::none;          ///< OFX TRNTYPE, `none` for other formats
  std::string_view description;       ///< trimmed, blanks collapsed, UTF-8
  std::int64_t amount = 0;            ///< minor units
  std::optional<std::int64_t> balance;  ///< running balance after this row, when given
  std::string_view document;          ///< document/check number as written
  std::string_view fitid;             ///< bank transaction id (FITID or equivalent), may be empty
  std::uint64_t dedupe_key = 0;       ///< stable across overlapping files; see format_dedupe_key
  std::size_t account_index = 0;      ///< index into statement::accounts
  std::size_t line = 0;               ///< 1-based source line, for messages
  std::uint32_t details = 0;          ///< 1 + index into statement::details; 0 = none
  std::string_view category;          ///< "Alimentação", … (enrichment); empty when not enriched
};

/// A row that was skipped or repaired, with the reason.
struct warning {
  std::size_t line = 0;  ///< 1-based source line; 0 for the whole file
  std::string message;   ///< what was skipped or repaired, and why
};

/// A row that could not be read and was left out because the caller asked for it
/// (parse_options::skip_bad_rows): what a strict parse would have failed with, and the row itself.
struct skipped_row {
  std::size_t line = 0;  ///< 1-based line of the row (of the bad field in OFX); 0 when unknown
  errc code = errc::ok;  ///< why: bad_amount, bad_date, csv_bad_row, ofx_bad_element …
  std::string message;   ///< human text, without the location prefix
  std::string field;     ///< column header or element name, may be empty
  std::string raw;       ///< the row's text as the file has it (a whole STMTTRN in OFX)
  std::string sheet;     ///< spreadsheets: the sheet's name; empty for text files
  std::string cell;      ///< spreadsheets: the bad cell ("D14"); empty for text files
};

/// How a document checks itself: a card bill against the total the bank printed on it, an
/// extrato's running balance against the closing balance it printed (FORMATS-PDF.md §1.2).
enum class reconciliation_status {
  not_printed,  ///< the document prints no figure to check against
  ok,           ///< the rows give the printed figure
  mismatch      ///< they do not (see reconciliation_check::difference)
};

/// "not_printed", "ok" or "mismatch".
[[nodiscard]] std::string_view to_string(reconciliation_status s) noexcept;

/// One check: what was printed, what the rows give, and what the printed figure contains.
struct reconciliation_check {
  reconciliation_status status = reconciliation_status::not_printed;  ///< the outcome
  std::optional<std::int64_t> printed;   ///< minor units, as printed (a bill total is positive)
  std::int64_t computed = 0;             ///< the same figure from the rows
  std::string basis;                     ///< "bill total = previous bill − Σ rows", …
  std::size_t account_index = 0;         ///< for a per-card check: the card (statement::accounts)
  /// computed − printed; nothing when nothing was printed.
  [[nodiscard]] std::optional<std::int64_t> difference() const {
    if (!printed) return std::nullopt;
    return computed - *printed;
  }
};

/// The document's checks: the whole document, and per card where the bill prints a card total.
/// A mismatch never changes a row; it is reported (and warned about).
struct reconciliation {
  reconciliation_check total;               ///< the whole document
  std::vector<reconciliation_check> cards;  ///< per card, where the bill prints a card total
};

/// Storage for text that views point into: blocks that never move, so a view stays valid as long
/// as the arena that made it, and across moves of the arena. Move-only.
class text_arena {
 public:
  text_arena() = default;  ///< empty, allocates on first keep()
  text_arena(text_arena&& other) noexcept  ///< keeps every view valid: blocks move, text does not
      : blocks_(std::move(other.blocks_)),
        next_(std::exchange(other.next_, nullptr)),
        left_(std::exchange(other.left_, 0)),
        size_(std::exchange(other.size_, 0)) {}
  text_arena& operator=(text_arena&& other) noexcept {  ///< as the move constructor
    blocks_ = std::move(other.blocks_);
    next_ = std::exchange(other.next_, nullptr);
    left_ = std::exchange(other.left_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  text_arena(const text_arena&) = delete;
  text_arena& operator=(const text_arena&) = delete;
  ~text_arena() = default;

  /// Copies `text` in and returns the view of the copy. A NUL byte follows every view it returns
  /// (the empty one too), so `data()` is also a C string.
  [[nodiscard]] std::string_view keep(std::string_view text) {
    if (text.empty()) return std::string_view("", 0);
    const std::size_t n = text.size() + 1;
    if (n > left_) grow(n);
    char* const p = next_;
    std::memcpy(p, text.data(), text.size());
    p[text.size()] = '\0';
    next_ += n;
    left_ -= n;
    size_ += n;
    return {p, text.size()};
  }
  /// Makes room for about `bytes` more without a new block (a hint; keep() works regardless).
  void reserve(std::size_t bytes);
  /// Bytes kept so far.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  void grow(std::size_t at_least);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t size_ = 0;
};

/// A parsed file. Move-only: its transactions' text lives in its own storage (keep()); use
/// clone() for a deep copy.
struct statement {
  const bank_info* bank = nullptr;   ///< never null after a successful parse
  std::string bank_code;             ///< the code the file states (BANKID/FID) when the bank is unknown
  std::string bank_name;             ///< ORG or the name the file states when the bank is unknown
  std::string format;                ///< format id: "ofx", "itau-extrato-csv", …
  double confidence = 0.0;           ///< detection confidence 0..1 (1 when forced)
  std::vector<account> accounts;     ///< at least one
  std::string currency = "BRL";      ///< ISO 4217
  /// The statement period: the one the file declares (OFX/OFC DTSTART–DTEND, a CSV preamble's
  /// "Período: … a …"), else the first and last transaction dates; empty when neither is known.
  std::optional<date> period_start;  ///< first day of the period
  std::optional<date> period_end;    ///< last day of the period
  std::vector<transaction> transactions;  ///< in file order
  std::vector<warning> warnings;  ///< rows skipped or repaired, in file order
  std::vector<skipped_row> skipped_rows;  ///< only with parse_options::skip_bad_rows, in file order
  /// Card bills: the due date the bill prints, when it does.
  std::optional<date> due_date;
  /// PDF statements and bills: their check against the bank's own figures (see reconciliation).
  std::optional<bankflow::reconciliation> reconciliation;
  /// PDF statements: pages read (0 for other formats).
  unsigned pages = 0;
  /// Rows' rarer facts (transaction::details points here); views into this statement's storage
  /// or static text.
  std::vector<row_details> details;
  /// Rows' counterparties (row_details::counterparty points here); views as in `details`.
  std::vector<bankflow::counterparty> counterparties;
  /// Rows' foreign amounts (row_details::foreign points here); views as in `details`.
  std::vector<foreign_amount> foreign_amounts;
  /// Whether enrich() ran on it (kinds and categories are meaningful).
  bool enriched = false;

  /// An empty statement (parsers fill it).
  statement() = default;
  /// Move-only: transactions view text kept in the statement (clone() copies).
  statement(statement&&) noexcept = default;
  /// Move-only.
  statement& operator=(statement&&) noexcept = default;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() = default;

  /// Copies `text` into the statement's storage; the view is valid as long as the statement.
  [[nodiscard]] std::string_view keep(std::string_view text) { return text_.keep(text); }
  /// A deep copy whose transactions' text lives in the copy's own storage.
  [[nodiscard]] statement clone() const;
  /// The row's details, or nullptr when it has none.
  [[nodiscard]] const row_details* details_of(const transaction& t) const noexcept {
    return t.details == 0 || t.details > details.size() ? nullptr : &details[t.details - 1];
  }
  /// The row's details, created empty when it has none yet.
  [[nodiscard]] row_details& details_for(transaction& t) {
    if (t.details == 0) {
      details.emplace_back();
      t.details = static_cast<std::uint32_t>(details.size());
    }
    return details[t.details - 1];
  }
  /// The row's counterparty, or nullptr when it has none.
  [[nodiscard]] const bankflow::counterparty* counterparty_of(const transaction& t) const noexcept {
    const row_details* d = details_of(t);
    return d == nullptr || d->counterparty == 0 || d->counterparty > counterparties.size()
               ? nullptr
               : &counterparties[d->counterparty - 1];
  }
  /// The row's foreign amount, or nullptr when it has none.
  [[nodiscard]] const foreign_amount* foreign_of(const transaction& t) const noexcept {
    const row_details* d = details_of(t);
    return d == nullptr || d->foreign == 0 || d->foreign > foreign_amounts.size()
               ? nullptr
               : &foreign_amounts[d->foreign - 1];
  }
  /// The row's counterparty, created empty when it has none yet.
  [[nodiscard]] bankflow::counterparty& counterparty_for(transaction& t) {
    const std::uint32_t at = details_for(t).counterparty;
    if (at != 0) return counterparties[at - 1];
    counterparties.emplace_back();
    details_for(t).counterparty = static_cast<std::uint32_t>(counterparties.size());
    return counterparties.back();
  }
  /// The row's foreign amount, created empty when it has none yet.
  [[nodiscard]] foreign_amount& foreign_for(transaction& t) {
    const std::uint32_t at = details_for(t).foreign;
    if (at != 0) return foreign_amounts[at - 1];
    foreign_amounts.emplace_back();
    details_for(t).foreign = static_cast<std::uint32_t>(foreign_amounts.size());
    return foreign_amounts.back();
  }
  /// The account most transactions belong to (the first on a tie); the file's "account".
  [[nodiscard]] std::size_t primary_account() const noexcept;
  /// Storage for parsers: reserve() ahead of many keep() calls.
  [[nodiscard]] text_arena& text_storage() noexcept { return text_; }

 private:
  text_arena text_;
};

/// Lower case, accents folded, blanks collapsed: the description form used for dedupe keys.
[[nodiscard]] std::string normalize_description(std::string_view description);

/// Fills transaction::dedupe_key for every transaction: a hash of (account number digits, date,
/// amount, normalized description, occurrence index of that tuple within the statement), so the
/// same movement in two overlapping files gets the same key. The recipe never changes.
void compute_dedupe_keys(statement& st);

/// A dedupe key as text, as in the JSON output: 16 lower-case hex digits.
[[nodiscard]] std::string format_dedupe_key(std::uint64_t key);

/// Sets period_start/period_end from the transactions' dates (keeps them when there are none).
void compute_period(statement& st);

}  // namespace bankflow
