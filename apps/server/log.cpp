#include "log.hpp"

#include <bankflow/date.hpp>
#include <bankflow/export.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <unistd.h>

namespace bankflow::server {

std::string iso_now() { return format_timestamp(std::chrono::system_clock::now()); }

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<std::pair<std::string_view, log_value>> fields) {
  std::string line = "{\"time\":\"" + iso_now() + "\",\"level\":";
  append_json_string(line, level);
  line += ",\"msg\":";
  append_json_string(line, msg);
  for (const auto& [key, value] : fields) {
    line += ',';
    append_json_string(line, key);
    line += ':';
    std::visit(
        [&line](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            line += v ? "true" : "false";
          } else if constexpr (std::is_same_v<T, long long>) {
            line += std::to_string(v);
          } else if constexpr (std::is_same_v<T, double>) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(v) ? v : 0.0);
            line += buf;
          } else {
            append_json_string(line, v);
          }
        },
        value);
  }
  line += "}\n";
  // one write(2) per line: lines of concurrent threads and processes never interleave
  const char* p = line.data();
  std::size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) break;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace bankflow::server
