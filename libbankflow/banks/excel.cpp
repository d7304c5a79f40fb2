#include "banks/excel.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

// `Agência:` / `Conta:` labels with their value in the next non-empty cell, wherever the sheet
// puts them (BTG: B5/C5, BB: A3/B3).
void account_label_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  account& a = s.st.accounts[s.account];
  for (std::size_t i = 0; i + 1 < cells.size(); ++i) {
    const std::string label = fold(trim(cells[i]));
    if (label != "agencia:" && label != "agencia" && label != "conta:" && label != "conta corrente:") continue;
    std::size_t j = i + 1;
    while (j < cells.size() && trim(cells[j]).empty()) ++j;
    if (j == cells.size()) break;
    const std::string value = clean_number(cells[j]);
    if (label.starts_with("agencia")) {
      if (a.branch.empty()) a.branch = value;
    } else if (a.number.empty()) {
      a.number = value;
    }
  }
}

}  // namespace bankflow::detail
