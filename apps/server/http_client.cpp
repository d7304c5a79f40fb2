#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>

namespace bankflow::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

result<http_url> parse_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme))
    return make_error(errc::invalid_argument, "'" + std::string(url) + "' is not an http:// URL");
  std::string_view rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  http_url out;
  if (slash != std::string_view::npos) out.target = std::string(rest.substr(slash));
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return make_error(errc::invalid_argument, "bad IPv6 host in '" + std::string(url) + "'");
    host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return make_error(errc::invalid_argument, "bad port in '" + std::string(url) + "'");
      out.port = std::string(authority.substr(1));
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    out.port = std::string(authority.substr(colon + 1));
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(out.port.data(), out.port.data() + out.port.size(), port);
  if (host.empty() || ec != std::errc{} || end != out.port.data() + out.port.size() || port == 0 || port > 65535)
    return make_error(errc::invalid_argument, "'" + std::string(url) + "' has no valid host and port");
  out.host = std::string(host);
  return out;
}

result<int> http_post(const http_url& url, const std::vector<header_field>& headers, const std::string& body,
                      const http_client_options& options) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  net::ip::tcp::resolver resolver(ioc);
  const auto found = resolver.resolve(url.host, url.port, ec);
  if (ec) return make_error(errc::io_error, "cannot resolve " + url.host + ": " + ec.message());
  stream.expires_after(options.connect_timeout);
  stream.async_connect(found, [&](beast::error_code e, const net::ip::tcp::endpoint&) { ec = e; });
  ioc.run();
  if (ec) return make_error(errc::io_error, "cannot connect to " + url.host + ":" + url.port + ": " + ec.message());

  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host + ":" + url.port);
  req.set(http::field::user_agent, "bankflow-server");
  req.set(http::field::content_type, "application/json");
  for (const auto& h : headers) req.set(h.name, h.value);
  req.body() = body;
  req.prepare_payload();
  req.keep_alive(false);

  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  stream.expires_after(options.read_timeout);
  http::async_write(stream, req, [&](beast::error_code e, std::size_t) {
    ec = e;
    if (e) return;
    http::async_read(stream, buffer, res, [&](beast::error_code re, std::size_t) { ec = re; });
  });
  ioc.restart();
  ioc.run();
  if (ec)
    return make_error(errc::io_error, "POST " + url.target + " to " + url.host + ":" + url.port + ": " + ec.message());
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  return static_cast<int>(res.result_int());
}

}  // namespace bankflow::server
