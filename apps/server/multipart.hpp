#pragma once
// A bounded multipart/form-data parser (RFC 7578) over a body already in memory: parts are
// views into the body, nothing is copied but the header values.

#include <bankflow/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

/// One part of a form.
struct form_part {
  std::string name;          ///< the form field (Content-Disposition name)
  std::optional<std::string> filename;  ///< filename* (RFC 5987, decoded) or filename, without any path
  std::string content_type;  ///< the part's Content-Type, "" when absent
  std::string_view data;     ///< the content, a view into the body
};

/// Bounds that keep a hostile body cheap to reject.
struct multipart_limits {
  std::size_t max_parts = 16;
  std::size_t max_header_bytes = 8 * 1024;  ///< per part
};

/// The boundary of a `multipart/form-data; boundary=…` Content-Type (quoted or not).
/// Error: invalid_argument (another type, no boundary, or one longer than 70 characters).
[[nodiscard]] result<std::string> multipart_boundary(std::string_view content_type);

/// Splits a multipart body. Delimiter lines may end in CRLF or a bare LF. The preamble and the
/// epilogue are ignored. Error: invalid_argument naming what is wrong (no opening delimiter, a
/// part without Content-Disposition, an unterminated part, too many parts, headers too long).
[[nodiscard]] result<std::vector<form_part>> parse_multipart(std::string_view body,
                                                             std::string_view boundary,
                                                             const multipart_limits& limits = {});

/// Parses `form-data; name="file"; filename="a.csv"` style header values: the first token and
/// the parameters with names lowercased and quoted strings unescaped.
struct header_params {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
};
[[nodiscard]] result<header_params> parse_header_params(std::string_view header);

}  // namespace bankflow::server
