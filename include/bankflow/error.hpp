#pragma once
/// @file Errors as values: a stable error code, a message naming the place, and result<T>.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

namespace bankflow {

/// Stable error codes. Values are never renumbered; new codes are appended.
enum class errc : int {
  ok = 0,                  ///< no error (never the code of an error value)
  // input and text
  empty_input = 1,         ///< the file has no content
  binary_input = 2,        ///< NUL bytes or other binary content where text was expected
  unsupported_container = 3, ///< a PDF, ZIP, image or other file that holds no statement bankflow reads
  encrypted = 4,           ///< a password-protected file (a password is needed to read it)
  damaged_container = 5,   ///< a ZIP/XLSX/XLS container that is corrupt or cut short
  limit_exceeded = 6,      ///< the input passes a safety limit (a zip bomb, an XML DOCTYPE)
  no_worksheet = 7,        ///< a workbook without a worksheet holding cells (none, only charts or macros)
  scanned_pdf = 8,         ///< a PDF without a text layer (a scan or photo), or whose text is OCR
  not_a_statement = 9,     ///< a document that holds no account or card transactions (a fund position, a note)
  // numbers and dates
  bad_amount = 10,         ///< a money cell that is not a number
  amount_overflow = 11,    ///< does not fit in int64 minor units
  amount_precision = 12,   ///< non-zero digits beyond the minor unit (would lose money)
  ambiguous_amount = 13,   ///< cannot tell thousands from decimal separator
  bad_date = 14,           ///< a date cell that is not a date
  // csv
  csv_unterminated_quote = 20, ///< a quoted field never closes
  csv_bad_header = 21,     ///< required columns are missing
  csv_bad_row = 22,        ///< a row with the wrong shape
  // ofx
  ofx_not_ofx = 30,        ///< no <OFX> root element
  ofx_truncated = 31,      ///< the document ends before </OFX>
  ofx_no_statement = 32,   ///< no STMTRS / CCSTMTRS in the document
  ofx_bad_element = 33,    ///< a malformed tag or a required element missing
  // detection and format selection
  unknown_format = 40,     ///< no format recognises the file
  ambiguous_format = 41,   ///< several formats match and none is clearly ahead
  unknown_bank = 42,       ///< --bank / --format names nothing we know
  // io and usage
  io_error = 50,           ///< a file cannot be read or written
  invalid_argument = 51,   ///< a caller passed a value the API does not accept
  // webhook verification
  missing_header = 60,     ///< a header the signature scheme needs is absent
  malformed_header = 61,   ///< a signature header that cannot be parsed
  malformed_secret = 62,   ///< a signing secret that cannot be used (bad base64, empty)
  bad_timestamp = 63,      ///< a signature timestamp that is not a Unix time
  timestamp_too_old = 64,  ///< the signature is older than the tolerance
  timestamp_in_future = 65, ///< the signature is further ahead than the tolerance
  no_matching_signature = 66, ///< no signature matches the body under any secret
  replayed = 67,           ///< this event id was already accepted within the tolerance window
  // sessions
  session_invalid = 70,    ///< no session has this token
  session_expired = 71,    ///< the session's lifetime is over
  session_revoked = 72,    ///< the session was revoked
  csrf_invalid = 73,       ///< the CSRF token is missing or not this session's
  rate_limited = 74,       ///< too many requests of this kind in the window
  not_found = 75,          ///< no such resource (or it belongs to another session)
  // storage
  storage_error = 80,      ///< the database or Redis failed or cannot be reached
  insufficient_storage = 81, ///< the disk quota for uploads and results is used up (or the disk is full)
  // ledger
  id_conflict = 90,        ///< an id already used with different fields (error.field names which)
  insufficient_funds = 91, ///< a no_overdraft account would go below zero (pending debits count)
  currency_mismatch = 92,  ///< the two accounts of a transfer hold different currencies
  pending_resolved = 93,   ///< the pending transfer was already posted, voided or expired
  pending_expired = 94,    ///< the pending transfer's timeout has passed (it is now voided)
  exceeds_pending = 95,    ///< a post of more than the pending amount
  linked_failed = 96,      ///< a linked batch failed because another of its transfers failed
  // wallet limits
  over_operation_limit = 97, ///< a deposit or withdrawal above the per-operation limit
  daily_limit_reached = 98,  ///< the wallet's deposits (or withdrawals) of the last 24 h would pass the daily limit
  // requests
  not_ready = 100,         ///< the job has no result yet (pending or processing) or failed
  idempotency_key_required = 101, ///< a money request came without its Idempotency-Key
  idempotency_mismatch = 102,     ///< the Idempotency-Key was used with a different request
  idempotency_in_progress = 103,  ///< the first request with this Idempotency-Key is still running
  payload_too_large = 104, ///< an upload larger than the limit it is accepted under
  // accounts
  invalid_credentials = 105, ///< a login or API key that does not authenticate (never says which part is wrong)
  weak_password = 106,     ///< a new password that is too short or on the common-passwords list
  already_exists = 107,    ///< a unique name (an account's email) that is already taken
  login_required = 108,    ///< the resource belongs to accounts: log in or use an API key (an anonymous session will not do)
  permission_denied = 109, ///< authenticated, but the role or the API key's scope does not allow it
  wallet_not_empty = 110,  ///< the account's wallet still holds (or awaits) money: it cannot be erased
};

/// The short stable name of a code, as used in JSON and messages ("bad_amount").
[[nodiscard]] std::string_view to_string(errc code) noexcept;

/// The std::error_category of bankflow::errc ("bankflow").
[[nodiscard]] const std::error_category& error_category() noexcept;

/// The std::error_code of a bankflow::errc (lets errc compare with std::error_code).
[[nodiscard]] inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// An expected failure: what went wrong, and where (file, 1-based line, field/column name).
struct error {
  errc code = errc::ok;   ///< what kind of failure (stable)
  std::string message;    ///< human text, without the location prefix
  std::string file;       ///< file name as the caller gave it, may be empty
  std::size_t line = 0;   ///< 1-based line, 0 when unknown
  std::string field;      ///< column header or element name, may be empty
  std::string cell;       ///< spreadsheet cell ("Lançamentos!D14") or row ("Lançamentos!14"), may be empty
  bool row_error = false; ///< about one row only: parse_options::skip_bad_rows would skip it

  /// "file:line: field: message [code]" with the empty parts left out; a spreadsheet error shows
  /// its cell in place of the line ("file: Lançamentos!D14: valor (R$): message [code]").
  [[nodiscard]] std::string to_string() const;

  /// Where it happened, as to_string starts: "file:line", "file: Lançamentos!D14", "line 12",
  /// "file", or empty when nothing is known.
  [[nodiscard]] std::string location() const;

  /// The message, or the code's description when the message is empty.
  [[nodiscard]] std::string_view text() const noexcept;
};

/// Builds an error at a line and field.
[[nodiscard]] error make_error(errc code, std::string message, std::size_t line = 0,
                               std::string field = {});

/// A value or an error. Small on purpose: `if (!r) use(r.error()); else use(*r);`.
template <class T>
class [[nodiscard]] result {
 public:
  /// A success holding `value`.
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  /// A failure holding `e`.
  result(bankflow::error e) : v_(std::in_place_index<1>, std::move(e)) {}       // NOLINT: implicit by design

  /// True when the result holds a value, false when it holds an error.
  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  /// has_value().
  explicit operator bool() const noexcept { return has_value(); }

  /// The value; calling it on an error is a bug (std::bad_variant_access).
  [[nodiscard]] T& value() & { return std::get<0>(v_); }
  /// The value (const).
  [[nodiscard]] const T& value() const& { return std::get<0>(v_); }
  /// The value, moved out.
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(v_)); }
  /// value().
  T& operator*() & { return value(); }
  /// value() (const).
  const T& operator*() const& { return value(); }
  /// value(), moved out.
  T&& operator*() && { return std::move(*this).value(); }
  /// The value's members.
  T* operator->() { return &value(); }
  /// The value's members (const).
  const T* operator->() const { return &value(); }

  /// The error; calling it on a value is a bug (std::bad_variant_access).
  [[nodiscard]] bankflow::error& error() & { return std::get<1>(v_); }
  /// The error (const).
  [[nodiscard]] const bankflow::error& error() const& { return std::get<1>(v_); }
  /// The error, moved out.
  [[nodiscard]] bankflow::error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, bankflow::error> v_;
};

/// result<void>: success or an error. Success holds no error object, so it costs nothing to
/// return (parsers return one per row).
template <>
class [[nodiscard]] result<void> {
 public:
  /// Success.
  result() = default;
  /// A failure holding `e`.
  result(bankflow::error e) : err_(std::move(e)) {}  // NOLINT: implicit by design
  /// True on success.
  [[nodiscard]] bool has_value() const noexcept { return !err_.has_value(); }
  /// has_value().
  explicit operator bool() const noexcept { return has_value(); }
  /// The error; calling it on a success is a bug.
  [[nodiscard]] const bankflow::error& error() const& { return *err_; }

 private:
  std::optional<bankflow::error> err_;
};

}  // namespace bankflow

/// Lets a bankflow::errc convert to std::error_code.
template <>
struct std::is_error_code_enum<bankflow::errc> : std::true_type {};
