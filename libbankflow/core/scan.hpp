#pragma once
// Byte scanning shared by the text and CSV code: SWAR (8 bytes per step) searches for one, two or
// three byte values. The parsers spend most of their time looking for the next separator or line
// break, so these run on every byte of every file.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

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

/// First p in [p, end) with *p == a or *p == b, else end.
[[nodiscard]] inline const char* find2(const char* p, const char* end, char a, char b) noexcept {
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
