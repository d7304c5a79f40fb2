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
