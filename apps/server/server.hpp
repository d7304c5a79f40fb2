#pragma once
// Runs a configured app: the listener on a fixed pool of io_context threads, the job workers
// and the janitor (roles all and worker), until SIGTERM or SIGINT.

#include "app.hpp"

namespace bankflow::server {

/// Serves until a signal, then stops accepting, lets in-flight requests finish (up to
/// config.shutdown_timeout), stops the workers and returns the exit code (0).
[[nodiscard]] int run_server(app& a);

/// Splits "host:port" or "[v6]:port". Error: invalid_argument.
struct listen_address {
  std::string host;
  unsigned short port = 0;
};
[[nodiscard]] result<listen_address> parse_listen(std::string_view text);

}  // namespace bankflow::server
