#include "http_helpers.hpp"

#include "request_rules.hpp"

#include <bankflow/session.hpp>
#include <bankflow/text.hpp>

#include <boost/json/parse.hpp>

#include <cctype>

namespace bankflow::server {

reply json_reply(const request& req, http::status status, std::string body) {
  reply r{response{status, req.version()}, std::nullopt, {}};
  r.res.set(http::field::content_type, "application/json");
  if (body.empty() || body.back() != '\n') body += '\n';
  r.res.body() = std::move(body);
  return r;
}

std::optional<std::string_view> session_token(const request& req, bool cookie_secure) {
  const auto values = cookie_values(req, session_cookie_name_for(cookie_secure));
  if (values.empty()) return std::nullopt;
  return values.front();
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<bool> parse_flag(std::string_view text) {
  const std::string v = fold(trim(text));
  if (v == "1" || v == "true" || v == "on" || v == "yes") return true;
  if (v.empty() || v == "0" || v == "false" || v == "off" || v == "no") return false;
  return std::nullopt;
}

namespace {

// The name without its extension, cut to 100 bytes on a character boundary.
std::string download_base(std::string_view client_name) {
  std::string base(client_name);
  if (const auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  base.resize(utf8_prefix(base, 100).size());  // never half a character
  return base;
}

std::string ascii_filename(std::string_view base) {
  std::string ascii;
  for (const char c : base) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == ' ';
    ascii += safe ? c : '_';
  }
  while (!ascii.empty() && (ascii.front() == '.' || ascii.front() == ' ')) ascii.erase(0, 1);
  return ascii.empty() ? "extrato" : ascii;
}

// RFC 5987 value characters kept, every other byte %XX.
std::string encoded_filename(std::string_view base) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : base) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      encoded += ch;
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return encoded.empty() ? "extrato" : encoded;
}

}  // namespace

std::string attachment_header(std::string_view client_name, std::string_view ext) {
  const std::string base = download_base(client_name);
  return "attachment; filename=\"" + ascii_filename(base) + std::string(ext) + "\"; filename*=UTF-8''" +
         encoded_filename(base) + std::string(ext);
}

result<boost::json::object> json_object_body(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec) return make_error(errc::invalid_argument, "the body is not JSON: " + ec.message());
  if (!v.is_object()) return make_error(errc::invalid_argument, "the body must be a JSON object");
  return std::move(v.as_object());
}

result<std::string> string_member(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr)
    return make_error(errc::invalid_argument, "the body has no \"" + std::string(name) + "\"", 0, std::string(name));
  if (!v->is_string())
    return make_error(errc::invalid_argument, "\"" + std::string(name) + "\" must be a string", 0, std::string(name));
  return std::string(v->get_string());
}

}  // namespace bankflow::server
