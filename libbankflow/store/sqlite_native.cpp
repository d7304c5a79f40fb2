#include "store/sqlite_native.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>
#include <string>

namespace bankflow::detail {

using namespace sqlite_api;

namespace {

sqlite3* connection_of(soci::session& sql) {
  // (a name check, not dynamic_cast: libsoci_sqlite3 does not export the backend's type info)
  auto* backend = sql.get_backend_name() == "sqlite3"
                      ? static_cast<soci::sqlite3_session_backend*>(sql.get_backend())
                      : nullptr;
  if (backend == nullptr || backend->conn_ == nullptr)
    throw std::logic_error("sqlite_statement: the session is not an open SQLite connection");
  return backend->conn_;
}

}  // namespace

int sqlite_statement::max_parameters(soci::session& sql) {
  return sqlite3_limit(connection_of(sql), SQLITE_LIMIT_VARIABLE_NUMBER, -1);
}

sqlite_statement::sqlite_statement(soci::session& sql, std::string_view query) {
  db_ = connection_of(sql);
  const int rc = sqlite3_prepare_v3(db_, query.data(), static_cast<int>(query.size()), SQLITE_PREPARE_PERSISTENT,
                                    &st_, nullptr);
  if (rc != SQLITE_OK) {
    st_ = nullptr;
    fail(rc, "preparing");
  }
  bound_.resize(static_cast<std::size_t>(sqlite3_bind_parameter_count(st_)) + 1);
}

sqlite_statement::~sqlite_statement() { sqlite3_finalize(st_); }

void sqlite_statement::fail(int rc, std::string_view what) {
  std::string message = "sqlite3: " + std::string(what) + ": " + sqlite3_errmsg(db_);
  if (st_ != nullptr) sqlite3_reset(st_);
  throw soci::sqlite3_soci_error(message, rc);
}

void sqlite_statement::bind(int pos, std::string_view text) {
  if (text.empty()) return bind_static(pos, "");
  const int rc = sqlite3_bind_text(st_, pos, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
  if (rc != SQLITE_OK) fail(rc, "binding a parameter");
  bound_.at(static_cast<std::size_t>(pos)).k = bound::kind::other;
}

void sqlite_statement::bind_static(int pos, std::string_view literal) {
  bound& b = bound_.at(static_cast<std::size_t>(pos));
  if (b.k == bound::kind::static_text && b.text == literal.data() && b.size == literal.size()) return;
  // a null data() would be stored as NULL, not as ''
  const char* data = literal.data() != nullptr ? literal.data() : "";
  const int rc = sqlite3_bind_text(st_, pos, data, static_cast<int>(literal.size()), SQLITE_STATIC);
  b.k = bound::kind::other;
  if (rc != SQLITE_OK) fail(rc, "binding a parameter");
  b = {bound::kind::static_text, 0, literal.data(), literal.size()};
}

void sqlite_statement::bind(int pos, long long value) {
  bound& b = bound_.at(static_cast<std::size_t>(pos));
  if (b.k == bound::kind::integer && b.value == value) return;
  const int rc = sqlite3_bind_int64(st_, pos, static_cast<sqlite3_int64>(value));
  b.k = bound::kind::other;
  if (rc != SQLITE_OK) fail(rc, "binding a parameter");
  b = {bound::kind::integer, value, nullptr, 0};
}

bool sqlite_statement::step() {
  const int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(st_);
    return false;
  }
  fail(rc, "running a statement");
}

int sqlite_statement::run() {
  while (step()) {
  }
  return sqlite3_changes(db_);
}

void sqlite_statement::reset() noexcept { sqlite3_reset(st_); }

long long sqlite_statement::column_int64(int col) const noexcept {
  return static_cast<long long>(sqlite3_column_int64(st_, col));
}

std::string_view sqlite_statement::column_text(int col) const noexcept {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
  const int n = sqlite3_column_bytes(st_, col);
  return p == nullptr ? std::string_view{} : std::string_view(p, static_cast<std::size_t>(n));
}

}  // namespace bankflow::detail
