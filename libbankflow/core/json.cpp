// The JSON writer (json.hpp).

#include <bankflow/json.hpp>

#include "core/write_text.hpp"

#include <bit>
#include <cassert>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bankflow {

namespace detail {

#if defined(__SSE2__)
namespace {

// Bit j: byte j of c needs an escape.
unsigned escapes_in(__m128i c) noexcept {
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  // a control character is below 0x20 unsigned: min(c, 0x20) != 0x20
  const __m128i control = _mm_xor_si128(_mm_cmpeq_epi8(_mm_min_epu8(c, space), space), _mm_set1_epi8(-1));
  const __m128i hit = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(c, quote), _mm_cmpeq_epi8(c, backslash)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}

}  // namespace
#endif

std::size_t next_json_escape(std::string_view s, std::size_t from) noexcept {
  std::size_t i = from;
  const std::size_t n = s.size();
#if defined(__SSE2__)
  // 16 bytes at a time: most text needs no escape
  for (; i + 16 <= n; i += 16)
    if (const unsigned mask = escapes_in(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i))); mask != 0)
      return i + static_cast<std::size_t>(std::countr_zero(mask));
  if (i == n) return n;
  if (n >= 16) {  // the last 16 bytes, of which those before i were looked at already
    const unsigned mask = escapes_in(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + n - 16))) >> (16 - (n - i));
    return mask != 0 ? i + static_cast<std::size_t>(std::countr_zero(mask)) : n;
  }
  // a short text: through a copy padded with blanks (no byte past it is read)
  alignas(16) char last[16];
  std::memset(last, ' ', sizeof last);
  std::memcpy(last, s.data() + i, n - i);
  const unsigned mask = escapes_in(_mm_load_si128(reinterpret_cast<const __m128i*>(last)));
  return mask != 0 ? i + static_cast<std::size_t>(std::countr_zero(mask)) : n;
#else
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return n;
#endif
}

namespace {

// The escape of c (one that needs one) at p; where it ends.
char* write_escape(char* p, unsigned char c) noexcept {
  *p++ = '\\';
  switch (c) {
    case '"': *p++ = '"'; break;
    case '\\': *p++ = '\\'; break;
    case '\n': *p++ = 'n'; break;
    case '\r': *p++ = 'r'; break;
    case '\t': *p++ = 't'; break;
    default: {
      static constexpr char hex[] = "0123456789abcdef";
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 0xf];
    }
  }
  return p;
}

}  // namespace

char* write_json_string(char* p, std::string_view s) noexcept {
  *p++ = '"';
  std::size_t run = 0;  // start of the run of characters that need no escape
  for (std::size_t i = next_json_escape(s, 0); i < s.size(); i = next_json_escape(s, i + 1)) {
    std::memcpy(p, s.data() + run, i - run);
    p = write_escape(p + (i - run), static_cast<unsigned char>(s[i]));
    run = i + 1;
  }
  if (run < s.size()) {  // an empty view may hold no pointer at all, which memcpy may not take
    std::memcpy(p, s.data() + run, s.size() - run);
    p += s.size() - run;
  }
  *p++ = '"';
  return p;
}

}  // namespace detail

void append_json_string(std::string& out, std::string_view s) {
  // short text through a buffer on the stack; the rest grows `out` once
  char small[256];
  if (detail::json_string_room(s) <= sizeof small) {
    out.append(small, detail::write_json_string(small, s));
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + detail::json_string_room(s));
  out.resize(static_cast<std::size_t>(detail::write_json_string(out.data() + at, s) - out.data()));
}

std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

void json_writer::before_value() {
  if (after_key_) {  // the key wrote the separator
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    if (nonempty_ & bit) out_ += style_ == style::spaced ? ", " : ",";
    nonempty_ |= bit;
  }
}

void json_writer::open(char c) {
  before_value();
  assert(depth_ < max_depth);
  out_ += c;
  ++depth_;
  nonempty_ &= ~(std::uint64_t{1} << (depth_ - 1));
}

void json_writer::close(char c) {
  assert(depth_ > 0 && !after_key_);
  --depth_;
  out_ += c;
}

json_writer& json_writer::begin_object() {
  open('{');
  return *this;
}
json_writer& json_writer::end_object() {
  close('}');
  return *this;
}
json_writer& json_writer::begin_array() {
  open('[');
  return *this;
}
json_writer& json_writer::end_array() {
  close(']');
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  assert(!after_key_ && depth_ > 0);
  before_value();
  append_json_string(out_, k);
  out_ += style_ == style::spaced ? ": " : ":";
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view v) {
  before_value();
  append_json_string(out_, v);
  return *this;
}

json_writer& json_writer::string_or_null(std::string_view v) {
  return v.empty() ? null() : string(v);
}

json_writer& json_writer::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
  return *this;
}

json_writer& json_writer::null() {
  before_value();
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

}  // namespace bankflow
