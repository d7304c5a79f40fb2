#include "banks/sicredi.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

void sicredi_preamble(std::string_view line, const csv_row&, layout_state& s) {
  const std::string f = fold(line);
  account& a = s.st.accounts[s.account];
  if (f.find("cooperativa:") != std::string::npos)
    a.branch = clean_number(value_after(line, "cooperativa:", "conta"));
  if (f.find("conta:") != std::string::npos) a.number = clean_number(value_after(line, "conta:"));
}

}  // namespace bankflow::detail
