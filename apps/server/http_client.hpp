#pragma once
// A small synchronous HTTP/1.1 client (Boost.Beast) for server-to-server calls: the simulated
// provider's webhooks to this server. Plain http only; one connection per request.

#include <bankflow/error.hpp>
#include <bankflow/webhook.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

/// Where a request goes: "http://host:port/path" split up.
struct http_url {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

/// Parses an http:// URL. Error: invalid_argument (another scheme, no host, a bad port).
[[nodiscard]] result<http_url> parse_http_url(std::string_view url);

struct http_client_options {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds read_timeout{10000};  ///< writing the request and reading the answer
};

/// POSTs `body` (Content-Type: application/json) with the extra headers; returns the status.
/// Error: io_error (cannot resolve, connect, write or read in time).
[[nodiscard]] result<int> http_post(const http_url& url, const std::vector<header_field>& headers,
                                    const std::string& body, const http_client_options& options = {});

}  // namespace bankflow::server
