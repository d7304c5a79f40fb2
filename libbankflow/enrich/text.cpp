#include "enrich/text.hpp"

#include <algorithm>
#include <string>

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
  std::size_t i = 0;
  while (i < original.size() && size_ < capacity) {
    const auto c = static_cast<unsigned char>(original[i]);
    if (c < 0x80) {  // ASCII, most of every description: no call, no length
      from_[size_] = static_cast<std::uint16_t>(i++);
      text_[size_++] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      continue;
    }
    std::size_t len = 1;
    from_[size_] = static_cast<std::uint16_t>(i);
    text_[size_++] = fold_char(original, i, len);
    i += len;
  }
  from_[size_] = static_cast<std::uint16_t>(std::min<std::size_t>(i, 0xFFFF));
}

void append_folded(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    out += fold_char(s, i, len);
    i += len;
  }
}

bool words_at(std::string_view text, std::size_t pos, std::string_view pattern) noexcept {
  if (pattern.empty() || text.size() - pos < pattern.size() || text.compare(pos, pattern.size(), pattern) != 0)
    return false;
  if (pos > 0 && is_word_char(pattern.front()) && is_word_char(text[pos - 1])) return false;
  const std::size_t end = pos + pattern.size();
  return end == text.size() || !is_word_char(pattern.back()) || !is_word_char(text[end]);
}

std::size_t find_words(std::string_view text, std::string_view pattern) noexcept {
  if (pattern.empty()) return std::string_view::npos;
  for (std::size_t at = text.find(pattern); at != std::string_view::npos; at = text.find(pattern, at + 1))
    if (words_at(text, at, pattern)) return at;
  return std::string_view::npos;
}

void word_index::add(std::string_view pattern, std::uint16_t id, bool at_start_only) {
  if (pattern.empty()) return;
  const auto k = static_cast<std::uint16_t>(key(pattern[0], pattern.size() > 1 ? pattern[1] : ' '));
  const std::size_t n = std::min<std::size_t>(pattern.size(), 4);
  const std::uint32_t mask = n == 4 ? 0xFFFFFFFFU : (std::uint32_t{1} << (8 * n)) - 1;
  (at_start_only ? start_ : anywhere_).entries.push_back({pattern, id, k, head_of(pattern) & mask, mask});
}

void word_index::finish() {
  start_.finish();
  anywhere_.finish();
}

void word_index::table::finish() {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const entry& a, const entry& b) { return a.k != b.k ? a.k < b.k : a.id < b.id; });
  start.fill(0);
  lowest = none;
  for (const entry& e : entries) {
    ++start[e.k + 1];
    lowest = std::min(lowest, e.id);
  }
  for (std::size_t k = 0; k < key_count; ++k) start[k + 1] += start[k];
}

}  // namespace bankflow::detail
