#include "banks/bradesco.hpp"

#include <bankflow/text.hpp>

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
