#include "multipart.hpp"

#include <bankflow/text.hpp>

#include <algorithm>
#include <cctype>

namespace bankflow::server {

namespace {

error bad(std::string message) { return make_error(errc::invalid_argument, std::move(message)); }

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'language'percent-encoded. UTF-8 and ISO-8859-1 are what clients
// send; anything else is refused (the plain filename is used then).
std::optional<std::string> decode_ext_value(std::string_view v) {
  const auto q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  const auto q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  const std::string charset = lower(v.substr(0, q1));
  if (charset != "utf-8" && charset != "iso-8859-1") return std::nullopt;
  std::string raw;
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] == '%') {
      if (i + 2 >= v.size()) return std::nullopt;
      const int hi = hex_value(v[i + 1]);
      const int lo = hex_value(v[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      raw += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      raw += v[i];
    }
  }
  if (charset == "utf-8") return raw;
  std::string utf8;  // Latin-1 → UTF-8
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      utf8 += ch;
    } else {
      utf8 += static_cast<char>(0xC0 | (c >> 6));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return utf8;
}

// What is kept of a client's file name: the last path component (old browsers send
// C:\Users\…), no control characters, at most 255 bytes cut on a character boundary (the job
// store repairs what is not UTF-8: bankflow::job_filename).
std::string clean_filename(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (const char c : name)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  out.resize(utf8_prefix(out, 255).size());
  return out;
}

// Finds the next delimiter line "--boundary" that starts the body or follows a line break,
// from `from`. Returns the position of the line break before it (or 0 at the start) and the
// position just after "--boundary".
struct delimiter_hit {
  std::size_t content_end;
  std::size_t after;
};

std::optional<delimiter_hit> find_delimiter(std::string_view body, std::string_view dash_boundary,
                                            std::size_t from) {
  if (from == 0 && body.substr(0, dash_boundary.size()) == dash_boundary)
    return delimiter_hit{0, dash_boundary.size()};
  for (std::size_t pos = from;;) {
    const auto hit = body.find(dash_boundary, pos);
    if (hit == std::string_view::npos) return std::nullopt;
    if (hit >= from + 1 && body[hit - 1] == '\n') {
      std::size_t end = hit - 1;
      if (end >= from + 1 && body[end - 1] == '\r') --end;
      return delimiter_hit{end, hit + dash_boundary.size()};
    }
    pos = hit + 1;
  }
}

}  // namespace

std::optional<std::string> header_params::get(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return std::nullopt;
}

result<header_params> parse_header_params(std::string_view header) {
  header_params out;
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < header.size() && is_space(header[i])) ++i;
  };
  skip_space();
  const auto semi = header.find(';', i);
  out.value = lower(trim(header.substr(i, semi == std::string_view::npos ? std::string_view::npos : semi - i)));
  if (semi == std::string_view::npos) return out;
  i = semi + 1;
  while (i < header.size()) {
    skip_space();
    if (i < header.size() && header[i] == ';') {
      ++i;
      continue;
    }
    if (i >= header.size()) break;
    const auto eq = header.find('=', i);
    if (eq == std::string_view::npos) return bad("a parameter without '=' in '" + std::string(header) + "'");
    const std::string name = lower(trim(header.substr(i, eq - i)));
    if (name.empty()) return bad("a parameter without a name in '" + std::string(header) + "'");
    i = eq + 1;
    skip_space();
    std::string value;
    if (i < header.size() && header[i] == '"') {
      ++i;
      bool closed = false;
      while (i < header.size()) {
        const char c = header[i++];
        if (c == '\\' && i < header.size()) {
          value += header[i++];
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return bad("an unterminated quoted parameter in '" + std::string(header) + "'");
      skip_space();
      if (i < header.size() && header[i] != ';')
        return bad("text after a quoted parameter in '" + std::string(header) + "'");
    } else {
      const auto end = header.find(';', i);
      value = std::string(trim(header.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      i = end == std::string_view::npos ? header.size() : end;
    }
    out.params.emplace_back(name, std::move(value));
  }
  return out;
}

result<std::string> multipart_boundary(std::string_view content_type) {
  auto h = parse_header_params(content_type);
  if (!h) return h.error();
  if (h->value != "multipart/form-data")
    return bad("the body must be multipart/form-data, not '" + h->value + "'");
  auto b = h->get("boundary");
  if (!b || b->empty()) return bad("multipart/form-data without a boundary");
  if (b->size() > 70) return bad("a multipart boundary longer than 70 characters");
  return *b;
}

result<std::vector<form_part>> parse_multipart(std::string_view body, std::string_view boundary,
                                               const multipart_limits& limits) {
  if (boundary.empty()) return bad("an empty multipart boundary");
  const std::string dash_boundary = "--" + std::string(boundary);
  auto first = find_delimiter(body, dash_boundary, 0);
  if (!first) return bad("the body has no multipart delimiter '" + dash_boundary + "'");
  std::vector<form_part> parts;
  std::size_t pos = first->after;
  while (true) {
    // after a delimiter: "--" closes; otherwise optional padding and a line break
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && is_space(body[pos])) ++pos;
    if (body.substr(pos, 2) == "\r\n") {
      pos += 2;
    } else if (body.substr(pos, 1) == "\n") {
      pos += 1;
    } else {
      return bad("a multipart delimiter not followed by a line break");
    }
    if (parts.size() == limits.max_parts)
      return bad("more than " + std::to_string(limits.max_parts) + " parts in the form");

    // headers, up to an empty line
    form_part part;
    bool has_disposition = false;
    const std::size_t headers_start = pos;
    while (true) {
      const auto eol = body.find('\n', pos);
      if (eol == std::string_view::npos || eol - headers_start > limits.max_header_bytes)
        return bad(eol == std::string_view::npos ? "a multipart part whose headers never end"
                                                 : "multipart part headers longer than " +
                                                       std::to_string(limits.max_header_bytes) + " bytes");
      std::string_view line = body.substr(pos, eol - pos);
      pos = eol + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) break;
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) return bad("a multipart header line without ':'");
      const std::string_view name = trim(line.substr(0, colon));
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "content-disposition")) {
        auto h = parse_header_params(value);
        if (!h) return h.error();
        if (h->value != "form-data") return bad("a multipart part that is not form-data");
        auto field = h->get("name");
        if (!field) return bad("a multipart part without a field name");
        part.name = *field;
        if (auto ext = h->get("filename*")) {
          if (auto decoded = decode_ext_value(*ext)) part.filename = clean_filename(*decoded);
        }
        if (!part.filename) {
          if (auto plain = h->get("filename")) part.filename = clean_filename(*plain);
        }
        has_disposition = true;
      } else if (iequals(name, "content-type")) {
        part.content_type = std::string(value);
      }
    }
    if (!has_disposition) return bad("a multipart part without Content-Disposition");

    auto next = find_delimiter(body, dash_boundary, pos);
    if (!next) return bad("a multipart part that never ends (no closing delimiter)");
    part.data = body.substr(pos, next->content_end - pos);
    parts.push_back(std::move(part));
    pos = next->after;
  }
}

}  // namespace bankflow::server
