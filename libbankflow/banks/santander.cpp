#include "banks/santander.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

void santander_extrato_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  // AGENCIA;"1234";CONTA;"130012345"
  if (fold(trim(cells[0])) == "agencia") s.st.accounts[s.account].branch = clean_number(cells[1]);
  if (fold(trim(cells[2])) == "conta") s.st.accounts[s.account].number = clean_number(cells[3]);
}

void santander_fatura_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  santander_fatura_section(cells, s);
}

bool santander_fatura_section(const csv_row& row, layout_state& s) {
  // "Cartão,Final 1111,," or "Cartão on-line,Final 1113,,"
  if (!fold(trim(row[0])).starts_with("cartao")) return false;
  const std::string second = fold(trim(row[1]));
  if (!second.starts_with("final")) return false;
  s.account = card_account(s, trim(trim(row[1]).substr(5)));
  return true;
}

}  // namespace bankflow::detail
