// Bradesco's extrato footer (FORMATS.md §3.2.a): no row after `;Total;` disappears without a
// word. `Últimos Lançamentos` rows are transactions unless they repeat the list; Invest Fácil
// balances and scheduled entries are named in warnings.

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace bankflow;

namespace {

const std::string head =
    ";Extrato de: Ag\xC3\xAAncia: 0815  Conta: 0024680-2\n"
    "Data;Lan\xC3\xA7" "amento;Dcto.;Cr\xC3\xA9" "dito (R$);D\xC3\xA9" "bito (R$);Saldo (R$)\n"
    "29/05/2026;SALDO ANTERIOR;;;;100,00\n"                     // line 3
    "29/06/2026;PIX CAFE EXEMPLO;2906001;;-8,50;91,50\n"         // line 4
    "29/06/2026;PIX CAFE EXEMPLO;2906002;;-8,50;83,00\n"         // line 5
    ";Total;;0,00;-17,00;83,00\n";                               // line 6

statement parsed(const std::string& text) {
  auto st = parse(text, {.format = "bradesco-extrato-csv"});
  INFO((st ? std::string() : st.error().message));
  REQUIRE(st);
  return std::move(*st);
}

bool has_warning(const statement& st, std::size_t line, std::string_view part) {
  return std::any_of(st.warnings.begin(), st.warnings.end(), [&](const warning& w) {
    return w.line == line && w.message.find(part) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("Bradesco Últimos Lançamentos: a repeat of the list is skipped with a warning, a new row is kept") {
  const auto st = parsed(head +
                         "\xC3\x9Altimos Lan\xC3\xA7" "amentos\n"                                           // 7
                         "Data;Lan\xC3\xA7" "amento;Dcto.;Cr\xC3\xA9" "dito (R$);D\xC3\xA9" "bito (R$);Saldo (R$)\n"  // 8
                         "29/06/2026;PIX CAFE EXEMPLO;2906002;;-8,50;\n"                                    // 9
                         "29/06/2026;PIX CAFE EXEMPLO;2906001;;-8,50;\n"                                    // 10
                         "29/06/2026;PIX CAFE EXEMPLO;2906003;;-8,50;\n"                                    // 11
                         "30/06/2026;TARIFA BANCARIA;0;;-32,90;\n");                                        // 12
  // the two repeats each match their own row of the list, by document; the third payment and
  // the fee came after the list's cut
  REQUIRE(st.transactions.size() == 4);
  CHECK(st.transactions[2].line == 11);
  CHECK(st.transactions[3].line == 12);
  CHECK(st.transactions[3].amount == -3290);
  CHECK(has_warning(st, 9, "repeats line 5"));
  CHECK(has_warning(st, 10, "repeats line 4"));
  CHECK_FALSE(has_warning(st, 11, "repeats"));
  // the list's last balance and the rows after it
  CHECK(st.accounts[0].closing_balance == 8300 - 850 - 3290);
  CHECK(std::is_sorted(st.warnings.begin(), st.warnings.end(),
                       [](const warning& a, const warning& b) { return a.line < b.line; }));
}

TEST_CASE("Bradesco Saldos Invest Fácil rows are balance warnings, not transactions or the balance") {
  const auto st = parsed(head +
                         "Saldos Invest F\xC3\xA1" "cil / Plus\n"       // 7
                         "Data;Hist\xC3\xB3rico;Valor (R$)\n"          // 8
                         "30/06/2026;SALDO INVEST F\xC3\x81" "CIL;2.000,00\n"  // 9
                         "30/06/2026;SALDO INVEST PLUS;0,00\n");      // 10
  CHECK(st.transactions.size() == 2);
  CHECK(st.accounts[0].closing_balance == 8300);
  CHECK(has_warning(st, 9, "balance row \"SALDO INVEST F\xC3\x81" "CIL\" of 30/06/2026 (2.000,00)"));
  CHECK(has_warning(st, 10, "SALDO INVEST PLUS"));
}

TEST_CASE("Bradesco Lançamentos Futuros rows are scheduled, each in a warning with its continuation") {
  const auto st = parsed(head +
                         "Lan\xC3\xA7" "amentos Futuros\n"                    // 7
                         "01/07/2026;DEBITO AUTOMATICO;9912;;-89,90;\n"        // 8
                         "; Seguradora Exemplo;;\n"                           // 9
                         "06/07/2026;ESTORNO EXEMPLO;45211;12,00;;\n"          // 10
                         "Os dados acima t\xC3\xAAm como base 30/06/2026\n");  // 11
  REQUIRE(st.transactions.size() == 2);
  // the continuation names the scheduled entry; it does not lengthen the list's last row
  CHECK(st.transactions[1].description == "PIX CAFE EXEMPLO");
  CHECK(has_warning(st, 8, "scheduled entry (Lan\xC3\xA7" "amentos Futuros), not a transaction yet: 01/07/2026 -89,90 "
                           "\"DEBITO AUTOMATICO Seguradora Exemplo\""));
  CHECK(has_warning(st, 10, "06/07/2026 12,00 \"ESTORNO EXEMPLO\""));
  CHECK(st.warnings.size() == 3);  // and SALDO ANTERIOR
}
