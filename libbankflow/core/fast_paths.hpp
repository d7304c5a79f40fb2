#pragma once
// Allocation-free readers for the shapes nearly every cell has. The public functions
// (parse_amount, parse_date, append_fold) try these first and fall back to their full readers;
// a parser's per-row loop may call them directly and call the public function only when they
// return false, for the rarer shapes and for the error message.

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>

#include "core/append_text.hpp"
#include "core/scan.hpp"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace bankflow::detail {

/// A trimmed amount cell of the shape [-]int[sep d[d]], int being digits or (pt_br, en) digits
/// grouped by threes with the style's thousands separator: true with `v` in centavos. False,
/// `v` untouched, for anything else, which parse_amount then reads (or rejects).
/// Inline, as fast_date: called for every cell, the call would cost as much as the reading.
[[nodiscard]] inline bool fast_amount(std::string_view cell, number_style style, std::int64_t& v) noexcept;

/// A trimmed date cell dd/mm/yyyy, dd.mm.yyyy or yyyy-mm-dd (as `style` allows) that is a real
/// calendar date: true with `d` set. False for anything else, the 00/00/0000 sentinel included.
[[nodiscard]] inline bool fast_date(std::string_view cell, date_style style, date& d) noexcept;

/// A trimmed card-bill date dd/mm (exactly 5 bytes) with its year from `reference` as
/// parse_day_month gives it (the latest year that puts it on or before the reference): true with
/// `d` set. False for anything else, 29/02 included, which parse_day_month then reads.
[[nodiscard]] inline bool fast_day_month(std::string_view cell, date reference, date& d) noexcept;

/// fold(s) written at `out`, which must have room for s.size() + 16 bytes (the vector path
/// stores whole 16-byte blocks); returns the end of what was written. With `from`, the first
/// `from` bytes of s are plain (see fold_plain_to) and already written lower-cased at `out`:
/// the work goes on from there.
char* fold_to(char* out, std::string_view s, std::size_t from = 0) noexcept;

/// fold(s) written at `out` when s is plain: ASCII without controls (tab, CR, LF), without a
/// leading blank and without two spaces in a row, which is what nearly every description is;
/// it is then s lower-cased (less a trailing space). Returns the end of what was written, or
/// nullptr when s is not plain, with `done` set to the length of a plain prefix already written
/// (0, or a multiple of 16): fold_to(out, s, done) then does the rest.
/// Inline, for dedupe keys: for a ~20-byte description the call cost as much as the folding.
/// `out` must have room for s.size() + 16 bytes.
[[nodiscard]] inline char* fold_plain_to(char* out, std::string_view s, std::size_t& done) noexcept;

[[nodiscard]] constexpr bool leap_year(unsigned y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

// [-]int[sep d[d]]: int is digits, or (in pt_br and en) 1-3 digits then groups of three each
// after the style's thousands separator, and then sep must be the other one. At most 16
// characters before the decimals, so at most 18 digits of centavos: no overflow.
inline bool fast_amount(std::string_view cell, number_style style, std::int64_t& v) noexcept {
  if (cell.empty()) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(cell.data());
  const auto* const end = p + cell.size();
  const bool neg = *p == '-';
  p += neg ? 1 : 0;
  const auto* const start = p;
  std::uint64_t m = 0;  // unsigned: a runaway cell wraps harmlessly before the length check
  for (unsigned dg = 0; p != end && (dg = *p - unsigned{'0'}) <= 9; ++p) m = m * 10 + dg;
  if (p == start) return false;
  const auto value = [&](std::uint64_t centavos) {
    v = neg ? -static_cast<std::int64_t>(centavos) : static_cast<std::int64_t>(centavos);
    return true;
  };
  if (p - start > 16) return false;  // a thousands group needs at most 3 digits before it
  if (p == end) return value(m * 100);
  // One or two decimals after '.' or ',' (the shape of nearly every cell), decided before the
  // thousands groups: a group needs 4 bytes, so with 3 or fewer left there is none.
  if (end - p <= 3) {
    if (*p != '.' && *p != ',') return false;
    const unsigned d1 = end - p >= 2 ? p[1] - unsigned{'0'} : 10;
    const unsigned d2 = end - p == 3 ? p[2] - unsigned{'0'} : 0;
    return d1 <= 9 && d2 <= 9 && value(m * 100 + d1 * 10 + d2);
  }
  const unsigned char group = style == number_style::pt_br ? '.' : style == number_style::en ? ',' : '\0';
  bool grouped = false;
  if (*p == group && p - start <= 3) {
    while (end - p >= 4 && *p == group && p[1] - unsigned{'0'} <= 9 && p[2] - unsigned{'0'} <= 9 &&
           p[3] - unsigned{'0'} <= 9) {
      m = m * 1000 + (p[1] - unsigned{'0'}) * 100 + (p[2] - unsigned{'0'}) * 10 + (p[3] - unsigned{'0'});
      p += 4;
      grouped = true;
    }
    if (p == end) return p - start <= 16 && value(m * 100);
  }
  if (p - start > 16) return false;
  // the decimals: one or two digits after a separator (not the thousands one once grouped)
  if ((*p != '.' && *p != ',') || (grouped && *p == group)) return false;
  const auto decimals = end - p - 1;
  if (decimals == 2) {
    const unsigned d1 = p[1] - unsigned{'0'};
    const unsigned d2 = p[2] - unsigned{'0'};
    return d1 <= 9 && d2 <= 9 && value(m * 100 + d1 * 10 + d2);
  }
  return decimals == 1 && p[1] - unsigned{'0'} <= 9 && value(m * 100 + (p[1] - unsigned{'0'}) * 10);
}

// The two shapes nearly every cell has, dd/mm/yyyy (dd.mm.yyyy) and yyyy-mm-dd, when they are a
// real date: true with d set. Anything else (the 00/00/0000 sentinel, errors, other shapes) is
// left to the full reader.
inline bool fast_date(std::string_view s, date_style style, date& out) noexcept {
  if (s.size() != 10) return false;
  // Bytes 0-7 as one integer: the separators are found with one mask and compare, replaced by
  // '0', and then one test says whether all the rest are digits; bytes 8-9 are read apart.
  constexpr std::uint64_t zeros = 0x3030303030303030ULL;  // '0' in every byte
  constexpr std::uint64_t iso_seps = 0xFF0000FF00000000ULL;  // bytes 4 and 7
  constexpr std::uint64_t dmy_seps = 0x0000FF0000FF0000ULL;  // bytes 2 and 5
  const std::uint64_t head = load8_le(s.data());
  const unsigned d8 = static_cast<unsigned char>(s[8]) - unsigned{'0'};
  const unsigned d9 = static_cast<unsigned char>(s[9]) - unsigned{'0'};
  // pairs: byte i becomes 10·digit(i) + digit(i + 1) (no carries: each byte stays below 100)
  const auto pairs = [](std::uint64_t x) { return x * 10 + (x >> 8); };
  const auto byte = [](std::uint64_t x, int i) { return static_cast<unsigned>((x >> (8 * i)) & 0xFF); };
  unsigned y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if ((head & iso_seps) == (0x2D00002D00000000ULL & iso_seps)) {  // yyyy-mm-dd
    if (style != date_style::iso && style != date_style::automatic) return false;
    const std::uint64_t digits = (head & ~iso_seps) | (zeros & iso_seps);
    if (!all_digits8(digits) || d8 > 9 || d9 > 9) return false;
    const std::uint64_t p = pairs(digits - zeros);  // digit values, the separators 0
    y = byte(p, 0) * 100 + byte(p, 2);
    m = byte(p, 5);
    d = d8 * 10 + d9;
  } else {  // dd/mm/yyyy or dd.mm.yyyy
    const char sep = s[2];
    const bool dmy = (sep == '/' && (style == date_style::dmy || style == date_style::automatic)) ||
                     (sep == '.' && (style == date_style::dmy_dots || style == date_style::automatic));
    if (!dmy || s[5] != sep) return false;
    const std::uint64_t digits = (head & ~dmy_seps) | (zeros & dmy_seps);
    if (!all_digits8(digits) || d8 > 9 || d9 > 9) return false;
    const std::uint64_t p = pairs(digits - zeros);
    d = byte(p, 0);
    m = byte(p, 3);
    y = byte(p, 6) * 100 + d8 * 10 + d9;
  }
  static constexpr unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y == 0 || m - 1 >= 12 || d == 0) return false;
  if (d > month_days[m - 1] && !(m == 2 && d == 29 && leap_year(y))) return false;
  out = date{std::chrono::year{static_cast<int>(y)}, std::chrono::month{m}, std::chrono::day{d}};
  return true;
}

#if BANKFLOW_SSE2
namespace fold_plain {
// Bytes of v that stop the plain path: past ASCII or below ' ' (one signed compare), and a space
// after a space (`first`: bit 0 also when the byte before v is a space or v starts the text).
inline unsigned stops(__m128i v, unsigned first, unsigned& spaces) noexcept {
  const auto sp = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
  spaces = sp;
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(' ')))) |
         (sp & ((sp << 1) | first));
}
// v with 'A'-'Z' lower-cased: shifted to the bottom of the signed range, one compare finds them.
inline __m128i lower(__m128i v) noexcept {
  const __m128i upper = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - 'A'))),
                                       _mm_set1_epi8(static_cast<char>(0x80 + 26)));
  return _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
}
}  // namespace fold_plain
#endif

inline char* fold_plain_to(char* const out, std::string_view s, std::size_t& done) noexcept {
  done = 0;
#if BANKFLOW_SSE2
  const std::size_t n = s.size();
  const char* const p = s.data();
  unsigned sp = 0;
  if (n < 16) {
    if (n == 0) return out;
    const __m128i v = load16_short(p, n);  // NUL padding: masked off
    if ((fold_plain::stops(v, 1, sp) & ((1U << n) - 1U)) != 0) return nullptr;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), fold_plain::lower(v));
  } else if (n <= 32) {  // two blocks, the second the last 16 bytes (overlapping the first)
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
    unsigned sp0 = 0;
    const unsigned s0 = fold_plain::stops(v0, 1, sp0);
    const unsigned s1 = fold_plain::stops(v1, n == 32 ? sp0 >> 15 : 0U, sp);
    if ((s0 | s1) != 0) [[unlikely]] {
      if (s0 != 0) return nullptr;
      // the first block is plain (its last byte and the next were tested in the second)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), fold_plain::lower(v0));
      done = 16;
      return nullptr;
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), fold_plain::lower(v0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), fold_plain::lower(v1));
  } else {
    // whole blocks, then the last 16 bytes, overlapping the block before: the bytes seen twice
    // are plain and written twice with the same value (the output lines up with the input)
    std::size_t i = 0;
    unsigned first = 1;
    for (; n - i > 16; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      if (fold_plain::stops(v, first, sp) != 0) {
        done = i;  // the blocks before are written
        return nullptr;
      }
      first = sp >> 15;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), fold_plain::lower(v));
    }
    // byte n-16 has its byte before in the last block only when that block ended right there
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
    if (fold_plain::stops(v, i == n - 16 ? first : 0U, sp) != 0) {
      done = i;
      return nullptr;
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n - 16), fold_plain::lower(v));
  }
  return out + n - (p[n - 1] == ' ' ? 1 : 0);  // fold drops a trailing blank
#else
  (void)out;
  (void)s;
  return nullptr;
#endif
}

inline bool fast_day_month(std::string_view s, date reference, date& out) noexcept {
  if (s.size() != 5 || s[2] != '/' || !reference.ok()) return false;
  const unsigned d0 = static_cast<unsigned char>(s[0]) - unsigned{'0'};
  const unsigned d1 = static_cast<unsigned char>(s[1]) - unsigned{'0'};
  const unsigned m0 = static_cast<unsigned char>(s[3]) - unsigned{'0'};
  const unsigned m1 = static_cast<unsigned char>(s[4]) - unsigned{'0'};
  if (d0 > 9 || d1 > 9 || m0 > 9 || m1 > 9) return false;
  const unsigned d = d0 * 10 + d1;
  const unsigned m = m0 * 10 + m1;
  static constexpr unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m - 1 >= 12 || d == 0 || d > month_days[m - 1]) return false;  // 29/02: the full reader
  const unsigned ref_m = static_cast<unsigned>(reference.month());
  const unsigned ref_d = static_cast<unsigned>(reference.day());
  int y = static_cast<int>(reference.year());
  if (m > ref_m || (m == ref_m && d > ref_d)) --y;  // after the reference: the year before
  out = date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  return true;
}

}  // namespace bankflow::detail
