// The one engine behind every CSV/TXT layout (layout.hpp): find the header by content after any
// preamble, map columns to roles, then read rows until a section marker ends the list. Rows
// that are not transactions are balance rows (they feed the opening/closing balance), markers,
// card sections, continuations of the row above, or — when nothing explains them — skipped with
// a warning, so nothing disappears silently.

#include "banks/layout.hpp"

#include "core/append_text.hpp"
#include "core/clean_text.hpp"
#include "core/fast_paths.hpp"
#include "core/memory.hpp"
#include "core/money_detail.hpp"
#include "format/format.hpp"
#include "format/resaved.hpp"
#include "statement/period.hpp"

#include <bankflow/text.hpp>

#include <algorithm>
#include <array>

namespace bankflow::detail {

namespace {

constexpr int none = -1;

struct column_map {
  int date = none, amount = none, credit = none, debit = none, balance = none, document = none,
      fitid = none, direction = none, card = none, installment = none, account = none, usd = none, rate = none;
  std::vector<int> descriptions;
  std::vector<std::string> names;  // the header cells as the file wrote them, for messages
};

// A header cell against one accepted name. A U+FFFD left by an earlier mis-decoding
// ("Lan\uFFFDamento", FORMATS.md §2.3) stands for any one character of the name.
bool same_name(std::string_view name, std::string_view cell) {
  constexpr std::string_view replacement = "\xEF\xBF\xBD";
  std::size_t i = 0, j = 0;
  while (i < name.size() && j < cell.size()) {
    if (cell.substr(j, 3) == replacement) {
      j += 3;
      i += 1;
    } else if (name[i] == cell[j]) {
      ++i;
      ++j;
    } else {
      return false;
    }
  }
  return i == name.size() && j == cell.size();
}

bool name_matches(std::string_view names, std::string_view folded) {
  while (!names.empty()) {
    const std::size_t bar = names.find('|');
    if (same_name(names.substr(0, bar), folded)) return true;
    if (bar == std::string_view::npos) break;
    names.remove_prefix(bar + 1);
  }
  return false;
}

// Cells without the trailing empty ones (";" at the end of a line).
std::size_t used_cells(const csv_row& row) {
  std::size_t n = row.size();
  while (n > 0 && trim(row[n - 1]).empty()) --n;
  return n;
}

// Column c of the row has the role `what`.
void set_role(column_map& m, role what, int c) {
  switch (what) {
    case role::date: m.date = c; break;
    case role::description: m.descriptions.push_back(c); break;
    case role::amount: m.amount = c; break;
    case role::credit: m.credit = c; break;
    case role::debit: m.debit = c; break;
    case role::balance: m.balance = c; break;
    case role::document: m.document = c; break;
    case role::fitid: m.fitid = c; break;
    case role::direction: m.direction = c; break;
    case role::card: m.card = c; break;
    case role::installment: m.installment = c; break;
    case role::account: m.account = c; break;
    case role::usd_amount: m.usd = c; break;
    case role::usd_rate: m.rate = c; break;
    case role::ignore: break;
  }
}

// The header's column k is the row's cell at[k].
column_map map_columns(const header& h, std::span<const std::size_t> at, const csv_row& row) {
  column_map m;
  m.names.resize(at.empty() ? 0 : at.back() + 1);
  for (std::size_t k = 0; k < h.size(); ++k) {
    const int c = static_cast<int>(at[k]);
    m.names[at[k]] = std::string(trim(row[at[k]]));
    set_role(m, h[k].what, c);
  }
  return m;
}

// A worksheet's header: its non-empty cells in order are the header's columns (merged-cell
// fillers and empty spacer columns are skipped).
std::optional<column_map> match_sheet_header(const csv_layout& layout, const csv_row& row) {
  std::vector<std::size_t> at;
  for (const header& h : layout.headers) {
    at.clear();
    std::size_t k = 0;
    bool ok = true;
    for (std::size_t i = 0; i < row.size() && ok; ++i) {
      const std::string_view cell = trim(row[i]);
      if (cell.empty()) continue;
      ok = k < h.size() && name_matches(h[k].names, fold(cell));
      at.push_back(i);
      ++k;
    }
    if (ok && k == h.size()) return map_columns(h, at, row);
  }
  return std::nullopt;
}

std::optional<column_map> match_header(const csv_layout& layout, const csv_row& row) {
  if (layout.spreadsheet) return match_sheet_header(layout, row);
  const std::size_t n = used_cells(row);
  for (const header& h : layout.headers) {
    if (n != h.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < n && ok; ++i) {
      std::string_view cell = trim(row[i]);
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')  // unquoted reader
        cell = trim(cell.substr(1, cell.size() - 2));
      ok = name_matches(h[i].names, fold(cell));
    }
    if (!ok) continue;
    std::vector<std::size_t> at(n);
    for (std::size_t i = 0; i < n; ++i) at[i] = i;
    return map_columns(h, at, row);
  }
  return std::nullopt;
}

column_map headerless_map(const csv_layout& layout) {
  column_map m;
  const header& h = layout.headers.front();
  for (std::size_t i = 0; i < h.size(); ++i) {
    const int c = static_cast<int>(i);
    const std::string_view first = h[i].names.substr(0, h[i].names.find('|'));
    m.names.emplace_back(first);
    set_role(m, h[i].what, c);
  }
  return m;
}

bool starts_with_any(std::string_view folded, std::span<const std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return folded.starts_with(p); });
}

// Balance-row descriptions every bank uses (folded); they are not transactions.
constexpr std::array<std::string_view, 12> balance_names{
    "saldo anterior", "saldo ant",   "saldo do dia",     "saldo dia",
    "s a l d o",      "saldo final", "saldo total disponivel dia", "saldo atual",
    "saldo invest facil", "saldo disponivel", "saldo", "saldo diario"};

// `scratch` is a buffer the caller reuses for the folded text.
bool is_balance_name(std::string_view description, std::string& scratch) {
  // every name folds to at least 5 bytes starting "sa" or "s " (s a l d o): a second byte that is
  // an ASCII letter or digit other than a/A rules a description out without folding it
  if (description.size() < 5 || description.size() > 40 || (description[0] != 'S' && description[0] != 's'))
    return false;
  const char second = static_cast<char>(description[1] | 0x20);
  if (second != 'a' && ((second >= 'b' && second <= 'z') || (description[1] >= '0' && description[1] <= '9')))
    return false;
  scratch.clear();
  append_fold(scratch, description);
  // Itaú's 2025 CSV writes "SALDO TOTAL DISPONÍVEL DIA" as mojibake ("DISPONÃ\u008dVEL", or
  // cut at "DISPONÃ"): the words before the damage are enough
  return std::find(balance_names.begin(), balance_names.end(), scratch) != balance_names.end() ||
         scratch.starts_with("saldo total dispon");
}

// A running-balance column states the balances too: when every row's balance is the previous
// one plus its amount (oldest first) or the next one's minus (newest first), the chain gives the
// opening and closing balance. Anything else (day totals, gaps) derives nothing.
void balances_from_running(statement& st) {
  // one pass over the rows, each account's chain checked against its previous row
  struct chain {
    const transaction* first = nullptr;
    const transaction* last = nullptr;
    std::size_t rows = 0;
    bool complete = true, oldest_first = true, newest_first = true;
  };
  std::vector<chain> chains(st.accounts.size());
  for (const auto& t : st.transactions) {
    if (t.account_index >= chains.size()) continue;
    chain& c = chains[t.account_index];
    if (!t.balance) c.complete = false;
    if (c.complete && c.last != nullptr) {
      c.oldest_first = c.oldest_first && *t.balance == *c.last->balance + t.amount;
      c.newest_first = c.newest_first && *c.last->balance == *t.balance + c.last->amount;
    }
    if (c.first == nullptr) c.first = &t;
    c.last = &t;
    ++c.rows;
  }
  for (std::size_t a = 0; a < chains.size(); ++a) {
    const chain& c = chains[a];
    if (c.rows == 0 || !c.complete) continue;
    // both: one row (either direction reads the same); neither: inconsistent, derive nothing
    if (c.rows > 1 && c.oldest_first == c.newest_first) continue;
    const transaction& first = c.oldest_first ? *c.first : *c.last;
    const transaction& last = c.oldest_first ? *c.last : *c.first;
    account& acct = st.accounts[a];
    if (!acct.opening_balance) acct.opening_balance = *first.balance - first.amount;
    if (!acct.closing_balance) {
      acct.closing_balance = *last.balance;
      acct.closing_balance_date = last.posted;
    }
  }
}

class layout_parser {
 public:
  layout_parser(const csv_layout& layout, const parse_input& in)
      : layout_(layout), in_(in), state_{st_, 0, std::nullopt, in} {}

  result<statement> run();

 private:
  bankflow::error fail(errc code, std::string message, std::size_t line, int column) const {
    std::string field;
    if (column >= 0 && static_cast<std::size_t>(column) < map_.names.size())
      field = map_.names[static_cast<std::size_t>(column)];
    auto e = make_error(code, std::move(message), line, std::move(field));
    e.file = std::string(in_.file_name);
    return e;
  }
  std::string column_name(int column) const {
    const auto c = static_cast<std::size_t>(column);
    return c < map_.names.size() ? map_.names[c] : "column " + std::to_string(c + 1);
  }
  std::string_view cell(const csv_row& row, int column) const {
    return column < 0 ? std::string_view{} : trim(row[static_cast<std::size_t>(column)]);
  }
  // A row one cell short of a header that ends with the amount and then the balance (Inter
  // leaves the balance off): read by position, without a balance, and said once per file. Unless
  // the cell before the amount reads as an amount too: then the missing cell may be an earlier
  // one and the amount may be the balance, so the row is ambiguous (an error).
  [[gnu::noinline]] bool balance_left_off(const csv_row& row) {  // rare: kept out of body_row
    const std::size_t n = map_.names.size();
    if (row.size() + 1 != n || map_.balance != static_cast<int>(n - 1) ||
        map_.amount != static_cast<int>(n - 2) || map_.amount == 0)
      return false;
    if (auto before = parse_amount(cell(row, map_.amount - 1), layout_.numbers); before && *before) return false;
    if (!balance_left_off_) {
      balance_left_off_ = true;
      warn(row.line, "rows have " + std::to_string(row.size()) + " cells where the header has " +
                         std::to_string(n) + ": read by position, without the last column (\"" +
                         map_.names.back() + "\")");
    }
    return true;
  }
  // The amount in a cell into `out` (empty for an empty cell). The common shapes take the fast
  // path without building a result that could hold an error.
  result<void> amount_cell(const csv_row& row, int column, std::optional<std::int64_t>& out) {
    const std::string_view text = cell(row, column);
    if (text.empty()) {  // most rows leave the balance (or the other of credit/debit) empty
      out.reset();
      return {};
    }
    if (std::int64_t v = 0; fast_amount(text, layout_.numbers, v)) {
      out = v;
      return {};
    }
    bool regrouped = false;
    auto a = parse_amount_regrouped(text, layout_.numbers, regrouped);
    if (!a) return fail(a.error().code, a.error().message, row.line, column);
    out = *a;
    if (regrouped && out)
      warn(row.line, column_name(column) + ": \"" + std::string(text) +
                         "\" has irregular thousands groups; read as " + format_amount(*out) +
                         " (the last separator is the decimal one)");
    return {};
  }
  void warn(std::size_t line, std::string message) { st_.warnings.push_back({line, std::move(message)}); }

  bool preamble_row(const csv_row& row);
  bankflow::error no_header() const;
  result<void> body_row(const csv_row& row);
  // The pieces of a dated row, in the order body_row reads them.
  result<void> row_date(const csv_row& row, std::string_view date_text, std::optional<date>& posted);
  result<void> row_amount(const csv_row& row, std::optional<std::int64_t>& amount);
  std::string_view row_description(const csv_row& row);  // in desc_, or the cell itself
  std::size_t row_account(const csv_row& row);
  void foreign_amount_of(const csv_row& row, transaction& t);  // the US$ columns, into t's details
  // A balance row ("Saldo anterior", or a balance without an amount): the account's opening or
  // closing balance, and a warning that it is no transaction.
  void balance_row(const csv_row& row, std::string_view description, std::optional<std::int64_t> value,
                   std::optional<date> posted, account& acct);
  // "02/jan": a spreadsheet program's display format; the year from the bill or the preamble
  [[gnu::noinline]] result<void> month_name_date(const csv_row& row, std::string_view text,
                                                 std::optional<date>& posted) {
    auto named = parse_month_name_date(text, state_.reference ? state_.reference : preamble_date_);
    if (!named) return fail(errc::bad_date, named.error().message, row.line, map_.date);
    posted = *named;
    if (!month_names_) warn_resaved(st_, row.line, "dates written as \"" + std::string(text) + "\"");
    month_names_ = true;
    return {};
  }
  result<void> non_date_row(const csv_row& row);

  const csv_layout& layout_;
  const parse_input& in_;
  statement st_;
  layout_state state_;
  column_map map_;
  bool stopped_ = false;
  bool any_balance_ = false;  // a transaction has a running balance
  std::optional<std::int64_t> last_balance_;  // the running balance so far (unsigned_amounts)
  bool skipped_last_ = false;  // the last dated row was skipped (skip_bad_rows)
  bool balance_left_off_ = false;  // said once: rows one cell short, without the balance
  bool month_names_ = false;  // a "02/jan" date was read (and the re-save warned of)
  std::optional<date> preamble_date_;  // the latest date before the header: a year for "02/jan"
  std::size_t header_line_ = 0;
  std::size_t dated_rows_ = 0;  // rows after the header with a date
  std::size_t scheduled_line_ = 0;  // the row that opened the scheduled entries
  std::size_t scheduled_rows_ = 0;  // dated rows after it
  std::string scheduled_marker_;
  std::string desc_;  // the row's description
  std::string part_;  // one description column, or folded text
};

result<void> layout_parser::non_date_row(const csv_row& row) {
  if (row.blank()) return {};  // ";;;;" (a dated row is never blank: body_row asks here first)
  // the header again (card bills repeat it per card)
  if (auto m = match_header(layout_, row)) {
    map_ = std::move(*m);
    return {};
  }
  const std::string folded = folded_row(row);
  if (starts_with_any(folded, layout_.scheduled_markers)) {
    scheduled_line_ = row.line;
    scheduled_marker_ = std::string(trim(row[0]));
    return {};
  }
  if (starts_with_any(folded, layout_.stop_markers)) {
    stopped_ = true;
    return {};
  }
  if (starts_with_any(folded, layout_.skip_markers)) return {};
  if (layout_.hooks.section && layout_.hooks.section(row, state_)) return {};
  if (layout_.continuations && cell(row, map_.date).empty() &&
      (!st_.transactions.empty() || skipped_last_) && !map_.descriptions.empty()) {
    // "; Empresa Exemplo Ltda;;": only text, no amounts: it continues the row above
    bool amounts = false;
    for (int c : {map_.amount, map_.credit, map_.debit, map_.balance})
      amounts = amounts || !cell(row, c).empty();
    const std::string text = clean_text(cell(row, map_.descriptions.front()));
    if (!amounts && !text.empty() && skipped_last_) {
      skipped_row& prev = st_.skipped_rows.back();
      prev.raw += '\n';
      prev.raw += row.raw;
      return {};
    }
    if (!amounts && !text.empty()) {
      transaction& prev = st_.transactions.back();
      prev.description = st_.keep(prev.description.empty() ? text : std::string(prev.description) + " " + text);
      return {};
    }
  }
  // "Saldo a partir 04/05/12:" in the date column with the balance in its column (Sicredi's
  // savings sheet): a balance row like any other, and the start of the balance chain
  if (map_.balance != none && !cell(row, map_.balance).empty() && fold(cell(row, 0)).starts_with("saldo")) {
    std::optional<std::int64_t> value;
    if (auto r = amount_cell(row, map_.balance, value); r && value) {
      account& acct = st_.accounts[state_.account];
      if (!acct.opening_balance && st_.transactions.empty()) acct.opening_balance = value;
      last_balance_ = value;
      warn(row.line, "balance row \"" + clean_text(cell(row, 0)) + "\" is not a transaction");
      return {};
    }
  }
  std::string shown(trim(row.raw.substr(0, 60)));
  warn(row.line, "skipped a row that is not a transaction: \"" + shown + "\"");
  return {};
}

result<void> layout_parser::body_row(const csv_row& row) {
  if (layout_.hooks.row && layout_.hooks.row(row, state_)) return {};
  const std::string_view date_text = cell(row, map_.date);
  if (date_text.empty() || !(date_text[0] >= '0' && date_text[0] <= '9')) return non_date_row(row);
  ++dated_rows_;
  if (row.size() < map_.names.size() && !layout_.spreadsheet && !balance_left_off(row)) [[unlikely]] {
    // a stray quote or a missing separator: reading on would shift cells into the wrong columns
    return fail(errc::csv_bad_row,
                "the row has " + std::to_string(row.size()) + " cells where the header has " +
                    std::to_string(map_.names.size()) + " (a stray quote or a missing separator?)",
                row.line, none);
  }
  std::optional<date> posted;
  if (auto r = row_date(row, date_text, posted); !r) return r;
  std::optional<std::int64_t> amount, balance;
  if (auto r = row_amount(row, amount); !r) return r;
  if (map_.balance != none) {
    if (auto r = amount_cell(row, map_.balance, balance); !r) return r;
  }
  if (layout_.negate) {
    if (amount) amount = -*amount;
    if (balance) balance = -*balance;
  }
  const std::string_view description = row_description(row);
  const std::size_t account_index = row_account(row);
  if (!layout_.credit_words.empty() && amount && *amount < 0) {
    part_.clear();
    append_fold(part_, description.substr(0, 40));
    if (starts_with_any(part_, layout_.credit_words)) amount = -*amount;
  }

  // balance rows: named so, or a balance with no amount (Itaú, Bradesco)
  if (is_balance_name(description, part_) || (!amount && balance) || !posted) {
    balance_row(row, description, balance ? balance : amount, posted, st_.accounts[account_index]);
    return {};
  }
  if (!amount) {
    warn(row.line, "skipped a dated row without an amount: \"" + std::string(trim(row.raw.substr(0, 60))) + "\"");
    return {};
  }

  transaction& t = st_.transactions.emplace_back();
  t.posted = *posted;
  t.description = st_.keep(description);
  t.amount = *amount;
  t.balance = balance;
  any_balance_ = any_balance_ || balance.has_value();
  if (layout_.unsigned_amounts && balance) {
    // the direction is the balance's: down from the previous balance is money out
    if (last_balance_ && *last_balance_ - t.amount == *balance && *last_balance_ + t.amount != *balance)
      t.amount = -t.amount;
    last_balance_ = balance;
  }
  if (const std::string_view doc = cell(row, map_.document); !doc.empty()) t.document = st_.keep(doc);
  if (const std::string_view id = cell(row, map_.fitid); !id.empty()) t.fitid = st_.keep(id);
  t.account_index = account_index;
  t.line = row.line;
  if (map_.usd != none) foreign_amount_of(row, t);
  return {};
}

// A card bill's US$ column (and rate, when the bill prints one): the row's foreign amount, signed
// like the row. A cell that is no amount (Bradesco shifts a purchase's city into it) is no
// foreign amount; the row itself is read as before.
void layout_parser::foreign_amount_of(const csv_row& row, transaction& t) {
  std::optional<std::int64_t> usd;
  if (auto r = amount_cell(row, map_.usd, usd); !r || !usd || *usd == 0) return;  // 0: a domestic purchase
  const std::int64_t magnitude = *usd < 0 ? -*usd : *usd;
  foreign_amount f{"USD", t.amount < 0 ? -magnitude : magnitude, {}, std::nullopt};
  const std::string_view rate = trim(cell(row, map_.rate));
  if (!rate.empty() && rate.find_first_of("123456789") != std::string_view::npos) f.rate = st_.keep(rate);
  st_.foreign_for(t) = f;
}

result<void> layout_parser::row_date(const csv_row& row, std::string_view date_text, std::optional<date>& posted) {
  if (date dm; layout_.day_month && state_.reference && fast_day_month(date_text, *state_.reference, dm)) {
    posted = dm;
  } else if (layout_.day_month && date_text.size() <= 5) {
    if (!state_.reference)
      return fail(errc::bad_date, "a date without a year, and no bill date to take the year from",
                  row.line, map_.date);
    auto d = parse_day_month(date_text, *state_.reference);
    if (!d) return fail(errc::bad_date, d.error().message, row.line, map_.date);
    posted = *d;
  } else if (date d; fast_date(date_text, layout_.day_month ? date_style::automatic : layout_.dates, d)) {
    posted = d;
  } else if (has_month_name(date_text)) {
    if (auto r = month_name_date(row, date_text, posted); !r) return r;
  } else {
    auto r = parse_date(date_text, layout_.day_month ? date_style::automatic : layout_.dates);
    if (!r) return fail(errc::bad_date, r.error().message, row.line, map_.date);
    posted = *r;  // empty for the 00/00/0000 sentinel
  }
  return {};
}

result<void> layout_parser::row_amount(const csv_row& row, std::optional<std::int64_t>& amount) {
  int amount_column = map_.amount;
  if (layout_.amount_is_last_filled) {
    std::size_t last = used_cells(row);
    amount_column = last > 0 ? static_cast<int>(last - 1) : none;
    if (amount_column <= map_.date) amount_column = none;
  }
  if (amount_column != none) {
    if (auto r = amount_cell(row, amount_column, amount); !r) return r;
  } else if (map_.credit != none || map_.debit != none) {
    std::optional<std::int64_t> c, d;
    if (auto r = amount_cell(row, map_.credit, c); !r) return r;
    if (auto r = amount_cell(row, map_.debit, d); !r) return r;
    if (c || d) {
      // the column decides the direction: Bradesco's CSV writes debits negative, its XLS not
      const std::int64_t in = c ? (*c < 0 ? -*c : *c) : 0;
      const std::int64_t out = d ? (*d < 0 ? -*d : *d) : 0;
      amount = in - out;
    }
  }
  if (amount && map_.direction != none) {
    // D, Débito, Saída: money out; C, Crédito, Entrada: money in (the first letter decides)
    const std::string_view dir = cell(row, map_.direction);
    const std::int64_t magnitude = *amount < 0 ? -*amount : *amount;
    if (!dir.empty()) {
      const char c = dir[0];
      if (c == 'D' || c == 'd' || c == 'S' || c == 's') amount = -magnitude;
      else if (c == 'C' || c == 'c' || c == 'E' || c == 'e') amount = magnitude;
    }
  }
  return {};
}

std::string_view layout_parser::row_description(const csv_row& row) {
  // the text columns joined, with the installment (built in buffers reused from row to row: no
  // allocation unless a row is longer than all before; a single text column that needs no
  // cleaning, the common case, is used where it stands)
  std::string_view description;
  desc_.clear();
  if (map_.descriptions.size() == 1) {
    const std::string_view text = cell(row, map_.descriptions.front());  // trimmed
    const auto needed = cleaning_needed(text.data(), text.data() + text.size());
    if (map_.installment == none && needed == 0) {
      description = text;
    } else {
      append_cleaned(desc_, text, needed);
      description = desc_;
    }
  } else {
    for (int c : map_.descriptions) {
      part_.clear();
      append_clean_text(part_, cell(row, c));
      if (part_.empty() || (!desc_.empty() && desc_.find(part_) != std::string::npos)) continue;
      if (!desc_.empty()) desc_ += " - ";
      desc_ += part_;
    }
    description = desc_;
  }
  if (map_.installment != none) {
    const std::string_view inst = cell(row, map_.installment);
    if (!inst.empty() && desc_.find(inst) == std::string::npos) {
      part_.clear();
      append_fold(part_, inst);
      if (part_ != "unica" && part_ != "compra a vista" && part_ != "-") {
        desc_ += " (";
        append_clean_text(desc_, inst);
        desc_ += ')';
        description = desc_;
      }
    }
  }
  return description;
}

std::size_t layout_parser::row_account(const csv_row& row) {
  std::size_t account_index = state_.account;
  if (map_.card != none && !cell(row, map_.card).empty())
    account_index = card_account(state_, cell(row, map_.card));
  if (map_.account != none && st_.accounts[account_index].number.empty())
    st_.accounts[account_index].number = clean_number(cell(row, map_.account));
  return account_index;
}

void layout_parser::balance_row(const csv_row& row, std::string_view description, std::optional<std::int64_t> value,
                                std::optional<date> posted, account& acct) {
  if (value) {
    // the first "saldo anterior" of an account is its opening balance, wherever it stands
    // (a card bill lists it after the purchases); a second one (two periods joined) is not
    const std::string f = fold(description);
    if (f.starts_with("saldo ant")) {
      if (!acct.opening_balance) acct.opening_balance = value;
    } else {
      acct.closing_balance = value;
      if (posted) acct.closing_balance_date = posted;
    }
  }
  warn(row.line, "balance row \"" + std::string(description) + "\" is not a transaction");
}

// A row before the header, not blank: the header itself (true), or a preamble line with the file's own
// period, what the preamble hook reads, and a date that gives "02/jan" its year.
bool layout_parser::preamble_row(const csv_row& row) {
  if (auto m = match_header(layout_, row)) {
    map_ = std::move(*m);
    header_line_ = row.line;
    return true;
  }
  if (!st_.period_start) {  // "Período: … a …", "Entre … e …": the file's own period
    if (auto p = find_declared_period(row.raw)) {
      st_.period_start = p->start;
      st_.period_end = p->end;
    }
  }
  if (layout_.hooks.preamble) layout_.hooks.preamble(row.raw, row, state_);
  if (auto d = latest_date_in(row.raw); d && (!preamble_date_ || *d > *preamble_date_)) preamble_date_ = d;
  return false;
}

// No header line in the first rows: the error names the header the layout expects.
bankflow::error layout_parser::no_header() const {
  std::string expected;
  for (const column& c : layout_.headers.front()) {
    if (!expected.empty()) expected += layout_.separator;
    expected += c.names.substr(0, c.names.find('|'));
  }
  auto e = make_error(errc::csv_bad_header,
                      "no header line found; " + std::string(layout_.id) + " files have \"" + expected +
                          "\" (compared without accents and case)",
                      0, "");
  e.file = std::string(in_.file_name);
  return e;
}

result<statement> layout_parser::run() {
  st_.bank = in_.forced_bank ? in_.forced_bank : find_bank(layout_.bank);
  st_.format = std::string(layout_.id);
  account& first = st_.accounts.emplace_back();
  first.kind = layout_.account;
  st_.transactions.reserve(in_.text.size() / 32);  // rows are ≥ 32 bytes in every layout
  advise_huge_pages(st_.transactions.data(), st_.transactions.capacity() * sizeof(transaction));
  // the kept text (descriptions, documents, ids) is a part of each row (up to 84 % of the file
  // in Nubank's account CSV, with its 36-character ids): one block of the file's size holds it,
  // and only the pages written are ever faulted in
  st_.text_storage().reserve(in_.text.size() + 4096);

  csv_reader reader(in_.text, {layout_.separator, layout_.quoting});
  csv_row row;
  std::size_t rows_before = 0;
  bool in_body = layout_.headerless;
  if (in_body) map_ = headerless_map(layout_);
  while (!stopped_) {
    auto more = reader.next(row);
    if (!more) {
      auto e = more.error();
      e.file = std::string(in_.file_name);
      return e;
    }
    if (!*more) break;
    rows_before = st_.transactions.size();
    if (!in_body) {
      if (row.blank()) continue;
      in_body = preamble_row(row);
      if (!in_body && row.line > 60) break;  // reported below
      continue;
    }
    if (scheduled_line_ != 0) {
      const std::string_view d = cell(row, map_.date);
      if (!d.empty() && d[0] >= '0' && d[0] <= '9') ++scheduled_rows_;
      continue;
    }
    if (auto r = body_row(row); !r) {
      bankflow::error e = r.error();
      if (!skip_bad_row(in_, st_, e, row.raw)) return e;
      skipped_last_ = true;  // its continuation lines go with it, not onto the row above
    } else {
      skipped_last_ = skipped_last_ && st_.transactions.size() == rows_before;
    }
  }
  if (scheduled_rows_ != 0)
    warn(scheduled_line_, std::to_string(scheduled_rows_) + " scheduled " +
                              (scheduled_rows_ == 1 ? "entry" : "entries") + " after \"" +
                              scheduled_marker_ + "\" " + (scheduled_rows_ == 1 ? "is" : "are") +
                              " not posted yet: left out");
  if (!in_body) return no_header();
  if (layout_.hooks.finish) layout_.hooks.finish(state_);
  if (st_.transactions.empty())  // not an error: a period without movements
    warn(header_line_, dated_rows_ == 0 ? "the file has a header and no rows: an empty statement"
                                       : "no transactions in the file: an empty statement");
  if (any_balance_) balances_from_running(st_);  // a pass over every row: only when one has a balance
  finish_statement(st_);
  return std::move(st_);
}

}  // namespace

std::string folded_row(const csv_row& row) {
  std::string out;
  for (std::size_t i = 0; i < row.size(); ++i) {
    const std::string_view c = trim(row[i]);
    if (c.empty()) continue;
    if (!out.empty()) out += ' ';
    append_fold(out, c);
  }
  return out;
}

std::string clean_number(std::string_view s) {
  std::string out;
  for (char c : trim(s))
    if ((c >= '0' && c <= '9') || c == '-' || c == 'X' || c == 'x' || c == '/' || c == '.') out += c;
  return out;
}

std::string_view value_after(std::string_view line, std::string_view label, std::string_view stop) {
  // fold character by character, remembering where each folded byte came from
  std::string folded;
  std::vector<std::size_t> origin;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(line[i]);
    if (c >= 0xC0) len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    len = std::min(len, line.size() - i);
    const std::string piece = fold(line.substr(i, len));
    for (char p : piece) {
      folded += p;
      origin.push_back(i);
    }
    if (piece.empty() && len == 1 && (line[i] == ' ' || line[i] == '\t')) {
      folded += ' ';
      origin.push_back(i);
    }
    i += len;
  }
  const std::size_t at = folded.find(label);
  if (at == std::string::npos) return {};
  const std::size_t begin_folded = at + label.size();
  std::size_t begin = begin_folded < origin.size() ? origin[begin_folded] : line.size();
  std::size_t end = line.size();
  if (!stop.empty()) {
    const std::size_t s = folded.find(stop, begin_folded);
    if (s != std::string::npos) end = origin[s];
  }
  if (begin > end) begin = end;
  std::string_view v = trim(line.substr(begin, end - begin));
  while (!v.empty() && (v.front() == ':' || v.front() == ';' || v.front() == '|')) v = trim(v.substr(1));
  while (!v.empty() && (v.back() == ';' || v.back() == '|' || v.back() == ',')) v = trim(v.substr(0, v.size() - 1));
  return v;
}

std::size_t card_account(layout_state& s, std::string_view last_digits) {
  const std::string number = clean_number(last_digits);
  for (std::size_t i = 0; i < s.st.accounts.size(); ++i)
    if (s.st.accounts[i].number == number) return i;
  // the account made before any card was seen takes the first card
  if (s.st.accounts.size() == 1 && s.st.accounts[0].number.empty()) {
    s.st.accounts[0].number = number;
    s.st.accounts[0].kind = account_kind::credit_card;
    return 0;
  }
  account& a = s.st.accounts.emplace_back();
  a.number = number;
  a.kind = account_kind::credit_card;
  return s.st.accounts.size() - 1;
}

void probe_layout(const csv_layout& layout, const probe_input& in, std::vector<candidate>& out) {
  double score = 0;
  if (layout.headerless) {
    if (layout.hooks.probe) score = layout.hooks.probe(in.head);
  } else {
    // the header within the first 40 lines: split those lines only
    line_reader lines(in.head);
    std::string_view line;
    csv_row row;
    const std::size_t needed_separators = layout.headers.front().size() - 1;
    for (int n = 0; n < 40 && lines.next(line); ++n) {
      if (static_cast<std::size_t>(std::count(line.begin(), line.end(), layout.separator)) < needed_separators)
        continue;
      csv_reader reader(line, {layout.separator, layout.quoting});
      auto r = reader.next(row);
      std::optional<column_map> m;
      if (r && *r && (m = match_header(layout, row))) {
        score = 0.85;
        // the first dated row under the header must read in this layout's date style
        // (Itaú's card bill writes ISO dates; a look-alike with dd/mm/yyyy is not Itaú's)
        std::string_view next;
        for (int k = 0; k < 8 && lines.next(next); ++k) {
          csv_reader data(next, {layout.separator, layout.quoting});
          auto d = data.next(row);
          if (!d || !*d || m->date < 0 || row.size() <= static_cast<std::size_t>(m->date)) continue;
          const std::string_view cell = trim(row[static_cast<std::size_t>(m->date)]);
          if (cell.empty() || cell[0] < '0' || cell[0] > '9') continue;
          const bool ok = (layout.day_month && cell.size() <= 5
                               ? cell.size() == 5 && cell[2] == '/'
                               : static_cast<bool>(parse_date(cell, layout.dates))) ||
                          has_month_name(cell);  // "02/jan": re-saved by a spreadsheet program
          if (!ok) score = 0.3;
          break;
        }
        break;
      }
    }
  }
  if (!layout.hints.empty()) {
    const std::string head = fold(in.head.substr(0, 4096));
    int hints = 0;
    for (std::string_view hint : layout.hints) hints += head.find(hint) != std::string::npos;
    if (score > 0) {
      score += 0.05 * hints;
    } else if (hints == static_cast<int>(layout.hints.size()) && !layout.headerless) {
      // all of the bank's preamble marks but no header (a cut download): a weak candidate,
      // so the error names the layout the file seems to be
      score = std::min(0.2 + 0.1 * hints, 0.4);
    }
  }
  if (score <= 0) return;
  candidate c;
  c.format = layout.id;
  c.bank = find_bank(layout.bank);
  c.confidence = std::min(score, 1.0);
  out.push_back(std::move(c));
}

bool is_spreadsheet_layout(const csv_layout& layout) noexcept { return layout.spreadsheet; }

result<statement> parse_layout(const csv_layout& layout, const parse_input& in) {
  return layout_parser(layout, in).run();
}

}  // namespace bankflow::detail
