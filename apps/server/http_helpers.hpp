#pragma once
// HTTP helpers the handlers share: JSON replies, the session cookie, query strings
// (percent-decoding) and Content-Disposition.

#include "routes.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bankflow::server {

/// A response with a JSON body (a final newline added when missing).
[[nodiscard]] reply json_reply(const request& req, http::status status, std::string body);

/// The session token in the request's cookie (dispatch has refused a request with two of them).
[[nodiscard]] std::optional<std::string_view> session_token(const request& req, bool cookie_secure);

/// application/x-www-form-urlencoded decoding: '+' is a space, %XX a byte; a malformed escape
/// stays as it is.
[[nodiscard]] std::string percent_decode(std::string_view s);

/// The decoded value of the first `name` parameter in a query string; "" when it has no '='.
[[nodiscard]] std::optional<std::string> query_param(std::string_view query, std::string_view name);

/// A yes/no form value: "1", "true", "on", "yes" or "0", "false", "off", "no", "" (any case).
[[nodiscard]] std::optional<bool> parse_flag(std::string_view text);

/// A JSON object body. Error: invalid_argument.
[[nodiscard]] result<boost::json::object> json_object_body(std::string_view body);

/// The string member `name` of a JSON object. Error: invalid_argument naming it (missing or not a string).
[[nodiscard]] result<std::string> string_member(const boost::json::object& o, std::string_view name);

/// Content-Disposition for a download: an ASCII filename for every client and the UTF-8 one
/// (RFC 6266 filename*) for those that read it; `ext` replaces the client name's extension.
[[nodiscard]] std::string attachment_header(std::string_view client_name, std::string_view ext);

}  // namespace bankflow::server
