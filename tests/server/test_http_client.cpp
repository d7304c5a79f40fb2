// The server's small HTTP client: URL parsing and a refused connection as an error value.

#include "http_client.hpp"

#include <catch2/catch.hpp>

using namespace bankflow;
using namespace bankflow::server;

TEST_CASE("http URLs split into host, port and target", "[server][http_client]") {
  auto u = parse_http_url("http://127.0.0.1:8080/api/v1/webhooks/simulated");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "8080");
  CHECK(u->target == "/api/v1/webhooks/simulated");
  auto bare = parse_http_url("http://example.com");
  REQUIRE(bare);
  CHECK(bare->port == "80");
  CHECK(bare->target == "/");
  auto v6 = parse_http_url("http://[::1]:9000/x");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "9000");
  for (const char* bad : {"https://example.com", "http://", "http://host:0/", "http://host:70000", "http://host:x",
                          "ftp://h", "http://[::1"}) {
    INFO(bad);
    auto r = parse_http_url(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
  }
}

TEST_CASE("a refused connection is an io_error", "[server][http_client]") {
  auto u = parse_http_url("http://127.0.0.1:1/");  // nothing listens on port 1
  REQUIRE(u);
  auto r = http_post(*u, {}, "{}", {.connect_timeout = std::chrono::milliseconds(500)});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::io_error);
}
