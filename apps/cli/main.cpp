// bankflow: the command line. Registers the subcommands and parses; each subcommand's file
// (setup_x registers it, run_x does the work) is the whole story of that command.

#include "accounts.hpp"
#include "banks.hpp"
#include "command.hpp"
#include "convert.hpp"
#include "detect.hpp"
#include "ledger.hpp"
#include "rules.hpp"
#include "webhook.hpp"

#include <bankflow/version.hpp>

#include <CLI/CLI.hpp>

#include <string>

int main(int argc, char** argv) {
  using namespace bankflow::cli;
  CLI::App app{"bankflow: Brazilian bank statements (OFX, CSV, TXT) to clean CSV and JSON"};
  app.set_version_flag("--version", std::string(bankflow::version()));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 ok, 1 a data error (a bad or unsupported file: one line on stderr naming the "
      "file, line and field), 2 a usage error, 3 converted with skipped rows (convert "
      "--skip-bad-rows left unreadable rows out and listed them).");
  const command commands[] = {setup_convert(app), setup_detect(app), setup_banks(app), setup_webhook(app),
                              setup_ledger(app), setup_accounts(app), setup_rules(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_usage;
  }
  for (const command& c : commands)
    if (c.app->parsed()) return c.run();
  return exit_usage;
}
