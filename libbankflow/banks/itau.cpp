#include "banks/itau.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// `dd/mm/yyyy;<24 characters>;-?digits,dd` — the description counted in characters, not bytes
// (a Windows-1252 accent is two bytes once decoded).
bool itau_txt_line(std::string_view l) {
  if (l.size() < 11 + 24 + 5) return false;
  for (const std::size_t i : {0UL, 1UL, 3UL, 4UL, 6UL, 7UL, 8UL, 9UL})
    if (!digit(l[i])) return false;
  if (l[2] != '/' || l[5] != '/' || l[10] != ';') return false;
  std::size_t i = 11, chars = 0;
  while (i < l.size() && chars < 24) {
    const auto c = static_cast<unsigned char>(l[i]);
    i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    ++chars;
  }
  if (chars != 24 || i >= l.size() || l[i] != ';') return false;
  std::string_view amount = l.substr(i + 1);
  if (!amount.empty() && amount.front() == '-') amount.remove_prefix(1);
  if (amount.size() < 4 || amount[amount.size() - 3] != ',') return false;
  for (std::size_t k = 0; k < amount.size(); ++k)
    if (k != amount.size() - 3 && !digit(amount[k])) return false;
  return true;
}

}  // namespace

double itau_txt_probe(std::string_view head) {
  line_reader lines(head);
  std::string_view line;
  int matched = 0, other = 0;
  for (int n = 0; n < 200 && lines.next(line); ++n) {
    if (trim(line).empty()) continue;
    (itau_txt_line(line) ? matched : other) += 1;
  }
  // the last line of a cut head may be partial
  if (matched >= 1 && other <= 1 && matched > other) return matched >= 3 ? 0.9 : 0.7;
  return 0;
}

void itau_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  const std::string label = fold(trim(cells[0]));
  if (label == "agencia:") s.st.accounts[s.account].branch = clean_number(cells[1]);
  else if (label == "conta:") s.st.accounts[s.account].number = clean_number(cells[1]);
}

}  // namespace bankflow::detail
