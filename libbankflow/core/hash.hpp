#pragma once
// Stable, platform-independent hashing for keys that are stored and compared across runs
// (dedupe keys are persisted by the ledger import): never change these functions' results.

#include "core/scan.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace bankflow::detail {

/// MurmurHash3's 64-bit finalizer.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// 64-bit hash of bytes, 8 at a time, read little-endian whatever the platform.
[[nodiscard]] inline std::uint64_t hash64(std::string_view s, std::uint64_t seed = 0) noexcept {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
  std::uint64_t h = seed ^ (s.size() * k);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size();
  auto load = [](const unsigned char* q, std::size_t len) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < len; ++i) w |= static_cast<std::uint64_t>(q[i]) << (8 * i);
    return w;
  };
  while (n >= 8) {
    std::uint64_t w;
    if constexpr (std::endian::native == std::endian::little) std::memcpy(&w, p, 8);
    else w = load(p, 8);
    h ^= w;
    h = ((h << 29) | (h >> 35)) * k;
    p += 8;
    n -= 8;
  }
  if (n) {
    // the last 1-7 bytes, zero-extended, without a memcpy call: when there were whole words
    // before, the 8 bytes ending here shifted down; else overlapping short loads
    const auto* const q = reinterpret_cast<const char*>(p);
    const std::uint64_t w = s.size() >= 8 ? load8_le(q + n - 8) >> (8 * (8 - n)) : load_le_short(q, n);
    h ^= w;
    h = ((h << 29) | (h >> 35)) * k;
  }
  return mix64(h);
}

/// Writes v as 16 lower-case hex digits at p; returns where they end.
inline char* write_hex64(char* p, std::uint64_t v) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    p[i] = digits[v & 0xF];
    v >>= 4;
  }
  return p + 16;
}

/// 16 lower-case hex digits.
[[nodiscard]] inline std::string hex64(std::uint64_t v) {
  std::string out(16, '0');
  write_hex64(out.data(), v);
  return out;
}

}  // namespace bankflow::detail
