#pragma once
// Internal: the account store's state and how its rows are read, shared by its users' and its
// API keys' halves (accounts.cpp, api_keys.cpp).

#include <bankflow/accounts.hpp>

#include "store/db.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bankflow {

struct account_store::impl {
  detail::database_impl* db = nullptr;
  password_params params;
  clock_fn clock;
  std::once_flag dummy_once;
  std::string dummy_hash;  // what an unknown email's password is verified against

  [[nodiscard]] long long now_s() const { return detail::unix_s(clock()); }
  /// A hash under the store's parameters that no password is known to match, made once.
  [[nodiscard]] const std::string& dummy();
};

namespace detail {

/// Seconds since the Unix epoch as a time.
[[nodiscard]] inline std::chrono::sys_seconds at_seconds(long long s) {
  return std::chrono::sys_seconds(std::chrono::seconds(s));
}

/// A user as selected with user_columns.
struct user_row {
  user_info info;
  std::string role;
  long long created = 0;
  long long disabled = 0;
  soci::indicator disabled_ind = soci::i_null;
  std::string password_hash;

  /// Binds the columns of user_columns, in order.
  void bind(soci::statement& st);
  /// The user, its times and role converted.
  [[nodiscard]] user_info finish() const;
};

/// The columns user_row binds.
inline constexpr std::string_view user_columns =
    "id, email, display_name, role, created_at, disabled_at, password_hash";

/// The users `where` selects (binding :k to key; empty: every user), oldest first. Error: storage_error.
[[nodiscard]] result<std::vector<user_row>> select_users(database_impl& db, std::string_view where,
                                                         const std::string& key);

/// The user whose `column` (id or email) is `key`, or nothing. Error: storage_error.
[[nodiscard]] result<std::optional<user_row>> select_user(database_impl& db, std::string_view column,
                                                          const std::string& key);

}  // namespace detail
}  // namespace bankflow
