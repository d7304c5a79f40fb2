#include "banks/itau.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// `dd/mm/yyyy;<description>;-?digits,dd`: 0 for any other line, 1 for this pattern, 2 when the
// description is also the 24 characters wide the bank pads it to (counted in characters, not
// bytes: a Windows-1252 accent is two bytes once decoded). The pattern is what identifies the
// layout; the width only adds confidence. Trailing empty cells (";;" from a spreadsheet) are
// allowed.
int itau_txt_line(std::string_view l) {
  if (l.size() < 11 + 1 + 5) return 0;
  for (const std::size_t i : {0UL, 1UL, 3UL, 4UL, 6UL, 7UL, 8UL, 9UL})
    if (!digit(l[i])) return 0;
  if (l[2] != '/' || l[5] != '/' || l[10] != ';') return 0;
  const std::size_t end = l.find(';', 11);
  if (end == std::string_view::npos || trim(l.substr(11, end - 11)).empty()) return 0;
  std::size_t chars = 0;
  for (std::size_t i = 11; i < end; ++chars) {
    const auto c = static_cast<unsigned char>(l[i]);
    i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  }
  std::string_view amount = l.substr(end + 1);
  while (!amount.empty() && (amount.back() == ';' || amount.back() == ' ' || amount.back() == '\t'))
    amount.remove_suffix(1);
  if (!amount.empty() && amount.front() == '-') amount.remove_prefix(1);
  if (amount.size() < 4 || amount[amount.size() - 3] != ',') return 0;
  for (std::size_t k = 0; k < amount.size(); ++k)
    if (k != amount.size() - 3 && !digit(amount[k])) return 0;
  return chars == 24 ? 2 : 1;
}

}  // namespace

double itau_txt_probe(std::string_view head) {
  line_reader lines(head);
  std::string_view line;
  int matched = 0, wide = 0, other = 0;
  for (int n = 0; n < 200 && lines.next(line); ++n) {
    if (trim(line).empty()) continue;
    const int kind = itau_txt_line(line);
    // a first line of another shape is a header or a preamble: not this header-less layout
    if (kind == 0 && matched == 0) return 0;
    (kind == 0 ? other : matched) += 1;
    wide += kind == 2;
  }
  // the last line of a cut head may be partial
  if (matched == 0 || other > 1 || matched <= other) return 0;
  const double width_bonus = wide == matched ? (matched >= 3 ? 0.15 : 0.1) : 0;
  return (matched >= 3 ? 0.75 : 0.6) + width_bonus;
}

void itau_preamble(std::string_view, const csv_row& cells, layout_state& s) {
  const std::string label = fold(trim(cells[0]));
  if (label == "agencia:") s.st.accounts[s.account].branch = clean_number(cells[1]);
  else if (label == "conta:") s.st.accounts[s.account].number = clean_number(cells[1]);
}

}  // namespace bankflow::detail
