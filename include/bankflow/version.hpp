#pragma once
/// @file The library version.

#include <string_view>

namespace bankflow {

inline constexpr int version_major = 0;
inline constexpr int version_minor = 1;
inline constexpr int version_patch = 0;

/// "0.1.0"
[[nodiscard]] std::string_view version() noexcept;

}  // namespace bankflow
