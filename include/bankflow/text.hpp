#pragma once
/// @file Text: UTF-8 validation, Windows-1252 decoding, BOM removal, line splitting, folding.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// The encoding a file turned out to be in.
enum class source_encoding { utf8, windows_1252 };

/// The input as UTF-8. When the input was already valid UTF-8 (after an optional BOM, which is
/// skipped), `text` is a view of the caller's bytes (no copy) and `storage` is empty; otherwise
/// `text` views `storage`.
/// Either way `text` stays valid as long as this object and the caller's buffer live.
struct decoded_text {
  std::string storage;    ///< the converted text, when a conversion was needed
  std::string_view text;  ///< the UTF-8 text, BOM excluded
  source_encoding encoding = source_encoding::utf8;  ///< what the input was
  bool had_bom = false;   ///< the input began with a UTF-8 BOM

  /// Empty text.
  decoded_text() = default;
  decoded_text(const decoded_text&) = delete;  // text may point into storage
  decoded_text& operator=(const decoded_text&) = delete;
  /// Moves keep `text` valid (re-pointed at the moved storage).
  decoded_text(decoded_text&& other) noexcept;
  /// As the move constructor.
  decoded_text& operator=(decoded_text&& other) noexcept;
};

/// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view bytes) noexcept;

/// `bytes` as well-formed UTF-8: every maximal ill-formed subsequence (a stray byte, a
/// truncated or overlong sequence, a surrogate, a code point past U+10FFFF) becomes one U+FFFD,
/// as WHATWG's decoder and Unicode's "substitution of maximal subparts" do; the rest is kept.
[[nodiscard]] std::string repair_utf8(std::string_view bytes);

/// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a UTF-8
/// character (a view of the caller's bytes). For well-formed UTF-8; on other bytes it never
/// stops before a continuation byte either.
[[nodiscard]] std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) noexcept;

/// Decodes Windows-1252 to UTF-8. Every byte maps to a character: 0x80–0x9F take their
/// Windows-1252 meaning (0x80 = €), and the five bytes Windows-1252 leaves undefined
/// (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the same value, as browsers do.
[[nodiscard]] std::string windows_1252_to_utf8(std::string_view bytes);

/// The FORMATS.md §2.3 rule: drop a UTF-8 BOM; valid UTF-8 stays UTF-8, anything else is
/// Windows-1252. Declared charsets are never consulted.
[[nodiscard]] decoded_text decode_text(std::string_view bytes);

/// True when the bytes hold a NUL or so many control characters that they cannot be text.
[[nodiscard]] bool looks_binary(std::string_view head) noexcept;

/// Splits on CR, LF and CRLF (mixed in one file). The views point into `text`; the last line is
/// kept even without a terminator; a terminator at the very end does not make an empty line.
[[nodiscard]] std::vector<std::string_view> split_lines(std::string_view text);

/// Iterates lines (CR, LF, CRLF) without allocating; numbers them from 1.
class line_reader {
 public:
  /// Reads `text`, which must outlive the reader and the lines it returns.
  explicit line_reader(std::string_view text) noexcept : text_(text) {}
  /// Next line into `line`; false at the end.
  bool next(std::string_view& line) noexcept;
  /// 1-based number of the line last returned.
  [[nodiscard]] std::size_t line_number() const noexcept { return line_no_; }
  /// Byte offset of the line that next() will return.
  [[nodiscard]] std::size_t offset() const noexcept { return pos_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_no_ = 0;
};

/// 1-based line number of byte `offset` in `text` (CR, LF, CRLF each end a line).
[[nodiscard]] std::size_t line_of_offset(std::string_view text, std::size_t offset) noexcept;

/// Blanks (space, tab, CR, LF, NBSP U+00A0) trimmed from both ends. Inline: it runs on every cell.
[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
  const char* b = s.data();
  const char* e = b + s.size();
  while (b < e) {
    const char c = *b;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') ++b;
    else if (c == '\xC2' && e - b >= 2 && b[1] == '\xA0') b += 2;
    else break;
  }
  while (e > b) {
    const char c = e[-1];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') --e;
    else if (c == '\xA0' && e - b >= 2 && e[-2] == '\xC2') e -= 2;
    else break;
  }
  return {b, static_cast<std::size_t>(e - b)};
}

/// Collapses runs of blanks to one space and trims.
[[nodiscard]] std::string collapse_blanks(std::string_view s);

/// For matching headers and markers: lower case, accents removed from Latin letters
/// (ç→c, ã→a, É→e …), º/°→o, runs of blanks collapsed, trimmed. UTF-8 in, ASCII-ish out.
[[nodiscard]] std::string fold(std::string_view s);

/// Decodes the HTML/XML entities banks leak into text: &amp; &lt; &gt; &quot; &apos; &#NN; &#xHH;
/// and the Latin-1 named ones (&eacute;, &ccedil;, &atilde; …). Unknown entities stay as written.
[[nodiscard]] std::string decode_entities(std::string_view s);

}  // namespace bankflow
