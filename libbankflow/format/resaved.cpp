#include "format/resaved.hpp"

#include <bankflow/text.hpp>

#include <array>

namespace bankflow::detail {

namespace {

constexpr std::string_view resaved_prefix = "the file was re-saved by a spreadsheet program";

bool digit(char c) noexcept { return c >= '0' && c <= '9'; }
char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// pt-BR and English abbreviations; the two languages share the rest (jan, mar, jun, jul, nov)
constexpr std::array<std::string_view, 12> months_pt{"jan", "fev", "mar", "abr", "mai", "jun",
                                                     "jul", "ago", "set", "out", "nov", "dez"};
constexpr std::array<std::string_view, 12> months_en{"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};

struct month_name_date {
  int day = 0;
  unsigned month = 0;  // 1-12
  int year = 0;        // 0: none written
  int year_digits = 0;
};

// d/mmm[/yy|/yyyy], the separator '/', '-' or '.' (the same twice), an optional '.' after mmm.
bool read(std::string_view s, month_name_date& out) noexcept {
  std::size_t i = 0;
  while (i < s.size() && i < 2 && digit(s[i])) out.day = out.day * 10 + (s[i++] - '0');
  if (i == 0 || i >= s.size()) return false;
  const char sep = s[i];
  if (sep != '/' && sep != '-' && sep != '.') return false;
  ++i;
  if (s.size() - i < 3) return false;
  char name[3] = {lower(s[i]), lower(s[i + 1]), lower(s[i + 2])};
  const std::string_view m(name, 3);
  for (unsigned k = 0; k < 12; ++k)
    if (m == months_pt[k] || m == months_en[k]) out.month = k + 1;
  if (out.month == 0) return false;
  i += 3;
  if (i < s.size() && s[i] == '.' && sep != '.') ++i;
  if (i == s.size()) return true;
  if (s[i] != sep) return false;
  ++i;
  while (i < s.size() && digit(s[i]) && out.year_digits < 4) {
    out.year = out.year * 10 + (s[i++] - '0');
    ++out.year_digits;
  }
  return i == s.size() && (out.year_digits == 2 || out.year_digits == 4);
}

bool wrapped(std::string_view line) noexcept {
  if (line.size() < 3 || line.front() != '"' || line.back() != '"') return false;
  const std::string_view inner = line.substr(1, line.size() - 2);
  bool separator = false;
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '"') {
      if (i + 1 >= inner.size() || inner[i + 1] != '"') return false;  // a lone quote: real CSV quoting
      ++i;
    } else if (inner[i] == ';' || inner[i] == ',') {
      separator = true;
    }
  }
  return separator;
}

}  // namespace

void warn_resaved(statement& st, std::size_t line, std::string_view what) {
  for (auto& w : st.warnings) {
    if (!w.message.starts_with(resaved_prefix)) continue;
    // one warning per file, naming every sign seen
    if (const std::size_t end = w.message.find("): "); end != std::string::npos &&
                                                      w.message.find(what) == std::string::npos)
      w.message.insert(end, "; " + std::string(what));
    return;
  }
  std::string message(resaved_prefix);
  message += " (";
  message += what;
  message += "): read anyway, but the bank's own export is the safer source";
  auto at = st.warnings.begin();  // in line order
  while (at != st.warnings.end() && at->line <= line) ++at;
  st.warnings.insert(at, {line, std::move(message)});
}

bool has_month_name(std::string_view cell) noexcept {
  month_name_date d;
  return cell.size() >= 5 && cell.size() <= 12 && read(cell, d);
}

result<date> parse_month_name_date(std::string_view cell, std::optional<date> reference) {
  month_name_date f;
  const auto bad = [&](std::string_view what) {
    return make_error(errc::bad_date, std::string(what) + ": \"" + std::string(cell.substr(0, 60)) + "\"");
  };
  if (!read(cell, f)) return bad("not a date");
  if (f.year_digits == 0) {
    if (!reference)
      return bad("a date without a year (a spreadsheet program wrote it so), and no date in the file "
                 "to take the year from");
    char dm[6] = {static_cast<char>('0' + f.day / 10), static_cast<char>('0' + f.day % 10), '/',
                  static_cast<char>('0' + f.month / 10), static_cast<char>('0' + f.month % 10), '\0'};
    auto d = parse_day_month(std::string_view(dm, 5), *reference);
    if (!d) return bad("no such day and month");
    return *d;
  }
  const int year = f.year_digits == 2 ? (f.year < 70 ? 2000 + f.year : 1900 + f.year) : f.year;
  const date d{std::chrono::year{year}, std::chrono::month{f.month},
               std::chrono::day{static_cast<unsigned>(f.day)}};
  if (year == 0 || f.day == 0 || !d.ok()) return bad("no such date");
  return d;
}

std::optional<date> latest_date_in(std::string_view line) {
  std::optional<date> latest;
  for (std::size_t i = 0; i + 10 <= line.size(); ++i) {
    if (line[i + 2] != '/' || line[i + 5] != '/' || (i > 0 && digit(line[i - 1]))) continue;
    if (i + 10 < line.size() && digit(line[i + 10])) continue;
    auto d = parse_date(line.substr(i, 10), date_style::dmy);
    if (d && *d && (!latest || **d > *latest)) latest = **d;
  }
  return latest;
}

bool has_wrapped_records(std::string_view head) noexcept {
  // a spreadsheet wraps every record with a decimal comma in it: the first lines tell, and the
  // test stays off the cost of parsing a large file
  line_reader lines(head);
  std::string_view line;
  for (int n = 0; n < 100 && lines.next(line); ++n)
    if (wrapped(line)) return true;
  return false;
}

std::size_t unwrap_records(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  std::size_t first = 0;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::size_t next = eol;
    if (next < text.size()) next += text[next] == '\r' && next + 1 < text.size() && text[next + 1] == '\n' ? 2U : 1U;
    const std::string_view line = text.substr(pos, eol - pos);
    ++number;
    if (wrapped(line)) {
      if (first == 0) first = number;
      const std::string_view inner = line.substr(1, line.size() - 2);
      for (std::size_t i = 0; i < inner.size(); ++i) {
        out += inner[i];
        if (inner[i] == '"') ++i;  // the second of a doubled quote
      }
    } else {
      out += line;
    }
    out += text.substr(eol, next - eol);
    pos = next;
  }
  return first;
}

}  // namespace bankflow::detail
