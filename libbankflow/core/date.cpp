#include <bankflow/date.hpp>
#include <bankflow/text.hpp>

#include "core/fast_paths.hpp"
#include "core/write_text.hpp"

#include <cstddef>
#include <string>

namespace bankflow {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A left-to-right reader over one cell; every method returns false without consuming on mismatch.
struct cursor {
  std::string_view s;
  std::size_t i = 0;

  [[nodiscard]] bool at_end() const noexcept { return i == s.size(); }
  [[nodiscard]] bool peek(char c) const noexcept { return i < s.size() && s[i] == c; }
  bool eat(char c) noexcept {
    if (!peek(c)) return false;
    ++i;
    return true;
  }
  // Between min and max digits (greedy); the count read goes to *count when given.
  bool number(std::size_t min, std::size_t max, int& value, std::size_t* count = nullptr) noexcept {
    std::size_t n = 0;
    int v = 0;
    while (n < max && i + n < s.size() && is_digit(s[i + n])) {
      v = v * 10 + (s[i + n] - '0');
      ++n;
    }
    if (n < min) return false;
    i += n;
    value = v;
    if (count != nullptr) *count = n;
    return true;
  }
  std::size_t digits() noexcept {  // skips any run of digits, returns its length
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    return i - start;
  }
};

// Raw fields as written, before the all-zero sentinel check and the two-digit-year pivot.
struct fields {
  int y = 0;
  int m = 0;
  int d = 0;
  bool two_digit_year = false;
};

bool read_time(cursor& c) noexcept;

// dd/mm/yyyy; with `time`, optionally followed by a time ("12/12/2025 21:06", BTG's sheet)
bool read_dmy(std::string_view s, char sep, fields& f, bool time = false) noexcept {
  cursor c{s};
  std::size_t year_digits = 0;
  if (!c.number(1, 2, f.d) || !c.eat(sep) || !c.number(1, 2, f.m) || !c.eat(sep) ||
      !c.number(2, 4, f.y, &year_digits))
    return false;
  if (!c.at_end() && !(time && year_digits == 4 && c.eat(' ') && read_time(c))) return false;
  if (year_digits == 3) return false;
  f.two_digit_year = year_digits == 2;
  return true;
}

// The dmy style, as the layouts ask for it: dd/mm/yyyy with an optional time, or dd-mm-yyyy
// (Mercado Pago's sheet). `automatic` stays strict: there a dash means ISO.
bool read_dmy_style(std::string_view s, fields& f) noexcept {
  if (s.size() == 10 && s[2] == '-' && s[5] == '-') return read_dmy(s, '-', f);
  return read_dmy(s, '/', f, true);
}

// hh:mm[:ss[.fraction]][Z|±hh[:mm]] — read only to reject junk; the time itself is ignored.
bool read_time(cursor& c) noexcept {
  int h = 0;
  int mi = 0;
  int se = 0;
  if (!c.number(2, 2, h) || !c.eat(':') || !c.number(2, 2, mi)) return false;
  if (h > 23 || mi > 59) return false;
  if (c.eat(':')) {
    if (!c.number(2, 2, se) || se > 60) return false;
    if (c.eat('.') || c.eat(',')) {
      if (c.digits() == 0) return false;
    }
  }
  if (c.eat('Z')) return c.at_end();
  if (c.eat('+') || c.eat('-')) {
    int zh = 0;
    int zm = 0;
    if (!c.number(2, 2, zh)) return false;
    c.eat(':');
    if (!c.at_end() && !c.number(2, 2, zm)) return false;
  }
  return c.at_end();
}

bool read_iso(std::string_view s, fields& f) noexcept {
  cursor c{s};
  if (!c.number(4, 4, f.y) || !c.eat('-') || !c.number(2, 2, f.m) || !c.eat('-') ||
      !c.number(2, 2, f.d))
    return false;
  if (c.at_end()) return true;
  if (!c.eat(' ') && !c.eat('T')) return false;
  return read_time(c);
}

bool read_compact(std::string_view s, fields& f) noexcept {
  cursor c{s};
  return c.number(4, 4, f.y) && c.number(2, 2, f.m) && c.number(2, 2, f.d) && c.at_end();
}

// yyyymmdd[hhmm[ss]][.xxx][ [zone]] as OFX writes it; the zone is "[-3:BRT]", "[0:GMT]",
// "[-03:EST]", "[+5.30:IST]" or "[-3]".
bool read_ofx(std::string_view s, fields& f) noexcept {
  cursor c{s};
  if (!c.number(4, 4, f.y) || !c.number(2, 2, f.m) || !c.number(2, 2, f.d)) return false;
  const std::size_t time_digits = c.digits();
  if (time_digits > 6) return false;
  if (c.eat('.') && c.digits() == 0) return false;
  while (c.peek(' ')) ++c.i;
  if (c.eat('[')) {
    if (!c.eat('-')) c.eat('+');
    if (c.digits() == 0) return false;
    if (c.eat('.') && c.digits() == 0) return false;
    if (c.eat(':')) {
      while (!c.at_end() && (is_alpha(c.s[c.i]) || is_digit(c.s[c.i]) || c.s[c.i] == '_')) ++c.i;
    }
    if (!c.eat(']')) return false;
  }
  return c.at_end();
}

bool read_fields(std::string_view s, date_style style, fields& f) noexcept {
  switch (style) {
    case date_style::dmy: return read_dmy_style(s, f);
    case date_style::dmy_dots: return read_dmy(s, '.', f);
    case date_style::iso: return read_iso(s, f);
    case date_style::ymd_compact: return read_compact(s, f);
    case date_style::ofx: return read_ofx(s, f);
    case date_style::automatic: break;
  }
  // The shapes do not overlap, so the first character class decides.
  if (s.find('/') != std::string_view::npos) return read_dmy(s, '/', f);
  if (s.size() > 4 && s[4] == '-') return read_iso(s, f);
  if (s.find('.') != std::string_view::npos) return read_dmy(s, '.', f);
  return read_compact(s, f);
}

std::string quoted(std::string_view s) {
  constexpr std::size_t max_len = 60;
  std::string out = "\"";
  out += s.substr(0, max_len);
  if (s.size() > max_len) out += "...";
  out += '"';
  return out;
}

error date_error(std::string_view what, std::string_view cell) {
  std::string msg(what);
  msg += ": ";
  msg += quoted(cell);
  return make_error(errc::bad_date, std::move(msg));
}

constexpr int pivot_year(int yy) noexcept { return yy < 70 ? 2000 + yy : 1900 + yy; }

date make_date(int y, int m, int d) noexcept {
  return date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
}

// v in decimal, zero-padded to `width` digits, at p (13 + width bytes of room); where it ends.
char* write_padded(char* p, int v, int width) noexcept {
  char buf[12];
  int n = 0;
  unsigned u = v < 0 ? 0U - static_cast<unsigned>(v) : static_cast<unsigned>(v);
  do {
    buf[n++] = static_cast<char>('0' + u % 10U);
    u /= 10U;
  } while (u != 0 && n < 11);
  if (v < 0) *p++ = '-';
  for (int k = n; k < width; ++k) *p++ = '0';
  while (n > 0) *p++ = buf[--n];
  return p;
}

void append_padded(std::string& out, int v, int width) {
  char buf[24];
  out.append(buf, write_padded(buf, v, width));
}

}  // namespace

result<std::optional<date>> parse_date(std::string_view text, date_style style) {
  const std::string_view cell = trim(text);
  if (cell.empty()) return date_error("empty date", cell);
  if (date d; detail::fast_date(cell, style, d)) return std::optional<date>{d};
  fields f;
  if (!read_fields(cell, style, f)) return date_error("not a date", cell);
  if (f.y == 0 && f.m == 0 && f.d == 0) return std::optional<date>{};  // 00/00/0000, 00000000
  const int year = f.two_digit_year ? pivot_year(f.y) : f.y;
  if (year == 0 || f.m < 1 || f.m > 12 || f.d < 1) return date_error("no such date", cell);
  const date d = make_date(year, f.m, f.d);
  if (!d.ok()) return date_error("no such date", cell);
  return std::optional<date>{d};
}

result<date> parse_day_month(std::string_view text, date reference) {
  if (!reference.ok()) return make_error(errc::invalid_argument, "reference date is not a date");
  const std::string_view cell = trim(text);
  cursor c{cell};
  int d = 0;
  int m = 0;
  if (!c.number(1, 2, d) || !c.eat('/') || !c.number(1, 2, m) || !c.at_end())
    return date_error("not a day/month", cell);
  // Validate against a leap year so that 29/02 passes here and finds its year below.
  if (m < 1 || m > 12 || d < 1 || !make_date(2000, m, d).ok())
    return date_error("no such day/month", cell);
  // The latest year that puts the date on or before the reference; only 29/02 needs more than
  // one step back.
  int year = static_cast<int>(reference.year());
  for (int step = 0; step < 8; ++step, --year) {
    const date candidate = make_date(year, m, d);
    if (candidate.ok() && candidate <= reference) return candidate;
  }
  return date_error("no such day/month", cell);
}

char* detail::write_date(char* p, date d) noexcept {
  p = write_padded(p, static_cast<int>(d.year()), 4);
  *p++ = '-';
  p = write_padded(p, static_cast<int>(static_cast<unsigned>(d.month())), 2);
  *p++ = '-';
  return write_padded(p, static_cast<int>(static_cast<unsigned>(d.day())), 2);
}

void append_date(std::string& out, date d) {
  char buf[detail::date_room];
  out.append(buf, detail::write_date(buf, d));
}

std::string format_date(date d) {
  std::string out;
  append_date(out, d);
  return out;
}

std::string format_timestamp(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(ms);
  const std::chrono::hh_mm_ss<std::chrono::milliseconds> hms(ms - day);
  std::string out = format_date(date(day));
  out.reserve(24);
  out += 'T';
  append_padded(out, static_cast<int>(hms.hours().count()), 2);
  out += ':';
  append_padded(out, static_cast<int>(hms.minutes().count()), 2);
  out += ':';
  append_padded(out, static_cast<int>(hms.seconds().count()), 2);
  out += '.';
  append_padded(out, static_cast<int>(hms.subseconds().count()), 3);
  out += 'Z';
  return out;
}

}  // namespace bankflow
