#pragma once
// bankflow ledger --db URL account create ID [--currency BRL] [--no-overdraft] [--owner O]
// bankflow ledger --db URL transfer --id ID --from A --to B --amount 12.34 [--pending [--timeout S]]
//                                   [--metadata JSON] [--reference TEXT]
// bankflow ledger --db URL post --id ID --pending-id P [--amount X] | void --id ID --pending-id P
// bankflow ledger --db URL balance ACCOUNT | history ACCOUNT [--cursor C] [--limit N]
// bankflow ledger --db URL init | check | expire
// bankflow ledger [--db URL] import ACCOUNT FILE [--bank ID] [--external E]
//
// Amounts are read and printed as decimals ("12.34") and held as int64 centavos. The database
// defaults to $BANKFLOW_DATABASE_URL, then sqlite://bankflow-ledger.db.

#include "command.hpp"

#include <cstddef>
#include <string>

namespace bankflow::cli {

/// bankflow ledger ACTION …: `action` is the subcommand (init, account, transfer, post, void,
/// balance, history, check, expire, import); `id` its positional argument or --id (an account or
/// a transfer id).
struct ledger_cli_options {
  std::string action;
  std::string database;  ///< URL; empty: $BANKFLOW_DATABASE_URL, then sqlite://bankflow-ledger.db
  std::string id;
  std::string currency = "BRL";
  bool no_overdraft = false;
  std::string owner;
  std::string debit;
  std::string credit;
  std::string amount;  ///< decimal, "12.34"
  bool pending = false;
  long timeout_seconds = 0;
  std::string pending_id;
  std::string metadata;
  std::string reference;
  std::string cursor;
  std::size_t limit = 20;
  std::string account;   ///< import: the account to post into
  std::string file;      ///< import: the statement file
  std::string bank;      ///< import: force the statement's bank
  std::string external = "external";  ///< import: the account on the other side
  bool json = false;
};

/// Registers `ledger` and its actions on app.
[[nodiscard]] command setup_ledger(CLI::App& app);

/// Runs one ledger action; the exit code.
[[nodiscard]] int run_ledger(const ledger_cli_options& options);

}  // namespace bankflow::cli
