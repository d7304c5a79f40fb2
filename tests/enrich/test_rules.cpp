// A user's category rules file (rules.hpp): read strictly (every mistake names its rule and
// field), tried before the shipped rules, first match wins, and traced row by row for `rules test`.

#include <bankflow/bankflow.hpp>
#include <bankflow/rules.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using namespace bankflow;

namespace {

std::string_view category(const rules_file& rules, std::string_view text, std::int64_t amount, bool card = true) {
  return enrich_row({.bank_id = "nubank", .format = "csv", .card_bill = card, .description = text, .amount = amount},
                    &rules.rules)
      .category.category;
}

std::string error_of(std::string_view json) {
  auto r = parse_rules(json, "regras.json");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  return r.error().message;
}

}  // namespace

TEST_CASE("a rules file's rules come first, then the shipped ones", "[enrich][rules]") {
  auto rules = parse_rules(R"({"rules": [
      {"id": "academia", "category": "Saúde", "description": "smart fit"},
      {"category": "Moradia", "kind": ["pix", "ted"], "description": "aluguel", "sign": "debit"},
      {"category": "Lanches", "merchant": "ifood"}]})",
                           "regras.json");
  REQUIRE(rules);
  CHECK(rules->from_file == 3);
  CHECK(rules->rules.rules().size() > 3);  // the shipped ones follow
  CHECK(rules->rules.rules()[0].id == "academia");
  CHECK(rules->rules.rules()[1].id == "#2");  // no id: its place
  CHECK(category(*rules, "SMART FIT PAULISTA", -12990) == "Saúde");  // case and accents do not matter
  CHECK(category(*rules, "IFD*IFOOD CLUB", -3500) == "Lanches");     // the user's rule beats "Alimentação"
  CHECK(category(*rules, "PADARIA BOM PAO", -1870) == "Alimentação");  // no rule of theirs: the shipped one
  // a condition that does not hold lets the row fall through: a credit is not rent paid
  auto pix_out = enrich_row({.bank_id = "nubank", .format = "csv",
                             .description = "Transferência enviada pelo Pix - ALUGUEL IMOVEIS LTDA", .amount = -150000},
                            &rules->rules);
  CHECK(pix_out.kind == transaction_kind::pix);
  CHECK(pix_out.category.category == "Moradia");
  CHECK(pix_out.category.rule == 1);
  auto pix_in = enrich_row({.bank_id = "nubank", .format = "csv",
                            .description = "Transferência recebida pelo Pix - ALUGUEL IMOVEIS LTDA", .amount = 150000},
                           &rules->rules);
  CHECK(pix_in.category.category != "Moradia");
}

TEST_CASE("a bare list is a rules file; \"defaults\": false keeps only the file's rules", "[enrich][rules]") {
  auto bare = parse_rules(R"([{"category": "Mercado", "merchant": "assai"}])");
  REQUIRE(bare);
  CHECK(bare->from_file == 1);
  CHECK(bare->rules.rules().size() > 1);
  auto only = parse_rules(R"({"rules": [{"category": "Mercado", "description": "assai"}], "defaults": false})");
  REQUIRE(only);
  CHECK(only->rules.rules().size() == 1);
  CHECK(category(*only, "ASSAI ATACADISTA", -10000) == "Mercado");
  CHECK(category(*only, "PADARIA BOM PAO", -1870).empty());  // no shipped rule to fall back on
  CHECK(only->is_users(0));
  CHECK_FALSE(only->is_users(1));
}

TEST_CASE("every mistake in a rules file names its rule and field", "[enrich][rules]") {
  CHECK(error_of("{") .find("regras.json: is not JSON") == 0);
  CHECK(error_of("42") == "regras.json: must be a list of rules or an object with \"rules\"");
  CHECK(error_of(R"({"regras": []})").find("regras.json: regras: unknown key") == 0);
  CHECK(error_of(R"({"defaults": true})") == "regras.json: rules: is missing");
  CHECK(error_of(R"([{"category": "A"}, {"merchant": "X"}])").find("regras.json: rule 2: category: is missing") == 0);
  CHECK(error_of(R"([{"category": ""}])") == "regras.json: rule 1: category: must not be empty");
  CHECK(error_of(R"([{"category": "A", "kind": "pixx"}])").find("regras.json: rule 1: kind: unknown kind \"pixx\" (one of pix,") == 0);
  CHECK(error_of(R"([{"category": "A", "kind": []}])") == "regras.json: rule 1: kind: an empty list matches nothing");
  CHECK(error_of(R"([{"category": "A", "sign": "out"}])").find("regras.json: rule 1: sign: must be \"credit\"") == 0);
  CHECK(error_of(R"([{"category": "A", "merchnat": "X"}])").find("regras.json: rule 1: merchnat: unknown key") == 0);
  CHECK(error_of(R"([{"category": 7}])") == "regras.json: rule 1: category: must be text");
  CHECK(error_of(R"(["Mercado"])") == "regras.json: rule 1: must be an object with a \"category\"");
  CHECK(error_of(std::string(max_rules_file_bytes + 1, ' ')) == "regras.json: is larger than 1 MiB");
  auto e = parse_rules(R"([{"category": "A", "kind": "nope"}])", "regras.json").error();
  CHECK(e.field == "kind");
}

TEST_CASE("load_rules reads a file; trace_rules says which rule each row matched", "[enrich][rules]") {
  const auto path = std::filesystem::temp_directory_path() / "bankflow-test-regras.json";
  { std::ofstream(path) << R"([{"id": "padaria", "category": "Café da manhã", "description": "padaria"},
                               {"id": "nunca", "category": "X", "description": "nenhuma linha tem isto"}])"; }
  auto rules = load_rules(path);
  REQUIRE(rules);
  statement st;
  for (auto [text, amount] : {std::pair{"PADARIA BOM PAO", -1870}, std::pair{"UBER TRIP", -2500}}) {
    transaction t;
    t.description = st.keep(text);
    t.amount = amount;
    t.kind = transaction_kind::card_purchase;
    st.transactions.push_back(t);
  }
  const auto matches = trace_rules(st, *rules);
  REQUIRE(matches.size() == 2);
  CHECK(matches[0].rule == 0);
  CHECK(matches[0].category == "Café da manhã");
  CHECK_FALSE(rules->is_users(matches[1].rule));  // a shipped rule
  CHECK(matches[1].category == "Transporte");
  CHECK(unused_rules(*rules, matches) == std::vector<std::string_view>{"nunca"});
  const std::string json = rules_test_to_json(st, *rules, matches);
  CHECK(json.find(R"("rule":{"index":0,"id":"padaria","source":"file"})") != std::string::npos);
  CHECK(json.find(R"("unused":["nunca"])") != std::string::npos);
  CHECK(json.find(R"("file_rules":2)") != std::string::npos);
  std::filesystem::remove(path);
  auto missing = load_rules(path);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::io_error);
}
