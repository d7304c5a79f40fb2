#pragma once
// PDF statements: the text of a page as words with positions (poppler-cpp's text_list), rebuilt
// into lines by geometry, and the document opened with its limits (pages, password). Everything
// here but `document` is pure code on words, so the layouts and the fuzzers run without poppler.
//
// Coordinates are PDF points with the origin at the top left of the page (y grows downwards).

#include <bankflow/error.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail::pdf {

/// One word as the PDF places it.
struct word {
  std::string text;   ///< UTF-8, no blanks inside
  double x0 = 0, x1 = 0;        ///< left and right edges
  double top = 0, bottom = 0;   ///< upper and lower edges
  [[nodiscard]] double height() const noexcept { return bottom - top; }
  /// The mean width of one character (a byte for non-ASCII text is close enough).
  [[nodiscard]] double char_width() const noexcept;
};

/// Words on one visual line, left to right.
struct line {
  double top = 0, bottom = 0;
  std::vector<word> words;

  [[nodiscard]] bool empty() const noexcept { return words.empty(); }
  [[nodiscard]] double x0() const noexcept { return words.empty() ? 0 : words.front().x0; }
  [[nodiscard]] double x1() const noexcept { return words.empty() ? 0 : words.back().x1; }
  /// The words joined by one blank.
  [[nodiscard]] std::string text() const;
  /// The words from index `first` up to (not including) `last`, joined by one blank.
  [[nodiscard]] std::string text(std::size_t first, std::size_t last) const;
};

/// One page: its size and its lines, top to bottom.
struct page {
  unsigned number = 0;          ///< 1-based page number in the document
  double width = 0, height = 0;
  std::vector<line> lines;
};

/// Groups words into lines: a word belongs to a line when its vertical middle lies within the
/// line's band; lines top to bottom, words left to right. Pure: what the fuzzer drives.
[[nodiscard]] std::vector<line> build_lines(std::vector<word> words);

/// The lines made of the words of `lines` whose middle lies in [x_from, x_to): one column of a
/// two-column page.
[[nodiscard]] std::vector<line> column(const std::vector<line>& lines, double x_from, double x_to);

/// Limits for reading a PDF.
struct limits {
  unsigned max_pages = 5000;    ///< a document with more pages is refused (limit_exceeded)
};

/// What the caller gives to open a document.
struct open_options {
  std::string_view password{};   ///< the user (or owner) password; empty = none
  unsigned first_page = 0;         ///< 1-based, 0 = the first
  unsigned last_page = 0;          ///< 1-based, 0 = the last
  limits caps{};
};

/// An opened PDF. Move-only; reads one page at a time so memory stays bounded by a page.
class document {
 public:
  /// Opens a PDF from memory (the bytes must outlive the document). Errors: encrypted (a password
  /// is needed, or the one given is wrong), damaged_container, limit_exceeded (more pages than
  /// the limit), invalid_argument (a page range outside the document).
  [[nodiscard]] static result<document> open(std::string_view bytes, const open_options& options);

  document(document&&) noexcept;
  document& operator=(document&&) noexcept;
  ~document();

  /// Pages in the whole document.
  [[nodiscard]] unsigned page_count() const noexcept;
  /// The range to read (1-based, inclusive), from the options.
  [[nodiscard]] unsigned first_page() const noexcept;
  [[nodiscard]] unsigned last_page() const noexcept;
  /// The Producer and Creator of the document info, UTF-8 (may be empty).
  [[nodiscard]] std::string producer() const;
  [[nodiscard]] std::string creator() const;
  /// The words of page `number` (1-based), rebuilt into lines. A page poppler cannot read
  /// gives no lines.
  [[nodiscard]] page read(unsigned number) const;

 private:
  struct impl;
  explicit document(std::unique_ptr<impl> p);
  std::unique_ptr<impl> p_;
};

/// The message for a PDF that needs a password (none given, or a wrong one).
[[nodiscard]] error password_error(bool password_given);

}  // namespace bankflow::detail::pdf
