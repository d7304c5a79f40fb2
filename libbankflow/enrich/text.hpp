#pragma once
// The text enrichment matches on: a row's description upper-cased with accents removed, once per
// row, with the way back to the original bytes so what it finds is a view of the description.
// And the index that finds which of many word patterns occur in it without trying each.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// 'A'-'Z' and '0'-'9' after folding: the characters words are made of.
[[nodiscard]] constexpr bool is_word_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Whether `c` is one of the few bytes of `set` (no call: the sets here are a handful of bytes).
[[nodiscard]] constexpr bool one_of(std::string_view set, char c) noexcept {
  for (const char x : set)
    if (x == c) return true;
  return false;
}

/// Words are found through a bucket of their length and first four bytes, the same for a
/// pattern's first word and a text's words, so a text word only meets patterns that may start
/// with it.
inline constexpr std::size_t word_buckets = 1024;

/// Up to 8 bytes of p (of which `available` may be read), little-endian, zero-padded: a word's
/// bucket takes its first four, and a pattern's are compared before the pattern is, so patterns
/// that share their first word are told apart without a call.
[[nodiscard]] inline std::uint64_t head_of(const char* p, std::size_t available) noexcept {
  std::uint64_t h = 0;
  if (std::endian::native == std::endian::little && available >= 8) {
    std::memcpy(&h, p, 8);
    return h;
  }
  for (std::size_t j = 0; j < 8 && j < available; ++j)
    h |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[j])) << (8 * j);
  return h;
}

/// The bucket of a word of `len` characters whose first bytes are `head8` (head_of).
[[nodiscard]] constexpr std::uint16_t word_bucket(std::uint64_t head8, std::size_t len) noexcept {
  auto head = static_cast<std::uint32_t>(head8);
  if (len < 4) head &= (std::uint32_t{1} << (8 * len)) - 1;
  return static_cast<std::uint16_t>(((head * 0x9E3779B1U) ^ (static_cast<std::uint32_t>(len) * 0x85EBCA77U)) >> 22);
}

/// A description folded to upper-case ASCII (accented Latin letters to their base letter, `º`
/// to O), on the stack; longer text is cut at `capacity`. Folding also finds the words, once,
/// for every matcher of the row (word_index::best).
class folded_text {
 public:
  static constexpr std::size_t capacity = 384;

  /// Folds `original` (UTF-8); the views it hands out stay valid as long as `original`.
  void assign(std::string_view original) noexcept;
  /// The folded text.
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }
  /// The original bytes of folded[begin, end).
  [[nodiscard]] std::string_view original(std::size_t begin, std::size_t end) const noexcept {
    const std::size_t b = source(begin);
    return original_.substr(b, source(end) - b);
  }
  /// The original description.
  [[nodiscard]] std::string_view original() const noexcept { return original_; }
  /// How many words (runs of is_word_char) the text has, where word w starts, and its bucket.
  [[nodiscard]] std::size_t words() const noexcept { return words_; }
  [[nodiscard]] std::size_t word_at(std::size_t w) const noexcept { return word_at_[w]; }
  [[nodiscard]] std::uint16_t bucket(std::size_t w) const noexcept { return bucket_[w]; }
  [[nodiscard]] std::size_t word_length(std::size_t w) const noexcept { return word_length_[w]; }
  /// Whether the text holds `c`, one of the ASCII marks `!` to `@` other than the digits (the
  /// scan that finds the words notes them, so a step that needs a `/` or a `(` skips rows
  /// without one).
  /// Whether a word starts with `PARC` (`PARC`, `PARCELA`, `PARC03/10` …): an instalment mark is
  /// looked for only then (the word scan notes it).
  [[nodiscard]] bool has_parc_word() const noexcept { return parc_; }
  [[nodiscard]] bool has(char c) const noexcept {
    return ((marks_ >> (static_cast<unsigned char>(c) & 63U)) & 1U) != 0;
  }

 private:
  void find_words() noexcept;
  // Where folded position p came from: each multi-byte character shifts what follows it, so the
  // shift is kept from there on (a handful per description, none in ASCII text).
  [[nodiscard]] std::size_t source(std::size_t p) const noexcept {
    std::size_t k = shifts_;
    while (k > 0 && shift_at_[k - 1] > p) --k;
    return p + (k == 0 ? 0 : shift_[k - 1]);
  }
  // Left uninitialized: assign() writes what is read (a row costs no memset). text_ has 16 bytes
  // of zeros after the text, so the word scan and the matchers may read a little past it.
  alignas(16) std::array<char, capacity + 16> text_;
  std::array<std::uint16_t, capacity / 2 + 1> word_at_, bucket_, word_length_;
  std::array<std::uint16_t, capacity> shift_at_, shift_;
  std::size_t size_ = 0, words_ = 0, shifts_ = 0;
  std::uint64_t marks_ = 0;  // bit (c & 63) for each mark c in '!'..'@' the text holds (has())
  bool parc_ = false;        // has_parc_word()
  std::string_view original_;
};

/// Appends `s` folded as folded_text does (for patterns: rules, tables).
void append_folded(std::string& out, std::string_view s);

/// Whether `pattern`, which `text` holds at `pos`, is whole words there: an alphanumeric end of
/// the pattern may not continue into a word of the text.
[[nodiscard]] inline bool bounded_at(std::string_view text, std::size_t pos, std::string_view pattern) noexcept {
  if (pos > 0 && is_word_char(pattern.front()) && is_word_char(text[pos - 1])) return false;
  const std::size_t end = pos + pattern.size();
  return end == text.size() || !is_word_char(pattern.back()) || !is_word_char(text[end]);
}

/// Whether `pattern` occurs in `text` at `pos` as whole words. Inline: every matcher asks it of
/// every candidate.
[[nodiscard]] inline bool words_at(std::string_view text, std::size_t pos, std::string_view pattern) noexcept {
  if (pattern.empty() || pos > text.size() || text.size() - pos < pattern.size() ||
      std::memcmp(text.data() + pos, pattern.data(), pattern.size()) != 0)
    return false;
  return bounded_at(text, pos, pattern);
}

/// A pattern's first 16 bytes, to compare with a text's without a call: patterns that share a
/// first word (`TRANSFERENCIA RECEBIDA`, `TRANSFERENCIA ENVIADA`) mostly differ there, and a
/// pattern of up to 16 bytes is wholly compared.
struct pattern_head {
  std::uint64_t head = 0, mask = 0, head2 = 0, mask2 = 0;  // bytes 0-7 and 8-15, zero-padded
  pattern_head() = default;
  explicit pattern_head(std::string_view p) noexcept {
    auto take = [](std::string_view part, std::uint64_t& bytes, std::uint64_t& which) {
      const std::size_t n = std::min<std::size_t>(part.size(), 8);
      which = n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
      bytes = n == 0 ? 0 : head_of(part.data(), part.size()) & which;
    };
    take(p, head, mask);
    take(p.size() > 8 ? p.substr(8) : std::string_view{}, head2, mask2);
  }
  /// Whether text[pos] starts with `pattern` (the one this was made of); `first` is
  /// head_of(text at pos).
  [[nodiscard]] bool bytes_at(std::string_view text, std::size_t pos, std::uint64_t first,
                              std::string_view pattern) const noexcept {
    const std::size_t left = text.size() - pos;
    if ((first & mask) != head || left < pattern.size()) return false;
    if (pattern.size() <= 8) return true;
    if ((head_of(text.data() + pos + 8, left - 8) & mask2) != head2) return false;
    return pattern.size() <= 16 || std::memcmp(text.data() + pos + 16, pattern.data() + 16, pattern.size() - 16) == 0;
  }
  /// The same, as whole words (words_at).
  [[nodiscard]] bool at(std::string_view text, std::size_t pos, std::uint64_t first, std::string_view pattern) const noexcept {
    return bytes_at(text, pos, first, pattern) && bounded_at(text, pos, pattern);
  }
};

/// The first position where `pattern` occurs in `text` as whole words; npos when it does not.
[[nodiscard]] std::size_t find_words(std::string_view text, std::string_view pattern) noexcept;

/// Patterns (folded) indexed by the bucket of their first word, so a text is matched against all
/// of them with one look-up per word. Patterns that only match at the start of the text are kept
/// apart, so the words after the first never look at them; the rare pattern that does not start
/// with a word character is searched for on its own.
class word_index {
 public:
  /// Adds pattern number `id` (ids are priorities: the lowest matching one wins).
  void add(std::string_view pattern, std::uint16_t id, bool at_start_only);
  /// Sorts the index; call once after the last add().
  void finish();
  /// The lowest id below `below` whose pattern occurs in `text` as whole words (at its start when
  /// so added) and that `accept(id)` takes; `none` when none does.
  template <class Accept>
  [[nodiscard]] std::uint16_t best(std::string_view text, Accept accept, std::uint16_t below = none) const {
    std::uint16_t found = odd(text, accept, below);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (!is_word_char(text[i])) continue;
      std::size_t end = i + 1;  // the word is text[i, end)
      while (end < text.size() && is_word_char(text[end])) ++end;
      const std::uint16_t b = word_bucket(head_of(text.data() + i, text.size() - i), end - i);
      if (i == 0) found = start_.best_at(text, 0, b, accept, found);
      if (found <= anywhere_.lowest) break;
      found = anywhere_.best_at(text, i, b, accept, found);
      i = end;  // a blank or the end
    }
    return found == below ? none : found;
  }
  /// The same over a folded text, through the words it found.
  template <class Accept>
  [[nodiscard]] std::uint16_t best(const folded_text& f, Accept accept, std::uint16_t below = none) const {
    const std::string_view text = f.view();
    std::uint16_t found = odd(text, accept, below);
    const std::size_t n = f.words();
    if (n != 0 && f.word_at(0) == 0) found = start_.best_at(text, 0, f.bucket(0), accept, found);
    for (std::size_t w = 0; w < n && found > anywhere_.lowest; ++w)
      found = anywhere_.best_at(text, f.word_at(w), f.bucket(w), accept, found);
    return found == below ? none : found;
  }
  /// The same over folded[b, e) (as if that were the whole text), through the words of `f`.
  template <class Accept>
  [[nodiscard]] std::uint16_t best(const folded_text& f, std::size_t b, std::size_t e, Accept accept) const {
    const std::string_view text = f.view().substr(b, e - b);
    std::uint16_t found = odd(text, accept, none);
    auto at = [&](std::size_t i, std::uint16_t bucket) {  // a word at text[i]
      if (i == 0) found = start_.best_at(text, 0, bucket, accept, found);
      if (found > anywhere_.lowest) found = anywhere_.best_at(text, i, bucket, accept, found);
    };
    std::size_t w = 0;
    while (w < f.words() && f.word_at(w) < b) ++w;
    // a word the range starts inside of is a word of its own here
    if (!text.empty() && is_word_char(text[0]) && (w == f.words() || f.word_at(w) != b)) {
      std::size_t end = 1;
      while (end < text.size() && is_word_char(text[end])) ++end;
      at(0, word_bucket(head_of(text.data(), text.size()), end));
    }
    for (; w < f.words() && f.word_at(w) < e; ++w) {
      const std::size_t i = f.word_at(w) - b, len = f.word_length(w);
      if (i > 0 && found <= anywhere_.lowest) break;
      // a word the range ends inside of is cut there
      at(i, i + len <= text.size() ? f.bucket(w)
                                   : word_bucket(head_of(text.data() + i, text.size() - i), text.size() - i));
    }
    return found;
  }
  static constexpr std::uint16_t none = 0xFFFF;  ///< no pattern matched

 private:
  struct entry {
    std::string_view pattern;
    std::uint16_t id;
    std::uint16_t bucket;
    pattern_head head;  // its first 16 bytes, to reject most entries without a call
  };
  // The patterns of one kind (at the start only, or anywhere), by bucket then id.
  struct table {
    std::vector<entry> entries;
    std::array<std::uint16_t, word_buckets + 1> start{};
    std::uint16_t lowest = none;  // the lowest id in it
    void finish();
    // The lowest id below `found` of a pattern at text[i] (a word in bucket b) that `accept`
    // takes, else `found`.
    template <class Accept>
    [[nodiscard]] std::uint16_t best_at(std::string_view text, std::size_t i, std::uint16_t b, Accept& accept,
                                        std::uint16_t found) const {
      std::uint32_t e = start[b];
      const std::uint32_t end = start[b + 1];
      if (e == end) return found;
      const std::uint64_t head = head_of(text.data() + i, text.size() - i);
      // a bucket's entries are in id order: the first one not below `found` ends the search
      for (; e < end && entries[e].id < found; ++e) {
        const entry& en = entries[e];
        if (en.head.at(text, i, head, en.pattern) && accept(en.id)) return en.id;
      }
      return found;
    }
  };
  // The patterns that start with no word character, each searched for in the whole text.
  template <class Accept>
  [[nodiscard]] std::uint16_t odd(std::string_view text, Accept& accept, std::uint16_t found) const {
    for (const entry& en : odd_) {
      if (en.id >= found) break;
      const std::size_t at = find_words(text, en.pattern);
      if (at != std::string_view::npos && (en.bucket == 0 || at == 0) && accept(en.id)) return en.id;
    }
    return found;
  }
  table start_, anywhere_;
  std::vector<entry> odd_;  // by id; bucket 1: at the start only
};

}  // namespace bankflow::detail
