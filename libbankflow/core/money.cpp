#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include "core/fast_paths.hpp"
#include "core/money_detail.hpp"
#include "core/write_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

namespace bankflow {
namespace {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Skips spaces, tabs and NBSP (C2 A0): Excel's pt-BR currency format puts an NBSP after "R$".
std::size_t skip_blanks(std::string_view s, std::size_t i) noexcept {
  for (;;) {
    if (i < s.size() && (s[i] == ' ' || s[i] == '\t')) {
      ++i;
    } else if (i + 1 < s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0') {
      i += 2;
    } else {
      return i;
    }
  }
}

// Error messages quote the cell, cut so that a runaway cell does not flood a report.
std::string quoted(std::string_view s) {
  constexpr std::size_t max_len = 60;
  std::string out = "\"";
  if (s.size() <= max_len) {
    out += s;
  } else {
    std::size_t cut = max_len;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;  // UTF-8 boundary
    out += s.substr(0, cut);
    out += "...";
  }
  out += '"';
  return out;
}

error amount_error(errc code, std::string_view what, std::string_view cell) {
  std::string msg(what);
  msg += ": ";
  msg += quoted(cell);
  return make_error(code, std::move(msg));
}

// True when [b, e) is a well-formed run of digit groups: 1-3 digits, then groups of exactly 3
// digits each preceded by `sep`.
bool valid_grouping(std::string_view s, char sep) noexcept {
  std::size_t group = 0;
  bool first = true;
  for (char c : s) {
    if (c == sep) {
      if (group == 0 || group > 3 || (!first && group != 3)) return false;
      first = false;
      group = 0;
    } else {
      ++group;  // the body holds only digits and the two separators
    }
  }
  return first ? group > 0 : group == 3;
}

// True when every separator in the integer part has digits on both sides ("6000.000", not
// "6000..000" or "6000."): groups of the wrong width, but no hole where a digit went missing.
bool groups_not_empty(std::string_view int_part, char sep) noexcept {
  if (int_part.empty() || int_part.front() == sep || int_part.back() == sep) return false;
  return int_part.find(std::string{sep, sep}) == std::string_view::npos;
}

// The number after its sign and "R$": `s` is left at the digits, `negative` set. False on a
// second sign ("(-5)", "- -5", "-R$ -5") or parentheses that do not close.
bool strip_sign(std::string_view& s, bool& negative) noexcept {
  bool have_sign = false;
  if (s.front() == '(') {
    if (s.size() < 2 || s.back() != ')') return false;
    s = trim(s.substr(1, s.size() - 2));
    negative = true;
    have_sign = true;  // "(-5)" is rejected below: one sign only
  }
  std::size_t i = 0;
  auto take_sign = [&]() -> bool {  // false on a second sign
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
      if (have_sign) return false;
      have_sign = true;
      negative = s[i] == '-';
      i = skip_blanks(s, i + 1);
    }
    return true;
  };
  if (!take_sign()) return false;
  if (s.substr(i).starts_with("R$")) {
    i = skip_blanks(s, i + 2);
    if (!take_sign()) return false;  // "R$ -10,00"
  }
  s = s.substr(i);
  return true;
}

// Where the separators of a number are. False when it holds anything but digits and '.' ','.
struct separators {
  std::size_t dots = 0;
  std::size_t commas = 0;
  std::size_t last_dot = 0;
  std::size_t last_comma = 0;

  bool scan(std::string_view body) noexcept {
    for (std::size_t k = 0; k < body.size(); ++k) {
      const char c = body[k];
      if (c == '.') {
        ++dots;
        last_dot = k;
      } else if (c == ',') {
        ++commas;
        last_comma = k;
      } else if (!is_digit(c)) {
        return false;
      }
    }
    return true;
  }
};

constexpr std::size_t no_decimal = std::string_view::npos;

// Which separator, if any, is the decimal one (FORMATS.md §2.4 step 4): its index in the body
// into `dec` (no_decimal for none) and the thousands separator into `group_sep` ('\0': none).
// False when both kinds occur and the last one more than once.
bool decide_separators(const separators& seps, std::size_t body_size, number_style style, std::size_t& dec,
                       char& group_sep) noexcept {
  dec = no_decimal;
  group_sep = '\0';
  if (seps.dots != 0 && seps.commas != 0) {
    const bool comma_last = seps.last_comma > seps.last_dot;
    if ((comma_last ? seps.commas : seps.dots) != 1) return false;
    dec = comma_last ? seps.last_comma : seps.last_dot;
    group_sep = comma_last ? '.' : ',';
  } else if (seps.dots + seps.commas == 1) {
    const char sep = seps.dots != 0 ? '.' : ',';
    const std::size_t at = seps.dots != 0 ? seps.last_dot : seps.last_comma;
    const bool three_after = body_size - at - 1 == 3;
    const bool groups_here = (sep == '.' && style == number_style::pt_br) ||
                             (sep == ',' && style == number_style::en);
    if (groups_here && three_after) group_sep = sep;
    else dec = at;
  } else if (seps.dots + seps.commas >= 2) {
    group_sep = seps.dots != 0 ? '.' : ',';  // "1.234.567": the same separator twice only groups
  }
  return true;
}

// Digits past the centavos must be zero: rounding would create or destroy money.
std::optional<error> check_fraction(std::string_view int_part, std::string_view frac_part, number_style style,
                                    std::string_view cell) {
  for (std::size_t k = 2; k < frac_part.size(); ++k) {
    if (frac_part[k] == '0') continue;
    // "1.234" with no layout style: one thousand or one real and change? Say so, rather than
    // blaming precision on what is probably a thousands separator.
    const bool could_be_grouping = style == number_style::automatic && frac_part.size() == 3 &&
                                   int_part.size() <= 3 && int_part.front() != '0';
    if (could_be_grouping)
      return amount_error(errc::ambiguous_amount,
                          "cannot tell a thousands separator from a decimal one; the layout "
                          "must give its number style",
                          cell);
    return amount_error(errc::amount_precision, "more than two non-zero decimals", cell);
  }
  return std::nullopt;
}

// The amount in centavos from its integer digits (group separators skipped) and the first two
// fraction digits, allowing 2^63 for negatives (INT64_MIN); nullopt when it does not fit.
std::optional<std::int64_t> centavos(std::string_view int_part, std::string_view frac_part, char group_sep,
                                     bool negative) noexcept {
  const std::uint64_t limit =
      negative ? std::uint64_t{1} << 63U
               : static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t mag = 0;
  auto push_digit = [&](unsigned d) -> bool {
    if (mag > (limit - d) / 10U) return false;
    mag = mag * 10U + d;
    return true;
  };
  for (char c : int_part) {
    if (c == group_sep) continue;
    if (!push_digit(static_cast<unsigned>(c - '0'))) return std::nullopt;
  }
  for (std::size_t k = 0; k < 2; ++k) {
    const unsigned d = k < frac_part.size() ? static_cast<unsigned>(frac_part[k] - '0') : 0U;
    if (!push_digit(d)) return std::nullopt;
  }
  // Unsigned wrap-around then a modular conversion (well defined in C++20) gives INT64_MIN too.
  return static_cast<std::int64_t>(negative ? std::uint64_t{0} - mag : mag);
}

// `irregular` null: strict (groups must be three digits). Otherwise a misgrouped integer part
// is read when the decimal separator is certain, and *irregular says so.
result<std::optional<std::int64_t>> read_amount(std::string_view text, number_style style, bool* irregular) {
  const std::string_view cell = trim(text);
  if (cell.empty() || cell == ".") return std::optional<std::int64_t>{};  // FORMATS.md §2.4 step 2

  // Fast path for the shapes nearly every cell has: "-1234.56", "1234,5", "250", and in a style
  // with thousands groups "1.234,56" (pt_br) or "1,234.56" (en). They mean the same here as in
  // the full path below, which takes everything else (and every error).
  if (std::int64_t v = 0; detail::fast_amount(cell, style, v)) return std::optional<std::int64_t>{v};

  std::string_view body = cell;
  bool negative = false;
  separators seps;
  // One pass over the number: only digits and the two separators may occur.
  if (!strip_sign(body, negative) || !seps.scan(body) || body.empty() || !is_digit(body.front()) ||
      !is_digit(body.back()))
    return amount_error(errc::bad_amount, "not an amount", cell);
  std::size_t dec = no_decimal;
  char group_sep = '\0';
  if (!decide_separators(seps, body.size(), style, dec, group_sep))
    return amount_error(errc::bad_amount, "more than one decimal separator", cell);

  const std::string_view int_part = body.substr(0, dec);
  const std::string_view frac_part = dec == no_decimal ? std::string_view{} : body.substr(dec + 1);
  if (group_sep != '\0' && !valid_grouping(int_part, group_sep)) {
    // "6000.000,00": both separators occur and the last one only once, so it is the decimal one
    // whatever the groups look like; with one kind only ("6000.000") it could be either
    const bool decimal_certain = seps.dots != 0 && seps.commas != 0;
    if (irregular == nullptr || !decimal_certain || !groups_not_empty(int_part, group_sep))
      return amount_error(errc::bad_amount, "thousands groups must have three digits", cell);
    *irregular = true;
  }
  if (auto e = check_fraction(int_part, frac_part, style, cell)) return std::move(*e);
  const auto value = centavos(int_part, frac_part, group_sep, negative);
  if (!value) return amount_error(errc::amount_overflow, "amount too large", cell);
  return std::optional<std::int64_t>{*value};
}

}  // namespace

result<std::optional<std::int64_t>> parse_amount(std::string_view text, number_style style) {
  return read_amount(text, style, nullptr);
}

namespace detail {
result<std::optional<std::int64_t>> parse_amount_regrouped(std::string_view text, number_style style,
                                                           bool& irregular_grouping) {
  irregular_grouping = false;
  return read_amount(text, style, &irregular_grouping);
}
}  // namespace detail

result<std::int64_t> parse_amount_required(std::string_view text, number_style style) {
  auto r = parse_amount(text, style);
  if (!r) return std::move(r).error();
  if (!r->has_value()) return amount_error(errc::bad_amount, "missing amount", trim(text));
  return **r;
}

char* detail::write_amount(char* out, std::int64_t minor, char decimal_separator) noexcept {
  std::uint64_t mag = minor < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(minor)
                                : static_cast<std::uint64_t>(minor);
  char buf[detail::amount_room];
  char* const end = buf + sizeof buf;
  char* p = end;
  const auto cents = static_cast<unsigned>(mag % 100U);
  mag /= 100U;
  *--p = static_cast<char>('0' + cents % 10U);
  *--p = static_cast<char>('0' + cents / 10U);
  *--p = decimal_separator;
  do {
    *--p = static_cast<char>('0' + mag % 10U);
    mag /= 10U;
  } while (mag != 0);
  if (minor < 0) *--p = '-';
  const auto n = static_cast<std::size_t>(end - p);
  std::memcpy(out, p, n);
  return out + n;
}

void append_amount(std::string& out, std::int64_t minor, char decimal_separator) {
  char buf[detail::amount_room];
  out.append(buf, detail::write_amount(buf, minor, decimal_separator));
}

std::string format_amount(std::int64_t minor) {
  std::string out;
  append_amount(out, minor, '.');
  return out;
}

std::string format_amount_br(std::int64_t minor) {
  std::string out;
  append_amount(out, minor, ',');
  return out;
}

result<std::int64_t> parse_api_amount(std::string_view text) {
  auto bad = [&] {
    return make_error(errc::bad_amount, "\"" + std::string(text.substr(0, 40)) +
                                            "\" is not an amount like \"100.00\"", 0, "amount");
  };
  if (text.empty() || text.size() > 20) return bad();
  std::int64_t units = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (units > (INT64_MAX / 100 - 9) / 10) return make_error(errc::amount_overflow, "the amount is too large", 0, "amount");
    units = units * 10 + (text[i] - '0');
  }
  if (i == 0) return bad();
  std::int64_t cents = 0;
  if (i < text.size()) {
    if (text[i] != '.') return bad();
    const std::size_t decimals = text.size() - i - 1;
    if (decimals < 1 || decimals > 2) return bad();
    for (std::size_t j = i + 1; j < text.size(); ++j) {
      if (text[j] < '0' || text[j] > '9') return bad();
      cents = cents * 10 + (text[j] - '0');
    }
    if (decimals == 1) cents *= 10;
  }
  return units * 100 + cents;
}

}  // namespace bankflow
