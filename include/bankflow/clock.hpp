#pragma once
/// @file The wall clock, injected wherever expiry, tolerance or rate windows are decided.

#include <chrono>
#include <functional>

namespace bankflow {

/// A source of the current wall-clock time. Objects take one at construction (tests pass a fake
/// one); an empty clock_fn means the system clock.
using clock_fn = std::function<std::chrono::system_clock::time_point()>;

/// An instant the library records (a transfer's, a job's, a webhook delivery's), to the
/// millisecond it is stored with. Times a protocol counts in seconds (session cookies, webhook
/// signatures, sessions and accounts, stored in seconds) are std::chrono::sys_seconds.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// The real clock: std::chrono::system_clock::now().
[[nodiscard]] inline clock_fn system_clock() {
  return [] { return std::chrono::system_clock::now(); };
}

}  // namespace bankflow
