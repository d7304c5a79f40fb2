#pragma once
/// @file The wall clock, injected wherever expiry, tolerance or rate windows are decided.

#include <chrono>
#include <functional>

namespace bankflow {

/// A source of the current wall-clock time. Objects take one at construction (tests pass a fake
/// one); an empty clock_fn means the system clock.
using clock_fn = std::function<std::chrono::system_clock::time_point()>;

/// The real clock: std::chrono::system_clock::now().
[[nodiscard]] inline clock_fn system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace bankflow
