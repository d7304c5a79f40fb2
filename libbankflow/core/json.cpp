// The JSON writer (json.hpp).

#include <bankflow/json.hpp>

#include <bit>
#include <cassert>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bankflow {

namespace {

// Where the first byte of s[from, …) that needs an escape is (a control character, `"`, `\`);
// s.size() when none does. 16 bytes at a time where SSE2 is there: most text needs none.
std::size_t next_escape(std::string_view s, std::size_t from) noexcept {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // a control character is below 0x20 unsigned: min(c, 0x20) != 0x20
    const __m128i control = _mm_xor_si128(_mm_cmpeq_epi8(_mm_min_epu8(c, space), space), _mm_set1_epi8(-1));
    const __m128i hit = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(c, quote), _mm_cmpeq_epi8(c, backslash)));
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit)); mask != 0)
      return i + static_cast<std::size_t>(std::countr_zero(mask));
  }
#endif
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return s.size();
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;  // start of the run of characters that need no escape
  for (std::size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, i + 1)) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.append(s.substr(run, i - run));
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
      }
    }
    run = i + 1;
  }
  out.append(s.substr(run));
  out += '"';
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
