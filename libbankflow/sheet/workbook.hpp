#pragma once
// Spreadsheets (XLSX and BIFF XLS) as text the CSV layout engine reads: every worksheet becomes a
// ';'-separated, RFC 4180-quoted text with one line per sheet row (line N is row N, so a row's
// line number names its cell), numbers in pt-BR form ("-1234,56", never through a double for
// XLSX: the decimal text Excel stored is rounded to the centavo in decimal) and date cells as
// dd/mm/yyyy. A spreadsheet layout is then one more csv_layout with `spreadsheet = true`.
//
// Safety: XLSX is a ZIP of XML parts. The bytes inflated are capped (a zip bomb stops with
// limit_exceeded), every XML part with a DOCTYPE is refused (no entity can be declared, so no
// entity bomb), and the reader never allocates per declared size.

#include <bankflow/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// A numeric cell whose value is not a whole number of centavos (within 1e-6): kept as written,
/// and reported as bad_amount when a layout reads it as money.
struct inexact_cell {
  std::uint32_t row = 0;  ///< 1-based
  std::uint32_t col = 0;  ///< 0-based
  std::string value;      ///< as stored ("0.123456")
};

/// One worksheet rendered as text.
struct sheet_text {
  std::string name;
  std::string text;                  ///< line N = row N
  std::vector<inexact_cell> inexact;
};

struct workbook_text {
  std::string_view container;        ///< "xlsx" or "xls"
  std::vector<sheet_text> sheets;    ///< worksheets only, in workbook order
};

struct workbook_limits {
  std::size_t max_inflated = 0;      ///< XLSX: bytes inflated over all parts; 0 = the default
  std::uint32_t max_rows = 0;        ///< rows rendered per sheet; 0 = all (detection reads a head)
  bool reference_reader = false;     ///< XLSX: read every worksheet with expat, never the fast reader (tests)
};

/// The default inflation cap for a file of `file_size` bytes: 64× the file, at most 200 MB.
[[nodiscard]] std::size_t default_max_inflated(std::size_t file_size) noexcept;

/// True for the first bytes of an XLSX/ZIP or an OLE2 compound file.
[[nodiscard]] bool is_zip(std::string_view bytes) noexcept;
[[nodiscard]] bool is_ole2(std::string_view bytes) noexcept;

/// Reads every worksheet of an XLSX. Errors: damaged_container, limit_exceeded, no_worksheet,
/// unsupported_container (a ZIP that is not a workbook).
[[nodiscard]] result<workbook_text> read_xlsx(std::string_view bytes, const workbook_limits& limits);

/// Reads every worksheet of a BIFF8 XLS: its own small reader of the OLE2 container and the
/// records (sheet/biff8.cpp). Errors: encrypted, damaged_container, no_worksheet,
/// unsupported_container (an OLE2 file that is not a workbook, an Excel 5.0/95 workbook).
[[nodiscard]] result<workbook_text> read_xls(std::string_view bytes, const workbook_limits& limits);

/// Either of the above by the magic bytes; also refuses password-protected OOXML in OLE2.
[[nodiscard]] result<workbook_text> read_workbook(std::string_view bytes, const workbook_limits& limits);

/// Whether a number format shows a date: a built-in date id, or a code with d or y outside quotes
/// and brackets ("[$-416]dd/mm/yyyy", "d\-mmm").
[[nodiscard]] bool is_date_format(std::uint32_t id, std::string_view code) noexcept;

/// The error for a password-protected workbook, with what to do.
[[nodiscard]] error encrypted_workbook();

/// "D" for column 3 (0-based), "AA" for 26.
[[nodiscard]] std::string column_letters(std::uint32_t col);

/// Builds one sheet's text row by row: gaps in rows and columns become empty lines and cells.
class sheet_writer {
 public:
  explicit sheet_writer(sheet_text& out, std::uint32_t max_rows = 0) : out_(out), max_rows_(max_rows) {}

  /// Starts row `row` (1-based, increasing); false once max_rows is passed.
  bool begin_row(std::uint32_t row);
  /// A text cell at column `col` (0-based, increasing within the row).
  void text(std::uint32_t col, std::string_view s);
  /// A number as decimal text ("4830.3999999999996", "1.5E-3").
  void number(std::uint32_t col, std::string_view decimal);
  /// A number as a double (BIFF).
  void number(std::uint32_t col, double v);
  /// An Excel date serial (days since the epoch of the 1900 or 1904 system, fraction = time).
  void date_serial(std::uint32_t col, std::string_view decimal, bool date1904);
  /// A date (or date and time) as ISO text "yyyy-mm-dd[ hh:mm:ss]".
  void iso_date(std::uint32_t col, std::string_view iso);
  /// Ends the text (a final newline).
  void finish();

  [[nodiscard]] std::uint32_t row() const noexcept { return row_; }

 private:
  void move_to(std::uint32_t col);
  void raw_cell(std::string_view s);

  sheet_text& out_;
  std::uint32_t max_rows_ = 0;
  std::uint32_t row_ = 0;       // the row being written (0 before the first)
  std::uint32_t next_col_ = 0;  // the column the next cell would take
  std::string scratch_;
};

}  // namespace bankflow::detail
