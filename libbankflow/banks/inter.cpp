#include "banks/inter.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

void inter_extrato_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  // "Conta ;12345678" (a blank before the separator)
  if (fold(trim(cells[0])) == "conta") s.st.accounts[s.account].number = clean_number(cells[1]);
}

}  // namespace bankflow::detail
