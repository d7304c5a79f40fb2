#include "rules.hpp"

#include "output.hpp"

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>
#include <bankflow/parse.hpp>
#include <bankflow/rules.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <vector>

namespace bankflow::cli {
namespace {

// "academia (regras.json)", "kind fee (shipped)" or "—" for a row no rule matched.
std::string rule_cell(const rules_file& rules, const category_match& m) {
  if (m.rule == category_match::npos) return "—";
  return std::string(rules.rules.rules()[m.rule].id) + (rules.is_users(m.rule) ? "" : " (shipped)");
}

void print_trace(const statement& st, const rules_file& rules, const std::vector<category_match>& matches) {
  std::vector<std::vector<std::string>> rows{{"LINE", "DATE", "AMOUNT", "KIND", "CATEGORY", "RULE", "DESCRIPTION"}};
  std::size_t from_file = 0;
  for (std::size_t i = 0; i < st.transactions.size(); ++i) {
    const transaction& t = st.transactions[i];
    from_file += matches[i].rule != category_match::npos && rules.is_users(matches[i].rule);
    rows.push_back({std::to_string(t.line), format_date(t.posted), format_amount(t.amount),
                    std::string(to_string(t.kind)), std::string(matches[i].category), rule_cell(rules, matches[i]),
                    std::string(t.description)});
  }
  print_table(rows);
  std::cout << from_file << " of " << st.transactions.size() << " rows matched a rule of the file ("
            << rules.from_file << " rules)\n";
  for (std::string_view id : unused_rules(rules, matches))
    std::cerr << "bankflow: rule " << id << " matched no row of this statement\n";
}

}  // namespace

command setup_rules(CLI::App& app) {
  auto o = std::make_shared<rules_options>();
  auto* cmd = app.add_subcommand("rules", "Category rules files (see README: \"Categories and rules\")");
  cmd->require_subcommand(1);
  auto* test = cmd->add_subcommand("test", "Show which rule of a rules file gives each row of a statement its category");
  test->add_option("rules", o->rules, "The rules file (JSON)")->required();
  test->add_option("statement", o->statement, "A statement file; - reads standard input")->required();
  test->add_flag("--json", o->json, "One JSON document: every row with its kind, category and rule");
  test->add_option("--password", o->password, "PDFs: the document's password; never stored");
  return {cmd, [o] { return run_rules_test(*o); }};
}

int run_rules_test(const rules_options& o) {
  auto rules = load_rules(o.rules);
  if (!rules) {
    print_error(rules.error());
    return exit_data_error;
  }
  auto bytes = read_input(o.statement);
  if (!bytes) {
    print_error(bytes.error());
    return exit_data_error;
  }
  parse_options popt;
  popt.password = o.password;
  popt.category_rules = &rules->rules;
  auto st = parse(*bytes, popt);
  if (!st) {
    print_error(st.error());
    return exit_data_error;
  }
  const auto matches = trace_rules(*st, *rules);
  if (o.json) {
    std::cout << rules_test_to_json(*st, *rules, matches) << '\n';
    return exit_ok;
  }
  print_trace(*st, *rules, matches);
  return exit_ok;
}

}  // namespace bankflow::cli
