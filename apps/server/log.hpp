#pragma once
// JSON log lines on stderr, one object per line, written whole so lines of threads never mix.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace bankflow::server {

/// A value of a log field.
using log_value = std::variant<std::string_view, std::string, long long, double, bool>;

/// Writes {"time": now, "level": level, "msg": msg, fields...} and a newline to stderr.
void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<std::pair<std::string_view, log_value>> fields = {});

/// Now as ISO-8601 UTC with milliseconds ("2025-04-01T12:00:00.123Z").
[[nodiscard]] std::string iso_now();

/// A fresh request id (16 hex digits).
[[nodiscard]] std::string new_request_id();

}  // namespace bankflow::server
