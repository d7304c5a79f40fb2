#include "banks/c6.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

void c6_extrato_preamble(std::string_view line, const csv_row&, layout_state& s) {
  // "Agência: 1 / Conta: 123456"
  if (fold(line).find("agencia:") == std::string::npos) return;
  account& a = s.st.accounts[s.account];
  a.branch = clean_number(value_after(line, "agencia:", "/"));
  a.number = clean_number(value_after(line, "conta:"));
}

}  // namespace bankflow::detail
