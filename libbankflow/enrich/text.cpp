#include "enrich/text.hpp"

#include <algorithm>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bankflow::detail {

namespace {

// U+00C0..U+00FF (UTF-8 C3 80..C3 BF) to their base letter, upper case; 0 for the others.
constexpr std::string_view latin1_base{
    "AAAAAAACEEEEIIII"  // À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "DNOOOOO?OUUUUYTS"  // Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "AAAAAAACEEEEIIII"  // à …
    "DNOOOOO?OUUUUYTY", 64};

// The folded form of the character at s[i] (UTF-8), and its length in bytes.
char fold_char(std::string_view s, std::size_t i, std::size_t& len) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  len = 1;
  if (c < 0x80) return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : static_cast<char>(c);
  if ((c == 0xC3 || c == 0xC2) && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    len = 2;
    if (c == 0xC2) return d == 0xBA ? 'O' : d == 0xAA ? 'A' : ' ';  // º ª; NBSP and the rest: blank
    return d >= 0x80 && d <= 0xBF ? latin1_base[d - 0x80] : '?';
  }
  // another sequence (•, €, …): one mark for the whole character
  len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  len = std::min(len, s.size() - i);
  return '\x7F';
}

}  // namespace

void folded_text::assign(std::string_view original) noexcept {
  original_ = original;
  size_ = 0;
  shifts_ = 0;
  const std::size_t n = original.size();
  std::size_t i = 0;
  while (i < n && size_ < capacity) {
#if defined(__SSE2__)
    // 16 bytes at a time while they are ASCII, most of every description (the last few through
    // a zeroed copy, so nothing past the text is read)
    const std::size_t take = std::min({n - i, capacity - size_, std::size_t{16}});
    __m128i c;
    if (n - i >= 16) {
      c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(original.data() + i));
    } else {
      alignas(16) char last[16] = {};
      std::memcpy(last, original.data() + i, n - i);
      c = _mm_load_si128(reinterpret_cast<const __m128i*>(last));
    }
    const __m128i lower = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(c, _mm_set1_epi8('z' + 1)));
    c = _mm_sub_epi8(c, _mm_and_si128(lower, _mm_set1_epi8(0x20)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(text_.data() + size_), c);  // size_ < capacity
    const auto high = static_cast<unsigned>(_mm_movemask_epi8(c));
    // the ASCII bytes before the first other one are done; what was stored after them is
    // overwritten below
    const std::size_t ascii = std::min(high == 0 ? std::size_t{16} : static_cast<std::size_t>(std::countr_zero(high)), take);
    i += ascii;
    size_ += ascii;
    if (ascii == take) continue;
#else
    if (const auto c = static_cast<unsigned char>(original[i]); c < 0x80) {
      text_[size_++] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      ++i;
      continue;
    }
#endif
    // original[i] starts a multi-byte character (or is a stray byte); so may the ones after it
    // (`•••`, `ção`), which are folded here before the 16-byte path is tried again
    do {
      std::size_t len = 1;
      text_[size_++] = fold_char(original, i, len);
      i += len;
      if (len > 1) {  // what follows comes from len - 1 bytes further on
        shift_at_[shifts_] = static_cast<std::uint16_t>(size_);
        shift_[shifts_++] = static_cast<std::uint16_t>(std::min<std::size_t>(i - size_, 0xFFFF));
      }
    } while (i < n && size_ < capacity && static_cast<unsigned char>(original[i]) >= 0x80);
  }
  std::memset(text_.data() + size_, 0, 16);
  find_words();
}

namespace {

// Bit j of `word`: text[j] is a word character; of `marks`: one of '!'..'@' other than a digit;
// for the 64 bytes at text (16 of them zeros past its end at most: text_'s slack).
struct byte_masks {
  std::uint64_t word = 0, marks = 0;
};

byte_masks masks_of(const char* text, std::size_t size) noexcept {
  byte_masks m;
#if defined(__SSE2__)
  const __m128i before_a = _mm_set1_epi8('A' - 1), after_z = _mm_set1_epi8('Z' + 1);
  const __m128i before_0 = _mm_set1_epi8('0' - 1), after_9 = _mm_set1_epi8('9' + 1);
  const __m128i blank = _mm_set1_epi8(' ');
  for (std::size_t j = 0; j < 64 && j < size; j += 16) {
    const __m128i c = _mm_load_si128(reinterpret_cast<const __m128i*>(text + j));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(c, before_a), _mm_cmplt_epi8(c, after_z));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(c, before_0), _mm_cmplt_epi8(c, after_9));
    const __m128i mark = _mm_andnot_si128(digit, _mm_and_si128(_mm_cmpgt_epi8(c, blank), _mm_cmplt_epi8(c, after_z)));
    m.word |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(letter, digit)))) << j;
    m.marks |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(letter, mark)))) << j;
  }
#else
  for (std::size_t j = 0; j < 64 && j < size; ++j) {
    if (is_word_char(text[j])) m.word |= std::uint64_t{1} << j;
    else if (text[j] > ' ' && text[j] <= '@') m.marks |= std::uint64_t{1} << j;
  }
#endif
  if (size < 64) {
    const std::uint64_t in = (std::uint64_t{1} << size) - 1;
    m.word &= in;
    m.marks &= in;
  }
  return m;
}

}  // namespace

void folded_text::find_words() noexcept {
  words_ = 0;
  marks_ = 0;
  parc_ = false;
  constexpr std::uint32_t parc = 'P' | ('A' << 8) | ('R' << 16) | (static_cast<std::uint32_t>('C') << 24);
  std::uint64_t carry = 0;  // whether the byte before these 64 is a word character
  byte_masks m = size_ == 0 ? byte_masks{} : masks_of(text_.data(), size_);
  for (std::size_t base = 0; base < size_; base += 64) {
    const byte_masks next = base + 64 < size_ ? masks_of(text_.data() + base + 64, size_ - base - 64) : byte_masks{};
    const std::uint64_t word = m.word;
    for (std::uint64_t starts = word & ~((word << 1) | carry); starts != 0; starts &= starts - 1) {
      const auto j = static_cast<std::size_t>(std::countr_zero(starts));
      std::size_t len = static_cast<std::size_t>(std::countr_one(word >> j));
      if (j + len == 64) [[unlikely]] {  // on into the next 64, and (rarely) past them
        len += static_cast<std::size_t>(std::countr_one(next.word));
        while (is_word_char(text_[base + j + len])) ++len;  // the zeros after the text end it
      }
      word_at_[words_] = static_cast<std::uint16_t>(base + j);
      word_length_[words_] = static_cast<std::uint16_t>(len);
      const std::uint64_t head = head_of(text_.data() + base + j, 8);
      bucket_[words_++] = word_bucket(head, len);
      parc_ |= static_cast<std::uint32_t>(head) == parc;  // four word characters: a word of 4 or more
    }
    for (std::uint64_t marks = m.marks; marks != 0; marks &= marks - 1)
      marks_ |= std::uint64_t{1} << (static_cast<unsigned char>(text_[base + static_cast<std::size_t>(std::countr_zero(marks))]) & 63U);
    carry = word >> 63;
    m = next;
  }
}

void append_folded(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    out += fold_char(s, i, len);
    i += len;
  }
}

std::size_t find_words(std::string_view text, std::string_view pattern) noexcept {
  if (pattern.empty()) return std::string_view::npos;
  for (std::size_t at = text.find(pattern); at != std::string_view::npos; at = text.find(pattern, at + 1))
    if (words_at(text, at, pattern)) return at;
  return std::string_view::npos;
}

void word_index::add(std::string_view pattern, std::uint16_t id, bool at_start_only) {
  if (pattern.empty()) return;
  if (!is_word_char(pattern[0])) {
    odd_.push_back({pattern, id, static_cast<std::uint16_t>(at_start_only ? 1 : 0), pattern_head(pattern)});
    return;
  }
  std::size_t first = 1;  // the pattern's first word is pattern[0, first)
  while (first < pattern.size() && is_word_char(pattern[first])) ++first;
  const std::uint16_t bucket = word_bucket(head_of(pattern.data(), pattern.size()), first);
  (at_start_only ? start_ : anywhere_).entries.push_back({pattern, id, bucket, pattern_head(pattern)});
}

void word_index::finish() {
  start_.finish();
  anywhere_.finish();
  std::stable_sort(odd_.begin(), odd_.end(), [](const entry& a, const entry& b) { return a.id < b.id; });
}

void word_index::table::finish() {
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
    return a.bucket != b.bucket ? a.bucket < b.bucket : a.id < b.id;
  });
  start.fill(0);
  lowest = none;
  for (const entry& e : entries) {
    ++start[e.bucket + 1];
    lowest = std::min(lowest, e.id);
  }
  for (std::size_t b = 0; b < word_buckets; ++b) start[b + 1] = static_cast<std::uint16_t>(start[b + 1] + start[b]);
}

}  // namespace bankflow::detail
