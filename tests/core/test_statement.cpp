// A statement owns its transactions' text: views stay valid across moves, clone() copies deeply,
// and every kept view is a C string.

#include <bankflow/bankflow.hpp>

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
