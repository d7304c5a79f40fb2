#include <bankflow/error.hpp>

#include <string>

namespace bankflow {
namespace {

struct code_info {
  std::string_view name;
  std::string_view description;
};

// One switch so that adding a code to the enum and forgetting it here is a -Wswitch warning.
constexpr code_info info_of(errc code) noexcept {
  switch (code) {
    case errc::ok: return {"ok", "success"};
    case errc::empty_input: return {"empty_input", "the file has no content"};
    case errc::binary_input: return {"binary_input", "binary content where text was expected"};
    case errc::unsupported_container:
      return {"unsupported_container", "a ZIP, image or other file that holds no statement"};
    case errc::encrypted: return {"encrypted", "the file is protected by a password"};
    case errc::damaged_container:
      return {"damaged_container", "the ZIP/XLSX/XLS container is corrupt or cut short"};
    case errc::limit_exceeded:
      return {"limit_exceeded", "the input passes a safety limit (zip bomb, XML DOCTYPE)"};
    case errc::no_worksheet: return {"no_worksheet", "the workbook holds no worksheet with cells"};
    case errc::scanned_pdf:
      return {"scanned_pdf", "the PDF is a scan or photo without a trustworthy text layer"};
    case errc::not_a_statement:
      return {"not_a_statement", "the document holds no account or card transactions"};
    case errc::bad_amount: return {"bad_amount", "a money cell that is not a number"};
    case errc::amount_overflow:
      return {"amount_overflow", "the amount does not fit in 64-bit minor units"};
    case errc::amount_precision:
      return {"amount_precision", "non-zero digits beyond the centavos would lose money"};
    case errc::ambiguous_amount:
      return {"ambiguous_amount", "cannot tell the thousands separator from the decimal one"};
    case errc::bad_date: return {"bad_date", "a date cell that is not a date"};
    case errc::csv_unterminated_quote:
      return {"csv_unterminated_quote", "a quoted field never closes"};
    case errc::csv_bad_header: return {"csv_bad_header", "required columns are missing"};
    case errc::csv_bad_row: return {"csv_bad_row", "a row with the wrong shape"};
    case errc::ofx_not_ofx: return {"ofx_not_ofx", "no <OFX> root element"};
    case errc::ofx_truncated: return {"ofx_truncated", "the document ends before </OFX>"};
    case errc::ofx_no_statement: return {"ofx_no_statement", "no STMTRS or CCSTMTRS in the document"};
    case errc::ofx_bad_element:
      return {"ofx_bad_element", "a malformed tag or a required element missing"};
    case errc::unknown_format: return {"unknown_format", "no format recognises the file"};
    case errc::ambiguous_format:
      return {"ambiguous_format", "several formats match and none is clearly ahead"};
    case errc::unknown_bank: return {"unknown_bank", "no known bank or format has that name"};
    case errc::io_error: return {"io_error", "a file cannot be read or written"};
    case errc::invalid_argument:
      return {"invalid_argument", "a value the API does not accept"};
    case errc::missing_header:
      return {"missing_header", "a header the signature scheme needs is absent"};
    case errc::malformed_header:
      return {"malformed_header", "a signature header that cannot be parsed"};
    case errc::malformed_secret:
      return {"malformed_secret", "a signing secret that cannot be used"};
    case errc::bad_timestamp:
      return {"bad_timestamp", "a signature timestamp that is not a Unix time"};
    case errc::timestamp_too_old:
      return {"timestamp_too_old", "the signature is older than the tolerance"};
    case errc::timestamp_in_future:
      return {"timestamp_in_future", "the signature timestamp is too far in the future"};
    case errc::no_matching_signature:
      return {"no_matching_signature", "no signature matches the body under any secret"};
    case errc::replayed:
      return {"replayed", "this event was already accepted within the tolerance window"};
    case errc::session_invalid: return {"session_invalid", "no session has this token"};
    case errc::session_expired: return {"session_expired", "the session has expired"};
    case errc::session_revoked: return {"session_revoked", "the session was revoked"};
    case errc::csrf_invalid:
      return {"csrf_invalid", "the CSRF token is missing or does not belong to this session"};
    case errc::rate_limited:
      return {"rate_limited", "too many requests of this kind; try again later"};
    case errc::not_found: return {"not_found", "no such resource"};
    case errc::storage_error:
      return {"storage_error", "the database or Redis failed or cannot be reached"};
    case errc::insufficient_storage:
      return {"insufficient_storage", "the server's storage for uploads and results is full"};
    case errc::id_conflict:
      return {"id_conflict", "this id was already used with different fields"};
    case errc::insufficient_funds:
      return {"insufficient_funds", "the account cannot go below zero"};
    case errc::currency_mismatch:
      return {"currency_mismatch", "the accounts hold different currencies"};
    case errc::pending_resolved:
      return {"pending_resolved", "the pending transfer was already posted, voided or expired"};
    case errc::pending_expired: return {"pending_expired", "the pending transfer has expired"};
    case errc::exceeds_pending:
      return {"exceeds_pending", "the amount exceeds the pending transfer"};
    case errc::linked_failed:
      return {"linked_failed", "another transfer of the linked batch failed"};
    case errc::over_operation_limit:
      return {"over_operation_limit", "the amount is above the wallet's limit per operation"};
    case errc::daily_limit_reached:
      return {"daily_limit_reached", "the wallet's daily limit for this kind of operation would be passed"};
    case errc::not_ready: return {"not_ready", "the job has no result to read yet"};
    case errc::idempotency_key_required:
      return {"idempotency_key_required", "a money request needs an Idempotency-Key"};
    case errc::idempotency_mismatch:
      return {"idempotency_mismatch", "the Idempotency-Key was used with a different request"};
    case errc::idempotency_in_progress:
      return {"idempotency_in_progress", "a request with this Idempotency-Key is still running"};
    case errc::payload_too_large: return {"payload_too_large", "the upload is larger than its limit"};
    case errc::invalid_credentials: return {"invalid_credentials", "the credentials do not authenticate"};
    case errc::weak_password: return {"weak_password", "the password is too short or too common"};
    case errc::already_exists: return {"already_exists", "the name is already taken"};
    case errc::login_required: return {"login_required", "log in or use an API key"};
    case errc::permission_denied: return {"permission_denied", "this account or key may not do that"};
    case errc::wallet_not_empty: return {"wallet_not_empty", "the wallet still holds money"};
  }
  return {"unknown", "unknown bankflow error"};
}

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bankflow"; }
  std::string message(int ev) const override {
    return std::string(info_of(static_cast<errc>(ev)).description);
  }
};

}  // namespace

std::string_view to_string(errc code) noexcept { return info_of(code).name; }

const std::error_category& error_category() noexcept {
  // A function-local constant, not mutable global state: std::error_code compares categories by
  // address, so there must be exactly one.
  static const category instance;
  return instance;
}

std::string error::location() const {
  if (!cell.empty())  // a spreadsheet: the cell says where, its row number is in it
    return file.empty() ? cell : file + ": " + cell;
  if (file.empty()) return line != 0 ? "line " + std::to_string(line) : std::string();
  return line != 0 ? file + ':' + std::to_string(line) : file;
}

std::string_view error::text() const noexcept {
  return message.empty() ? info_of(code).description : std::string_view(message);
}

std::string error::to_string() const {
  std::string out = location();
  if (!out.empty()) out += ": ";
  if (!field.empty()) {
    out += field;
    out += ": ";
  }
  out += text();
  out += " [";
  out += bankflow::to_string(code);
  out += ']';
  return out;
}

error make_error(errc code, std::string message, std::size_t line, std::string field) {
  error e;
  e.code = code;
  e.message = std::move(message);
  e.line = line;
  e.field = std::move(field);
  return e;
}

}  // namespace bankflow
