#include "banks.hpp"

#include <bankflow/export.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/statement.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

namespace bankflow::cli {

command setup_banks(CLI::App& app) {
  auto o = std::make_shared<banks_options>();
  auto* cmd = app.add_subcommand("banks", "List the supported banks and formats");
  cmd->add_flag("--json", o->json, "As JSON");
  return {cmd, [o] { return run_banks(*o); }};
}

int run_banks(const banks_options& o) {
  if (o.json) {
    std::fputs(banks_to_json().c_str(), stdout);
    return exit_ok;
  }
  // columns as wide as their longest entry
  int id_width = 2, format_width = 6;
  for (const auto& b : known_banks()) id_width = std::max(id_width, static_cast<int>(b.id.size()));
  for (const auto& f : known_formats()) format_width = std::max(format_width, static_cast<int>(f.id.size()));
  std::printf("%-*s %-24s %-6s %s\n", id_width, "ID", "BANK", "COMPE", "FORMATS");
  for (const auto& b : known_banks()) {
    std::string formats;
    for (const auto& f : known_formats())
      if (bank_offers(f, b.id)) formats += (formats.empty() ? "" : ", ") + std::string(f.id);
    // pad by characters, not bytes: names carry accents
    std::string name(b.name);
    std::size_t chars = 0;
    for (const char c : name) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (chars < 24) name.append(24 - chars, ' ');
    std::printf("%-*.*s %s %-6.*s %s\n", id_width, static_cast<int>(b.id.size()), b.id.data(), name.c_str(),
                static_cast<int>(b.compe.size()), b.compe.data(), formats.c_str());
  }
  std::printf("\nFormats:\n");
  for (const auto& f : known_formats())
    std::printf("  %-*.*s %.*s\n", format_width, static_cast<int>(f.id.size()), f.id.data(),
                static_cast<int>(f.description.size()), f.description.data());
  return exit_ok;
}

}  // namespace bankflow::cli
