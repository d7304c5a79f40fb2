#pragma once
// Stable, platform-independent hashing for keys that are stored and compared across runs.

#include <cstdint>
#include <string>
#include <string_view>

namespace bankflow::detail {

/// FNV-1a, 64 bit: stable forever (dedupe keys are persisted by the ledger import).
[[nodiscard]] constexpr std::uint64_t fnv1a64(std::string_view s,
                                              std::uint64_t h = 0xcbf29ce484222325ULL) noexcept {
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// 16 lower-case hex digits.
[[nodiscard]] inline std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[v & 0xF];
    v >>= 4;
  }
  return out;
}

}  // namespace bankflow::detail
