#include "banks/bradesco.hpp"

#include "core/clean_text.hpp"

#include <bankflow/text.hpp>

#include <algorithm>
#include <vector>

namespace bankflow::detail {

void bradesco_extrato_preamble(std::string_view line, const csv_row&, layout_state& s) {
  // ";Extrato de: Agência: 1234  Conta: 56789-0" or
  // "Extrato de: Ag: 1234 | Conta: 123456-7 | Entre 01/01/2026 e 31/01/2026"
  const std::string f = fold(line);
  if (f.find("extrato de:") == std::string::npos) return;
  account& a = s.st.accounts[s.account];
  std::string_view branch = value_after(line, "agencia:", "conta");
  if (branch.empty()) branch = value_after(line, "ag:", "|");
  a.branch = clean_number(branch);
  a.number = clean_number(value_after(line, "conta:", "|"));
}

bool bradesco_extrato_section(const csv_row& row, layout_state&) {
  // ";Total;;"12.746,08";"-12.746,08";"1,00";": the word Total alone in the first or second cell,
  // then amounts. Without any amount the row is a continuation (a name that starts with "Total").
  std::size_t at = 0;
  while (at < row.size() && at < 2 && trim(row[at]).empty()) ++at;
  if (at >= row.size() || fold(trim(row[at])) != "total") return false;
  for (std::size_t i = at + 1; i < row.size(); ++i)
    if (!trim(row[i]).empty()) return true;
  return false;
}

namespace {

// Where the rows are (layout_state::section): the list, then the footer's sections. The mark
// of `Últimos Lançamentos` stays set once seen, so the finish hook knows it has rows to check.
enum footer_part : int { main_list = 0, last_entries = 1, invest_balances = 2, scheduled = 3 };
constexpr int part_mask = 0xff;
constexpr int saw_last_entries = 0x100;

std::string_view cell_at(const csv_row& row, std::size_t i) { return i < row.size() ? trim(row[i]) : std::string_view{}; }

bool starts_with_digit(std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

// A footer title: `Últimos Lançamentos`, `Saldos Invest Fácil / Plus`, `Lançamentos Futuros`.
// Only rows whose first text could start one of them are folded.
std::optional<footer_part> footer_title(const csv_row& row) {
  std::size_t i = 0;
  while (i < row.size() && trim(row[i]).empty()) ++i;
  if (i == row.size()) return std::nullopt;
  const auto c = static_cast<unsigned char>(trim(row[i])[0]);
  if (c < 0x80 && std::string_view("UuSsLl").find(static_cast<char>(c)) == std::string_view::npos)
    return std::nullopt;
  const std::string f = folded_row(row);
  if (f.starts_with("ultimos lancamentos")) return last_entries;
  if (f.starts_with("saldos invest facil")) return invest_balances;
  if (f.starts_with("lancamentos futuros")) return scheduled;
  return std::nullopt;
}

// The amount of a footer row as written: the credit, else the debit (negative, whether or not
// the file wrote its minus), else the last filled cell (the one `Valor (R$)` of the balances).
std::string footer_amount(const csv_row& row) {
  if (const auto credit = cell_at(row, 3); !credit.empty() && cell_at(row, 4).empty()) return std::string(credit);
  if (const auto debit = cell_at(row, 4); !debit.empty())
    return debit.starts_with('-') ? std::string(debit) : "-" + std::string(debit);
  std::size_t last = row.size();
  while (last > 2 && cell_at(row, last - 1).empty()) --last;
  return last > 2 ? std::string(cell_at(row, last - 1)) : std::string();
}

void warn(layout_state& s, std::size_t line, std::string message) {
  s.st.warnings.push_back({line, std::move(message)});
}

// A row of `Saldos Invest Fácil / Plus` or `Lançamentos Futuros`: never a transaction of this
// account, always named in a warning. Returns false only for the end marker, which the engine
// reads.
bool footer_row(const csv_row& row, layout_state& s, int part) {
  if (row.blank()) return true;
  const std::string_view date = cell_at(row, 0);
  if (!starts_with_digit(date)) {
    const std::string f = folded_row(row);
    if (f.starts_with("os dados acima")) return false;
    if (f.starts_with("data ")) return true;  // the section's own header
    const std::string text = clean_text(cell_at(row, 1).empty() ? cell_at(row, 0) : cell_at(row, 1));
    auto& warnings = s.st.warnings;
    if (part == scheduled && date.empty() && !text.empty() && !warnings.empty() &&
        warnings.back().message.starts_with("scheduled") && warnings.back().message.ends_with('"')) {
      // "; Net Claro Combo;;": the name of the scheduled entry above
      std::string& m = warnings.back().message;
      m.insert(m.size() - 1, " " + text);
      return true;
    }
    warn(s, row.line, "skipped a row that is not a transaction: \"" + std::string(trim(row.raw.substr(0, 60))) + "\"");
    return true;
  }
  const std::string description = clean_text(cell_at(row, 1));
  const std::string amount = footer_amount(row);
  if (part == invest_balances) {
    warn(s, row.line, "balance row \"" + description + "\" of " + std::string(date) + " (" + amount +
                          ") is a Saldos Invest Fácil / Plus balance, not a transaction of this account");
  } else {
    warn(s, row.line, "scheduled entry (Lançamentos Futuros), not a transaction yet: " + std::string(date) +
                          " " + amount + " \"" + description + "\"");
  }
  return true;
}

// "FULANO B A SOUZA ;;; 7433" or "TITULAR;;;;7433": a name, empty cells, 4 digits.
bool card_line(const csv_row& row, std::string_view& digits) {
  std::size_t used = row.size();
  while (used > 0 && trim(row[used - 1]).empty()) --used;
  if (used < 2 || trim(row[0]).empty()) return false;
  digits = trim(row[used - 1]);
  if (digits.size() != 4) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  for (std::size_t i = 1; i + 1 < used; ++i)
    if (!trim(row[i]).empty()) return false;
  return true;
}

}  // namespace

bool bradesco_extrato_row(const csv_row& row, layout_state& s) {
  if (!starts_with_digit(cell_at(row, 0))) {
    if (const auto part = footer_title(row)) {
      s.section = (s.section & ~part_mask) | *part;
      if (*part == last_entries) {
        s.section |= saw_last_entries;
        s.section_first = s.st.transactions.size();
      }
      return true;
    }
  }
  const int part = s.section & part_mask;
  if (part == invest_balances || part == scheduled) return footer_row(row, s, part);
  return false;
}

namespace {

// The list's row that `t` repeats: same date, amount and description, not matched before; one
// with the same document number first (two equal café payments on one day differ only there).
std::optional<std::size_t> repeated_row(const std::vector<transaction>& rows, std::size_t first,
                                        const std::vector<bool>& matched, const transaction& t) {
  std::optional<std::size_t> any;
  for (std::size_t j = first; j-- > 0;) {  // the repeats are of the last days: look from the end
    const transaction& u = rows[j];
    if (matched[j] || u.posted != t.posted || u.amount != t.amount || u.account_index != t.account_index ||
        u.description != t.description)
      continue;
    if (u.document == t.document) return j;
    if (!any) any = j;
  }
  return any;
}

}  // namespace

void bradesco_extrato_finish(layout_state& s) {
  // `Últimos Lançamentos` can repeat the list's last day: a row that is the same movement as a
  // row of the list (each matched once) is that row again; the others are transactions.
  if (!(s.section & saw_last_entries)) return;
  auto& rows = s.st.transactions;
  const std::size_t first = std::min(s.section_first, rows.size());
  if (first == rows.size()) return;
  std::vector<bool> matched(first, false), repeat(rows.size(), false);
  for (std::size_t i = first; i < rows.size(); ++i) {
    const auto j = repeated_row(rows, first, matched, rows[i]);
    if (!j) continue;
    matched[*j] = true;
    repeat[i] = true;
    warn(s, rows[i].line, "Últimos Lançamentos row repeats line " + std::to_string(rows[*j].line) +
                              " (same date, amount and description): not counted twice");
  }
  std::size_t out = first;
  for (std::size_t i = first; i < rows.size(); ++i)
    if (!repeat[i]) rows[out++] = std::move(rows[i]);
  const bool repeats = out < rows.size();
  rows.resize(out);
  if (out > first && first > 0 && rows[first - 1].balance) {
    // the new rows carry no balance: the closing balance is the list's last one plus them (the
    // running-balance chain, which would give it otherwise, stops at a row without a balance)
    std::int64_t closing = *rows[first - 1].balance;
    for (std::size_t i = first; i < out; ++i) closing += rows[i].amount;
    account& acct = s.st.accounts[rows[first - 1].account_index];
    acct.closing_balance = closing;
    acct.closing_balance_date = rows[out - 1].posted;
  }
  if (repeats)  // the warnings just added name earlier lines than the footer's: keep file order
    std::stable_sort(s.st.warnings.begin(), s.st.warnings.end(),
                     [](const warning& a, const warning& b) { return a.line < b.line; });
}

void bradesco_fatura_preamble(std::string_view line, const csv_row& row, layout_state& s) {
  if (fold(line.substr(0, 8)).starts_with("data:")) {
    // "Data: 07/08/2026 12:28:27": the bill date, the year of every dd/mm date
    const std::string_view v = value_after(line, "data:");
    if (auto d = parse_date(v.substr(0, 10), date_style::dmy); d && d->has_value()) s.reference = **d;
    return;
  }
  bradesco_fatura_section(row, s);
}

bool bradesco_fatura_section(const csv_row& row, layout_state& s) {
  std::string_view digits;
  if (!card_line(row, digits)) return false;
  s.account = card_account(s, digits);
  return true;
}

}  // namespace bankflow::detail
