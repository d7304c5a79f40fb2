#include <bankflow/csv.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using bankflow::csv_options;
using bankflow::csv_quoting;
using bankflow::errc;

namespace {

struct read_row {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string raw;
};

// Reads every record; fails the test on an error.
std::vector<read_row> read_all(std::string_view text, csv_options opt = {}) {
  std::vector<read_row> rows;
  bankflow::csv_reader reader(text, opt);
  bankflow::csv_row row;
  for (;;) {
    const auto r = reader.next(row);
    if (!r.has_value()) FAIL("unexpected error: " << r.error().to_string());
    if (!*r) break;
    read_row out;
    for (const auto f : row.fields) out.fields.emplace_back(f);
    out.line = row.line;
    out.raw = std::string(row.raw);
    rows.push_back(std::move(out));
  }
  return rows;
}

using fields_t = std::vector<std::string>;

bool points_into(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

TEST_CASE("records split on the separator into fields", "[csv]") {
  struct row {
    std::string_view text;
    char separator;
    std::vector<fields_t> records;
  };
  const row rows[] = {
      {"a;b;c", ';', {{"a", "b", "c"}}},
      {"a;b;c\n1;2;3\n", ';', {{"a", "b", "c"}, {"1", "2", "3"}}},
      {"a,b,c", ',', {{"a", "b", "c"}}},
      {"a,b;c", ';', {{"a,b", "c"}}},
      {"a;b;", ';', {{"a", "b", ""}}},                // a trailing separator: an empty field
      {";", ';', {{"", ""}}},
      {";;;;", ';', {{"", "", "", "", ""}}},
      {"x", ';', {{"x"}}},
      {"a\tb", '\t', {{"a", "b"}}},
      {"Conta ;12345678", ';', {{"Conta ", "12345678"}}},  // blanks are kept; callers trim
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto got = read_all(r.text, {r.separator, csv_quoting::rfc4180});
    REQUIRE(got.size() == r.records.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].fields == r.records[i]);
  }
}

TEST_CASE("an empty line is a record with one empty field, and blank() says so", "[csv]") {
  const std::string_view text = "a;b\n\n;;\n \t;\xC2\xA0\na;;\n";
  bankflow::csv_reader reader(text, {});
  bankflow::csv_row row;
  const struct {
    std::size_t size;
    bool blank;
  } expected[] = {{2, false}, {1, true}, {3, true}, {2, true}, {3, false}};
  for (const auto& e : expected) {
    const auto r = reader.next(row);
    REQUIRE(r.has_value());
    REQUIRE(*r);
    CAPTURE(row.line);
    CHECK(row.size() == e.size);
    CHECK(row.blank() == e.blank);
  }
  const auto end = reader.next(row);
  REQUIRE(end.has_value());
  CHECK_FALSE(*end);
}

TEST_CASE("RFC 4180 quoted fields: doubled quotes, separators and line breaks are data",
          "[csv]") {
  struct row {
    std::string_view text;
    std::vector<fields_t> records;
  };
  const row rows[] = {
      {R"("a;b";c)", {{"a;b", "c"}}},
      {R"("Pix Enviado Padaria; Centro";"";"-47,05")", {{"Pix Enviado Padaria; Centro", "", "-47,05"}}},
      {R"("IOF de ""X""")", {{R"(IOF de "X")"}}},
      {R"("")", {{""}}},
      {R"("";x)", {{"", "x"}}},
      {R"("""")", {{"\""}}},
      {R"("""a""";"b""")", {{"\"a\"", "b\""}}},
      {"\"line1\nline2\";x", {{"line1\nline2", "x"}}},
      {"\"a\r\nb\";c\r\nd", {{"a\r\nb", "c"}, {"d"}}},
      {R"("- 625,29")", {{"- 625,29"}}},
      {R"(x;"")", {{"x", ""}}},
      {R"(x;"y")", {{"x", "y"}}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto got = read_all(r.text);
    REQUIRE(got.size() == r.records.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].fields == r.records[i]);
  }
}

TEST_CASE("a bare quote inside an unquoted field is text", "[csv]") {
  const auto got = read_all(
      "02/06/2026;Pix recebido: \"Cp :12345678-FULANO DE TAL\";1.200,00;2.581,55\n"
      "Pix recebido: \"Cp :1-FULANO\";1,00\n"
      "a\"b;c\"\n");
  REQUIRE(got.size() == 3);
  CHECK(got[0].fields ==
        fields_t{"02/06/2026", "Pix recebido: \"Cp :12345678-FULANO DE TAL\"", "1.200,00",
                 "2.581,55"});
  CHECK(got[1].fields == fields_t{"Pix recebido: \"Cp :1-FULANO\"", "1,00"});
  CHECK(got[2].fields == fields_t{"a\"b", "c\""});
}

TEST_CASE("text after a closing quote is kept with the field", "[csv]") {
  const auto got = read_all("\"abc\"def;x\n\"a\"\"b\"c;y\n\"\"abc;z\n\"q\" tail\"s\n");
  REQUIRE(got.size() == 4);
  CHECK(got[0].fields == fields_t{"abcdef", "x"});
  CHECK(got[1].fields == fields_t{"a\"bc", "y"});
  CHECK(got[2].fields == fields_t{"abc", "z"});
  CHECK(got[3].fields == fields_t{"q tail\"s"});
}

TEST_CASE("a quote after leading blanks does not open a quoted field", "[csv]") {
  const auto got = read_all(" \"a;b\";c");
  REQUIRE(got.size() == 1);
  CHECK(got[0].fields == fields_t{" \"a", "b\"", "c"});
}

TEST_CASE("row.line is where the record starts, counting CR, LF and CRLF once each", "[csv]") {
  struct row {
    std::string_view text;
    std::vector<std::size_t> lines;
  };
  const row rows[] = {
      {"a\nb\nc", {1, 2, 3}},
      {"a\rb\rc\r", {1, 2, 3}},                 // Bradesco: lone CRs
      {"a\r\nb\r\nc\r\n", {1, 2, 3}},           // Santander: CRLF
      {"a\rb\r\nc\nd", {1, 2, 3, 4}},           // mixed in one file
      {"a\r\rb", {1, 2, 3}},                    // CR CR is an empty line
      {"a\n\nb", {1, 2, 3}},
      {"\"x\ny\";1\nb", {1, 3}},                 // a quoted LF moves the next record
      {"\"x\r\ny\r\nz\";1\r\nb", {1, 4}},
      {"\"x\ry\";1\rb", {1, 3}},
      {"a;\"1\n2\";\"3\n4\"\nb", {1, 4}},        // two multi-line fields in one record
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto got = read_all(r.text);
    REQUIRE(got.size() == r.lines.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i].line == r.lines[i]);
  }
}

TEST_CASE("a terminator at the end of the text does not make another record", "[csv]") {
  for (const std::string_view text : {"a;b\n", "a;b\r", "a;b\r\n"}) {
    CAPTURE(text);
    const auto got = read_all(text);
    REQUIRE(got.size() == 1);
    CHECK(got[0].fields == fields_t{"a", "b"});
  }
  CHECK(read_all("").empty());
}

TEST_CASE("line() gives the line the next record starts on", "[csv]") {
  bankflow::csv_reader reader("a\n\"b\nc\"\nd", {});
  bankflow::csv_row row;
  CHECK(reader.line() == 1);
  REQUIRE(*reader.next(row));
  CHECK(reader.line() == 2);
  REQUIRE(*reader.next(row));
  CHECK(row.line == 2);
  CHECK(reader.line() == 4);
  REQUIRE(*reader.next(row));
  CHECK(row.line == 4);
}

TEST_CASE("row.raw is the record's source text without its terminator", "[csv]") {
  const auto got = read_all("a;\"b\"\r\n\"x\ny\";z\n;\n");
  REQUIRE(got.size() == 3);
  CHECK(got[0].raw == "a;\"b\"");
  CHECK(got[1].raw == "\"x\ny\";z");
  CHECK(got[2].raw == ";");
}

TEST_CASE("an unterminated quote is csv_unterminated_quote at the line where the field began",
          "[csv]") {
  SECTION("in the middle of a file; reading can go on after it") {
    const std::string_view text = "a;b\nc;\"open field\nd;e\nf;g\n";
    bankflow::csv_reader reader(text, {});
    bankflow::csv_row row;
    REQUIRE(*reader.next(row));
    const auto bad = reader.next(row);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::csv_unterminated_quote);
    CHECK(bad.error().line == 2);
    CHECK(bad.error().message.find("open field") != std::string::npos);
    const auto next = reader.next(row);
    REQUIRE(next.has_value());
    REQUIRE(*next);
    CHECK(row.line == 3);
    CHECK(row[0] == "d");
  }
  SECTION("a quote as the last byte") {
    bankflow::csv_reader reader("x;\"", {});
    bankflow::csv_row row;
    const auto bad = reader.next(row);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::csv_unterminated_quote);
    CHECK(bad.error().line == 1);
    const auto end = reader.next(row);
    REQUIRE(end.has_value());
    CHECK_FALSE(*end);
  }
  SECTION("after a multi-line field of the same record") {
    bankflow::csv_reader reader("h\n\"a\nb\";\"c\nd", {});
    bankflow::csv_row row;
    REQUIRE(*reader.next(row));
    const auto bad = reader.next(row);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().line == 3);
  }
  SECTION("a doubled quote at the end does not close the field") {
    bankflow::csv_reader reader("\"abc\"\"", {});
    bankflow::csv_row row;
    const auto bad = reader.next(row);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == errc::csv_unterminated_quote);
  }
}

TEST_CASE("plain and cleanly quoted fields view the source; unescaped ones view the row",
          "[csv]") {
  const std::string text = "plain;\"quoted\";\"dou\"\"bled\";\"tail\"x;\n";
  bankflow::csv_reader reader(text, {});
  bankflow::csv_row row;
  REQUIRE(*reader.next(row));
  REQUIRE(row.size() == 5);
  CHECK(row[0] == "plain");
  CHECK(row[1] == "quoted");
  CHECK(row[2] == "dou\"bled");
  CHECK(row[3] == "tailx");
  CHECK(row[4].empty());
  CHECK(points_into(row[0], text));
  CHECK(points_into(row[1], text));
  CHECK_FALSE(points_into(row[2], text));  // unescaped into the row's own storage
  CHECK_FALSE(points_into(row[3], text));
  CHECK(row[99].empty());  // past the end: ""
}

TEST_CASE("many unescaped fields in one row stay valid together", "[csv]") {
  std::string text;
  fields_t expected;
  for (int i = 0; i < 200; ++i) {
    const std::string n = std::to_string(i);
    text += "\"v" + n + "\"\"q\"\"" + std::string(static_cast<std::size_t>(i % 17), 'x') + "\";";
    expected.push_back("v" + n + "\"q\"" + std::string(static_cast<std::size_t>(i % 17), 'x'));
  }
  text += "\"last\"\"\"\n\"short\"\"\"\n";
  expected.emplace_back("last\"");
  const auto got = read_all(text);
  REQUIRE(got.size() == 2);
  CHECK(got[0].fields == expected);
  CHECK(got[1].fields == fields_t{"short\""});
}

TEST_CASE("one csv_row reused for rows of different shapes holds only the current row",
          "[csv]") {
  bankflow::csv_reader reader("\"a\"\"1\";\"b\"\"2\";c\nx\n\"y\"\"\"\n", {});
  bankflow::csv_row row;
  REQUIRE(*reader.next(row));
  CHECK(row.size() == 3);
  CHECK(row[1] == "b\"2");
  REQUIRE(*reader.next(row));
  CHECK(row.size() == 1);
  CHECK(row[0] == "x");
  REQUIRE(*reader.next(row));
  CHECK(row[0] == "y\"");
}

TEST_CASE("with quoting none, quotes are ordinary characters", "[csv]") {
  const csv_options opt{';', csv_quoting::none};
  const auto got = read_all("\"a;b\";c\r\nPix recebido: \"Cp\";1,00\r\"open;x\n", opt);
  REQUIRE(got.size() == 3);
  CHECK(got[0].fields == fields_t{"\"a", "b\"", "c"});
  CHECK(got[1].fields == fields_t{"Pix recebido: \"Cp\"", "1,00"});
  CHECK(got[2].fields == fields_t{"\"open", "x"});
  CHECK(got[2].line == 3);
  CHECK(got[0].raw == "\"a;b\";c");
}

TEST_CASE("bank samples from FORMATS.md read as expected", "[csv]") {
  SECTION("Santander extrato: CRLF, quoted rows with ';' inside") {
    const auto got = read_all(
        "AGENCIA;\"1234\";CONTA;\"130012345\"\r\n\r\n"
        "Data;Histórico;Documento;Valor (R$);Saldo (R$)\r\n"
        "\"24/08/2026\";\"Pix Enviado Padaria; Centro\";\"\";\"-47,05\";\"27,62\"\r\n");
    REQUIRE(got.size() == 4);
    CHECK(got[0].fields == fields_t{"AGENCIA", "1234", "CONTA", "130012345"});
    CHECK(got[1].fields == fields_t{""});
    CHECK(got[3].fields == fields_t{"24/08/2026", "Pix Enviado Padaria; Centro", "", "-47,05",
                                    "27,62"});
    CHECK(got[3].line == 4);
  }
  SECTION("BB: every field quoted and a trailing ','") {
    const auto got =
        read_all("\"01/04/2025\",\"Saldo Anterior\",\"\",\"100,00\",\n", {',', csv_quoting::rfc4180});
    REQUIRE(got.size() == 1);
    CHECK(got[0].fields == fields_t{"01/04/2025", "Saldo Anterior", "", "100,00", ""});
  }
  SECTION("Nubank: doubled quotes and a comma inside quotes") {
    const auto got = read_all("date,title,amount\n2025-01-01,\"IOF de \"\"X\"\"\",\"1,00\"\n",
                              {',', csv_quoting::rfc4180});
    REQUIRE(got.size() == 2);
    CHECK(got[1].fields == fields_t{"2025-01-01", "IOF de \"X\"", "1,00"});
  }
  SECTION("Caixa: every field quoted") {
    const auto got = read_all(
        "\"Conta\";\"Data_Mov\";\"Nr_Doc\";\"Historico\";\"Valor\";\"Deb_Cred\"\n"
        "\"0123000000000000012345\";\"20250331\";\"000000\";\"SALDO ANT\";\"1500.00\";\"C\"\n");
    REQUIRE(got.size() == 2);
    CHECK(got[1].fields ==
          fields_t{"0123000000000000012345", "20250331", "000000", "SALDO ANT", "1500.00", "C"});
  }
}

TEST_CASE("split_plain splits literally and replaces the output", "[csv]") {
  std::vector<std::string_view> out{"stale"};
  bankflow::split_plain("a;b;;c;", ';', out);
  CHECK(out == std::vector<std::string_view>{"a", "b", "", "c", ""});
  bankflow::split_plain("", ';', out);
  CHECK(out == std::vector<std::string_view>{""});
  bankflow::split_plain(";", ';', out);
  CHECK(out == std::vector<std::string_view>{"", ""});
  bankflow::split_plain("\"x;y\"", ';', out);
  CHECK(out == std::vector<std::string_view>{"\"x", "y\""});
  const std::string_view line = "one,two";
  bankflow::split_plain(line, ',', out);
  REQUIRE(out.size() == 2);
  CHECK(points_into(out[1], line));
}

TEST_CASE("append_csv_field quotes only when needed and doubles quotes", "[csv]") {
  struct row {
    std::string_view field;
    char separator;
    std::string_view out;
  };
  const row rows[] = {
      {"plain", ',', "plain"},
      {"", ',', ""},
      {"a,b", ',', "\"a,b\""},
      {"a;b", ',', "a;b"},
      {"a;b", ';', "\"a;b\""},
      {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
      {"\"", ',', "\"\"\"\""},
      {"two\nlines", ',', "\"two\nlines\""},
      {"cr\rhere", ',', "\"cr\rhere\""},
      {"Descrição", ',', "Descrição"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.field);
    std::string out = "x,";
    bankflow::append_csv_field(out, r.field, r.separator);
    CHECK(out == "x," + std::string(r.out));
  }
}

TEST_CASE("fields written by append_csv_field read back unchanged", "[csv]") {
  const fields_t fields = {"plain", "", "a;b", "say \"hi\"", "\"", "multi\r\nline", "x\ry",
                           "trailing\"", "\"leading", "ação"};
  for (const char sep : {';', ','}) {
    std::string text;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i != 0) text += sep;
      bankflow::append_csv_field(text, fields[i], sep);
    }
    text += "\r\nnext";
    CAPTURE(text);
    const auto got = read_all(text, {sep, csv_quoting::rfc4180});
    REQUIRE(got.size() == 2);
    CHECK(got[0].fields == fields);
    CHECK(got[1].line == 4);  // two line breaks inside the quoted fields
  }
}

TEST_CASE("unquoted records split the same whatever their fields' place in the 16-byte blocks",
          "[csv]") {
  // The reader cuts unquoted fields from one mask per 16-byte block and leaves the last 15 bytes
  // of the text, and quoted fields, to its general loop: fields of every length, at every offset,
  // with bare quotes, empty fields, CR, LF and CRLF, must give the same records as a plain split.
  std::uint32_t state = 99;
  auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  // (a lone CR is left out: before an empty record's LF it would make one CRLF)
  const std::string_view eols[] = {"\n", "\r\n"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    std::vector<fields_t> expected;
    const std::size_t records = 1 + next() % 6;
    for (std::size_t r = 0; r < records; ++r) {
      fields_t fields;
      const std::size_t count = 1 + next() % 8;
      for (std::size_t f = 0; f < count; ++f) {
        std::string field;
        const std::size_t len = next() % 23;
        for (std::size_t k = 0; k < len; ++k) field += "abc 12,.-xyz"[next() % 12];
        if (!field.empty() && next() % 9 == 0) field[next() % field.size()] = '"';  // not at the start
        if (!field.empty() && field[0] == '"') field[0] = 'q';
        if (f != 0) text += ';';
        text += field;
        fields.push_back(field);
      }
      text += eols[next() % 2];
      expected.push_back(fields);
    }
    CAPTURE(text);
    const auto rows = read_all(text);
    REQUIRE(rows.size() == expected.size());
    for (std::size_t r = 0; r < rows.size(); ++r) CHECK(rows[r].fields == expected[r]);
    // and with quotes as plain characters
    const auto plain = read_all(text, {';', csv_quoting::none});
    REQUIRE(plain.size() == expected.size());
    for (std::size_t r = 0; r < plain.size(); ++r) CHECK(plain[r].fields == expected[r]);
  }
}

TEST_CASE("blank() is false for a row starting with text and true for blanks only", "[csv]") {
  const auto blank = [](std::string_view line) {
    bankflow::csv_reader reader(line, {});
    bankflow::csv_row row;
    const auto r = reader.next(row);
    REQUIRE(r.has_value());
    REQUIRE(*r);
    return row.blank();
  };
  CHECK(blank(";;;;"));
  CHECK(blank(" ; \t;\xC2\xA0;"));
  CHECK_FALSE(blank("a;;;"));
  CHECK_FALSE(blank(" ;x;;"));
  CHECK_FALSE(blank("\xC2\xBA;;"));   // a C2 that is not an NBSP is text
  CHECK_FALSE(blank(";;;;;;;;;;;;;;;;;;;;;;;;value"));
}
