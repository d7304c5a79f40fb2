// The Ourocard text bill (FORMATS.md §3.4.e) of the later kind: dates without a year, IOF lines
// without a country, US$-only rows converted by the bill's own rule, continuation lines, and no
// line with an amount passed over without a word.

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace bankflow;

namespace {

// A transaction line in the bill's 80 columns: date 0–8, description 9–47, country from 48,
// R$ ending at column 67, US$ ending at 79 (an empty amount leaves its column blank).
std::string row(std::string date, std::string description, std::string country, std::string brl,
                std::string usd) {
  std::string s = date;
  s.resize(9, ' ');
  s += description;
  s.resize(48, ' ');
  s += country;
  s.resize(68 - brl.size(), ' ');
  s += brl;
  s.resize(80 - usd.size(), ' ');
  s += usd;
  return s;
}

std::string bill(const std::vector<std::string>& list, std::string dollar_summary = {},
                 std::string extra_header = {}) {
  std::string s =
      "\n\n\n                 SISBB - Sistema de Informa\xC3\xA7\xC3\xB5" "es Banco do Brasil\n"
      "                           Fatura do Cart\xC3\xA3o de Cr\xC3\xA9" "dito\n"
      "Cliente         : MARIA EXEMPLO\n"
      "Nr.Cart\xC3\xA3o       : 4984.****.****.1207\n"
      "Modalidade      : OUROCARD INTERN. VISA-UNIV.\n"
      "Vencimento      : 10.09.2014\n" + extra_header +
      "DEMONSTRATIVO\n"
      "--------------------------------------------------------------------------------\n"
      "Data     Transa\xC3\xA7\xC3\xB5" "es                             Pa\xC3\xADs        Valor R$   Valor US$\n"
      "--------------------------------------------------------------------------------\n"
      "         1-MARIA EXEMPLO\n";
  for (const auto& l : list) s += l + "\n";
  s += "\nRESUMO EM REAL\n";
  if (!dollar_summary.empty()) s += "RESUMO EM D\xC3\x93LAR\n" + dollar_summary + "\n";
  return s;
}

statement parsed(const std::string& text) {
  auto st = parse(text, {.format = "bb-ourocard-txt", .file_name = "fatura.txt"});
  INFO((st ? std::string() : st.error().message));
  REQUIRE(st);
  return std::move(*st);
}

bool has_warning(const statement& st, std::size_t line, std::string_view part) {
  return std::any_of(st.warnings.begin(), st.warnings.end(), [&](const warning& w) {
    return w.line == line && w.message.find(part) != std::string::npos;
  });
}

constexpr std::size_t first_row = 15;  // the line of list[0] in bill()

}  // namespace

TEST_CASE("Ourocard dd/mm dates take the due date's year, the year before for a later month") {
  const auto st = parsed(bill({row("15/08", "LOJA EXEMPLO", "BR", "10,00", "0,00"),
                               row("12/09", "ANUIDADE PARC 03/06", "BR", "15,00", "0,00"),
                               row("26/10", "MOVEIS EXEMPLO PARC 11/12", "BR", "141,58", "0,00")}));
  REQUIRE(st.transactions.size() == 3);
  CHECK(st.transactions[0].posted == date{std::chrono::year{2014}, std::chrono::month{8}, std::chrono::day{15}});
  // September is the bill's month (due 10.09.2014): the same year, even after the due day
  CHECK(st.transactions[1].posted == date{std::chrono::year{2014}, std::chrono::month{9}, std::chrono::day{12}});
  CHECK(st.transactions[2].posted == date{std::chrono::year{2013}, std::chrono::month{10}, std::chrono::day{26}});
}

TEST_CASE("an Ourocard IOF line without a country, or with a bank code there, is a transaction") {
  const auto st = parsed(bill({row("29/07", "IOF - COMPRA NO EXTERIOR", "", "3,69", "0,00"),
                               row("11/08", "PGTO DEBITO CONTA 1234 000001234  200", "211", "-1.000,00", "0,00")}));
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[0].description == "IOF - COMPRA NO EXTERIOR");
  CHECK(st.transactions[0].amount == -369);
  CHECK(st.transactions[1].description == "PGTO DEBITO CONTA 1234 000001234 200");
  CHECK(st.transactions[1].amount == 100000);
}

TEST_CASE("an Ourocard US$-only row is converted at the bill's rate and keeps its US$ amount") {
  const std::string summary = "     36,28 -       0,00 +       0,00 =       36,28   X   2,3458 =          85,11";
  SECTION("the R$ column blank") {
    const auto st = parsed(bill({row("02/08", "HOSPEDAGEM EXEMPLO     DOVER", "US", "", "15,00")}, summary));
    REQUIRE(st.transactions.size() == 1);
    CHECK(st.transactions[0].amount == -3519);
    CHECK(st.transactions[0].description == "HOSPEDAGEM EXEMPLO DOVER US$ 15,00");
    CHECK(has_warning(st, first_row, "US$ 15.00 converted at the bill's rate 2,3458 to R$ 35.19"));
  }
  SECTION("R$ 0,00, and a continuation line that already names the dollars") {
    const auto st = parsed(bill({row("28/07", "IOF - COMPRA NO EXTERIOR", "", "0,00", "1,28"),
                                 "         *** 1,28 DOLAR AMERICANO"},
                                summary));
    REQUIRE(st.transactions.size() == 1);
    CHECK(st.transactions[0].amount == -300);
    CHECK(st.transactions[0].description == "IOF - COMPRA NO EXTERIOR 1,28 DOLAR AMERICANO");
  }
  SECTION("the rate of a Cotação line when there is no dollar summary") {
    const auto st = parsed(bill({row("02/08", "HOSPEDAGEM EXEMPLO     DOVER", "US", "0,00", "15,00")}, {},
                                "Cota\xC3\xA7\xC3\xA3o do d\xC3\xB3lar: 2,3458\n"));
    REQUIRE(st.transactions.size() == 1);
    CHECK(st.transactions[0].amount == -3518);  // no summary to tell the rule: fractions dropped
  }
  SECTION("no rate at all: amount 0 and a warning that says why") {
    const auto st = parsed(bill({row("02/08", "HOSPEDAGEM EXEMPLO     DOVER", "US", "0,00", "15,00")}));
    REQUIRE(st.transactions.size() == 1);
    CHECK(st.transactions[0].amount == 0);
    CHECK(has_warning(st, first_row, "no R$ value and no exchange rate"));
  }
}

TEST_CASE("Ourocard dollars are rounded by the rule the bill's own conversion follows") {
  // 15,00 × 2,3458 = 35,187 and 36,28 × 2,3458 = 85,1056: the summary's result tells the rule
  const std::string dollar_row = row("02/08", "HOSPEDAGEM EXEMPLO     DOVER", "US", "0,00", "15,00");
  auto summary = [](std::string converted) {
    return "     36,28 -       0,00 +       0,00 =       36,28   X   2,3458 =          " + converted;
  };
  SECTION("to the nearest centavo") {
    const auto st = parsed(bill({dollar_row}, summary("85,11")));
    CHECK(st.transactions.at(0).amount == -3519);
  }
  SECTION("fractions dropped") {
    const auto st = parsed(bill({dollar_row}, summary("85,10")));
    CHECK(st.transactions.at(0).amount == -3518);
  }
  SECTION("neither: fractions dropped, and a warning") {
    const auto st = parsed(bill({dollar_row}, summary("85,50")));
    CHECK(st.transactions.at(0).amount == -3518);
    CHECK(std::any_of(st.warnings.begin(), st.warnings.end(),
                      [](const warning& w) { return w.message.find("follows no rounding rule") != std::string::npos; }));
  }
}

TEST_CASE("an Ourocard (SUSEP …) line completes the row above, across a blank line") {
  const auto st = parsed(bill({row("26/08", "PROTECAO OURO SET/2014", "BR", "3,00", "0,00"), "",
                               "         (SUSEP - 00000.000000/2004-41)",
                               row("27/08", "LOJA EXEMPLO", "BR", "1,00", "0,00")}));
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[0].description == "PROTECAO OURO SET/2014 (SUSEP - 00000.000000/2004-41)");
  CHECK(st.warnings.empty());
}

TEST_CASE("every Ourocard line with an amount that is not a transaction gets a warning") {
  const auto st = parsed(bill({"         Companhias A&eacute;reas",
                               row("19/07", "GOL PARC 02/02", "BR", "163,90", "0,00"),
                               "         TARIFA SEM DATA                                    9,90        0,00",
                               "         SubTotal                                             163,90        0,00",
                               "",
                               "                                                                0,00       36,28"}));
  REQUIRE(st.transactions.size() == 1);
  CHECK(has_warning(st, first_row + 2, "under \"Companhias A\xC3\xA9reas\" is not a transaction"));
  CHECK(has_warning(st, first_row + 3, "\"SubTotal\" line (R$ 163,90, US$ 0,00) is a sum of the bill"));
  CHECK(has_warning(st, first_row + 5, "amounts under the \"SubTotal\" line (R$ 0,00, US$ 36,28)"));
  CHECK(st.warnings.size() == 3);  // the section title and the cardholder carry no amount
}

TEST_CASE("Ourocard `1-NAME` and `2-NAME` lines open one account per card") {
  const auto st = parsed(bill({row("03/08", "FARMACIA MODELO", "BR", "86,40", "0,00"),
                               "         2-BELTRANA DE TAL",
                               row("04/08", "LIVRARIA MODELO", "BR", "20,00", "0,00")}));
  REQUIRE(st.accounts.size() == 2);
  CHECK(st.accounts[0].holder == "MARIA EXEMPLO");
  CHECK(st.accounts[1].holder == "BELTRANA DE TAL");
  CHECK(st.accounts[1].number == "4984.****.****.1207 #02");
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[1].account_index == 1);
}

TEST_CASE("an Ourocard dated line without an amount is an error naming file, line and field") {
  auto st = parse(bill({"15/08    LOJA EXEMPLO                            BR"}),
                  {.format = "bb-ourocard-txt", .file_name = "fatura.txt"});
  REQUIRE_FALSE(st);
  CHECK(st.error().code == errc::bad_amount);
  CHECK(st.error().line == first_row);
  CHECK(st.error().field == "Valor R$");
  CHECK(st.error().file == "fatura.txt");
}
