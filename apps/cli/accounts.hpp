#pragma once
// bankflow accounts create --email E --role user|operator|admin [--name N]   (password: see below)
// bankflow accounts list [--json]
// bankflow accounts key create --email E --name N --scope read|read-write [--json]
// bankflow accounts key list --email E [--json]
// bankflow accounts key revoke --email E --id KEYID
// bankflow accounts role --email E --role user|operator|admin
// bankflow accounts disable --email E
//
// Every action takes [--data-dir D] [--database URL] and opens the server's database:
// --database (or $BANKFLOW_DATABASE_URL), else sqlite:///<data-dir>/bankflow.db with --data-dir
// (or $BANKFLOW_DATA_DIR) defaulting to bankflow-data, as bankflow-server does. The password of
// `create` is $BANKFLOW_PASSWORD when set, else the first line of standard input (never an
// argument). Every change is appended to the audit log by the system (empty actor), detail "cli".

#include "command.hpp"

#include <string>

namespace bankflow::cli {

/// What `bankflow accounts …` was asked to do.
struct accounts_cli_options {
  std::string action;  ///< create, list, role, disable, key create, key list, key revoke
  std::string data_dir = "bankflow-data";  ///< the server's data directory
  std::string database;  ///< URL; empty: sqlite:///<data_dir>/bankflow.db
  std::string email;     ///< the user acted on
  std::string role;      ///< create, role: user, operator or admin
  std::string name;      ///< create: the display name; key create: the key's label
  std::string scope;     ///< key create: read or read-write
  std::string key_id;    ///< key revoke: the key's id
  bool json = false;     ///< list, key create, key list: JSON instead of text
};

/// Registers `accounts` and its actions on app.
[[nodiscard]] command setup_accounts(CLI::App& app);

/// Runs one accounts action; the exit code (1: a data error such as an unknown email, a weak
/// password or a taken email; 2: a usage error such as no password given).
[[nodiscard]] int run_accounts(const accounts_cli_options& options);

}  // namespace bankflow::cli
