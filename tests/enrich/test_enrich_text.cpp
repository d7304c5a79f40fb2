// The folding and the word index enrichment matches with (libbankflow/enrich/text.hpp).

#include "enrich/text.hpp"

#include <catch2/catch.hpp>

#include <string>

using bankflow::detail::folded_text;
using bankflow::detail::word_index;

TEST_CASE("folded_text folds ASCII and accented text and maps back to the original", "[enrich]") {
  folded_text f;
  f.assign("Pix enviado - João Ação 12");
  CHECK(f.view() == "PIX ENVIADO - JOAO ACAO 12");
  const std::size_t at = f.view().find("JOAO");
  CHECK(f.original(at, at + 4) == "João");
  CHECK(f.original(at, f.view().size()) == "João Ação 12");
  f.assign("Nº 1 • ok");
  CHECK(f.view() == "NO 1 \x7F OK");
  f.assign("");
  CHECK(f.view().empty());
}

TEST_CASE("word_index finds the lowest id, at the start only when so added, below a bound", "[enrich]") {
  word_index index;
  index.add("PIX", 5, false);
  index.add("PIX ENVIADO", 2, true);
  index.add("TED", 1, false);
  index.add("ENVIADO", 3, true);
  index.finish();
  auto any = [](std::uint16_t) { return true; };
  CHECK(index.best("PIX ENVIADO MARIA", any) == 2);
  CHECK(index.best("ESTORNO PIX ENVIADO", any) == 5);  // the at-start ones are not at the start
  CHECK(index.best("PIX ENVIADO TED", any) == 1);
  CHECK(index.best("PIXENVIADO", any) == word_index::none);  // whole words only
  CHECK(index.best("PIX ENVIADO", [](std::uint16_t id) { return id != 2; }) == 5);
  CHECK(index.best("PIX ENVIADO", any, 2) == word_index::none);  // nothing below the bound
  CHECK(index.best("PIX ENVIADO TED", any, 2) == 1);
  CHECK(index.best("", any) == word_index::none);
}

TEST_CASE("folded_text finds every word, also across its 64-byte blocks and past 16-byte chunks", "[enrich]") {
  folded_text f;
  // a word of 70 characters that starts at 60 runs over two blocks; accents shift what follows
  const std::string longword(70, 'x');
  const std::string text = "Ação " + std::string(55, '-') + longword + " fim é";
  f.assign(text);
  REQUIRE(f.words() == 4);
  CHECK(f.word_at(0) == 0);
  CHECK(f.word_length(0) == 4);
  CHECK(f.word_at(1) == 60);
  CHECK(f.word_length(1) == 70);
  CHECK(f.original(f.word_at(1), f.word_at(1) + 70) == longword);
  CHECK(f.original(f.word_at(2), f.word_at(2) + 3) == "fim");
  CHECK(f.original(f.word_at(3), f.view().size()) == "é");
  // a pattern is found by its first word, however long (add() keeps a view: the text must live)
  auto any = [](std::uint16_t) { return true; };
  static const std::string pattern = std::string(70, 'X') + " FIM";
  word_index live;
  live.add(pattern, 1, false);
  live.add("FIM E", 2, false);
  live.finish();
  CHECK(live.best(f, any) == 1);
  CHECK(live.best(f, [](std::uint16_t id) { return id == 2; }) == 2);
}

TEST_CASE("folded_text is cut at its capacity, also inside accented text", "[enrich]") {
  folded_text f;
  std::string text;
  for (int i = 0; i < 300; ++i) text += "é";  // 600 bytes, 300 characters
  text += " tail";
  f.assign(text);
  CHECK(f.view().size() == 300 + 5);
  f.assign(std::string(500, 'a'));
  CHECK(f.view().size() == folded_text::capacity);
  CHECK(f.original(0, f.view().size()).size() == folded_text::capacity);
  CHECK(f.words() == 1);
  CHECK(f.word_length(0) == folded_text::capacity);
  std::string mixed;
  for (int i = 0; i < 200; ++i) mixed += "aé";
  f.assign(mixed);
  CHECK(f.view().size() == folded_text::capacity);
  CHECK(f.original(0, f.view().size()) == std::string_view(mixed).substr(0, 192 * 3));
}

TEST_CASE("word_index over a range of a folded text: words cut at either end are words there", "[enrich]") {
  word_index index;
  index.add("FOOD", 1, false);
  index.add("LOJA EX", 2, false);
  index.add("*STAR", 3, false);  // no word character first: searched for on its own
  index.finish();
  auto any = [](std::uint16_t) { return true; };
  folded_text f;
  f.assign("IFD*IFOOD LOJA EXEMP10/10");
  const std::string_view t = f.view();
  CHECK(index.best(f, 0, t.size(), any) == word_index::none);  // FOOD is inside IFOOD, EX inside EXEMP10
  CHECK(index.best(f, 5, t.size(), any) == 1);  // from "FOOD": a word of its own
  const std::size_t ex = t.find("EXEMP");
  CHECK(index.best(f, t.find("LOJA"), ex + 2, any) == 2);  // "LOJA EX", cut inside EXEMP10
  CHECK(index.best(f, t.find("LOJA"), ex + 3, any) == word_index::none);  // "LOJA EXE"
  f.assign("PG *STAR SHOP");
  CHECK(index.best(f, 0, f.view().size(), any) == 3);
  CHECK(index.best(f.view(), any) == 3);
}
