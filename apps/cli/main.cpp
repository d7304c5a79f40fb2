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
  return cmd;
}

CLI::App* setup_detect(CLI::App& app, detect_options& o) {
  auto* cmd = app.add_subcommand("detect", "Name the bank and format of statement files, with a confidence");
  cmd->add_option("files", o.inputs, "Statement files or directories; - reads standard input")
      ->required();
  cmd->add_flag("--json", o.json, "One JSON object per file");
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bankflow: Brazilian bank statements (OFX, CSV, TXT) to clean CSV and JSON"};
  app.set_version_flag("--version", std::string(bankflow::version()));
  app.require_subcommand(1);
  convert_options convert;
  detect_options detect;
  banks_options banks;
  CLI::App* convert_cmd = setup_convert(app, convert);
  CLI::App* detect_cmd = setup_detect(app, detect);
  CLI::App* banks_cmd = setup_banks(app, banks);
  webhook_verify_options webhook_verify;
  webhook_sign_options webhook_sign;
  const webhook_commands webhook_cmds = setup_webhook(app, webhook_verify, webhook_sign);
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
  return exit_usage;
}
