#include "request_rules.hpp"


#include <boost/beast/core/string.hpp>

namespace bankflow::server {

namespace {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

request_refusal bad_request(std::string message) {
  return {http::status::bad_request, "bad_request", std::move(message)};
}

// A Host value is a uri-host with an optional port: nothing that ends an authority or could
// smuggle one (RFC 9112 §3.2: a malformed Host is a 400 too).
bool valid_host(std::string_view v) {
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '\\' || c == '@' || c == ',' || c == '?' || c == '#')
      return false;
  }
  return true;
}

}  // namespace

std::optional<request_refusal> check_framing(const http::request_header<>& h) {
  // Transfer-Encoding: only "chunked", once, last — anything else would leave the body's end to
  // a guess, and a body read as "empty" runs as the next request (request smuggling)
  std::vector<std::string_view> codings;
  bool has_te = false;
  for (auto [it, end] = h.equal_range(http::field::transfer_encoding); it != end; ++it) {
    has_te = true;
    std::string_view list = it->value();
    while (!list.empty()) {
      const auto comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      item = trim_ows(item.substr(0, item.find(';')));
      if (!item.empty()) codings.push_back(item);
    }
  }
  if (has_te) {
    if (h.version() < 11)
      return bad_request("Transfer-Encoding is not allowed in an HTTP/1.0 request");
    if (h.find(http::field::content_length) != h.end())
      return bad_request("a request may not carry both Transfer-Encoding and Content-Length");
    if (codings.empty() || !boost::beast::iequals(codings.back(), "chunked"))
      return bad_request("the last Transfer-Encoding must be chunked: the end of the body is unknown");
    for (std::size_t i = 0; i + 1 < codings.size(); ++i)
      if (boost::beast::iequals(codings[i], "chunked")) return bad_request("chunked may be applied only once");
    if (codings.size() > 1)
      return request_refusal{http::status::not_implemented, "not_implemented",
                             "no transfer coding but chunked is supported: send the body chunked only"};
  }
  std::size_t hosts = 0;
  for (auto [it, end] = h.equal_range(http::field::host); it != end; ++it) {
    ++hosts;
    if (!valid_host(trim_ows(it->value()))) return bad_request("the Host header is malformed");
  }
  if (hosts > 1) return bad_request("a request may carry only one Host header");
  if (hosts == 0 && h.version() >= 11) return bad_request("an HTTP/1.1 request must carry a Host header");
  return std::nullopt;
}

std::vector<std::string_view> cookie_values(const http::request_header<>& h, std::string_view name) {
  std::vector<std::string_view> out;
  for (auto [it, end] = h.equal_range(http::field::cookie); it != end; ++it) {
    std::string_view cookies = it->value();
    while (!cookies.empty()) {
      const auto semi = cookies.find(';');
      std::string_view pair = cookies.substr(0, semi);
      cookies = semi == std::string_view::npos ? std::string_view{} : cookies.substr(semi + 1);
      pair = trim_ows(pair);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (trim_ows(pair.substr(0, eq)) == name) out.push_back(trim_ows(pair.substr(eq + 1)));
    }
  }
  return out;
}

}  // namespace bankflow::server
