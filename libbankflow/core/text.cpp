#include <bankflow/text.hpp>

#include "core/append_text.hpp"
#include "core/fast_paths.hpp"
#include "core/memory.hpp"
#include "core/scan.hpp"

#include <array>
#include <bit>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <functional>

namespace bankflow {

using detail::append_collapse_blanks;
using detail::append_decode_entities;
using detail::append_fold;
using detail::append_utf8;

namespace detail {

// Windows-1252 0x80-0x9F. The five holes (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 control of
// the same value, as the WHATWG encoding standard does, so every byte decodes to something.
inline constexpr std::array<char32_t, 32> windows_1252_c1 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

// Named entities: the 96 Latin-1 ones map to U+00A0 + index, in this order (HTML 4).
inline constexpr std::array<std::string_view, 96> latin1_entities = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",
    "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",
    "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",  "para",   "middot",
    "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",
    "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",
    "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct named_entity {
  std::string_view name;
  char32_t cp;
};

inline constexpr std::array<named_entity, 30> other_entities = {{
    {"amp", U'&'},        {"lt", U'<'},         {"gt", U'>'},         {"quot", U'"'},
    {"apos", U'\''},      {"euro", 0x20AC},     {"bull", 0x2022},     {"ndash", 0x2013},
    {"mdash", 0x2014},    {"hellip", 0x2026},   {"lsquo", 0x2018},    {"rsquo", 0x2019},
    {"ldquo", 0x201C},    {"rdquo", 0x201D},    {"sbquo", 0x201A},    {"bdquo", 0x201E},
    {"trade", 0x2122},    {"OElig", 0x0152},    {"oelig", 0x0153},    {"Scaron", 0x0160},
    {"scaron", 0x0161},   {"Yuml", 0x0178},     {"circ", 0x02C6},     {"tilde", 0x02DC},
    {"dagger", 0x2020},   {"Dagger", 0x2021},   {"permil", 0x2030},   {"lsaquo", 0x2039},
    {"rsaquo", 0x203A},   {"fnof", 0x0192},
}};

// What fold() writes for U+00C0-U+00FF; an empty entry keeps the character (× ÷ þ). Þ has no
// ASCII letter, so it only gets lower case.
inline constexpr std::array<std::string_view, 64> fold_latin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // C0-CF
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "\xC3\xBE", "ss",  // D0-DF
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",  // E0-EF
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y",  // F0-FF
};

// Length of the blank at s[i] (space, tab, CR, LF, or NBSP C2 A0), 0 when there is none.
inline std::size_t blank_at(std::string_view s, std::size_t i) noexcept {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return 2;
  return 0;
}

inline bool utf8_continuation(unsigned char c) noexcept { return (c & 0xC0U) == 0x80U; }

}  // namespace detail

using detail::blank_at;

decoded_text::decoded_text(decoded_text&& other) noexcept
    : encoding(other.encoding), had_bom(other.had_bom) {
  *this = std::move(other);
}

decoded_text& decoded_text::operator=(decoded_text&& other) noexcept {
  if (this == &other) return *this;
  // A small string moves by copy, so a view of other.storage must be rebuilt on ours.
  const std::less_equal<const char*> le;
  const bool views_storage = other.text.data() != nullptr && !other.storage.empty() &&
                             le(other.storage.data(), other.text.data()) &&
                             le(other.text.data() + other.text.size(),
                                other.storage.data() + other.storage.size());
  const std::size_t offset =
      views_storage ? static_cast<std::size_t>(other.text.data() - other.storage.data()) : 0;
  const std::size_t length = other.text.size();
  storage = std::move(other.storage);
  text = views_storage ? std::string_view(storage.data() + offset, length) : other.text;
  encoding = other.encoding;
  had_bom = other.had_bom;
  other.storage.clear();
  other.text = {};
  return *this;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  for (;;) {
    // ASCII is skipped a block at a time, and the first byte past ASCII found in the block, so
    // text with an accent every few words (every row of many files) is not read byte by byte.
#if defined(__SSE2__)
    if (end - p >= 32) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
      const auto high = static_cast<std::uint32_t>(_mm_movemask_epi8(a)) |
                        (static_cast<std::uint32_t>(_mm_movemask_epi8(b)) << 16);
      if (high == 0) {
        p += 32;
        continue;
      }
      p += std::countr_zero(high);
    } else if (end - p >= 16) {
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
      if (high == 0) {
        p += 16;
        continue;
      }
      p += std::countr_zero(high);
    } else
#endif
    {
      while (end - p >= 8 && (detail::load8(p) & detail::k_high) == 0) p += 8;
      while (p < end && static_cast<unsigned char>(*p) < 0x80U) ++p;
      if (p == end) return true;
    }
    // *p is past ASCII: one whole character, checked
    const auto c = static_cast<unsigned char>(*p);
    const auto avail = end - p;
    const auto at = [p](int k) { return static_cast<unsigned char>(p[k]); };
    if (c < 0xC2U) return false;  // stray continuation byte, or an overlong C0/C1 lead
    if (c < 0xE0U) {
      if (avail < 2 || !detail::utf8_continuation(at(1))) return false;
      p += 2;
    } else if (c < 0xF0U) {
      if (avail < 3) return false;
      const unsigned lo = c == 0xE0U ? 0xA0U : 0x80U;  // E0 80-9F would be overlong
      const unsigned hi = c == 0xEDU ? 0x9FU : 0xBFU;  // ED A0-BF are surrogates
      if (at(1) < lo || at(1) > hi || !detail::utf8_continuation(at(2))) return false;
      p += 3;
    } else if (c < 0xF5U) {
      if (avail < 4) return false;
      const unsigned lo = c == 0xF0U ? 0x90U : 0x80U;  // F0 80-8F would be overlong
      const unsigned hi = c == 0xF4U ? 0x8FU : 0xBFU;  // F4 90+ is past U+10FFFF
      if (at(1) < lo || at(1) > hi || !detail::utf8_continuation(at(2)) ||
          !detail::utf8_continuation(at(3)))
        return false;
      p += 4;
    } else {
      return false;  // F5-FF never occur in UTF-8
    }
    if (p == end) return true;
  }
}

std::string repair_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  const auto at = [bytes](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  std::size_t i = 0;
  while (i < bytes.size()) {
    const unsigned char c = at(i);
    if (c < 0x80U) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // the length the lead byte announces and the range its second byte must fall in
    std::size_t need = 0;
    unsigned lo = 0x80U;
    unsigned hi = 0xBFU;
    if (c >= 0xC2U && c < 0xE0U) {
      need = 2;
    } else if (c >= 0xE0U && c < 0xF0U) {
      need = 3;
      if (c == 0xE0U) lo = 0xA0U;  // E0 80-9F would be overlong
      if (c == 0xEDU) hi = 0x9FU;  // ED A0-BF are surrogates
    } else if (c >= 0xF0U && c < 0xF5U) {
      need = 4;
      if (c == 0xF0U) lo = 0x90U;  // F0 80-8F would be overlong
      if (c == 0xF4U) hi = 0x8FU;  // F4 90+ is past U+10FFFF
    }
    std::size_t len = 1;  // the lead byte, then as many continuation bytes as fit
    if (need > 0) {
      while (len < need && i + len < bytes.size()) {
        const unsigned char d = at(i + len);
        const bool ok = len == 1 ? (d >= lo && d <= hi) : detail::utf8_continuation(d);
        if (!ok) break;
        ++len;
      }
    }
    if (need > 0 && len == need)
      out.append(bytes.substr(i, len));
    else
      out += "\xEF\xBF\xBD";  // U+FFFD for the maximal subpart
    i += len;
  }
  return out;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && detail::utf8_continuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

void detail::append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  const auto byte = [](char32_t v) { return static_cast<char>(static_cast<unsigned char>(v)); };
  if (cp < 0x80) {
    out += byte(cp);
  } else if (cp < 0x800) {
    out += byte(0xC0 | (cp >> 6));
    out += byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += byte(0xE0 | (cp >> 12));
    out += byte(0x80 | ((cp >> 6) & 0x3F));
    out += byte(0x80 | (cp & 0x3F));
  } else {
    out += byte(0xF0 | (cp >> 18));
    out += byte(0x80 | ((cp >> 12) & 0x3F));
    out += byte(0x80 | ((cp >> 6) & 0x3F));
    out += byte(0x80 | (cp & 0x3F));
  }
}

std::string windows_1252_to_utf8(std::string_view bytes) {
  // 0x80-0x9F become at most 3 bytes (U+20AC € is E2 82 AC), 0xA0-0xFF 2, ASCII 1: count them,
  // size the output once (16 bytes of slack for whole-block stores), write, cut to what was written.
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  std::size_t size = bytes.size() + 16;
#if defined(__SSE2__)
  const __m128i c1_end = _mm_set1_epi8(static_cast<char>(0xA0));  // signed: 0x80-0x9F are below it
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto high = static_cast<std::uint32_t>(_mm_movemask_epi8(v));
    if (high == 0) continue;
    const auto c1 = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v, c1_end)));
    size += detail::popcount32(high) + detail::popcount32(c1) * 2;
  }
#endif
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    size += c >= 0xA0U ? 1 : c >= 0x80U ? 2 : 0;
  }
  std::string out;
  // a large file's copy is written from end to end: fault it in 2 MiB at a time (the resize
  // below is the first touch), not 4 KiB
  out.reserve(size);
  detail::advise_huge_pages(out.data(), size);
  out.resize(size);
  char* w = out.data();
  p = bytes.data();
  while (p < end) {
#if defined(__SSE2__)
    while (end - p >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(v));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
      const auto ascii = high == 0 ? 16U : static_cast<unsigned>(std::countr_zero(high));
      p += ascii;
      w += ascii;
      if (ascii < 16) break;
    }
#endif
    while (p < end && static_cast<unsigned char>(*p) < 0x80U) *w++ = *p++;
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    const char32_t cp = c < 0xA0U ? detail::windows_1252_c1[c - 0x80U] : char32_t{c};
    if (cp < 0x800) {
      *w++ = static_cast<char>(0xC0 | (cp >> 6));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *w++ = static_cast<char>(0xE0 | (cp >> 12));
      *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
  return out;
}

decoded_text decode_text(std::string_view bytes) {
  decoded_text r;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    r.had_bom = true;
  }
  if (is_valid_utf8(bytes)) {
    r.text = bytes;  // zero copy: the caller's buffer
    r.encoding = source_encoding::utf8;
  } else {
    r.storage = windows_1252_to_utf8(bytes);
    r.text = r.storage;
    r.encoding = source_encoding::windows_1252;
  }
  return r;
}

bool looks_binary(std::string_view head) noexcept {
  std::size_t ascii = 0;
  std::size_t control = 0;
  for (const char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c >= 0x80U) continue;  // Windows-1252 and UTF-8 text is full of these
    ++ascii;
    if ((c < 0x20U && c != '\t' && c != '\r' && c != '\n' && c != '\f') || c == 0x7FU) ++control;
  }
  return control * 10 > ascii;
}

bool line_reader::next(std::string_view& line) noexcept {
  if (pos_ >= text_.size()) return false;
  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* const p = begin + pos_;
  const char* const eol = detail::find_eol(p, end);
  line = std::string_view(p, static_cast<std::size_t>(eol - p));
  pos_ = static_cast<std::size_t>(eol - begin) + detail::eol_length(eol, end);
  ++line_no_;
  return true;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  line_reader reader(text);
  std::string_view line;
  while (reader.next(line)) lines.push_back(line);
  return lines;
}

std::size_t line_of_offset(std::string_view text, std::size_t offset) noexcept {
  if (offset > text.size()) offset = text.size();
  const char* const begin = text.data();
  std::size_t n = 1 + detail::count_eols(begin, begin + offset);
  // On the LF of a CRLF the terminator is not over yet: the CR just counted belongs to it.
  if (offset > 0 && offset < text.size() && text[offset] == '\n' && text[offset - 1] == '\r') --n;
  return n;
}


namespace {

// Runs `fn(char* dst) -> char* end` into a stack buffer when the output fits (it is never longer
// than `bound`), else into the heap; appends the result to out. Text cells are short: this keeps
// them off the character-by-character std::string growth path. `fn` may write 16 bytes past
// `bound` (whole-block stores).
template <class Fn>
void append_bounded(std::string& out, std::size_t bound, Fn fn) {
  constexpr std::size_t slack = 16;
  char stack[512 + slack];
  if (bound <= sizeof stack - slack) {
    const char* end = fn(stack);
    out.append(stack, static_cast<std::size_t>(end - stack));
    return;
  }
  const std::size_t start = out.size();
  out.resize(start + bound + slack);
  const char* end = fn(out.data() + start);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

#if defined(__SSE2__)
// append_collapse_blanks for text of at most 32 bytes without a 0xC2 byte (so no NBSP), the
// shape of nearly every description that has blanks to collapse: one mask of the non-blank
// bytes, then each run of them copied with whole-block stores, a space between runs. False,
// with nothing appended, for text that holds a 0xC2 byte.
bool collapse_short(std::string& out, std::string_view s) {
  const std::size_t n = s.size();
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'),
                lf = _mm_set1_epi8('\n'), c2 = _mm_set1_epi8('\xC2');
  __m128i v0 = _mm_setzero_si128(), v1 = _mm_setzero_si128();  // NUL padding: not blank, masked off
  if (n >= 16) {
    v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data()));
    if (n == 32) v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + 16));
    else if (n > 16) v1 = detail::load16_short(s.data() + 16, n - 16);
  } else if (n != 0) {
    v0 = detail::load16_short(s.data(), n);
  }
  const auto blanks = [&](__m128i v) {
    return static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)),
                     _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))))));
  };
  if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v0, c2), _mm_cmpeq_epi8(v1, c2))) != 0) return false;
  const std::uint64_t valid = (std::uint64_t{1} << n) - 1;
  std::uint64_t text = ~(blanks(v0) | (blanks(v1) << 16)) & valid;  // the bytes that are kept
  alignas(16) char in[64];  // the text, then NULs, so a run can be copied 16 bytes at a time
  _mm_store_si128(reinterpret_cast<__m128i*>(in), v0);
  _mm_store_si128(reinterpret_cast<__m128i*>(in + 16), v1);
  _mm_store_si128(reinterpret_cast<__m128i*>(in + 32), _mm_setzero_si128());
  _mm_store_si128(reinterpret_cast<__m128i*>(in + 48), _mm_setzero_si128());
  char buf[64];  // at most 32 bytes of output, and whole-block stores past them
  char* w = buf;
  while (text != 0) {
    const auto start = static_cast<unsigned>(std::countr_zero(text));
    const auto len = static_cast<unsigned>(std::countr_zero(~(text >> start)));  // bits 32+ are 0
    if (w != buf) *w++ = ' ';
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + start)));
    if (len > 16)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 16),
                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + start + 16)));
    w += len;
    text &= ~std::uint64_t{0} << (start + len);
  }
  out.append(buf, static_cast<std::size_t>(w - buf));
  return true;
}
#endif

}  // namespace

std::string collapse_blanks(std::string_view s) {
  std::string out;
  append_collapse_blanks(out, s);
  return out;
}

void detail::append_collapse_blanks(std::string& out, std::string_view s) {
#if defined(__SSE2__)
  if (s.size() <= 32 && collapse_short(out, s)) return;
  append_bounded(out, s.size(), [s](char* const begin) {
    // Runs of other bytes are copied 16 bytes per step up to the next blank candidate (space,
    // tab, CR, LF, or C2, which starts an NBSP); a run of blanks becomes one space when text
    // comes before and after it.
    const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r'),
                  lf = _mm_set1_epi8('\n'), c2 = _mm_set1_epi8('\xC2');
    const std::size_t n = s.size();
    char* w = begin;
    std::size_t i = 0;
    while (i < n) {
      if (std::size_t b = blank_at(s, i); b != 0) {
        do i = detail::skip_spaces(s.data(), i + b, n);
        while (i < n && (b = blank_at(s, i)) != 0);
        if (i < n && w != begin) *w++ = ' ';
        continue;
      }
      // s[i] is not a blank (it may be a C2 that starts some other character): its bit is cleared
      unsigned known = 1U;
      for (;;) {
        __m128i v;
        unsigned valid = 0xFFFFU;
        if (n - i >= 16) {
          v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
        } else {
          v = detail::load16_short(s.data() + i, n - i);
          valid = (1U << (n - i)) - 1U;
        }
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)),
                                         _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                                      _mm_cmpeq_epi8(v, c2)));
        const unsigned stop = (static_cast<unsigned>(_mm_movemask_epi8(hit)) & ~known) | ~valid;
        _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
        const auto run = static_cast<std::size_t>(std::countr_zero(stop));  // at most 16
        w += run;
        i += run;
        if (i >= n) break;
        if (run == 16) {  // the next block may start with anything
          known = 0;
          continue;
        }
        if (blank_at(s, i) != 0) break;
        known = 1;  // a C2 that is not an NBSP: part of the run; go on from it
      }
    }
    return w;
  });
#else
  append_bounded(out, s.size(), [s](char* const begin) {
    char* w = begin;
    bool pending = false;
    const std::size_t size = s.size();
    for (std::size_t i = 0; i < size;) {
      if (const std::size_t n = blank_at(s, i); n != 0) {
        pending = w != begin;
        i += n;
        continue;
      }
      if (pending) *w++ = ' ';
      pending = false;
      // copy the run up to the next blank candidate in one go
      std::size_t e = i + 1;
      while (e < size) {
        const char c = s[e];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\xC2') break;
        ++e;
      }
      std::memcpy(w, s.data() + i, e - i);
      w += e - i;
      i = e;
    }
    return w;
  });
#endif
}

std::string fold(std::string_view s) {
  std::string out;
  append_fold(out, s);
  return out;
}

namespace {

// fold() one character at s[i] (or one byte of a character it keeps as written), writing at w;
// returns the index after it. The output never holds two blanks in a row nor starts with one,
// and a blank is only ever written as ' ' (no folded letter is a space), so "a blank is due"
// is simply "the last byte written is not a space"; append_fold drops a trailing one.
inline std::size_t fold_char(std::string_view s, std::size_t i, char* const begin, char*& w) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80U) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (w != begin && w[-1] != ' ') *w++ = ' ';
    } else {
      *w++ = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 0x20U : c);
    }
    return i + 1;
  }
  if (i + 1 < s.size() && detail::utf8_continuation(static_cast<unsigned char>(s[i + 1]))) {
    const auto c2 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xC2U && c2 == 0xA0U) {  // NBSP is a blank
      if (w != begin && w[-1] != ' ') *w++ = ' ';
      return i + 2;
    }
    if (c == 0xC2U && (c2 == 0xBAU || c2 == 0xB0U || c2 == 0xAAU)) {  // º ° ª
      *w++ = c2 == 0xAAU ? 'a' : 'o';
      return i + 2;
    }
    if (c == 0xC3U) {
      const std::string_view folded = detail::fold_latin1[c2 - 0x80U];
      if (folded.empty()) {  // × ÷ þ stay as they are
        *w++ = s[i];
        *w++ = s[i + 1];
      } else {
        for (const char f : folded) *w++ = f;
      }
      return i + 2;
    }
  }
  // Any other byte of a multi-byte character (or of invalid UTF-8) is kept as it is.
  *w++ = s[i];
  return i + 1;
}

}  // namespace

void detail::append_fold(std::string& out, std::string_view s) {
  // The folded text is never longer than the input (every mapping keeps or shrinks the byte
  // count, and a space is only written for a blank already counted); fold_to needs 16 more.
  const std::size_t start = out.size();
  out.resize(start + s.size() + 16);
  const char* const end = detail::fold_to(out.data() + start, s);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

namespace detail {

char* fold_to(char* const begin, std::string_view s, std::size_t from) noexcept {
  const std::size_t n = s.size();
  // a plain prefix folds to itself lower-cased, byte for byte: it is there already
  char* w = begin + from;
  std::size_t i = from;
#if defined(__SSE2__)
  // 16 bytes at a time while they are plain: ASCII, no tab/CR/LF, no blank after a blank.
  // At the first byte that is not, the plain prefix is kept and that one character goes
  // through fold_char.
  // One signed compare flags both the bytes past ASCII (negative) and the controls below ' ':
  // tab, CR and LF must go through fold_char, and the other controls may (it copies them).
  const __m128i space = _mm_set1_epi8(' ');
  // 'A'-'Z' shifted to the bottom of the signed range: one add and one compare find them
  const __m128i upper_shift = _mm_set1_epi8(static_cast<char>(0x80 - 'A'));
  const __m128i upper_end = _mm_set1_epi8(static_cast<char>(0x80 + 26));
  const __m128i to_lower = _mm_set1_epi8(0x20);
  while (i < n) {
    __m128i v;
    unsigned valid = 0xFFFFU;
    if (n - i >= 16) {
      v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    } else {
      v = load16_short(s.data() + i, n - i);
      valid = (1U << (n - i)) - 1U;
    }
    const auto sp = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    const unsigned space_first = (w == begin || w[-1] == ' ') ? 1U : 0U;  // a blank is not due
    const unsigned special = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmplt_epi8(v, space))) |
                             (sp & ((sp << 1) | space_first)) | ~valid;
    const __m128i is_upper = _mm_cmplt_epi8(_mm_add_epi8(v, upper_shift), upper_end);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(w), _mm_or_si128(v, _mm_and_si128(is_upper, to_lower)));
    // bits 16 and up are always set (~valid), so this is at most 16
    const auto plain = static_cast<unsigned>(std::countr_zero(special));
    w += plain;
    i += plain;
    if (plain < 16 && i < n) {
      i = fold_char(s, i, begin, w);
      // after a blank, the spaces that follow add nothing (fixed-width text has long runs)
      if (w != begin && w[-1] == ' ') i = skip_spaces(s.data(), i, n);
    }
  }
#else
  while (i < n) i = fold_char(s, i, begin, w);
#endif
  if (w != begin && w[-1] == ' ') --w;
  return w;
}

}  // namespace detail

namespace {

bool parse_code_point(std::string_view digits, bool hex, char32_t& cp) noexcept {
  if (digits.empty() || digits.size() > (hex ? 6U : 7U)) return false;
  char32_t v = 0;
  for (const char c : digits) {
    unsigned d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    v = v * (hex ? 16U : 10U) + d;
  }
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
  // HTML reads &#150; as Windows-1252 would, and so did whatever produced it.
  if (v >= 0x80 && v <= 0x9F) v = detail::windows_1252_c1[v - 0x80];
  cp = v;
  return true;
}

bool lookup_entity(std::string_view name, char32_t& cp) noexcept {
  if (name.empty()) return false;
  if (name[0] == '#') {
    if (name.size() > 1 && (name[1] == 'x' || name[1] == 'X'))
      return parse_code_point(name.substr(2), true, cp);
    return parse_code_point(name.substr(1), false, cp);
  }
  for (const auto& e : detail::other_entities) {
    if (e.name == name) {
      cp = e.cp;
      return true;
    }
  }
  for (std::size_t k = 0; k < detail::latin1_entities.size(); ++k) {
    if (detail::latin1_entities[k] == name) {
      cp = static_cast<char32_t>(0xA0 + k);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_decode_entities(out, s);
  return out;
}

void detail::append_decode_entities(std::string& out, std::string_view s) {
  std::size_t i = 0;
  for (;;) {
    const std::size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) break;
    out.append(s.substr(i, amp - i));
    constexpr std::size_t longest = 10;  // "&#x10FFFF;" and "&thetasym;" fit
    const std::size_t semi = s.substr(amp + 1, longest + 1).find(';');
    char32_t cp = 0;
    if (semi != std::string_view::npos && lookup_entity(s.substr(amp + 1, semi), cp)) {
      append_utf8(out, cp);
      i = amp + semi + 2;
    } else {
      out += '&';  // not an entity we know: keep it as written
      i = amp + 1;
    }
  }
  out.append(s.substr(i));
}

}  // namespace bankflow
