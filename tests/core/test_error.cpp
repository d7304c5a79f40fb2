#include <bankflow/error.hpp>
#include <bankflow/version.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>
#include <system_error>

using bankflow::errc;

namespace {

struct code_row {
  errc code;
  int value;
  std::string_view name;
};

// The stable contract: numbers and names never change.
constexpr code_row all_codes[] = {
    {errc::ok, 0, "ok"},
    {errc::empty_input, 1, "empty_input"},
    {errc::binary_input, 2, "binary_input"},
    {errc::unsupported_container, 3, "unsupported_container"},
    {errc::bad_amount, 10, "bad_amount"},
    {errc::amount_overflow, 11, "amount_overflow"},
    {errc::amount_precision, 12, "amount_precision"},
    {errc::ambiguous_amount, 13, "ambiguous_amount"},
    {errc::bad_date, 14, "bad_date"},
    {errc::csv_unterminated_quote, 20, "csv_unterminated_quote"},
    {errc::csv_bad_header, 21, "csv_bad_header"},
    {errc::csv_bad_row, 22, "csv_bad_row"},
    {errc::ofx_not_ofx, 30, "ofx_not_ofx"},
    {errc::ofx_truncated, 31, "ofx_truncated"},
    {errc::ofx_no_statement, 32, "ofx_no_statement"},
    {errc::ofx_bad_element, 33, "ofx_bad_element"},
    {errc::unknown_format, 40, "unknown_format"},
    {errc::ambiguous_format, 41, "ambiguous_format"},
    {errc::unknown_bank, 42, "unknown_bank"},
    {errc::io_error, 50, "io_error"},
    {errc::invalid_argument, 51, "invalid_argument"},
    {errc::missing_header, 60, "missing_header"},
    {errc::malformed_header, 61, "malformed_header"},
    {errc::malformed_secret, 62, "malformed_secret"},
    {errc::bad_timestamp, 63, "bad_timestamp"},
    {errc::timestamp_too_old, 64, "timestamp_too_old"},
    {errc::timestamp_in_future, 65, "timestamp_in_future"},
    {errc::no_matching_signature, 66, "no_matching_signature"},
    {errc::replayed, 67, "replayed"},
    {errc::session_invalid, 70, "session_invalid"},
    {errc::session_expired, 71, "session_expired"},
    {errc::session_revoked, 72, "session_revoked"},
    {errc::csrf_invalid, 73, "csrf_invalid"},
    {errc::rate_limited, 74, "rate_limited"},
    {errc::not_found, 75, "not_found"},
    {errc::storage_error, 80, "storage_error"},
    {errc::insufficient_storage, 81, "insufficient_storage"},
    {errc::not_ready, 100, "not_ready"},
    {errc::idempotency_key_required, 101, "idempotency_key_required"},
    {errc::idempotency_mismatch, 102, "idempotency_mismatch"},
    {errc::idempotency_in_progress, 103, "idempotency_in_progress"},
    {errc::payload_too_large, 104, "payload_too_large"},
    {errc::invalid_credentials, 105, "invalid_credentials"},
    {errc::weak_password, 106, "weak_password"},
    {errc::already_exists, 107, "already_exists"},
    {errc::login_required, 108, "login_required"},
    {errc::permission_denied, 109, "permission_denied"},
    {errc::wallet_not_empty, 110, "wallet_not_empty"},
};

}  // namespace

TEST_CASE("every error code keeps its number and has its stable short name", "[error]") {
  for (const auto& row : all_codes) {
    CAPTURE(row.name);
    CHECK(static_cast<int>(row.code) == row.value);
    CHECK(bankflow::to_string(row.code) == row.name);
  }
}

TEST_CASE("an error code outside the enum is named unknown", "[error]") {
  CHECK(bankflow::to_string(static_cast<errc>(999)) == "unknown");
  CHECK(bankflow::to_string(static_cast<errc>(-1)) == "unknown");
}

TEST_CASE("the error category is called bankflow and describes every code", "[error]") {
  const std::error_category& cat = bankflow::error_category();
  CHECK(std::string_view(cat.name()) == "bankflow");
  CHECK(&cat == &bankflow::error_category());  // one instance: categories compare by address
  std::set<std::string> messages;
  for (const auto& row : all_codes) {
    CAPTURE(row.name);
    const std::string m = cat.message(row.value);
    CHECK_FALSE(m.empty());
    messages.insert(m);
  }
  CHECK(messages.size() == std::size(all_codes));  // each description is distinct
  CHECK_FALSE(cat.message(999).empty());
}

TEST_CASE("errc converts to std::error_code in the bankflow category", "[error]") {
  const std::error_code ec = errc::bad_date;  // is_error_code_enum
  CHECK(ec.value() == 14);
  CHECK(&ec.category() == &bankflow::error_category());
  CHECK(ec == bankflow::make_error_code(errc::bad_date));
  CHECK(ec != bankflow::make_error_code(errc::bad_amount));
  CHECK(ec != std::make_error_code(std::errc::invalid_argument));
  CHECK(ec.message() == bankflow::error_category().message(14));
  CHECK(static_cast<bool>(ec));
  CHECK_FALSE(static_cast<bool>(std::error_code(errc::ok)));
}

TEST_CASE("error::to_string writes file:line: field: message [code] without empty parts",
          "[error]") {
  struct row {
    std::string file;
    std::size_t line;
    std::string field;
    std::string message;
    std::string_view expected;
  };
  const row rows[] = {
      {"stmt.csv", 12, "Valor", "not an amount: \"12a\"",
       "stmt.csv:12: Valor: not an amount: \"12a\" [bad_amount]"},
      {"stmt.csv", 12, "", "not an amount", "stmt.csv:12: not an amount [bad_amount]"},
      {"stmt.csv", 0, "Valor", "not an amount", "stmt.csv: Valor: not an amount [bad_amount]"},
      {"stmt.csv", 0, "", "not an amount", "stmt.csv: not an amount [bad_amount]"},
      {"", 12, "Valor", "not an amount", "line 12: Valor: not an amount [bad_amount]"},
      {"", 12, "", "not an amount", "line 12: not an amount [bad_amount]"},
      {"", 0, "Valor", "not an amount", "Valor: not an amount [bad_amount]"},
      {"", 0, "", "not an amount", "not an amount [bad_amount]"},
  };
  for (const auto& r : rows) {
    bankflow::error e;
    e.code = errc::bad_amount;
    e.file = r.file;
    e.line = r.line;
    e.field = r.field;
    e.message = r.message;
    CHECK(e.to_string() == r.expected);
  }
  SECTION("an empty message falls back to the code's description") {
    bankflow::error e;
    e.code = errc::ofx_truncated;
    e.file = "a.ofx";
    const std::string s = e.to_string();
    CHECK(s == "a.ofx: " + bankflow::error_category().message(31) + " [ofx_truncated]");
  }
}

TEST_CASE("make_error fills code, message, line and field and leaves the file empty",
          "[error]") {
  const auto e = bankflow::make_error(errc::csv_bad_row, "row has 3 fields, expected 5", 7, "Valor");
  CHECK(e.code == errc::csv_bad_row);
  CHECK(e.message == "row has 3 fields, expected 5");
  CHECK(e.line == 7);
  CHECK(e.field == "Valor");
  CHECK(e.file.empty());
  const auto bare = bankflow::make_error(errc::empty_input, "empty file");
  CHECK(bare.line == 0);
  CHECK(bare.field.empty());
  CHECK(bare.to_string() == "empty file [empty_input]");
}

TEST_CASE("result holds either a value or an error", "[error]") {
  bankflow::result<int> ok = 42;
  REQUIRE(ok.has_value());
  CHECK(static_cast<bool>(ok));
  CHECK(*ok == 42);
  CHECK(ok.value() == 42);

  bankflow::result<int> bad = bankflow::make_error(errc::bad_amount, "x");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == errc::bad_amount);

  bankflow::result<std::string> moved = std::string("abc");
  const std::string taken = *std::move(moved);
  CHECK(taken == "abc");

  bankflow::result<void> fine;
  CHECK(fine.has_value());
  bankflow::result<void> failed = bankflow::make_error(errc::io_error, "cannot read");
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == errc::io_error);
}

TEST_CASE("version() is built from the version numbers", "[error][version]") {
  CHECK(bankflow::version() == "0.1.0");
  const std::string expected = std::to_string(bankflow::version_major) + "." +
                               std::to_string(bankflow::version_minor) + "." +
                               std::to_string(bankflow::version_patch);
  CHECK(bankflow::version() == expected);
}

TEST_CASE("error::location names file and line, or file and cell, or nothing", "[error]") {
  struct row {
    std::string file;
    std::size_t line;
    std::string cell;
    std::string_view expected;
  };
  const row rows[] = {
      {"stmt.csv", 12, "", "stmt.csv:12"},
      {"stmt.csv", 0, "", "stmt.csv"},
      {"", 12, "", "line 12"},
      {"", 0, "", ""},
      {"extrato.xls", 14, "Lançamentos!D14", "extrato.xls: Lançamentos!D14"},
      {"", 14, "Lançamentos!D14", "Lançamentos!D14"},
  };
  for (const auto& r : rows) {
    bankflow::error e;
    e.file = r.file;
    e.line = r.line;
    e.cell = r.cell;
    CHECK(e.location() == r.expected);
  }
}

TEST_CASE("error::text is the message, or the code's description when there is none", "[error]") {
  bankflow::error e = bankflow::make_error(errc::bad_amount, "not an amount");
  CHECK(e.text() == "not an amount");
  e.message.clear();
  CHECK(e.text() == bankflow::error_category().message(static_cast<int>(errc::bad_amount)));
}
