#pragma once
// What the HTTP layer checks of a request before any route sees it: message framing (RFC 9112
// §6.3: no smuggling through Transfer-Encoding), Host (§3.2), the session cookie appearing
// once, and whether the peer is a proxy whose headers are believed (--trusted-proxy).

#include <bankflow/error.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

namespace http = boost::beast::http;

/// Why a request is refused before routing; the connection is closed after the answer.
struct request_refusal {
  http::status status;
  std::string code;
  std::string message;
};

/// A header whose body framing or Host cannot be trusted: Transfer-Encoding whose last coding is
/// not chunked (400), together with Content-Length (400), in HTTP/1.0 (400), with another coding
/// than chunked (501); HTTP/1.1 without Host, or two Host fields, or a malformed one (400).
[[nodiscard]] std::optional<request_refusal> check_framing(const http::request_header<>& h);

/// The values of every cookie called `name` in the request's Cookie fields, in order.
[[nodiscard]] std::vector<std::string_view> cookie_values(const http::request_header<>& h, std::string_view name);

}  // namespace bankflow::server
