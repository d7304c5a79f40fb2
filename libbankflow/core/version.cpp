#include <bankflow/version.hpp>

#include <array>
#include <cstddef>

namespace bankflow {
namespace {

struct version_text {
  std::array<char, 40> chars{};
  std::size_t size = 0;

  constexpr void append(int v) {
    char digits[12]{};
    std::size_t n = 0;
    unsigned u = static_cast<unsigned>(v);
    do {
      digits[n++] = static_cast<char>('0' + u % 10U);
      u /= 10U;
    } while (u != 0);
    while (n > 0) chars[size++] = digits[--n];
  }
};

// Built at compile time from version.hpp so the string can never disagree with the numbers.
constexpr version_text make_version_text() {
  version_text t;
  t.append(version_major);
  t.chars[t.size++] = '.';
  t.append(version_minor);
  t.chars[t.size++] = '.';
  t.append(version_patch);
  return t;
}

constexpr version_text k_version = make_version_text();

}  // namespace

std::string_view version() noexcept { return {k_version.chars.data(), k_version.size}; }

}  // namespace bankflow
