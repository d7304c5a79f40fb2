#pragma once
/// @file A CSV reader for the banks' ';' and ',' files: RFC 4180 quoting plus their deviations.

#include <bankflow/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// How fields are quoted.
enum class csv_quoting {
  rfc4180,  ///< a field that starts with '"' is quoted; "" inside is one quote; it may span lines
  none,     ///< quotes are ordinary characters (Inter extrato: bare quotes, never quoted)
};

/// How csv_reader splits records.
struct csv_options {
  char separator = ';';                       ///< between fields
  csv_quoting quoting = csv_quoting::rfc4180;  ///< how fields are quoted
};

/// One record. `fields` view either the source text or the row's own storage (for unescaped
/// quoted fields); they stay valid until the next call to csv_reader::next with this row.
struct csv_row {
  std::vector<std::string_view> fields;  ///< in order, trailing empty fields included
  std::size_t line = 0;        ///< 1-based line where the record starts
  std::string_view raw;        ///< the record's source text, terminators excluded

  /// Field i, or "" when the row is shorter (trailing separators are common, missing ones too).
  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    return i < fields.size() ? fields[i] : std::string_view{};
  }
  /// The number of fields.
  [[nodiscard]] std::size_t size() const noexcept { return fields.size(); }
  /// True when every field is empty after trimming (";;;;;" lines).
  [[nodiscard]] bool blank() const noexcept {
    // Nearly every row starts with a byte that is not blank: answered here, without a call.
    if (!fields.empty() && !fields.front().empty()) {
      const char c = fields.front().front();
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\xC2') return false;
    }
    return blank_slow();
  }

 private:
  friend class csv_reader;
  std::string scratch_;  // storage for unescaped fields; reused between rows
  [[nodiscard]] bool blank_slow() const noexcept;
};

/// Reads records from UTF-8 text. Lines end with CR, LF or CRLF. Deviations handled:
/// a bare '"' inside an unquoted field is kept as text; a quoted field followed by more text
/// before the separator keeps that text; separators inside quoted fields are data; trailing
/// separators give trailing empty fields (callers ignore them).
class csv_reader {
 public:
  /// Reads `text`, which must outlive the reader and the rows it fills.
  csv_reader(std::string_view text, csv_options options) noexcept
      : text_(text), opt_(options) {}

  /// Reads the next record into `row`. Returns false at the end of input; an unterminated quote
  /// is an error (csv_unterminated_quote) naming the line where the field began, after which
  /// reading may go on from the next line.
  [[nodiscard]] result<bool> next(csv_row& row);

  /// 1-based line number the next record starts on.
  [[nodiscard]] std::size_t line() const noexcept { return line_; }

 private:
  std::string_view text_;
  csv_options opt_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

/// Splits one line on `separator` without any quote handling (views into `line`).
void split_plain(std::string_view line, char separator, std::vector<std::string_view>& out);

/// Escapes one field for RFC 4180 output, quoting when it holds the separator, a quote, CR or LF.
void append_csv_field(std::string& out, std::string_view field, char separator = ',');

}  // namespace bankflow
