#include <bankflow/csv.hpp>
#include <bankflow/text.hpp>

#include "core/scan.hpp"

#include <cstring>
#include <string>

namespace bankflow {
namespace detail {

// A field that needs unescaping is kept, until the record is complete, as its source span from
// the opening quote to the separator. No other field can start with '"': an unquoted field never
// does (it would be quoted), and a quoted field without "" or trailing text holds no quote at all.
inline bool pending_unescape(std::string_view field) noexcept {
  return !field.empty() && field.front() == '"';
}

// Appends the value of a quoted span: "" becomes ", and text after the closing quote is kept.
inline void unescape_into(std::string& out, std::string_view span) {
  std::size_t i = 1;  // past the opening quote
  for (;;) {
    const std::size_t q = span.find('"', i);
    if (q == std::string_view::npos) {  // the reader guarantees a closing quote; be safe anyway
      out.append(span.substr(i));
      return;
    }
    out.append(span.substr(i, q - i));
    if (q + 1 < span.size() && span[q + 1] == '"') {
      out += '"';
      i = q + 2;
      continue;
    }
    out.append(span.substr(q + 1));  // closing quote: the rest is literal text
    return;
  }
}

// The start of a field, for error messages: at most 30 bytes, cut at a line break and on a
// UTF-8 character boundary.
inline std::string excerpt(const char* p, const char* end) {
  const char* stop = find_eol(p, end);
  std::size_t n = static_cast<std::size_t>(stop - p);
  const bool cut = n > 30;
  if (cut) {
    n = 30;
    while (n > 0 && (static_cast<unsigned char>(p[n]) & 0xC0U) == 0x80U) --n;
  }
  std::string s(p, n);
  if (cut) s += "...";
  return s;
}

#if BANKFLOW_SSE2
// The reader's fast path: unquoted fields, 16 bytes per step. One compare per structural byte
// (separator, CR, LF and, when quoting, '"') gives a bit mask; the fields are cut at its set bits,
// so a block holding several short fields costs one load, not one search per field. Returns true
// with `p` at the record's line break when the record ends within whole blocks; false with `p` at
// the start of the field the general loop must go on from (a quoted field, or the last 15 bytes
// of the text).
inline bool split_blocks(const char*& p, const char* const end, char sep, bool quotes,
                         std::vector<std::string_view>& fields) {
  const __m128i vsep = _mm_set1_epi8(sep), vcr = _mm_set1_epi8('\r'), vlf = _mm_set1_epi8('\n');
  const __m128i vquote = _mm_set1_epi8(quotes ? '"' : sep);
  const char* field = p;
  for (const char* block = p; end - block >= 16; block += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vsep), _mm_cmpeq_epi8(v, vquote)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, vcr), _mm_cmpeq_epi8(v, vlf)))));
    for (; mask != 0; mask &= mask - 1) {
      const char* const hit = block + std::countr_zero(mask);
      const char c = *hit;
      if (c == sep) {
        fields.emplace_back(field, static_cast<std::size_t>(hit - field));
        field = hit + 1;
      } else if (c == '"') {
        if (hit == field) {  // a quoted field: the general loop reads it
          p = field;
          return false;
        }
        // a bare quote inside an unquoted field is text
      } else {  // CR or LF: the record ends here
        fields.emplace_back(field, static_cast<std::size_t>(hit - field));
        p = hit;
        return true;
      }
    }
  }
  p = field;
  return false;
}
#endif

}  // namespace detail

bool csv_row::blank_slow() const noexcept {
  for (const std::string_view f : fields)
    if (!trim(f).empty()) return false;
  return true;
}

namespace {

// The fields of a record without quoting, from p to its line break: returns where it ends.
const char* split_unquoted(const char* p, const char* end, char sep, std::vector<std::string_view>& fields) {
  for (;;) {
    const char* const stop = detail::find3(p, end, sep, '\r', '\n');
    fields.emplace_back(p, static_cast<std::size_t>(stop - p));
    if (stop == end || *stop != sep) return stop;
    p = stop + 1;
  }
}

// Past the closing quote of the field whose opening quote is at `open`, counting the line breaks
// inside it on the way in the same scan and noting a doubled quote; nullptr when it never closes.
const char* past_closing_quote(const char* open, const char* end, std::size_t& lines, bool& doubled) noexcept {
  const char* q = open + 1;
  for (;;) {
    const char* const hit = detail::find3(q, end, '"', '\r', '\n');
    if (hit == end) return nullptr;
    if (*hit != '"') {
      ++lines;
      q = hit + detail::eol_length(hit, end);
    } else if (hit + 1 != end && hit[1] == '"') {
      doubled = true;
      q = hit + 2;
    } else {
      return hit + 1;
    }
  }
}

}  // namespace

result<bool> csv_reader::next(csv_row& row) {
  row.fields.clear();
  row.scratch_.clear();
  row.raw = {};
  row.line = line_;
  if (pos_ >= text_.size()) return false;

  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* const record = begin + pos_;
  const char sep = opt_.separator;

  const char* p = record;
#if BANKFLOW_SSE2
  if (detail::split_blocks(p, end, sep, opt_.quoting == csv_quoting::rfc4180, row.fields)) {
    row.raw = std::string_view(record, static_cast<std::size_t>(p - record));
    pos_ = static_cast<std::size_t>(p - begin) + detail::eol_length(p, end);
    ++line_;
    return true;
  }
#endif

  if (opt_.quoting == csv_quoting::none) {
    p = split_unquoted(p, end, sep, row.fields);
    row.raw = std::string_view(record, static_cast<std::size_t>(p - record));
    pos_ = static_cast<std::size_t>(p - begin) + detail::eol_length(p, end);
    ++line_;
    return true;
  }

  std::size_t inner_lines = 0;  // line breaks inside quoted fields of this record
  bool unescape = false;
  for (;;) {  // one field per turn; p is at the start of the field
    if (p != end && *p == '"') {
      const char* const open = p;
      std::size_t field_lines = 0;
      bool doubled = false;
      p = past_closing_quote(open, end, field_lines, doubled);
      if (p == nullptr) {
        // Resume after the line where the bad field began, so a caller may go on reading.
        const std::size_t start_line = line_ + inner_lines;
        const char* const eol = detail::find_eol(open, end);
        pos_ = static_cast<std::size_t>(eol - begin) + detail::eol_length(eol, end);
        line_ = start_line + 1;
        return make_error(errc::csv_unterminated_quote, "quoted field never closes: " + detail::excerpt(open, end),
                          start_line);
      }
      inner_lines += field_lines;
      // nearly always the separator or the line break follows the closing quote at once
      const char* const stop = p == end || *p == sep || *p == '\r' || *p == '\n'
                                   ? p
                                   : detail::find3(p, end, sep, '\r', '\n');
      if (doubled || stop != p) {
        row.fields.emplace_back(open, static_cast<std::size_t>(stop - open));
        unescape = true;
      } else {
        row.fields.emplace_back(open + 1, static_cast<std::size_t>(p - open - 2));
      }
      p = stop;
    } else {
      const char* const stop = detail::find3(p, end, sep, '\r', '\n');
      row.fields.emplace_back(p, static_cast<std::size_t>(stop - p));
      p = stop;
    }
    if (p != end && *p == sep) {
      ++p;
      continue;
    }
    break;  // at a line break or the end of the text
  }

  row.raw = std::string_view(record, static_cast<std::size_t>(p - record));
  pos_ = static_cast<std::size_t>(p - begin) + detail::eol_length(p, end);
  line_ += 1 + inner_lines;

  if (unescape) {
    // Reserve first: the views taken below must survive the appends that follow them.
    std::size_t need = 0;
    for (const std::string_view f : row.fields)
      if (detail::pending_unescape(f)) need += f.size();
    row.scratch_.reserve(need);
    for (std::string_view& f : row.fields) {
      if (!detail::pending_unescape(f)) continue;
      const std::size_t at = row.scratch_.size();
      detail::unescape_into(row.scratch_, f);
      f = std::string_view(row.scratch_.data() + at, row.scratch_.size() - at);
    }
  }
  return true;
}

void split_plain(std::string_view line, char separator, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  for (;;) {
    const void* const hit = line.size() == i ? nullptr
                                             : std::memchr(line.data() + i, separator, line.size() - i);
    if (hit == nullptr) {
      out.push_back(line.substr(i));
      return;
    }
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - line.data());
    out.push_back(line.substr(i, at - i));
    i = at + 1;
  }
}

void append_csv_field(std::string& out, std::string_view field, char separator) {
  bool needs_quotes = false;
  for (const char c : field) {
    if (c == separator || c == '"' || c == '\r' || c == '\n') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out.append(field);
    return;
  }
  out.reserve(out.size() + field.size() + 2);
  out += '"';
  std::size_t i = 0;
  for (;;) {
    const std::size_t q = field.find('"', i);
    if (q == std::string_view::npos) break;
    out.append(field.substr(i, q + 1 - i));
    out += '"';
    i = q + 1;
  }
  out.append(field.substr(i));
  out += '"';
}

}  // namespace bankflow
