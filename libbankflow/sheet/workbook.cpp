// Rendering cells as the text the layout engine reads, and choosing the reader by magic bytes.

#include "sheet/workbook.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace bankflow::detail {

namespace {

using namespace std::string_view_literals;

// A decimal number as written: sign, significant digits and a power of ten
// (value = digits × 10^exponent). False for anything that is not a plain decimal.
struct decimal {
  bool negative = false;
  std::string digits;  // no leading zeros; empty for zero
  int exponent = 0;
};

bool read_decimal(std::string_view s, decimal& d) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) d.negative = s[i++] == '-';
  bool any = false, point = false;
  int frac = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (d.digits.empty() && c == '0') {
        if (point) ++frac;
        continue;
      }
      if (d.digits.size() >= 40) {  // beyond any money: keep the magnitude, drop the tail
        if (!point) --frac;
        continue;
      }
      d.digits += c;
      if (point) ++frac;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return false;
  int exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i >= s.size()) return false;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      exp = exp * 10 + (s[i] - '0');
      if (exp > 400) return false;
    }
    if (neg) exp = -exp;
  }
  if (i != s.size()) return false;
  d.exponent = exp - frac;
  if (d.digits.empty()) d.negative = false;
  return true;
}

// Writes d in plain pt-BR notation with all its digits ("0,123456"): for values that are not a
// whole number of centavos, so that a layout reading them as money refuses them.
void append_plain(std::string& out, const decimal& d) {
  if (d.negative) out += '-';
  if (d.digits.empty()) {
    out += '0';
    return;
  }
  const int n = static_cast<int>(d.digits.size());
  const int int_digits = n + d.exponent;
  if (int_digits <= 0) {
    out += "0,";
    out.append(static_cast<std::size_t>(-int_digits), '0');
    out += d.digits;
  } else if (d.exponent >= 0) {
    out += d.digits;
    out.append(static_cast<std::size_t>(d.exponent), '0');
  } else {
    out.append(d.digits, 0, static_cast<std::size_t>(int_digits));
    out += ',';
    out.append(d.digits, static_cast<std::size_t>(int_digits));
  }
}

void append_centavos(std::string& out, std::int64_t c) {
  if (c < 0) out += '-';
  const std::uint64_t u = c < 0 ? 0ULL - static_cast<std::uint64_t>(c) : static_cast<std::uint64_t>(c);
  out += std::to_string(u / 100);
  if (u % 100 != 0) {
    out += ',';
    out += static_cast<char>('0' + u % 100 / 10);
    out += static_cast<char>('0' + u % 10);
  }
}

// The value in centavos when it is within 1e-6 of a whole centavo (1e-4 of a centavo), done in
// decimal on the digits Excel stored: "4830.3999999999996" is 483040.
bool to_centavos(const decimal& d, std::int64_t& out) {
  if (d.digits.empty()) {
    out = 0;
    return true;
  }
  const int shift = d.exponent + 2;  // value × 100 = digits × 10^shift
  std::string whole;                 // the centavos' digits
  std::string_view rest;             // the digits below one centavo
  if (shift >= 0) {
    if (d.digits.size() + static_cast<std::size_t>(shift) > 18) return false;
    whole = d.digits;
    whole.append(static_cast<std::size_t>(shift), '0');
  } else {
    const std::size_t k = static_cast<std::size_t>(-shift);
    if (k >= d.digits.size()) {
      whole = "0";
      // rest = (k - size) zeros then the digits
      if (k - d.digits.size() >= 4) {  // below 1e-4 of a centavo
        out = 0;
        return true;
      }
      std::string padded(k - d.digits.size(), '0');
      padded += d.digits;
      const bool down = padded.compare(0, 4, "0000") == 0;
      const bool up = padded.size() >= 4 && padded.compare(0, 4, "9999") == 0;
      if (!down && !up) return false;
      out = up ? (d.negative ? -1 : 1) : 0;
      return true;
    }
    whole = d.digits.substr(0, d.digits.size() - k);
    rest = std::string_view(d.digits).substr(d.digits.size() - k);
    if (whole.size() > 18) return false;
  }
  bool up = false;
  if (!rest.empty()) {
    std::string head(rest.substr(0, 4));
    head.append(4 - head.size(), '0');
    if (head == "9999") up = true;
    else if (head != "0000") return false;
  }
  std::int64_t v = 0;
  for (char c : whole) v = v * 10 + (c - '0');
  if (up) ++v;
  out = d.negative ? -v : v;
  return true;
}

void append_two(std::string& out, unsigned v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

void append_date(std::string& out, std::chrono::year_month_day ymd) {
  append_two(out, static_cast<unsigned>(ymd.day()));
  out += '/';
  append_two(out, static_cast<unsigned>(ymd.month()));
  out += '/';
  out += std::to_string(static_cast<int>(ymd.year()));
}

}  // namespace

std::size_t default_max_inflated(std::size_t file_size) noexcept {
  constexpr std::size_t cap = 200u * 1024 * 1024;
  return file_size > cap / 64 ? cap : file_size * 64;
}

bool is_zip(std::string_view bytes) noexcept { return bytes.starts_with("PK\x03\x04"sv); }

bool is_ole2(std::string_view bytes) noexcept {
  return bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv);
}

bool is_date_format(std::uint32_t id, std::string_view code) noexcept {
  if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
      (id >= 50 && id <= 58))
    return true;
  bool quoted = false;
  int bracket = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c == '[') ++bracket;
    else if (c == ']') bracket = std::max(0, bracket - 1);
    else if (bracket == 0 && (c == 'd' || c == 'D' || c == 'y' || c == 'Y')) return true;
  }
  return false;
}

error encrypted_workbook() {
  return make_error(errc::encrypted,
                    "this Excel file is protected by a password; open it in Excel or LibreOffice with the "
                    "password and save a copy without one, or export the statement as CSV/OFX instead");
}

std::string column_letters(std::uint32_t col) {
  std::string s;
  std::uint32_t n = col + 1;
  while (n > 0) {
    s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
    n = (n - 1) / 26;
  }
  return s;
}

bool sheet_writer::begin_row(std::uint32_t row) {
  if (row <= row_) row = row_ + 1;  // rows out of order or repeated: keep them, in file order
  if (max_rows_ != 0 && row > max_rows_) return false;
  if (row_ != 0) out_.text += '\n';
  // a gap of more than a million rows cannot be a real sheet: clamp what we write
  const std::uint32_t gap = std::min<std::uint32_t>(row - row_ - 1, 1u << 20);
  out_.text.append(gap, '\n');
  row_ = row;
  next_col_ = 0;
  return true;
}

void sheet_writer::move_to(std::uint32_t col) {
  if (row_ == 0) begin_row(1);
  if (col < next_col_) col = next_col_;  // out of order: the next free column
  col = std::min<std::uint32_t>(col, 16383);
  if (next_col_ > 0 || col > 0) out_.text.append(col - next_col_ + (next_col_ > 0 ? 1 : 0), ';');
  next_col_ = col + 1;
}

void sheet_writer::raw_cell(std::string_view s) {
  // the common cell: nothing to quote or replace, appended as it is
  const std::size_t special = s.find_first_of(";\"\r\n\t");
  if (special == std::string_view::npos) {
    out_.text += s;
    return;
  }
  // control characters (line breaks inside a cell) become blanks: one row stays one line
  const bool quote = s.find_first_of(";\"", special) != std::string_view::npos;
  if (quote) out_.text += '"';
  for (char c : s) {
    if (c == '"') out_.text += "\"\"";
    else if (c == '\r' || c == '\n' || c == '\t') out_.text += ' ';
    else out_.text += c;
  }
  if (quote) out_.text += '"';
}

void sheet_writer::text(std::uint32_t col, std::string_view s) {
  if (s.empty()) return;
  move_to(col);
  raw_cell(s);
}

void sheet_writer::number(std::uint32_t col, std::string_view text) {
  decimal d;
  if (!read_decimal(text, d)) {  // not a number after all: keep it as text
    this->text(col, text);
    return;
  }
  move_to(col);
  std::int64_t c = 0;
  if (to_centavos(d, c)) {
    append_centavos(out_.text, c);
  } else {
    append_plain(out_.text, d);
    out_.inexact.push_back({row_, col, std::string(text)});
  }
}

void sheet_writer::number(std::uint32_t col, double v) {
  if (!std::isfinite(v)) {
    text(col, std::isnan(v) ? "NaN" : "Infinity");
    return;
  }
  if (std::fabs(v) < 9.0e13) {  // × 100 stays exact to well below a centavo
    const double scaled = v * 100.0;
    const double rounded = std::nearbyint(scaled);
    if (std::fabs(scaled - rounded) <= 1e-4) {
      move_to(col);
      append_centavos(out_.text, static_cast<std::int64_t>(rounded));
      return;
    }
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  number(col, std::string_view(buf));
}

void sheet_writer::date_serial(std::uint32_t col, std::string_view text, bool date1904) {
  decimal d;
  if (!read_decimal(text, d) || d.negative || static_cast<long>(d.digits.size()) + d.exponent > 7) {
    number(col, text);
    return;
  }
  // a serial's time of day is not money: a double is fine for it
  const double serial = std::strtod(std::string(text).c_str(), nullptr);
  if (!(serial >= 0 && serial < 2958466)) {  // beyond 9999-12-31
    number(col, text);
    return;
  }
  auto days = static_cast<long>(std::floor(serial));
  const double fraction = serial - static_cast<double>(days);
  using namespace std::chrono;
  sys_days base;
  if (date1904) {
    base = sys_days{year{1904} / January / 1};
  } else {
    // 1900 system: serial 1 is 1900-01-01 and Lotus' fake 1900-02-29 is serial 60
    base = days < 61 ? sys_days{year{1899} / December / 31} : sys_days{year{1899} / December / 30};
    if (days == 60) days = 59;
  }
  const year_month_day ymd{base + std::chrono::days{days}};
  move_to(col);
  append_date(out_.text, ymd);
  const long seconds = std::lround(fraction * 86400.0);
  if (seconds > 0 && seconds < 86400) {
    out_.text += ' ';
    append_two(out_.text, static_cast<unsigned>(seconds / 3600));
    out_.text += ':';
    append_two(out_.text, static_cast<unsigned>(seconds / 60 % 60));
    if (seconds % 60 != 0) {
      out_.text += ':';
      append_two(out_.text, static_cast<unsigned>(seconds % 60));
    }
  }
}

void sheet_writer::iso_date(std::uint32_t col, std::string_view iso) {
  // yyyy-mm-dd[ hh:mm:ss] → dd/mm/yyyy[ hh:mm:ss]
  if (iso.size() >= 10 && iso[4] == '-' && iso[7] == '-') {
    scratch_.clear();
    scratch_.append(iso.substr(8, 2));
    scratch_ += '/';
    scratch_.append(iso.substr(5, 2));
    scratch_ += '/';
    scratch_.append(iso.substr(0, 4));
    std::string_view time = iso.substr(10);
    if (!time.empty() && (time[0] == 'T' || time[0] == ' ')) time.remove_prefix(1);
    if (time.size() == 8 && time.ends_with(":00")) time = time.substr(0, 5);  // as date_serial writes it
    if (!time.empty() && time != "00:00") {
      scratch_ += ' ';
      scratch_.append(time);
    }
    text(col, scratch_);
  } else {
    text(col, iso);
  }
}

void sheet_writer::finish() {
  if (row_ != 0) out_.text += '\n';
}

result<workbook_text> read_workbook(std::string_view bytes, const workbook_limits& limits) {
  if (is_zip(bytes)) return read_xlsx(bytes, limits);
  if (is_ole2(bytes)) {
    // "EncryptedPackage" in UTF-16LE: password-protected OOXML inside OLE2 (C6's "xlsx")
    static constexpr char encrypted[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    if (bytes.find(std::string_view(encrypted, sizeof encrypted - 1)) != std::string_view::npos)
      return encrypted_workbook();
    return read_xls(bytes, limits);
  }
  return make_error(errc::unsupported_container, "not a spreadsheet");
}

}  // namespace bankflow::detail
