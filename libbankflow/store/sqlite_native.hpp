#pragma once
// Internal: a prepared statement on the sqlite3 C API of a pooled SOCI SQLite session, for the
// few statements a hot path runs once per row (the ledger's batches: the id lookups and the
// INSERTs). Why below SOCI there: callgrind of 4 × 1,000 batched transfers counted 212M
// instructions in ledger::submit_batch: 97M in sqlite3_step, 40M around it in SOCI's execute
// (its use/into bookkeeping and the bind calls), and 37.7M to prepare the 50-row INSERT once
// (SQLite's parser and SOCI's binding by name each search its 900 `:name`s linearly). With
// positional parameters bound without a copy (SQLITE_STATIC) the same run took 152M. Keep it to such statements: SOCI
// stays the way the library talks to its databases.
//
// Errors are thrown as soci::sqlite3_soci_error carrying SQLite's result code, so with_session and
// with_transaction (store/db.hpp) retry busy/locked and report the rest exactly as for SOCI's own
// statements. The sqlite3 API stays in this file's .cpp: nothing here names a sqlite3 type beyond
// the two opaque handles.

#include <soci/soci.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sqlite_api {
struct sqlite3;
struct sqlite3_stmt;
}  // namespace sqlite_api

namespace bankflow::detail {

/// One prepared SQLite statement. Owned by a connection_local, so it is finalized before its
/// connection closes. Not thread-safe (neither is the connection).
class sqlite_statement {
 public:
  /// Prepares `query` (positional `?N` parameters) on the SQLite connection behind `sql`.
  sqlite_statement(soci::session& sql, std::string_view query);
  ~sqlite_statement();
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  /// Binds parameter `pos` (1-based). Text is not copied: it must stay valid and unchanged until
  /// the statement is reset (done by step() at the end of the rows and by run()).
  /// SQLite keeps bindings across executions, and every sqlite3_bind_* call takes the connection's
  /// mutex (~250 instructions): a parameter that already holds the same integer, the same static
  /// text (bind_static) or an empty text is not bound again.
  void bind(int pos, std::string_view text);
  void bind(int pos, long long value);
  /// Binds text of static storage duration (a string literal).
  void bind_static(int pos, std::string_view literal);

  /// Steps once: true with a row to read, false at the end (the statement is then reset, so a
  /// read ends its read transaction). Throws soci::sqlite3_soci_error (statement reset) on errors.
  bool step();
  /// Runs a statement that returns no rows; returns the rows it changed.
  int run();
  /// Ends the current execution early (e.g. after the one row wanted).
  void reset() noexcept;

  /// The most parameters one statement may have on `sql`'s connection (SQLITE_LIMIT_VARIABLE_NUMBER).
  [[nodiscard]] static int max_parameters(soci::session& sql);

  [[nodiscard]] long long column_int64(int col) const noexcept;
  /// The column's bytes (valid until the next step or reset).
  [[nodiscard]] std::string_view column_text(int col) const noexcept;

 private:
  [[noreturn]] void fail(int rc, std::string_view what);
  // What a parameter holds, when it can be compared without dereferencing caller memory.
  struct bound {
    enum class kind : unsigned char { other, integer, static_text } k = kind::other;
    long long value = 0;
    const char* text = nullptr;
    std::size_t size = 0;
  };
  sqlite_api::sqlite3* db_ = nullptr;
  sqlite_api::sqlite3_stmt* st_ = nullptr;
  std::vector<bound> bound_;  // [pos]
};

}  // namespace bankflow::detail
