#pragma once
/// @file Detecting a file's bank and format, and parsing it into a statement.

#include <bankflow/error.hpp>
#include <bankflow/statement.hpp>

#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

class rule_set;

/// What kind of document a format holds.
enum class document_kind { any, extrato, fatura };

/// A format bankflow can read.
struct format_info {
  std::string_view id;           ///< "ofx", "itau-extrato-csv", …
  std::string_view bank_id;      ///< "itau"; empty when the format serves every bank (OFX)
  document_kind kind = document_kind::any;  ///< statement or card bill (any: either)
  std::string_view description;  ///< one line for `bankflow banks`
  /// For a format that serves several banks (bank_id empty): the ids of those known to offer it,
  /// blank-separated ("itau bb caixa"); empty when every bank may (OFX).
  std::string_view offered_by{};
};

/// Every format, in a stable order.
[[nodiscard]] std::span<const format_info> known_formats() noexcept;

/// Whether the bank's files come in this format: its own formats, and the shared ones it offers.
[[nodiscard]] bool bank_offers(const format_info& f, std::string_view bank_id) noexcept;

/// One way to read a file, with how sure the probe is (0..1).
struct candidate {
  std::string_view format;             ///< format id
  const bank_info* bank = nullptr;     ///< null when the bank is unknown (an OFX from elsewhere)
  std::string bank_code;               ///< the code the file states, when known
  double confidence = 0.0;             ///< 0..1; candidates come best first
};

/// Detection looks at the first 64 KiB only.
inline constexpr std::size_t detect_head_bytes = 64 * 1024;

/// All candidates for these bytes, best first (only those scoring above 0). Content decides,
/// never a file name. Errors: empty_input, binary_input, unsupported_container (ZIP/images/archives,
/// with a message saying which export to choose instead); for a PDF also encrypted, scanned_pdf.
[[nodiscard]] result<std::vector<candidate>> detect(std::string_view bytes);

/// detect() for a password-protected PDF (other files ignore the password). Errors for PDFs:
/// encrypted (a password is needed, or it is wrong), scanned_pdf, damaged_container.
[[nodiscard]] result<std::vector<candidate>> detect(std::string_view bytes, std::string_view password);

/// How parse reads a file; the defaults detect everything.
struct parse_options {
  std::string_view format{};   ///< force a format id; empty = detect
  std::string_view bank{};     ///< force / restrict to a bank id; empty = detect
  std::string_view file_name{};  ///< only for messages
  /// A row that cannot be read (a bad amount or date, a row of the wrong shape, an OFX
  /// transaction missing DTPOSTED/TRNAMT) is left out and listed in statement::skipped_rows
  /// instead of failing the parse. File-level errors (no header, not a statement, a truncated
  /// OFX) fail either way. With every row skipped the statement still comes back (no transactions).
  bool skip_bad_rows = false;
  /// PDFs: the document's password (never stored or logged); empty = none.
  std::string_view password{};
  /// PDFs: read only pages first_page..last_page (1-based, inclusive; 0 = from the first / to the
  /// last). Detection still looks at the first pages.
  unsigned first_page = 0;  ///< 0: from the first
  unsigned last_page = 0;   ///< 0: to the last
  /// PDFs: a document with more pages to read than this is refused (limit_exceeded).
  unsigned max_pages = 5000;
  /// Enrichment (enrich.hpp): each row's kind, counterparty, instalment, merchant and category.
  /// Off: those stay unset (kind `other`, no category), and parsing is a little faster.
  bool enrich = true;
  /// The category rules enrichment uses (a user's rules file: rules.hpp); null: the shipped ones.
  /// Must outlive the call.
  const rule_set* category_rules = nullptr;
  /// PDFs: called after each page read, with (pages read, pages to read); may be empty.
  std::function<void(unsigned, unsigned)> progress{};
};

/// Detects (unless forced) and parses. Takes the best candidate when it is confident and clearly
/// ahead; otherwise fails with ambiguous_format or unknown_format listing the candidates and how
/// to force one. Errors carry file (from options.file_name), line and field; an error about one
/// row has error::row_error set (options.skip_bad_rows would skip that row and read the rest).
[[nodiscard]] result<statement> parse(std::string_view bytes, const parse_options& options = {});

/// Reads a whole file and parses it (file_name defaults to the path). Errors: io_error + parse's.
[[nodiscard]] result<statement> parse_file(const std::filesystem::path& path,
                                           parse_options options = {});

/// True when the bytes are a PDF (its header within the first KiB), without opening it.
[[nodiscard]] bool looks_like_pdf(std::string_view bytes) noexcept;

/// Reads a whole file into memory. Errors: io_error.
[[nodiscard]] result<std::string> read_file(const std::filesystem::path& path);

}  // namespace bankflow
