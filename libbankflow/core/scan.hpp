#pragma once
// Byte scanning shared by the text and CSV code: SWAR (8 bytes per step) searches for one, two or
// three byte values. The parsers spend most of their time looking for the next separator or line
// break, so these run on every byte of every file.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#define BANKFLOW_SSE2 1
#endif

namespace bankflow::detail {

inline constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t k_low7 = 0x7F7F7F7F7F7F7F7FULL;
inline constexpr std::uint64_t k_high = 0x8080808080808080ULL;

[[nodiscard]] inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

[[nodiscard]] constexpr std::uint64_t broadcast(unsigned char c) noexcept { return k_ones * c; }

/// 8 bytes read as a little-endian integer (byte 0 in the low bits) whatever the platform.
[[nodiscard]] inline std::uint64_t load8_le(const char* p) noexcept {
  std::uint64_t v = load8(p);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

/// 0 < n < 8 bytes at p as a little-endian integer, the missing high bytes zero. Reads only
/// [p, p + n): two overlapping loads instead of a memcpy call.
[[nodiscard]] inline std::uint64_t load_le_short(const char* p, std::size_t n) noexcept {
  const auto b = [p](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
  if (n >= 4) {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    if constexpr (std::endian::native == std::endian::big) {
      lo = __builtin_bswap32(lo);
      hi = __builtin_bswap32(hi);
    }
    return lo | (static_cast<std::uint64_t>(hi) << (8 * (n - 4)));
  }
  // 1 to 3 bytes: first, middle, last (some of them the same byte)
  return b(0) | (b(n / 2) << (8 * (n / 2))) | (b(n - 1) << (8 * (n - 1)));
}

/// True when all 8 bytes of x are ASCII digits.
[[nodiscard]] constexpr bool all_digits8(std::uint64_t x) noexcept {
  return ((x & 0xF0F0F0F0F0F0F0F0ULL) | (((x + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
         0x3333333333333333ULL;
}

// High bit set in exactly the bytes of x that are zero (no false positives, unlike the shorter
// "haszero" trick, so the lowest set bit gives the position).
[[nodiscard]] constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept {
  return ~(((x & k_low7) + k_low7) | x | k_low7);
}

// Index of the first byte (in memory order) whose high bit is set in mask.
[[nodiscard]] inline std::size_t first_marked(std::uint64_t mask) noexcept {
  if constexpr (std::endian::native == std::endian::little)
    return static_cast<std::size_t>(std::countr_zero(mask)) / 8;
  else
    return static_cast<std::size_t>(std::countl_zero(mask)) / 8;
}

/// Bits set in x, without the POPCNT instruction baseline x86-64 lacks (std::popcount would
/// become a library call there).
[[nodiscard]] constexpr std::size_t popcount32(std::uint32_t x) noexcept {
  x = x - ((x >> 1) & 0x55555555U);
  x = (x & 0x33333333U) + ((x >> 2) & 0x33333333U);
  x = (x + (x >> 4)) & 0x0F0F0F0FU;
  return (x * 0x01010101U) >> 24;
}

#if BANKFLOW_SSE2
/// The 0 < n < 16 bytes at p in the low lanes of a vector, the rest zero (NUL). Reads only
/// [p, p + n): overlapping loads instead of a memcpy into a padded buffer.
[[nodiscard]] inline __m128i load16_short(const char* p, std::size_t n) noexcept {
  const std::uint64_t lo = n >= 8 ? load8_le(p) : load_le_short(p, n);
  const std::uint64_t hi = n > 8 ? load8_le(p + n - 8) >> (8 * (16 - n)) : 0;
  return _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
}
#endif

/// First p in [p, end) with *p == a, else end. For short distances, where a memchr call costs
/// more than the search.
[[nodiscard]] inline const char* find1(const char* p, const char* end, char a) noexcept {
#if BANKFLOW_SSE2
  const __m128i va16 = _mm_set1_epi8(a);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, va16)));
    if (m != 0) return p + std::countr_zero(m);
    p += 16;
  }
#endif
  const std::uint64_t va = broadcast(static_cast<unsigned char>(a));
  while (end - p >= 8) {
    const std::uint64_t m = zero_bytes(load8(p) ^ va);
    if (m != 0) return p + first_marked(m);
    p += 8;
  }
  for (; p != end; ++p)
    if (*p == a) return p;
  return end;
}

/// Line breaks in [p, end): every LF, and every CR not followed by an LF (a CR at end - 1 looks
/// at *end when end < limit). Counts 8 bytes per step.
[[nodiscard]] inline std::size_t count_line_breaks(const char* p, const char* end,
                                                   const char* limit) noexcept {
  std::size_t n = 0;
#if BANKFLOW_SSE2
  {
    const __m128i vlf16 = _mm_set1_epi8('\n'), vcr16 = _mm_set1_epi8('\r');
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto lf = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vlf16)));
      const auto cr = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, vcr16)));
      if ((lf | cr) != 0) {
        std::uint32_t next_lf = lf >> 1;
        if (p + 16 < limit && p[16] == '\n') next_lf |= 1U << 15;
        n += popcount32(lf | ((cr & ~next_lf) << 16));
      }
      p += 16;
    }
  }
#endif
  const std::uint64_t vlf = broadcast('\n'), vcr = broadcast('\r');
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      const std::uint64_t v = load8(p);
      const std::uint64_t lf = zero_bytes(v ^ vlf);
      const std::uint64_t cr = zero_bytes(v ^ vcr);
      if ((lf | cr) != 0) {
        std::uint64_t next_lf = lf >> 8;
        if (p + 8 < limit && p[8] == '\n') next_lf |= 0x80ULL << 56;
        // marked bytes become 1s, and one multiply sums the eight bytes (no POPCNT needed)
        const std::uint64_t marks = ((lf >> 7) & k_ones) + (((cr & ~next_lf) >> 7) & k_ones);
        n += static_cast<std::size_t>((marks * k_ones) >> 56);
      }
      p += 8;
    }
  }
  for (; p < end; ++p) {
    if (*p == '\n') ++n;
    else if (*p == '\r' && (p + 1 == limit || p[1] != '\n')) ++n;
  }
  return n;
}

/// What text cleaning must do for [p, end): blanks_to_collapse when it holds a tab, CR, LF, a
/// 0xC2 byte (NBSP and friends) or two blanks in a row; entities_to_decode when it holds '&'.
/// Most values hold none of these (0).
inline constexpr unsigned blanks_to_collapse = 1;
inline constexpr unsigned entities_to_decode = 2;
[[nodiscard]] inline unsigned cleaning_needed(const char* p, const char* end) noexcept {
  unsigned need = 0;
#if BANKFLOW_SSE2
  // One movemask per block answers the common case (nothing to do); the two kinds are told
  // apart only in a block that has something. Both are "some byte or pair of bytes is there",
  // so a byte looked at twice changes nothing: blocks step 15 bytes (each pair of neighbours
  // lies within one block: no carry from block to block) and the last one is the 16 bytes
  // that end the text (no short load for text of 16 bytes or more).
  const __m128i amp = _mm_set1_epi8('&'), c2 = _mm_set1_epi8('\xC2'), tab = _mm_set1_epi8('\t'),
                cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'), space = _mm_set1_epi8(' ');
  auto block = [&](__m128i v) {
    const __m128i sp = _mm_cmpeq_epi8(v, space);
    const __m128i blank = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, tab)),
                                       _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                                    _mm_and_si128(sp, _mm_slli_si128(sp, 1))));
    const __m128i entity = _mm_cmpeq_epi8(v, amp);
    if (_mm_movemask_epi8(_mm_or_si128(blank, entity)) != 0) [[unlikely]] {
      if (_mm_movemask_epi8(blank) != 0) need |= blanks_to_collapse;
      if (_mm_movemask_epi8(entity) != 0) need |= entities_to_decode;
    }
  };
  if (end - p >= 16) {
    const char* const last = end - 16;
    for (; p < last; p += 15) block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    block(_mm_loadu_si128(reinterpret_cast<const __m128i*>(last)));
  } else if (p != end) {
    block(load16_short(p, static_cast<std::size_t>(end - p)));  // padded with NULs (which need nothing)
  }
#else
  bool prev_blank = false;
  for (; p < end; ++p) {
    const char c = *p;
    if (c == '&') need |= entities_to_decode;
    if (c == '\t' || c == '\r' || c == '\n' || c == '\xC2') need |= blanks_to_collapse;
    const bool blank = c == ' ';
    if (blank && prev_blank) need |= blanks_to_collapse;
    prev_blank = blank;
  }
#endif
  return need;
}

/// The first index from i on, below n, where s[index] is not a space (else n): fixed-width
/// text has long runs of them.
[[nodiscard]] inline std::size_t skip_spaces(const char* s, std::size_t i, std::size_t n) noexcept {
#if BANKFLOW_SSE2
  const __m128i space = _mm_set1_epi8(' ');
  while (n - i >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const unsigned other = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))) ^ 0xFFFFU;
    if (other != 0) return i + static_cast<std::size_t>(std::countr_zero(other));
    i += 16;
  }
#endif
  while (i < n && s[i] == ' ') ++i;
  return i;
}

/// First p in [p, end) with *p == a or *p == b, else end.
[[nodiscard]] inline const char* find2(const char* p, const char* end, char a, char b) noexcept {
#if BANKFLOW_SSE2
  {
    const __m128i a16 = _mm_set1_epi8(a), b16 = _mm_set1_epi8(b);
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const unsigned m = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, a16), _mm_cmpeq_epi8(v, b16))));
      if (m != 0) return p + std::countr_zero(m);
      p += 16;
    }
  }
#endif
  const std::uint64_t va = broadcast(static_cast<unsigned char>(a));
  const std::uint64_t vb = broadcast(static_cast<unsigned char>(b));
  while (end - p >= 8) {
    const std::uint64_t v = load8(p);
    const std::uint64_t m = zero_bytes(v ^ va) | zero_bytes(v ^ vb);
    if (m != 0) return p + first_marked(m);
    p += 8;
  }
  for (; p != end; ++p)
    if (*p == a || *p == b) return p;
  return end;
}

/// First p in [p, end) with *p one of a, b, c, else end.
[[nodiscard]] inline const char* find3(const char* p, const char* end, char a, char b,
                                       char c) noexcept {
#if BANKFLOW_SSE2
  {
    const __m128i a16 = _mm_set1_epi8(a), b16 = _mm_set1_epi8(b), c16 = _mm_set1_epi8(c);
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, a16), _mm_cmpeq_epi8(v, b16)),
                                       _mm_cmpeq_epi8(v, c16));
      const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(hit));
      if (m != 0) return p + std::countr_zero(m);
      p += 16;
    }
  }
#endif
  const std::uint64_t va = broadcast(static_cast<unsigned char>(a));
  const std::uint64_t vb = broadcast(static_cast<unsigned char>(b));
  const std::uint64_t vc = broadcast(static_cast<unsigned char>(c));
  while (end - p >= 8) {
    const std::uint64_t v = load8(p);
    const std::uint64_t m = zero_bytes(v ^ va) | zero_bytes(v ^ vb) | zero_bytes(v ^ vc);
    if (m != 0) return p + first_marked(m);
    p += 8;
  }
  for (; p != end; ++p)
    if (*p == a || *p == b || *p == c) return p;
  return end;
}

/// First CR or LF in [p, end), else end.
[[nodiscard]] inline const char* find_eol(const char* p, const char* end) noexcept {
  return find2(p, end, '\r', '\n');
}

/// Length of the line terminator at p (CRLF = 2, CR or LF = 1, else 0).
[[nodiscard]] inline std::size_t eol_length(const char* p, const char* end) noexcept {
  if (p == end) return 0;
  if (*p == '\n') return 1;
  if (*p == '\r') return (end - p >= 2 && p[1] == '\n') ? 2 : 1;
  return 0;
}

/// Number of line terminators (CR, LF, CRLF as one) in [p, end). A CR at end - 1 counts as one
/// even if an LF follows outside the range; callers pass whole terminators.
[[nodiscard]] inline std::size_t count_eols(const char* p, const char* end) noexcept {
  std::size_t n = 0;
  for (;;) {
    p = find_eol(p, end);
    if (p == end) return n;
    ++n;
    p += eol_length(p, end);
  }
}

}  // namespace bankflow::detail
