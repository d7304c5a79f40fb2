#include <bankflow/text.hpp>

#include "core/append_text.hpp"
#include "core/fast_paths.hpp"
#include "core/scan.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace std::string_view_literals;

namespace {

std::string bytes_of(std::initializer_list<int> bytes) {
  std::string s;
  for (const int b : bytes) s += static_cast<char>(static_cast<unsigned char>(b));
  return s;
}

bool points_into(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// is_valid_utf8

TEST_CASE("well-formed UTF-8 is valid", "[text][utf8]") {
  const std::string_view valid[] = {
      ""sv,
      "abc"sv,
      "Lançamento Descrição Histórico"sv,
      "\x7F"sv,
      "\xC2\x80"sv,                  // U+0080, smallest two-byte
      "\xDF\xBF"sv,                  // U+07FF
      "\xE0\xA0\x80"sv,              // U+0800, smallest three-byte
      "€ ‹ œ Ÿ •"sv,
      "\xED\x9F\xBF"sv,              // U+D7FF, just below the surrogates
      "\xEE\x80\x80"sv,              // U+E000, just above them
      "\xEF\xBF\xBF"sv,              // U+FFFF
      "\xEF\xBB\xBF" "abc"sv,        // a BOM is a valid character
      "\xF0\x90\x80\x80"sv,          // U+10000, smallest four-byte
      "\xF0\x9F\x98\x80 emoji"sv,
      "\xF4\x8F\xBF\xBF"sv,          // U+10FFFF, the last code point
      std::string_view("a\0b", 3),   // NUL is valid UTF-8 (binary detection is separate)
  };
  for (const auto s : valid) {
    CAPTURE(s);
    CHECK(bankflow::is_valid_utf8(s));
  }
}

TEST_CASE("overlongs, surrogates, out-of-range and truncated sequences are invalid UTF-8",
          "[text][utf8]") {
  const std::pair<std::string_view, std::string_view> invalid[] = {
      {"\x80"sv, "lone continuation"},
      {"\xBF"sv, "lone continuation"},
      {"a\x80z"sv, "continuation after ASCII"},
      {"\xC0\x80"sv, "overlong NUL"},
      {"\xC0\xAF"sv, "overlong slash"},
      {"\xC1\xBF"sv, "overlong two-byte"},
      {"\xE0\x80\x80"sv, "overlong three-byte"},
      {"\xE0\x9F\xBF"sv, "overlong U+07FF"},
      {"\xF0\x80\x80\x80"sv, "overlong four-byte"},
      {"\xF0\x8F\xBF\xBF"sv, "overlong U+FFFF"},
      {"\xED\xA0\x80"sv, "surrogate U+D800"},
      {"\xED\xBF\xBF"sv, "surrogate U+DFFF"},
      {"\xED\xA0\xBD\xED\xB8\x80"sv, "CESU-8 surrogate pair"},
      {"\xF4\x90\x80\x80"sv, "U+110000"},
      {"\xF5\x80\x80\x80"sv, "F5 lead"},
      {"\xF7\xBF\xBF\xBF"sv, "F7 lead"},
      {"\xF8\x88\x80\x80\x80"sv, "five-byte form"},
      {"\xFE"sv, "FE"},
      {"\xFF"sv, "FF"},
      {"\xC3"sv, "truncated two-byte"},
      {"abc\xE2\x82"sv, "truncated three-byte at the end"},
      {"\xF0\x9F\x98"sv, "truncated four-byte"},
      {"\xC3\x28"sv, "bad continuation of two-byte"},
      {"\xE2\x28\xA1"sv, "bad second byte of three-byte"},
      {"\xE2\x82\x28"sv, "bad third byte of three-byte"},
      {"\xF0\x9F\x28\x80"sv, "bad third byte of four-byte"},
      {"\xF0\x9F\x98\x28"sv, "bad fourth byte of four-byte"},
      {"Cr\xE9" "dito"sv, "Windows-1252 e-acute"},
      {"a\xE7\xE3o"sv, "Windows-1252 c-cedilla a-tilde"},
  };
  for (const auto& [bytes, why] : invalid) {
    CAPTURE(why);
    CHECK_FALSE(bankflow::is_valid_utf8(bytes));
  }
}

TEST_CASE("a bad byte is found at every position around the 8- and 16-byte fast paths",
          "[text][utf8]") {
  for (std::size_t len = 1; len <= 40; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      std::string s(len, 'x');
      s[at] = '\xE9';
      CAPTURE(len, at);
      CHECK_FALSE(bankflow::is_valid_utf8(s));
      if (at + 1 < len) {
        s[at] = '\xC3';
        s[at + 1] = '\xA9';  // é: now valid
        CHECK(bankflow::is_valid_utf8(s));
      }
    }
  }
}

TEST_CASE("a multi-byte character split by the end of the buffer is invalid", "[text][utf8]") {
  const std::string full = std::string(37, 'a') + "\xF0\x9F\x98\x80";
  CHECK(bankflow::is_valid_utf8(full));
  for (std::size_t cut = 1; cut < 4; ++cut) {
    CAPTURE(cut);
    CHECK_FALSE(bankflow::is_valid_utf8(std::string_view(full).substr(0, full.size() - cut)));
  }
}

// ---------------------------------------------------------------------------------------------
// Windows-1252

TEST_CASE("all 32 bytes 0x80-0x9F decode to their Windows-1252 characters", "[text][1252]") {
  struct row {
    int byte;
    char32_t cp;
    std::string_view utf8;
  };
  // From the Unicode mapping table CP1252.TXT; the five undefined bytes map to C1 controls
  // (WHATWG).
  const row table[] = {
      {0x80, 0x20AC, "\xE2\x82\xAC"},  // €
      {0x81, 0x0081, "\xC2\x81"},      // undefined
      {0x82, 0x201A, "\xE2\x80\x9A"},  // ‚
      {0x83, 0x0192, "\xC6\x92"},      // ƒ
      {0x84, 0x201E, "\xE2\x80\x9E"},  // „
      {0x85, 0x2026, "\xE2\x80\xA6"},  // …
      {0x86, 0x2020, "\xE2\x80\xA0"},  // †
      {0x87, 0x2021, "\xE2\x80\xA1"},  // ‡
      {0x88, 0x02C6, "\xCB\x86"},      // ˆ
      {0x89, 0x2030, "\xE2\x80\xB0"},  // ‰
      {0x8A, 0x0160, "\xC5\xA0"},      // Š
      {0x8B, 0x2039, "\xE2\x80\xB9"},  // ‹
      {0x8C, 0x0152, "\xC5\x92"},      // Œ
      {0x8D, 0x008D, "\xC2\x8D"},      // undefined
      {0x8E, 0x017D, "\xC5\xBD"},      // Ž
      {0x8F, 0x008F, "\xC2\x8F"},      // undefined
      {0x90, 0x0090, "\xC2\x90"},      // undefined
      {0x91, 0x2018, "\xE2\x80\x98"},  // ‘
      {0x92, 0x2019, "\xE2\x80\x99"},  // ’
      {0x93, 0x201C, "\xE2\x80\x9C"},  // “
      {0x94, 0x201D, "\xE2\x80\x9D"},  // ”
      {0x95, 0x2022, "\xE2\x80\xA2"},  // •
      {0x96, 0x2013, "\xE2\x80\x93"},  // –
      {0x97, 0x2014, "\xE2\x80\x94"},  // —
      {0x98, 0x02DC, "\xCB\x9C"},      // ˜
      {0x99, 0x2122, "\xE2\x84\xA2"},  // ™
      {0x9A, 0x0161, "\xC5\xA1"},      // š
      {0x9B, 0x203A, "\xE2\x80\xBA"},  // ›
      {0x9C, 0x0153, "\xC5\x93"},      // œ
      {0x9D, 0x009D, "\xC2\x9D"},      // undefined
      {0x9E, 0x017E, "\xC5\xBE"},      // ž
      {0x9F, 0x0178, "\xC5\xB8"},      // Ÿ
  };
  REQUIRE(std::size(table) == 32);
  for (const auto& r : table) {
    CAPTURE(r.byte);
    CHECK(bankflow::windows_1252_to_utf8(bytes_of({r.byte})) == r.utf8);
    std::string encoded;
    bankflow::detail::append_utf8(encoded, r.cp);
    CHECK(encoded == r.utf8);
  }
}

TEST_CASE("Windows-1252 bytes 0xA0-0xFF decode to U+00A0-U+00FF and ASCII is unchanged",
          "[text][1252]") {
  for (int b = 0xA0; b <= 0xFF; ++b) {
    CAPTURE(b);
    const std::string expected = bytes_of({0xC0 | (b >> 6), 0x80 | (b & 0x3F)});
    CHECK(bankflow::windows_1252_to_utf8(bytes_of({b})) == expected);
  }
  std::string ascii;
  for (int b = 0; b < 0x80; ++b) ascii += static_cast<char>(b);
  CHECK(bankflow::windows_1252_to_utf8(ascii) == ascii);
  CHECK(bankflow::windows_1252_to_utf8("\xE7") == "ç");
  CHECK(bankflow::windows_1252_to_utf8("\xC3") == "Ã");
  CHECK(bankflow::windows_1252_to_utf8("\xA0") == "\xC2\xA0");
  CHECK(bankflow::windows_1252_to_utf8("\xBA\xAA\xB0") == "ºª°");
}

TEST_CASE("a Windows-1252 line decodes whole, with ASCII runs longer than eight bytes",
          "[text][1252]") {
  CHECK(bankflow::windows_1252_to_utf8("Hist\xF3rico;Lan\xE7" "amento;Descri\xE7\xE3o") ==
        "Histórico;Lançamento;Descrição");
  CHECK(bankflow::windows_1252_to_utf8("TARIFA BANCARIA \x80 10,00 \x96 SALDO ANTERIOR \x95\x95") ==
        "TARIFA BANCARIA € 10,00 – SALDO ANTERIOR ••");
  CHECK(bankflow::windows_1252_to_utf8("") == "");
}

TEST_CASE("every Windows-1252 byte string decodes to valid UTF-8", "[text][1252]") {
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  const std::string out = bankflow::windows_1252_to_utf8(all);
  CHECK(bankflow::is_valid_utf8(out));
  CHECK(out.size() == 128 + 128 * 2 + 17);  // 17 of 0x80-0x9F need three bytes
}

// ---------------------------------------------------------------------------------------------
// decode_text

TEST_CASE("valid UTF-8 without a BOM is decoded without a copy", "[text][decode]") {
  const std::string input = "Data;Descrição;Valor\n01/04/2025;Pix;1,00\n";
  const auto d = bankflow::decode_text(input);
  CHECK(d.encoding == bankflow::source_encoding::utf8);
  CHECK_FALSE(d.had_bom);
  CHECK(d.storage.empty());
  CHECK(d.text == input);
  CHECK(d.text.data() == input.data());
}

TEST_CASE("a UTF-8 BOM is removed", "[text][decode]") {
  const std::string input = "\xEF\xBB\xBF" "Data,Valor\n";
  const auto d = bankflow::decode_text(input);
  CHECK(d.encoding == bankflow::source_encoding::utf8);
  CHECK(d.had_bom);
  CHECK(d.text == "Data,Valor\n");
  CHECK(points_into(d.text, input));  // still no copy
}

TEST_CASE("bytes that are not UTF-8 are decoded as Windows-1252", "[text][decode]") {
  const std::string input = "Hist\xF3rico;Valor\r\nTARIFA \x80;-10,00\r\n";
  const auto d = bankflow::decode_text(input);
  CHECK(d.encoding == bankflow::source_encoding::windows_1252);
  CHECK_FALSE(d.had_bom);
  CHECK(d.text == "Histórico;Valor\r\nTARIFA €;-10,00\r\n");
  CHECK(d.text.data() == d.storage.data());
}

TEST_CASE("a BOM followed by Windows-1252 bytes is dropped before decoding", "[text][decode]") {
  const auto d = bankflow::decode_text("\xEF\xBB\xBF" "Cr\xE9" "dito");
  CHECK(d.encoding == bankflow::source_encoding::windows_1252);
  CHECK(d.had_bom);
  CHECK(d.text == "Crédito");
}

TEST_CASE("empty input and a lone BOM decode to empty UTF-8", "[text][decode]") {
  const auto empty = bankflow::decode_text("");
  CHECK(empty.text.empty());
  CHECK(empty.encoding == bankflow::source_encoding::utf8);
  CHECK_FALSE(empty.had_bom);
  const auto bom = bankflow::decode_text("\xEF\xBB\xBF");
  CHECK(bom.text.empty());
  CHECK(bom.had_bom);
}

TEST_CASE("moving decoded text keeps the view on the moved storage", "[text][decode]") {
  SECTION("short Windows-1252 text (small-string storage moves by copy)") {
    auto a = bankflow::decode_text("p\xE3o");
    REQUIRE(a.encoding == bankflow::source_encoding::windows_1252);
    bankflow::decoded_text b(std::move(a));
    CHECK(b.text == "pão");
    CHECK(b.text.data() == b.storage.data());
    CHECK(b.encoding == bankflow::source_encoding::windows_1252);
    CHECK(a.text.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is defined

    bankflow::decoded_text c;
    c = std::move(b);
    CHECK(c.text == "pão");
    CHECK(c.text.data() == c.storage.data());
    CHECK(b.text.empty());  // NOLINT(bugprone-use-after-move)
  }
  SECTION("long Windows-1252 text") {
    const std::string input = std::string(200, 'x') + "\xE9";
    auto a = bankflow::decode_text(input);
    bankflow::decoded_text b(std::move(a));
    CHECK(b.text.size() == 202);
    CHECK(b.text.data() == b.storage.data());
  }
  SECTION("a zero-copy view still points at the caller's bytes") {
    const std::string input = "ok";
    auto a = bankflow::decode_text(input);
    bankflow::decoded_text b(std::move(a));
    CHECK(b.text.data() == input.data());
    CHECK(b.storage.empty());
    bankflow::decoded_text c = bankflow::decode_text("\xE9");
    c = std::move(b);
    CHECK(c.text.data() == input.data());
    CHECK(c.storage.empty());
  }
  SECTION("decoded text kept in a vector survives its reallocation") {
    std::vector<bankflow::decoded_text> all;
    for (int i = 0; i < 50; ++i) all.push_back(bankflow::decode_text("a\xE7\xFA"));
    for (const auto& d : all) {
      CHECK(d.text == "açú");
      CHECK(d.text.data() == d.storage.data());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// looks_binary

TEST_CASE("NUL bytes and many control characters look binary", "[text][binary]") {
  CHECK(bankflow::looks_binary(std::string_view("\0", 1)));
  CHECK(bankflow::looks_binary(std::string_view("Data;Valor\n\0", 12)));
  CHECK(bankflow::looks_binary("PK\x03\x04\x14"));                  // ZIP
  CHECK(bankflow::looks_binary("\x01\x02\x03\x04\x05\x06\x07\x08")); // all control
  SECTION("more than 10% control characters among the ASCII bytes") {
    std::string s(89, 'a');
    s.append(11, '\x01');  // 11 of 100
    CHECK(bankflow::looks_binary(s));
    std::string t(90, 'a');
    t.append(10, '\x1B');  // exactly 10 of 100 is still text
    CHECK_FALSE(bankflow::looks_binary(t));
  }
  SECTION("DEL and vertical tab count as control characters") {
    CHECK(bankflow::looks_binary("ab\x7F\x7F"));
    CHECK(bankflow::looks_binary("ab\v\v"));
  }
}

TEST_CASE("text, line breaks, tabs, form feeds and high bytes do not look binary",
          "[text][binary]") {
  CHECK_FALSE(bankflow::looks_binary(""));
  CHECK_FALSE(bankflow::looks_binary("Data;Descrição;Valor\r\n01/04/2025;Pix;1,00\r\n"));
  CHECK_FALSE(bankflow::looks_binary("\t\t\r\n\f\r\n\tOFXHEADER:100\r"));
  CHECK_FALSE(bankflow::looks_binary("Hist\xF3rico;Lan\xE7" "amento\r\n"));  // Windows-1252
  std::string high(500, '\xE9');
  high += "ab\x01";  // high bytes do not dilute: 1 control among 3 ASCII bytes is binary
  CHECK(bankflow::looks_binary(high));
  std::string dos(200, 'a');
  dos += '\x1A';  // a DOS end-of-file mark
  CHECK_FALSE(bankflow::looks_binary(dos));
}

// ---------------------------------------------------------------------------------------------
// lines

TEST_CASE("split_lines handles CR, LF, CRLF, mixed endings and empty lines", "[text][lines]") {
  struct row {
    std::string_view text;
    std::vector<std::string_view> lines;
  };
  const row rows[] = {
      {"", {}},
      {"a", {"a"}},
      {"a\n", {"a"}},
      {"a\nb", {"a", "b"}},
      {"a\nb\n", {"a", "b"}},
      {"a\r\nb\r\n", {"a", "b"}},
      {"a\rb\r", {"a", "b"}},
      {"a\r\rb", {"a", "", "b"}},
      {"a\n\nb", {"a", "", "b"}},
      {"a\r\n\r\nb", {"a", "", "b"}},
      {"\n", {""}},
      {"\r\n", {""}},
      {"\r", {""}},
      {"\n\r", {"", ""}},
      {"\n\n", {"", ""}},
      {"a\rb\r\nc\nd", {"a", "b", "c", "d"}},
      {"a\n\r\nb", {"a", "", "b"}},
      {"OFXHEADER:100\rDATA:OFXSGML\r\r<OFX>", {"OFXHEADER:100", "DATA:OFXSGML", "", "<OFX>"}},
      {"a long first line;with;fields\ranother long line here\r\nthird line that is long\n",
       {"a long first line;with;fields", "another long line here", "third line that is long"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto got = bankflow::split_lines(r.text);
    CHECK(got == r.lines);
    for (const auto line : got) CHECK(points_into(line, r.text));
  }
}

TEST_CASE("a file with 772 lone CRs, 3 CRLFs and 6 LFs has 781 lines", "[text][lines]") {
  std::string s;
  for (int i = 0; i < 781; ++i) {
    s += "line " + std::to_string(i + 1);
    s += i < 772 ? "\r" : i < 775 ? "\r\n" : "\n";
  }
  const auto lines = bankflow::split_lines(s);
  REQUIRE(lines.size() == 781);
  CHECK(lines.front() == "line 1");
  CHECK(lines[772] == "line 773");
  CHECK(lines.back() == "line 781");
}

TEST_CASE("line_reader numbers lines from 1 and reports the next offset", "[text][lines]") {
  const std::string_view text = "first\r\nsecond\rthird\n\nfifth";
  bankflow::line_reader reader(text);
  std::string_view line;
  CHECK(reader.offset() == 0);
  CHECK(reader.line_number() == 0);
  REQUIRE(reader.next(line));
  CHECK(line == "first");
  CHECK(reader.line_number() == 1);
  CHECK(reader.offset() == 7);
  REQUIRE(reader.next(line));
  CHECK(line == "second");
  CHECK(reader.offset() == 14);
  REQUIRE(reader.next(line));
  CHECK(line == "third");
  REQUIRE(reader.next(line));
  CHECK(line.empty());
  CHECK(reader.line_number() == 4);
  REQUIRE(reader.next(line));
  CHECK(line == "fifth");
  CHECK(reader.line_number() == 5);
  CHECK(reader.offset() == text.size());
  CHECK_FALSE(reader.next(line));
  CHECK_FALSE(reader.next(line));
  CHECK(reader.line_number() == 5);
}

TEST_CASE("line_of_offset counts CR, LF and CRLF as one terminator each", "[text][lines]") {
  const std::string_view text = "a\r\nb\rc\nd";
  const std::size_t expected[] = {1, 1, 1, 2, 2, 3, 3, 4, 4};  // offsets 0..8 (8 is the end)
  for (std::size_t off = 0; off < std::size(expected); ++off) {
    CAPTURE(off);
    CHECK(bankflow::line_of_offset(text, off) == expected[off]);
  }
  CHECK(bankflow::line_of_offset(text, 1000) == 4);
  CHECK(bankflow::line_of_offset("", 0) == 1);
}

TEST_CASE("line_of_offset agrees with line_reader at every offset", "[text][lines]") {
  const std::string text =
      "header;line;with;some;fields\r\r\nsecond line is here\n\r\nx\rlonger line with more bytes"
      "\r\n\n";
  bankflow::line_reader reader(text);
  std::string_view line;
  while (true) {
    const std::size_t start = reader.offset();
    if (!reader.next(line)) break;
    const std::size_t stop = reader.offset();  // start of the next line
    for (std::size_t off = start; off < stop; ++off) {
      CAPTURE(off);
      CHECK(bankflow::line_of_offset(text, off) == reader.line_number());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// trim, collapse_blanks, fold

TEST_CASE("trim removes blanks and NBSP from both ends only", "[text][trim]") {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"", ""},
      {"   ", ""},
      {"a", "a"},
      {"  a  ", "a"},
      {"\t\r\n a b \n", "a b"},
      {"\xC2\xA0" "1.234,56\xC2\xA0", "1.234,56"},
      {"\xC2\xA0", ""},
      {" \xC2\xA0 \xC2\xA0 ", ""},
      {"à", "à"},        // C3 A0: its A0 byte is not an NBSP
      {" à ", "à"},
      {"xà", "xà"},
      {"a\xC2\xA0" "b", "a\xC2\xA0" "b"},
      {"\f a \v", "\f a \v"},  // only space, tab, CR, LF and NBSP are blanks
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(bankflow::trim(in) == out);
  }
}

TEST_CASE("collapse_blanks turns runs of blanks into one space and trims", "[text][trim]") {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"", ""},
      {"   ", ""},
      {"a", "a"},
      {"  a \t b\r\n c  ", "a b c"},
      {"SALDO    ANTERIOR", "SALDO ANTERIOR"},
      {"a\xC2\xA0\xC2\xA0" "b", "a b"},
      {"Descrição  da   compra", "Descrição da compra"},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(bankflow::collapse_blanks(in) == out);
  }
}

TEST_CASE("collapse_blanks agrees with the blank-by-blank rule on random text", "[text][trim]") {
  // the vector path copies runs 16 bytes at a time and skips runs of spaces in blocks: pieces
  // longer than a block, long space runs, NBSP and a C2 that starts some other character
  const std::string_view pieces[] = {
      "a", "LOJA EXEMPLO", "02/05", "xyzxyzxyzxyz0123456789", " ", "  ", "                 ",
      "\t", "\r\n", "\n", "\xC2\xA0", "\xC2", "\xC2\xBA", "ã", "\xA0", "&",
  };
  const auto reference = [](std::string_view s) {  // a blank: space, tab, CR, LF, NBSP
    std::string out;
    bool pending = false;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t blank = 0;
      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') blank = 1;
      else if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') blank = 2;
      if (blank != 0) {
        pending = !out.empty();
        i += blank;
        continue;
      }
      if (pending) out += ' ';
      pending = false;
      out += s[i++];
    }
    return out;
  };
  std::uint32_t state = 777;
  auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t count = next() % 30;
    for (std::size_t k = 0; k < count; ++k) in += pieces[next() % std::size(pieces)];
    CAPTURE(in);
    REQUIRE(bankflow::collapse_blanks(in) == reference(in));
    std::string appended = "Prefix ";
    bankflow::detail::append_collapse_blanks(appended, in);
    REQUIRE(appended == "Prefix " + reference(in));
  }
  // every length from 0 to 40 (the short path takes up to 32 bytes without a 0xC2 byte), of
  // bytes drawn from blanks, text and the NBSP bytes
  const char bytes[] = {' ', ' ', ' ', '\t', '\r', '\n', 'a', 'B', '7', '/', '\xC2', '\xA0', 'z'};
  for (int round = 0; round < 20000; ++round) {
    std::string in(static_cast<std::size_t>(round % 41), ' ');
    const bool nbsp = round % 4 == 0;
    for (char& c : in) c = bytes[next() % (nbsp ? std::size(bytes) : std::size(bytes) - 3)];
    CAPTURE(in);
    std::string appended = "P";
    bankflow::detail::append_collapse_blanks(appended, in);
    REQUIRE(appended == "P" + reference(in));
  }
}

TEST_CASE("fold lower-cases, strips accents and collapses blanks for matching", "[text][fold]") {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"Lançamento", "lancamento"},
      {"Histórico", "historico"},
      {"DESCRIÇÃO", "descricao"},
      {"Data Lançamento", "data lancamento"},
      {"  Valor   (R$) ", "valor (r$)"},
      {"Últimos Lançamentos", "ultimos lancamentos"},
      {"SALDO TOTAL DISPONÍVEL DIA", "saldo total disponivel dia"},
      {"SALDO INVEST FÁCIL", "saldo invest facil"},
      {"Nº do documento", "no do documento"},
      {"N° do documento", "no do documento"},
      {"1ª parcela", "1a parcela"},
      {"Tipo Lançamento\xC2\xA0" "Saída", "tipo lancamento saida"},
      {"•••.123.456-••", "•••.123.456-••"},  // other characters stay
      {"€ 10", "€ 10"},
      {"ŠŽ", "ŠŽ"},
      {"", ""},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(bankflow::fold(in) == out);
  }
}

TEST_CASE("fold maps every Latin-1 letter from À to ÿ", "[text][fold]") {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"ÀÁÂÃÄÅ", "aaaaaa"}, {"àáâãäå", "aaaaaa"}, {"Ææ", "aeae"},   {"Çç", "cc"},
      {"ÈÉÊË", "eeee"},     {"èéêë", "eeee"},     {"ÌÍÎÏ", "iiii"}, {"ìíîï", "iiii"},
      {"Ðð", "dd"},         {"Ññ", "nn"},         {"ÒÓÔÕÖØ", "oooooo"}, {"òóôõöø", "oooooo"},
      {"ÙÚÛÜ", "uuuu"},     {"ùúûü", "uuuu"},     {"Ýýÿ", "yyy"},   {"ß", "ss"},
      {"Þþ", "þþ"},         {"×÷", "×÷"},         {"ºª°", "oao"},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(bankflow::fold(in) == out);
  }
  SECTION("the result is ASCII for every letter except thorn") {
    for (char32_t cp = 0xC0; cp <= 0xFF; ++cp) {
      if (cp == 0xD7 || cp == 0xF7 || cp == 0xDE || cp == 0xFE) continue;
      std::string s;
      bankflow::detail::append_utf8(s, cp);
      const std::string f = bankflow::fold(s);
      CAPTURE(static_cast<unsigned>(cp), f);
      REQUIRE_FALSE(f.empty());
      for (const char c : f) CHECK((c >= 'a' && c <= 'z'));
    }
  }
}

TEST_CASE("fold keeps invalid UTF-8 bytes as they are", "[text][fold]") {
  CHECK(bankflow::fold("A\xE9" "B") == "a\xE9" "b");
  CHECK(bankflow::fold("\xC3") == "\xC3");
}

namespace {

// fold() one character at a time, as the rules say it (the library folds 16 bytes at a time
// where it can): blanks become one pending space, written only before the next character.
std::string reference_fold(std::string_view s) {
  static constexpr std::string_view latin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "\xC3\xBE", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y",
  };
  std::string out;
  bool pending = false;
  auto put = [&](std::string_view piece) {
    if (pending) out += ' ';
    pending = false;
    out += piece;
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0U;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || (c == 0xC2 && next == 0xA0)) {
      pending = !out.empty();
      i += c == 0xC2 ? 2 : 1;
    } else if (c >= 'A' && c <= 'Z') {
      put(std::string(1, static_cast<char>(c + 32)));
      ++i;
    } else if (c == 0xC2 && (next == 0xBA || next == 0xB0 || next == 0xAA)) {
      put(next == 0xAA ? "a" : "o");
      i += 2;
    } else if (c == 0xC3 && next >= 0x80 && next <= 0xBF) {
      put(latin1[next - 0x80].empty() ? s.substr(i, 2) : latin1[next - 0x80]);
      i += 2;
    } else {
      put(s.substr(i, 1));
      ++i;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("fold agrees with the character-by-character rules on random text", "[text][fold]") {
  // pieces that exercise the 16-byte blocks: blanks of every kind, runs of them, accents, other
  // UTF-8, control characters, stray bytes, cut sequences
  const std::string_view pieces[] = {
      "a", "Z", "x", "COMPRA", "pix", "0", "9", "-", "/", ".", "&", " ", " ", "  ", "\t", "\r\n", "\n",
      "\xC2\xA0", "ç", "Ç", "ã", "É", "ß", "Þ", "×", "º", "ª", "°", "©", "•", "€", "😀", "\xC3", "\xC2",
      "\xE9", "\x80", "\x01", "\f", "\x7F", "@", "[", "`", "{",
  };
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t count = next() % 40;
    for (std::size_t k = 0; k < count; ++k) in += pieces[next() % std::size(pieces)];
    CAPTURE(in);
    REQUIRE(bankflow::fold(in) == reference_fold(in));
    std::string appended = "Prefix ";  // append_fold keeps what is there and trims only its part
    bankflow::detail::append_fold(appended, in);
    REQUIRE(appended == "Prefix " + reference_fold(in));
  }
}

// ---------------------------------------------------------------------------------------------
// entities and append_utf8

TEST_CASE("decode_entities decodes the XML, numeric and Latin-1 named entities",
          "[text][entities]") {
  const std::pair<std::string_view, std::string_view> rows[] = {
      {"", ""},
      {"no entities here", "no entities here"},
      {"&amp;", "&"},
      {"PADARIA &amp; CONFEITARIA", "PADARIA & CONFEITARIA"},
      {"&lt;&gt;&quot;&apos;&#39;&#x27;&#X27;", "<>\"''''"},
      {"&eacute;&Eacute;&ccedil;&Ccedil;&atilde;&otilde;&aacute;&iacute;&oacute;&uacute;",
       "éÉçÇãõáíóú"},
      {"&acirc;&ecirc;&ocirc;&agrave;&Atilde;&Otilde;&uuml;&ordm;&ordf;&deg;", "âêôàÃÕüºª°"},
      {"&nbsp;", "\xC2\xA0"},
      {"&yuml;&iexcl;&szlig;&THORN;", "ÿ¡ßÞ"},
      {"&euro;&bull;&ndash;&mdash;&hellip;", "€•–—…"},
      {"&#8226;&#x2022;", "••"},
      {"&#150;&#128;", "–€"},  // HTML reads 128-159 as Windows-1252
      {"&#128512;&#x1F600;", "\xF0\x9F\x98\x80\xF0\x9F\x98\x80"},
      {"&amp;amp;", "&amp;"},  // one level only
      {"Descri&ccedil;&atilde;o", "Descrição"},
  };
  for (const auto& [in, out] : rows) {
    CAPTURE(in);
    CHECK(bankflow::decode_entities(in) == out);
  }
}

TEST_CASE("unknown or malformed entities stay as written", "[text][entities]") {
  const std::string_view verbatim[] = {
      "&foo;",     "&amp",       "&",          "AT&T",     "a & b",   "&;",      "&#;",
      "&#x;",      "&#xD800;",   "&#0;",       "&#x110000;", "&#12a;", "&EACUTE;", "&Amp;",
      "&#99999999;", "&averyveryverylongname;", "&&",   "&#-1;",
  };
  for (const auto s : verbatim) {
    CAPTURE(s);
    CHECK(bankflow::decode_entities(s) == s);
  }
  CHECK(bankflow::decode_entities("&foo;&amp;") == "&foo;&");
  CHECK(bankflow::decode_entities("&&amp;") == "&&");
}

TEST_CASE("append_utf8 encodes 1 to 4 bytes and replaces what is not a scalar value",
          "[text][utf8]") {
  const std::pair<char32_t, std::string_view> rows[] = {
      {U'A', "A"},
      {0x00, std::string_view("\0", 1)},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0xE9, "é"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0x20AC, "€"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x1F600, "\xF0\x9F\x98\x80"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
      {0xD800, "\xEF\xBF\xBD"},
      {0xDFFF, "\xEF\xBF\xBD"},
      {0x110000, "\xEF\xBF\xBD"},
  };
  for (const auto& [cp, utf8] : rows) {
    CAPTURE(static_cast<unsigned long>(cp));
    std::string out = "x";
    bankflow::detail::append_utf8(out, cp);
    CHECK(out == "x" + std::string(utf8));
    CHECK(bankflow::is_valid_utf8(out));
  }
}

TEST_CASE("append_fold appends exactly what fold returns, after existing text", "[text][fold]") {
  const std::string inputs[] = {"  Pix  Recebido\tJOÃO ", "", "   ", "ÇÃO Nº 5", "a\xC2\xA0" "b", "\xC3"};
  for (const auto& in : inputs) {
    CAPTURE(in);
    std::string out = "prefix|";
    bankflow::detail::append_fold(out, in);
    CHECK(out == "prefix|" + bankflow::fold(in));
  }
}

TEST_CASE("line_of_offset counts CR, LF and CRLF across long runs (vector and scalar paths)", "[text][lines]") {
  // 37-byte rows so terminators fall at every position relative to 8- and 16-byte blocks
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    std::string text;
    std::vector<std::size_t> starts;
    for (int i = 0; i < 200; ++i) {
      starts.push_back(text.size());
      text += std::string(static_cast<std::size_t>(30 + i % 7), 'x');
      text += eol;
    }
    for (std::size_t i = 0; i < starts.size(); ++i) {
      CAPTURE(eol, i);
      CHECK(bankflow::line_of_offset(text, starts[i]) == i + 1);
    }
  }
  // a CR whose LF is the first byte of the next 16-byte block counts once
  std::string mixed(15, 'a');
  mixed += "\r\nb\rc\n\nd";
  CHECK(bankflow::line_of_offset(mixed, mixed.size() - 1) == 5);
}

TEST_CASE("fold's fast path for plain ASCII agrees with the general path at every length", "[text][fold]") {
  // lengths around the 16-byte blocks, upper/lower/digits/punctuation, and shapes that must
  // leave the fast path (double blank, tab, accent, leading or trailing blank)
  const std::string base = "PIX TRANSF FULANO-01/04 Loja@X 123,45 (PARC 3/10) ZZ aa";
  for (std::size_t n = 1; n <= base.size(); ++n) {
    std::string s = base.substr(0, n);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    CAPTURE(s);
    std::string expected;
    for (char c : s) expected += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    CHECK(bankflow::fold(s) == expected);
  }
  CHECK(bankflow::fold("ABCDEFGHIJKLMNOPQ  RS") == "abcdefghijklmnopq rs");
  CHECK(bankflow::fold("ABCDEFGHIJKLMNOP\tQ") == "abcdefghijklmnop q");
  CHECK(bankflow::fold("ABCDEFGHIJKLMNOPÃO") == "abcdefghijklmnopao");
  CHECK(bankflow::fold(" ABCDEFGHIJKLMNOPQRST ") == "abcdefghijklmnopqrst");
  CHECK(bankflow::fold("ABCDEFGHIJKLMNO  P") == "abcdefghijklmno p");  // blanks across the block edge
  CHECK(bankflow::fold("ABCDEFGHIJKLMNOP\x7F") == "abcdefghijklmnop\x7F");
}

TEST_CASE("cleaning_needed agrees with the byte-by-byte rule at every length and position",
          "[text][trim]") {
  // the vector path looks at blocks 15 bytes apart and at the last 16 bytes: every kind of
  // byte (and a double space, including one across a block edge) at every position of texts
  // from 0 to 50 bytes, and on random texts
  const auto reference = [](std::string_view s) {
    unsigned need = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '&') need |= bankflow::detail::entities_to_decode;
      if (c == '\t' || c == '\r' || c == '\n' || c == '\xC2') need |= bankflow::detail::blanks_to_collapse;
      if (c == ' ' && i > 0 && s[i - 1] == ' ') need |= bankflow::detail::blanks_to_collapse;
    }
    return need;
  };
  const auto needed = [](std::string_view s) { return bankflow::detail::cleaning_needed(s.data(), s.data() + s.size()); };
  const std::string plain = "LOJA EXEMPLO 04/10 MERCADO X PAG*UBER TRIP 123 ABC DEF";
  for (std::size_t n = 0; n <= 50; ++n) {
    const std::string base = plain.substr(0, n);
    CAPTURE(base);
    CHECK(needed(base) == reference(base));
    for (std::size_t at = 0; at < n; ++at) {
      for (const char c : {'&', '\t', '\r', '\n', '\xC2', ' '}) {
        std::string s = base;
        s[at] = c;
        if (c == ' ' && at + 1 < n) s[at + 1] = ' ';  // a double space starting here
        CAPTURE(at, static_cast<int>(c));
        REQUIRE(needed(s) == reference(s));
        if (c != ' ' || at + 1 < n) REQUIRE(needed(s) != 0);
      }
    }
  }
  const std::string_view pieces[] = {"a", "LOJA", " ", "  ", "\t", "\xC2\xA0", "&amp;", "x1234567890y", "ã"};
  std::uint32_t state = 99;
  auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const std::size_t count = next() % 12;
    for (std::size_t k = 0; k < count; ++k) in += pieces[next() % std::size(pieces)];
    CAPTURE(in);
    REQUIRE(needed(in) == reference(in));
  }
}

TEST_CASE("fold_plain_to gives fold's result for plain text; for the rest fold_to goes on from its prefix", "[text][fold]") {
  // plain: ASCII, no controls, no leading blank, no two spaces in a row; the vector path reads
  // whole blocks and the last 16 bytes overlapping them, so lengths 0-70 and every position
  const auto plain = [](std::string_view s) {
    if (!s.empty() && s.front() == ' ') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x20U || c >= 0x80U) return false;
      if (c == ' ' && i > 0 && s[i - 1] == ' ') return false;
    }
    return true;
  };
  const auto folded = [](std::string_view s, bool& declined) {
    std::string buf(s.size() + 16, '\0');
    std::size_t done = 0;
    const char* end = bankflow::detail::fold_plain_to(buf.data(), s, done);
    declined = end == nullptr;
    // declined: fold_to goes on from the plain prefix written, as dedupe keys do
    if (declined) end = bankflow::detail::fold_to(buf.data(), s, done);
    return std::string(static_cast<const char*>(buf.data()), end);
  };
  const std::string text = "Pag*Uber TRIP 04/10 LOJA Exemplo-X 123,45 (PARC 3/10) Zz aA @[`{ MERCADO LIVRE";
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string base = text.substr(0, n);
    for (std::size_t at = 0; at <= n; ++at) {
      for (const char c : {'\0', ' ', '\t', '\n', '\xC3', 'Q', '\xC2'}) {
        std::string s = base;
        if (at < n && c != '\0') s[at] = c;
        if (c == ' ' && at + 1 < n) s[at + 1] = ' ';  // two spaces in a row
        CAPTURE(s);
        bool declined = false;
        const std::string got = folded(s, declined);
#if defined(__SSE2__)
        REQUIRE(declined == !plain(s));  // without SSE2 it always declines
#endif
        REQUIRE(got == bankflow::fold(s));
      }
    }
  }
}

TEST_CASE("repair_utf8 replaces each maximal ill-formed subpart with one U+FFFD", "[text][utf8]") {
  const std::string fffd = "\xEF\xBF\xBD";
  struct row {
    std::string in;
    std::string out;
  };
  const auto [in, out] = GENERATE_COPY(values<row>({
      {"plain ascii", "plain ascii"},
      {"ação €", "ação €"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {bytes_of({0x80}), fffd},
      {bytes_of({0xFF, 0xFE}), fffd + fffd},
      {bytes_of({0x61, 0xC3}), "a" + fffd},                          // truncated at the end
      {bytes_of({0xE2, 0x82, 0x41}), fffd + "A"},                     // € cut short, then A
      {bytes_of({0xF0, 0x9F, 0x98}), fffd},                           // three of four bytes
      {bytes_of({0xE0, 0x80, 0x80}), fffd + fffd + fffd},             // overlong: no subpart
      {bytes_of({0xF4, 0x90, 0x80, 0x80}), fffd + fffd + fffd + fffd},  // past U+10FFFF
      {bytes_of({0xC3, 0xA7, 0xE7, 0x61}), "ç" + fffd + "a"},         // UTF-8, then Latin-1
  }));
  const std::string got = bankflow::repair_utf8(in);
  CHECK(got == out);
  CHECK(bankflow::is_valid_utf8(got));
}

TEST_CASE("every byte string repairs to valid UTF-8 and valid UTF-8 is unchanged", "[text][utf8]") {
  std::uint32_t state = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string s;
    const int len = n % 24;
    for (int i = 0; i < len; ++i) {
      state = state * 1103515245U + 12345U;
      const auto b = static_cast<unsigned>(state >> 16) & 0xFFU;
      s += static_cast<char>(i % 3 == 0 ? (b | 0x80U) : b);
    }
    const std::string r = bankflow::repair_utf8(s);
    REQUIRE(bankflow::is_valid_utf8(r));
    CHECK(bankflow::repair_utf8(r) == r);
    if (bankflow::is_valid_utf8(s)) CHECK(r == s);
  }
}

TEST_CASE("utf8_prefix never ends inside a character", "[text][utf8]") {
  const std::string_view s = "aç€😀";  // 1 + 2 + 3 + 4 bytes
  CHECK(bankflow::utf8_prefix(s, 100) == s);
  CHECK(bankflow::utf8_prefix(s, 0).empty());
  CHECK(bankflow::utf8_prefix(s, 1) == "a");
  CHECK(bankflow::utf8_prefix(s, 2) == "a");
  CHECK(bankflow::utf8_prefix(s, 3) == "aç");
  CHECK(bankflow::utf8_prefix(s, 5) == "aç");
  CHECK(bankflow::utf8_prefix(s, 6) == "aç€");
  CHECK(bankflow::utf8_prefix(s, 9) == "aç€");
  CHECK(bankflow::utf8_prefix(s, 10) == s);
  CHECK(points_into(bankflow::utf8_prefix(s, 4), s));
}
