#include "statement/period.hpp"

#include <bankflow/text.hpp>

#include <array>

namespace bankflow::detail {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A dd/mm/yyyy or dd/mm/yy date (one-digit day and month too) at `pos`; moves past it.
std::optional<date> date_at(std::string_view s, std::size_t& pos) {
  std::size_t end = pos;
  while (end < s.size() && (is_digit(s[end]) || s[end] == '/')) ++end;
  const std::string_view text = s.substr(pos, end - pos);
  if (text.size() < 6 || text.size() > 10 || !is_digit(text.front()) ||
      text.find('/') == std::string_view::npos)
    return std::nullopt;
  auto d = parse_date(text, date_style::dmy);
  if (!d || !d->has_value()) return std::nullopt;
  pos = end;
  return **d;
}

void skip(std::string_view s, std::size_t& pos, std::string_view chars) noexcept {
  while (pos < s.size() && chars.find(s[pos]) != std::string_view::npos) ++pos;
}

}  // namespace

std::optional<date_range> find_declared_period(std::string_view line) {
  // the words are searched in the folded line (lower case, no accents): "período" and "periodo"
  // alike; the dates are plain ASCII, so offsets in it are as good as in the line
  const std::string folded = fold(line);
  struct phrase {
    std::string_view word, joins;  // "periodo 01/03/2026 a 31/03/2026", "entre … e …"
  };
  static constexpr std::array<phrase, 2> phrases{{{"periodo", "a|ate|-"}, {"entre", "e|a|-"}}};
  for (const auto& p : phrases) {
    for (std::size_t at = folded.find(p.word); at != std::string::npos;
         at = folded.find(p.word, at + 1)) {
      std::size_t pos = at + p.word.size();
      if (pos < folded.size() && folded[pos] >= 'a' && folded[pos] <= 'z') continue;  // "periodos"
      skip(folded, pos, " \t:;,\"'|");
      // "Extrato do período de 01/03/2026 a …"
      if (folded.compare(pos, 3, "de ") == 0) pos += 3;
      skip(folded, pos, " \t");
      const auto start = date_at(folded, pos);
      if (!start) continue;
      skip(folded, pos, " \t;,\"'");
      bool joined = false;
      for (std::string_view rest = p.joins; !rest.empty();) {
        const std::size_t bar = rest.find('|');
        const std::string_view j = rest.substr(0, bar);
        rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
        if (folded.compare(pos, j.size(), j) == 0 &&
            (pos + j.size() == folded.size() || !(folded[pos + j.size()] >= 'a' && folded[pos + j.size()] <= 'z'))) {
          pos += j.size();
          joined = true;
          break;
        }
      }
      if (!joined) continue;
      skip(folded, pos, " \t;,\"'");
      const auto end = date_at(folded, pos);
      if (!end || *end < *start) continue;
      return date_range{*start, *end};
    }
  }
  return std::nullopt;
}

}  // namespace bankflow::detail
