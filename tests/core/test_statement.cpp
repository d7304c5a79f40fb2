// A statement owns its transactions' text: views stay valid across moves, clone() copies deeply,
// and every kept view is a C string.

#include <bankflow/bankflow.hpp>

#include "statement/period.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <utility>

using namespace bankflow;

TEST_CASE("text_arena keeps copies that survive moves and are NUL-terminated") {
  text_arena arena;
  std::string source = "PIX RECEBIDO MARIA";
  const std::string_view kept = arena.keep(source);
  source.assign(source.size(), 'x');  // the copy does not depend on the source
  CHECK(kept == "PIX RECEBIDO MARIA");
  CHECK(kept.data()[kept.size()] == '\0');
  CHECK(std::strcmp(arena.keep("").data(), "") == 0);

  // many more than one block's worth, and one larger than any block so far
  std::vector<std::string_view> views;
  for (int i = 0; i < 20000; ++i) views.push_back(arena.keep("linha " + std::to_string(i)));
  const std::string big(1 << 20, 'b');
  const std::string_view big_view = arena.keep(big);

  text_arena moved = std::move(arena);
  for (int i = 0; i < 20000; i += 997) CHECK(views[static_cast<std::size_t>(i)] == "linha " + std::to_string(i));
  CHECK(big_view == big);
  CHECK(kept == "PIX RECEBIDO MARIA");
  // the moved-from arena is empty and usable; it never writes into the other's blocks
  CHECK(arena.size() == 0);  // NOLINT(bugprone-use-after-move)
  const std::string_view fresh = arena.keep("nova");
  CHECK(fresh == "nova");
  CHECK(views.back() == "linha 19999");
  CHECK(moved.size() > big.size());
}

TEST_CASE("a parsed statement's text lives as long as the statement, and clone() copies it") {
  const std::string file = "Data Lançamento;Descrição;Valor;Saldo\n"
                           "02/01/2026;PIX RECEBIDO JOSÉ;100,00;100,00\n"
                           "03/01/2026;TARIFA;-1,50;98,50\n";
  parse_options forced;
  forced.format = "inter-extrato-csv";
  auto parsed = parse(std::string(file), forced);  // the input dies with this statement's temporary
  REQUIRE(parsed);
  statement st = std::move(*parsed);
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[0].description == "PIX RECEBIDO JOSÉ");

  statement copy = st.clone();
  const std::string_view original = st.transactions[0].description;
  CHECK(copy.transactions[0].description == original);
  CHECK(copy.transactions[0].description.data() != original.data());
  CHECK(copy.transactions[1].dedupe_key == st.transactions[1].dedupe_key);
  CHECK(copy.format == st.format);
  CHECK(copy.accounts.size() == st.accounts.size());

  // editing through keep() leaves the other statement alone
  st.transactions[0].description = st.keep(std::string(original) + " (estornado)");
  CHECK(st.transactions[0].description == "PIX RECEBIDO JOSÉ (estornado)");
  CHECK(copy.transactions[0].description == "PIX RECEBIDO JOSÉ");

  statement moved = std::move(st);
  CHECK(moved.transactions[0].description == "PIX RECEBIDO JOSÉ (estornado)");
  CHECK(moved.transactions[1].description == "TARIFA");
}

namespace {
date ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}
}  // namespace

TEST_CASE("a preamble line's statement period is read in each bank's phrasing") {
  struct row {
    std::string line;
    bool found;
    date start, end;
  };
  const auto r = GENERATE(
      row{"Período: 01/03/2026 a 31/03/2026,,,,", true, ymd(2026, 3, 1), ymd(2026, 3, 31)},
      row{"Período ;01/04/26 a 30/04/26", true, ymd(2026, 4, 1), ymd(2026, 4, 30)},
      row{"Extrato do período 01/06/2026 a 10/06/2026,,,,", true, ymd(2026, 6, 1), ymd(2026, 6, 10)},
      row{"Extrato do periodo de 1/6/2026 até 10/06/2026", true, ymd(2026, 6, 1), ymd(2026, 6, 10)},
      row{"Extrato de: Ag: 3321 | Conta: 778899-1 | Entre 15/12/2025 e 10/01/2026", true,
          ymd(2025, 12, 15), ymd(2026, 1, 10)},
      row{"Filtro de resultados - Movimentação entre:  15/12/2025 e 10/01/2026;;;;;", true,
          ymd(2025, 12, 15), ymd(2026, 1, 10)},
      row{"PERÍODO: 05/05/2026 A 05/05/2026", true, ymd(2026, 5, 5), ymd(2026, 5, 5)},
      // no period: other uses of the words, a range that ends before it starts, half a range
      row{"1. Para o periodo %am", false, {}, {}},
      row{"Transferência entre contas 01/02/2026", false, {}, {}},
      row{"Período: 31/03/2026 a 01/03/2026", false, {}, {}},
      row{"Período: 01/03/2026", false, {}, {}},
      row{"Períodos: 01/03/2026 a 31/03/2026", false, {}, {}},
      row{"Período: 32/03/2026 a 31/03/2026", false, {}, {}});
  INFO(r.line);
  const auto p = detail::find_declared_period(r.line);
  REQUIRE(p.has_value() == r.found);
  if (p) {
    CHECK(p->start == r.start);
    CHECK(p->end == r.end);
  }
}

TEST_CASE("a CSV's declared period is the statement period, not its first and last rows") {
  const std::string csv =
      "Extrato Conta Corrente\nConta ;20304050\nPeríodo ;01/02/2025 a 28/02/2025\n"
      "Saldo: ;892,33\n\nData Lançamento;Descrição;Valor;Saldo\n"
      "03/02/2025;Pix recebido;780,00;1.300,50\n20/02/2025;Estorno;12,50;1.313,00\n";
  auto st = parse(csv);
  REQUIRE(st);
  CHECK(st->format == "inter-extrato-csv");
  CHECK(st->period_start == ymd(2025, 2, 1));
  CHECK(st->period_end == ymd(2025, 2, 28));

  SECTION("without the period line, the transactions' first and last dates") {
    std::string cut = csv;
    cut.erase(cut.find("Período"), cut.find("Saldo:") - cut.find("Período"));
    auto st2 = parse(cut);
    REQUIRE(st2);
    CHECK(st2->period_start == ymd(2025, 2, 3));
    CHECK(st2->period_end == ymd(2025, 2, 20));
  }
}
