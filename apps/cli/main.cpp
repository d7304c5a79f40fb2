// bankflow: the command line. Registers the subcommands and parses; the work is in the run_*
// functions (one file each), which never see CLI11.

#include "commands.hpp"

#include <bankflow/version.hpp>

#include <CLI/CLI.hpp>

#include <string>

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
  return exit_usage;
}
