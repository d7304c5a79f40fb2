// bankflow: the command line. Registers the subcommands and parses; the work is in the run_*
// functions (one file each), which never see CLI11.

#include "commands.hpp"

#include <bankflow/version.hpp>

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace {

using namespace bankflow::cli;

CLI::App* setup_convert(CLI::App& app, convert_options& o) {
  auto* cmd = app.add_subcommand("convert", "Convert bank statements to the normalized CSV or JSON");
  cmd->add_option("files", o.inputs, "Statement files or directories; - reads standard input")
      ->required();
  cmd->add_option("-o,--output", o.output,
                  "Output file, or a directory (one output per input); default standard output");
  cmd->add_option("--to", o.to, "Output format")->check(CLI::IsMember({"csv", "json"}));
  cmd->add_option("--style", o.style, "CSV style: standard, or excel-br (';', decimal comma, BOM)")
      ->check(CLI::IsMember({"standard", "excel-br"}));
  cmd->add_flag_callback("--excel-br", [&o] { o.style = "excel-br"; }, "Same as --style excel-br");
  cmd->add_option("--bank", o.bank, "Force the bank (see `bankflow banks`)");
  cmd->add_option("--format", o.format, "Force the format (see `bankflow banks`)");
  cmd->add_flag("-v,--verbose", o.verbose, "Print each file's warnings (skipped balance rows …)");
  cmd->add_flag("!--no-progress", o.progress, "No progress bar");
  cmd->add_flag("--skip-bad-rows", o.skip_bad_rows,
                "Convert every readable row and list the unreadable ones (bad amount or date, wrong "
                "shape) on stderr, in the JSON's skipped_rows and, with -o FILE, in FILE.skipped.csv; "
                "exit status 3 when a row was skipped");
  cmd->add_option("--password", o.password,
                  "PDFs: the document's password (banks often use digits of the holder's CPF); never stored");
  cmd->add_option("--pages", o.pages, "PDFs: read only these pages, e.g. 3-10, 5- or 7 (1-based)");
  return cmd;
}

CLI::App* setup_detect(CLI::App& app, detect_options& o) {
  auto* cmd = app.add_subcommand("detect", "Name the bank and format of statement files, with a confidence");
  cmd->add_option("files", o.inputs, "Statement files or directories; - reads standard input")
      ->required();
  cmd->add_flag("--json", o.json, "One JSON object per file");
  cmd->add_option("--password", o.password, "PDFs: the document's password; never stored");
  return cmd;
}

CLI::App* setup_banks(CLI::App& app, banks_options& o) {
  auto* cmd = app.add_subcommand("banks", "List the supported banks and formats");
  cmd->add_flag("--json", o.json, "As JSON");
  return cmd;
}

struct webhook_commands {
  CLI::App* verify;
  CLI::App* sign;
};

webhook_commands setup_webhook(CLI::App& app, webhook_verify_options& v, webhook_sign_options& s) {
  auto* cmd = app.add_subcommand("webhook", "Verify or sign provider webhooks (Standard Webhooks, Stripe, GitHub, HMAC)");
  cmd->require_subcommand(1);
  const std::vector<std::string> schemes{"standard", "stripe", "github", "hmac-sha256"};
  auto* verify = cmd->add_subcommand(
      "verify", "Check a delivery: prints `valid` (exit 0) or `invalid: CODE: MESSAGE` (exit 1)");
  verify->add_option("--scheme", v.scheme, "standard, stripe, github or hmac-sha256")
      ->required()
      ->check(CLI::IsMember(schemes));
  verify->add_option("--secret", v.secrets, "A signing secret; repeat it for rotation")->required();
  verify->add_option("--header", v.headers, "A received header, 'Name: value'; repeat it");
  verify->add_option("--body-file", v.body_file, "The raw body as received; - reads standard input")
      ->required();
  verify->add_option("--now", v.now, "Verify as of this Unix time (default: the clock)");
  verify->add_option("--tolerance", v.tolerance, "Accepted clock difference in seconds (default 300)");
  verify->add_option("--signature-header", v.signature_header, "hmac-sha256: the signature header");
  verify->add_option("--encoding", v.encoding, "hmac-sha256: hex (default) or base64")
      ->check(CLI::IsMember({"hex", "base64"}));
  verify->add_option("--prefix", v.prefix, "hmac-sha256: text before the signature, e.g. sha256=");

  auto* sign = cmd->add_subcommand("sign", "Print the headers a sender would send with this body");
  sign->add_option("--scheme", s.scheme, "standard, stripe, github or hmac-sha256")
      ->required()
      ->check(CLI::IsMember(schemes));
  sign->add_option("--secret", s.secrets, "The signing secret (standard and stripe: repeat to sign with several)")
      ->required();
  sign->add_option("--body-file", s.body_file, "The body to send; - reads standard input")->required();
  sign->add_option("--id", s.id, "webhook-id (generated when absent) or X-GitHub-Delivery");
  sign->add_option("--timestamp", s.timestamp, "Unix time of the signature (default: now)");
  sign->add_option("--signature-header", s.signature_header, "hmac-sha256: the signature header");
  sign->add_option("--encoding", s.encoding, "hmac-sha256: hex (default) or base64")
      ->check(CLI::IsMember({"hex", "base64"}));
  sign->add_option("--prefix", s.prefix, "hmac-sha256: text before the signature");
  return {verify, sign};
}

CLI::App* setup_ledger(CLI::App& app, ledger_cli_options& o) {
  auto* cmd = app.add_subcommand("ledger", "A double-entry ledger in a SQLite or PostgreSQL database");
  cmd->require_subcommand(1);
  cmd->add_option("--db", o.database,
                  "Database URL: sqlite:///path or postgresql://… (default $BANKFLOW_DATABASE_URL, then sqlite://bankflow-ledger.db)");
  cmd->add_flag("--json", o.json, "As JSON");
  // --db and --json may also follow the subcommand
  auto sub = [&](const char* name, const char* help) {
    auto* s = cmd->add_subcommand(name, help);
    s->fallthrough();
    s->callback([&o, name] { if (o.action.empty()) o.action = name; });
    return s;
  };
  sub("init", "Create or migrate the ledger's tables");
  auto* account = sub("account", "Accounts");
  account->require_subcommand(1);
  auto* create = account->add_subcommand("create", "Create an account (an identical repeat says exists)");
  create->fallthrough();
  create->add_option("id", o.id, "Account id")->required();
  create->add_option("--currency", o.currency, "ISO 4217 code (default BRL)");
  create->add_flag("--no-overdraft", o.no_overdraft, "Debits may never exceed posted credits");
  create->add_option("--owner", o.owner, "Owner (free text)");
  auto* transfer = sub("transfer", "Move money; the id is the idempotency key");
  transfer->add_option("--id", o.id, "Transfer id")->required();
  transfer->add_option("--from,--debit", o.debit, "Account the money leaves")->required();
  transfer->add_option("--to,--credit", o.credit, "Account the money arrives in")->required();
  transfer->add_option("--amount", o.amount, "Amount, e.g. 12.34")->required();
  transfer->add_flag("--pending", o.pending, "A hold, posted or voided later");
  transfer->add_option("--timeout", o.timeout_seconds, "With --pending: seconds until it is voided");
  transfer->add_option("--metadata", o.metadata, "JSON text stored with the transfer");
  transfer->add_option("--reference", o.reference, "Free text");
  auto* post = sub("post", "Post a pending transfer (all of it, or --amount)");
  post->add_option("--id", o.id, "Id of this post")->required();
  post->add_option("--pending-id", o.pending_id, "The pending transfer")->required();
  post->add_option("--amount", o.amount, "Part to post (default: all)");
  auto* voids = sub("void", "Void a pending transfer");
  voids->add_option("--id", o.id, "Id of this void")->required();
  voids->add_option("--pending-id", o.pending_id, "The pending transfer")->required();
  auto* balance = sub("balance", "An account's balance and counters");
  balance->add_option("account", o.id, "Account id")->required();
  auto* history = sub("history", "An account's transfers, newest first");
  history->add_option("account", o.id, "Account id")->required();
  history->add_option("--cursor", o.cursor, "Continue after an earlier page");
  history->add_option("--limit", o.limit, "Transfers per page (default 20)");
  sub("check", "Check the ledger's invariants (exit 1 and a report when broken)");
  sub("expire", "Void every pending transfer whose timeout has passed");
  auto* import = sub("import", "Post a statement file into an account; a re-import adds only what is new");
  import->add_option("account", o.account, "The account the statement belongs to")->required();
  import->add_option("file", o.file, "Statement file (any format bankflow reads)")->required();
  import->add_option("--bank", o.bank, "Force the statement's bank");
  import->add_option("--external", o.external, "The account on the other side (default: external)");
  return cmd;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bankflow: Brazilian bank statements (OFX, CSV, TXT) to clean CSV and JSON"};
  app.set_version_flag("--version", std::string(bankflow::version()));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 ok, 1 a data error (a bad or unsupported file: one line on stderr naming the "
      "file, line and field), 2 a usage error, 3 converted with skipped rows (convert "
      "--skip-bad-rows left unreadable rows out and listed them).");
  convert_options convert;
  detect_options detect;
  banks_options banks;
  CLI::App* convert_cmd = setup_convert(app, convert);
  CLI::App* detect_cmd = setup_detect(app, detect);
  CLI::App* banks_cmd = setup_banks(app, banks);
  webhook_verify_options webhook_verify;
  webhook_sign_options webhook_sign;
  const webhook_commands webhook_cmds = setup_webhook(app, webhook_verify, webhook_sign);
  ledger_cli_options ledger_opts;
  CLI::App* ledger_cmd = setup_ledger(app, ledger_opts);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  if (convert_cmd->parsed()) return run_convert(convert);
  if (detect_cmd->parsed()) return run_detect(detect);
  if (banks_cmd->parsed()) return run_banks(banks);
  if (webhook_cmds.verify->parsed()) return run_webhook_verify(webhook_verify);
  if (webhook_cmds.sign->parsed()) return run_webhook_sign(webhook_sign);
  if (ledger_cmd->parsed()) return run_ledger(ledger_opts);
  return exit_usage;
}
