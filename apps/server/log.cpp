#include "log.hpp"

#include <bankflow/date.hpp>
#include <bankflow/json.hpp>
#include <bankflow/session.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace bankflow::server {

std::string iso_now() { return format_timestamp(std::chrono::system_clock::now()); }

std::string new_request_id() { return random_hex(8); }

void log_line(std::string_view level, std::string_view msg,
              std::initializer_list<std::pair<std::string_view, log_value>> fields) {
  std::string line;
  json_writer w(line);
  w.begin_object().field("time", iso_now()).field("level", level).field("msg", msg);
  for (const auto& [key, value] : fields) {
    w.key(key);
    std::visit(
        [&w](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) {
            w.boolean(v);
          } else if constexpr (std::is_same_v<T, long long>) {
            w.number(v);
          } else if constexpr (std::is_same_v<T, double>) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.3f", std::isfinite(v) ? v : 0.0);
            w.raw(buf);
          } else {
            w.string(v);
          }
        },
        value);
  }
  w.end_object();
  line += '\n';
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
