#pragma once
// The text enrichment matches on: a row's description upper-cased with accents removed, once per
// row, with the way back to the original bytes so what it finds is a view of the description.
// And the index that finds which of many word patterns occur in it without trying each.

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

/// A description folded to upper-case ASCII (accented Latin letters to their base letter, `º`
/// to O), on the stack; longer text is cut at `capacity`.
class folded_text {
 public:
  static constexpr std::size_t capacity = 384;

  /// Folds `original` (UTF-8); the views it hands out stay valid as long as `original`.
  void assign(std::string_view original) noexcept;
  /// The folded text.
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }
  /// The original bytes of folded[begin, end).
  [[nodiscard]] std::string_view original(std::size_t begin, std::size_t end) const noexcept {
    return original_.substr(from_[begin], from_[end] - from_[begin]);
  }
  /// The original description.
  [[nodiscard]] std::string_view original() const noexcept { return original_; }

 private:
  // left uninitialized: assign() writes what view() and original() read (a row costs no memset)
  std::array<char, capacity> text_;
  std::array<std::uint16_t, capacity + 1> from_;
  std::size_t size_ = 0;
  std::string_view original_;
};

/// Appends `s` folded as folded_text does (for patterns: rules, tables).
void append_folded(std::string& out, std::string_view s);

/// Whether `pattern` occurs in `text` at `pos` as whole words (an alphanumeric end of the pattern
/// may not continue into a word of the text).
[[nodiscard]] bool words_at(std::string_view text, std::size_t pos, std::string_view pattern) noexcept;

/// The first position where `pattern` occurs in `text` as whole words; npos when it does not.
[[nodiscard]] std::size_t find_words(std::string_view text, std::string_view pattern) noexcept;

/// Patterns (folded, starting with a word character) indexed by their first two characters, so a
/// text is matched against all of them in one pass over its words. Patterns that only match at the
/// start of the text are kept apart, so the words after the first never look at them.
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
    std::uint16_t found = below;
    if (!text.empty() && is_word_char(text[0])) found = start_.best_at(text, 0, accept, found);
    if (found <= anywhere_.lowest) return found == below ? none : found;
    // one table look-up per byte: 0 for a byte that is not a word character
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const bool word = ranks[static_cast<unsigned char>(text[i])] != 0;
      if (word && !in_word) found = anywhere_.best_at(text, i, accept, found);
      in_word = word;
    }
    return found == below ? none : found;
  }
  static constexpr std::uint16_t none = 0xFFFF;  ///< no pattern matched

 private:
  struct entry {
    std::string_view pattern;
    std::uint16_t id;
    std::uint16_t k;
    std::uint32_t head, mask;  // the pattern's first 4 bytes, to reject most entries without a call
  };
  static constexpr std::size_t key_count = 37 * 37;
  // The patterns of one kind (at the start only, or anywhere), by key then id.
  struct table {
    std::vector<entry> entries;
    std::array<std::uint32_t, key_count + 1> start{};
    std::uint16_t lowest = none;  // the lowest id in it
    void finish();
    // The lowest id below `found` of a pattern at text[i] that `accept` takes, else `found`.
    template <class Accept>
    [[nodiscard]] std::uint16_t best_at(std::string_view text, std::size_t i, Accept& accept,
                                        std::uint16_t found) const {
      const std::size_t k = key(text[i], i + 1 < text.size() ? text[i + 1] : ' ');
      if (start[k] == start[k + 1]) return found;
      const std::uint32_t head = head_of(text.substr(i));
      // a key's entries are in id order: the first one not below `found` ends the search
      for (std::uint32_t e = start[k]; e < start[k + 1] && entries[e].id < found; ++e) {
        const entry& en = entries[e];
        if ((head & en.mask) == en.head && words_at(text, i, en.pattern) && accept(en.id)) return en.id;
      }
      return found;
    }
  };
  // Up to 4 bytes of s, little-endian, zero-padded.
  [[nodiscard]] static std::uint32_t head_of(std::string_view s) noexcept {
    std::uint32_t h = 0;
    if (std::endian::native == std::endian::little && s.size() >= 4) {
      std::memcpy(&h, s.data(), 4);
      return h;
    }
    for (std::size_t j = 0; j < 4 && j < s.size(); ++j)
      h |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[j])) << (8 * j);
    return h;
  }
  [[nodiscard]] static std::size_t key(char a, char b) noexcept {
    return static_cast<std::size_t>(ranks[static_cast<unsigned char>(a)]) * 37 +
           ranks[static_cast<unsigned char>(b)];
  }
  // A byte's rank in a key: 'A'-'Z' 1-26, '0'-'9' 27-36, anything else 0 (not a word character).
  static constexpr std::array<std::uint8_t, 256> ranks = [] {
    std::array<std::uint8_t, 256> r{};
    for (int c = 'A'; c <= 'Z'; ++c) r[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'A' + 1);
    for (int c = '0'; c <= '9'; ++c) r[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0' + 27);
    return r;
  }();
  table start_, anywhere_;
};

}  // namespace bankflow::detail
