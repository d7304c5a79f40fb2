#pragma once
// The subcommands. main.cpp registers them with CLI11 and fills these option structs; each
// run_* does the work and returns the exit code (0 ok, 1 data error, 2 usage, 3 converted with
// skipped rows).

#include <cstddef>
#include <string>
#include <vector>

namespace bankflow::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_data_error = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_skipped_rows = 3;  ///< convert --skip-bad-rows left rows out

struct convert_options {
  std::vector<std::string> inputs;  ///< files, directories, or "-" for stdin
  std::string output;               ///< file, directory (DIR/), or empty for stdout
  std::string to = "csv";           ///< csv | json
  std::string style = "standard";   ///< standard | excel-br (CSV only)
  std::string bank;                 ///< force a bank id
  std::string format;               ///< force a format id
  bool verbose = false;             ///< print each file's warnings on stderr
  bool progress = true;             ///< a progress bar on a terminal for batches
  bool skip_bad_rows = false;       ///< leave unreadable rows out, list them, exit 3
  std::string password;             ///< PDFs: the document's password
  std::string pages;                ///< PDFs: "A-B", "A-", "-B" or "A": the pages to read
};
int run_convert(const convert_options& options);

struct detect_options {
  std::vector<std::string> inputs;
  bool json = false;
  std::string password;             ///< PDFs: the document's password
};
int run_detect(const detect_options& options);

struct banks_options {
  bool json = false;
};
int run_banks(const banks_options& options);

}  // namespace bankflow::cli

namespace bankflow::cli {

struct webhook_verify_options {
  std::string scheme;                ///< standard | stripe | github | hmac-sha256
  std::vector<std::string> secrets;  ///< every valid secret (rotation)
  std::vector<std::string> headers;  ///< received headers, "Name: value"
  std::string body_file;             ///< the raw body; "-" for stdin
  std::string now;                   ///< Unix seconds to verify as of; empty for the system clock
  std::string tolerance;             ///< seconds; empty for 300
  std::string signature_header;      ///< hmac-sha256: the header carrying the signature
  std::string encoding;              ///< hmac-sha256: hex (default) | base64
  std::string prefix;                ///< hmac-sha256: text before the signature, e.g. "sha256="
};
int run_webhook_verify(const webhook_verify_options& options);

struct webhook_sign_options {
  std::string scheme;
  std::vector<std::string> secrets;
  std::string body_file;
  std::string id;         ///< webhook-id / X-GitHub-Delivery; generated for standard when empty
  std::string timestamp;  ///< Unix seconds; empty for now
  std::string signature_header;
  std::string encoding;
  std::string prefix;
};
int run_webhook_sign(const webhook_sign_options& options);

}  // namespace bankflow::cli

namespace bankflow::cli {

/// bankflow ledger ACTION …: `action` is the subcommand (account, transfer, post, void, balance,
/// history, check, expire, import); `id` its positional argument (an account, a transfer id or,
/// for import, the statement file).
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
int run_ledger(const ledger_cli_options& options);

}  // namespace bankflow::cli
