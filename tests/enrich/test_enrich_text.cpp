// The folding and the word index enrichment matches with (libbankflow/enrich/text.hpp).

#include "enrich/text.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

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

TEST_CASE("folded_text agrees with a plain fold on random text: view, way back, words, marks", "[enrich]") {
  // pieces of every kind the fold treats apart: ASCII, accents, other UTF-8, stray bytes, marks
  const std::vector<std::string> pieces = {"a", "Z", "q", "0", "9", " ", "-", "*", "/", "(", "$", "@", "!", ":",
                                           "[", "é", "Ç", "ã", "•", "º", "\xC2\xA0", "€", "\xF0\x9F\x98\x80",
                                           "\x80", "\xC3", "ABCDEFGHIJKLMNOP", "parc", "Parcela"};
  std::mt19937 random(20261207);
  folded_text f;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = random() % (round % 10 == 0 ? 400 : 60);
    for (std::size_t i = 0; i < n; ++i) text += pieces[random() % pieces.size()];
    f.assign(text);
    const std::string_view v = f.view();
    std::string whole;
    bankflow::detail::append_folded(whole, text);
    INFO("round " << round << ": \"" << text << "\"");
    REQUIRE(v.size() == std::min(whole.size(), folded_text::capacity));
    REQUIRE(v == std::string_view(whole).substr(0, v.size()));
    // every prefix's original bytes fold to that prefix
    for (std::size_t k = 0; k <= v.size(); k += 1 + random() % 7) {
      std::string back;
      bankflow::detail::append_folded(back, f.original(0, k));
      REQUIRE(back == v.substr(0, k));
    }
    // the words, as a plain scan finds them
    std::size_t w = 0;
    bool parc = false;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!bankflow::detail::is_word_char(v[i]) || (i > 0 && bankflow::detail::is_word_char(v[i - 1]))) continue;
      std::size_t end = i;
      while (end < v.size() && bankflow::detail::is_word_char(v[end])) ++end;
      REQUIRE(w < f.words());
      CHECK(f.word_at(w) == i);
      CHECK(f.word_length(w) == end - i);
      parc = parc || v.substr(i, end - i).starts_with("PARC");
      CHECK(f.bucket(w) == bankflow::detail::word_bucket(bankflow::detail::head_of(v.data() + i, v.size() - i), end - i));
      ++w;
    }
    CHECK(f.words() == w);
    CHECK(f.has_parc_word() == parc);
    // has(): every mark from '!' to '@', as the folded text holds it or not
    for (char c = '!'; c <= '@'; ++c)
      if (c < '0' || c > '9') CHECK(f.has(c) == (v.find(c) != std::string_view::npos));
  }
}

TEST_CASE("word_index agrees with trying every pattern in turn, on random text and patterns", "[enrich]") {
  const std::vector<std::string> words = {"PIX", "TED", "PAGTO", "PAG", "COMPRA", "CARTAO", "DEB", "DEBITO", "AUT",
                                          "A", "12", "IFD*", "LOJA", "X", "MERCADO", "LIVRE", "*STAR", "NO"};
  const std::vector<std::string> seps = {" ", " ", " ", ".", "-", " - ", "*", "/"};
  std::mt19937 random(7);
  auto phrase = [&](std::size_t max_words) {
    std::string s;
    const std::size_t n = 1 + random() % max_words;
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) s += seps[random() % seps.size()];
      s += words[random() % words.size()];
    }
    return s;
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> patterns(1 + random() % 12);
    std::vector<bool> at_start(patterns.size());
    word_index index;
    for (std::size_t id = 0; id < patterns.size(); ++id) {
      patterns[id] = phrase(3);
      at_start[id] = random() % 4 == 0;
      index.add(patterns[id], static_cast<std::uint16_t>(id), at_start[id]);
    }
    index.finish();
    for (int t = 0; t < 20; ++t) {
      const std::string text = phrase(8);
      const std::uint16_t odd_id = static_cast<std::uint16_t>(random() % patterns.size());
      auto accept = [&](std::uint16_t id) { return id != odd_id; };  // one refused, to test accept
      auto naive = [&](std::string_view in) {
        for (std::size_t id = 0; id < patterns.size(); ++id) {
          if (!accept(static_cast<std::uint16_t>(id))) continue;
          const bool hit = at_start[id] ? bankflow::detail::words_at(in, 0, patterns[id])
                                        : bankflow::detail::find_words(in, patterns[id]) != std::string_view::npos;
          if (hit) return static_cast<std::uint16_t>(id);
        }
        return word_index::none;
      };
      folded_text f;
      f.assign(text);
      INFO("text \"" << text << "\"");
      CHECK(index.best(std::string_view(text), accept) == naive(text));
      CHECK(index.best(f, accept) == naive(text));
      // any range of it, words cut at either end included
      const std::size_t b = random() % (text.size() + 1), e = b + random() % (text.size() - b + 1);
      INFO("range [" << b << ", " << e << ")");
      CHECK(index.best(f, b, e, accept) == naive(std::string_view(text).substr(b, e - b)));
    }
  }
}
