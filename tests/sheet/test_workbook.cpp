// The spreadsheet readers: how cells become the text the layouts read, and what is refused.
// XLSX files are built here in memory with libzip, so each case shows the XML it is about.

#include "sheet/workbook.hpp"
#include "freexl_reference.hpp"

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>
#include <zip.h>

#include <filesystem>
#include <map>
#include <string>

using namespace bankflow;
using namespace bankflow::detail;

namespace {

std::string render(void (*fill)(sheet_writer&)) {
  sheet_text s;
  sheet_writer w(s);
  fill(w);
  w.finish();
  return s.text;
}

// A ZIP in memory holding `parts` (name → content), deflated.
std::string make_zip(const std::map<std::string, std::string>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  REQUIRE(buf != nullptr);
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  REQUIRE(za != nullptr);
  for (const auto& [name, content] : parts) {
    zip_source_t* s = zip_source_buffer(za, content.data(), content.size(), 0);
    REQUIRE(s != nullptr);
    REQUIRE(zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE) >= 0);
  }
  REQUIRE(zip_close(za) == 0);
  REQUIRE(zip_source_open(buf) == 0);
  REQUIRE(zip_source_seek(buf, 0, SEEK_END) == 0);
  const zip_int64_t size = zip_source_tell(buf);
  REQUIRE(zip_source_seek(buf, 0, SEEK_SET) == 0);
  std::string out(static_cast<std::size_t>(size), '\0');
  REQUIRE(zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size)) == size);
  zip_source_close(buf);
  zip_source_free(buf);
  return out;
}

constexpr const char* rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

std::string workbook_xml(const std::string& sheets, bool date1904 = false) {
  return std::string(R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
                     R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)") +
         (date1904 ? R"(<workbookPr date1904="1"/>)" : "") + "<sheets>" + sheets + "</sheets></workbook>";
}

constexpr const char* book_rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";

constexpr const char* sheet_only_rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(</Relationships>)";

// styles: xf 0 general, xf 1 a built-in date (14), xf 2 a custom "dd/mm/yyyy hh:mm"
constexpr const char* styles =
    R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\ hh:mm"/></numFmts>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>)"
    R"(<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>)";

std::string xlsx(const std::string& sheet_data, const std::string& strings, bool date1904 = false) {
  return make_zip({{"_rels/.rels", rels},
                   {"xl/workbook.xml", workbook_xml(R"(<sheet name="Lançamentos" sheetId="1" r:id="rId1"/>)", date1904)},
                   {"xl/_rels/workbook.xml.rels", book_rels},
                   {"xl/styles.xml", styles},
                   {"xl/sharedStrings.xml",
                    R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
                        strings + "</sst>"},
                   {"xl/worksheets/sheet1.xml",
                    R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
                        sheet_data + "</sheetData></worksheet>"}});
}

// An Itaú "Salvar em Excel" sheet whose row 11 holds an amount that is not a whole number of
// centavos, then `more` rows.
std::string itau_rows(const std::string& more) {
  return std::string(
      R"(<row r="1"><c t="inlineStr"><is><t>Logotipo Itaú</t></is></c></row>)"
      R"(<row r="2"><c t="inlineStr"><is><t>Atualização:</t></is></c></row>)"
      R"(<row r="9"><c r="A9" t="inlineStr"><is><t>data</t></is></c><c r="B9" t="inlineStr"><is><t>lançamento</t></is></c>)"
      R"(<c r="C9" t="inlineStr"><is><t>ag./origem</t></is></c><c r="D9" t="inlineStr"><is><t>valor (R$)</t></is></c>)"
      R"(<c r="E9" t="inlineStr"><is><t>saldos (R$)</t></is></c></row>)"
      R"(<row r="10"><c r="A10" t="inlineStr"><is><t>01/04/2026</t></is></c><c r="B10" t="inlineStr"><is><t>PIX</t></is></c><c r="D10"><v>-50</v></c></row>)"
      R"(<row r="11"><c r="A11" t="inlineStr"><is><t>02/04/2026</t></is></c><c r="B11" t="inlineStr"><is><t>TAR</t></is></c><c r="D11"><v>-0.123</v></c></row>)") + more;
}

}  // namespace

TEST_CASE("a sheet row is one line, with its gaps kept so that line N is row N", "[sheet]") {
  const std::string text = render([](sheet_writer& w) {
    w.begin_row(1);
    w.text(0, "data");
    w.text(3, "valor");
    w.begin_row(4);
    w.text(1, "PIX; ENVIADO \"X\"\nLINHA");
  });
  CHECK(text == "data;;;valor\n\n\n;\"PIX; ENVIADO \"\"X\"\" LINHA\"\n");
}

TEST_CASE("numbers become pt-BR centavos only when within 1e-6 of a whole centavo", "[sheet]") {
  struct row {
    const char* stored;
    const char* rendered;
    bool inexact;
  };
  const auto r = GENERATE(values<row>({
      {"980", "980", false},
      {"-50.5", "-50,50", false},
      {"4830.3999999999996", "4830,40", false},   // Excel's 17-digit doubles
      {"107.89000000000001", "107,89", false},
      {"-1234.56", "-1234,56", false},
      {"1.5E-2", "0,015", true},                   // half a centavo: kept as written
      {"0.123456", "0,123456", true},
      {"1.0E3", "1000", false},
      {"0", "0", false},
      {"-0.0", "0", false},
      {"1700000000001", "1700000000001", false},  // a reference id stored as a number
  }));
  sheet_text s;
  sheet_writer w(s);
  w.number(0, std::string_view(r.stored));
  INFO(r.stored);
  CHECK(s.text == r.rendered);
  CHECK(s.inexact.empty() == !r.inexact);
}

TEST_CASE("a BIFF double is converted only when it is exactly a centavo", "[sheet]") {
  sheet_text s;
  sheet_writer w(s);
  w.begin_row(1);
  w.number(0, 4830.4);
  w.number(1, -0.1 - 0.2);      // -0.30000000000000004
  w.number(2, 1234.0);
  w.number(3, 0.1234567);
  CHECK(s.text.starts_with("4830,40;-0,30;1234;0,1234567"));
  REQUIRE(s.inexact.size() == 1);
  CHECK(s.inexact[0].col == 3);
}

TEST_CASE("Excel date serials in the 1900 and 1904 systems", "[sheet]") {
  sheet_text s;
  sheet_writer w(s);
  w.begin_row(1);
  w.date_serial(0, "45748", false);        // 2025-04-01
  w.date_serial(1, "45748.5", false);      // noon
  w.date_serial(2, "44286", true);         // 1904 system: 2025-04-01
  w.date_serial(3, "59", false);           // 1900-02-28
  w.iso_date(4, "2025-03-05 13:04:00");
  CHECK(s.text == "01/04/2025;01/04/2025 12:00;01/04/2025;28/02/1900;05/03/2025 13:04");
}

TEST_CASE("an XLSX worksheet: shared, inline and formula strings, numbers and date cells", "[sheet]") {
  const std::string bytes = xlsx(
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>)"
      R"(<row r="3"><c r="A3" s="1"><v>45748</v></c><c r="B3" t="inlineStr"><is><t>PIX_x000D_ENVIADO</t></is></c>)"
      R"(<c r="D3"><v>-996.91999999999996</v></c></row>)"
      R"(<row r="4"><c r="A4" s="2"><v>45748.75</v></c><c r="B4" t="str"><f>A1</f><v>calc</v></c><c r="C4" t="b"><v>1</v></c></row>)",
      R"(<si><t>data</t></si><si><r><t>lança</t></r><r><t>mento</t></r><rPh><t>x</t></rPh></si>)");
  auto book = read_xlsx(bytes, {});
  REQUIRE(book);
  REQUIRE(book->sheets.size() == 1);
  CHECK(book->sheets[0].name == "Lançamentos");
  CHECK(book->sheets[0].text == "data;lançamento\n\n01/04/2025;PIX ENVIADO;;-996,92\n01/04/2025 18:00;calc;TRUE\n");
}

TEST_CASE("the 1904 date system of a workbook is honoured", "[sheet]") {
  const std::string bytes = xlsx(R"(<row r="1"><c r="A1" s="1"><v>44286</v></c></row>)", "", true);
  auto book = read_xlsx(bytes, {});
  REQUIRE(book);
  CHECK(book->sheets[0].text == "01/04/2025\n");
}

TEST_CASE("hostile or empty workbooks are refused with a specific error", "[sheet]") {
  SECTION("an XML entity bomb") {
    const std::string bomb =
        R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>)"
        R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>)";
    const std::string bytes = make_zip({{"_rels/.rels", rels},
                                        {"xl/workbook.xml", workbook_xml(R"(<sheet name="a" sheetId="1" r:id="rId1"/>)")},
                                        {"xl/_rels/workbook.xml.rels", sheet_only_rels},
                                        {"xl/worksheets/sheet1.xml", bomb}});
    auto book = read_xlsx(bytes, {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::limit_exceeded);
    CHECK(book.error().message.find("DOCTYPE") != std::string::npos);
  }
  SECTION("a zip bomb: more inflated bytes than the limit") {
    std::string big = R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
    big.append(4 << 20, ' ');
    big += "</sheetData></worksheet>";
    const std::string bytes = make_zip({{"_rels/.rels", rels},
                                        {"xl/workbook.xml", workbook_xml(R"(<sheet name="a" sheetId="1" r:id="rId1"/>)")},
                                        {"xl/_rels/workbook.xml.rels", sheet_only_rels},
                                        {"xl/worksheets/sheet1.xml", big}});
    REQUIRE(bytes.size() * 64 < big.size());  // the file is small, what it inflates to is not
    auto book = read_xlsx(bytes, {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::limit_exceeded);
    CHECK(book.error().message.find("zip bomb") != std::string::npos);
  }
  SECTION("a workbook without a sheet") {
    const std::string bytes = make_zip({{"_rels/.rels", rels},
                                        {"xl/workbook.xml", workbook_xml("")},
                                        {"xl/_rels/workbook.xml.rels", sheet_only_rels}});
    auto book = read_xlsx(bytes, {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::no_worksheet);
  }
  SECTION("a chart-only workbook") {
    const std::string chart_rels =
        R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
        R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>)";
    const std::string bytes = make_zip({{"_rels/.rels", rels},
                                        {"xl/workbook.xml", workbook_xml(R"(<sheet name="Gráfico" sheetId="1" r:id="rId1"/>)")},
                                        {"xl/_rels/workbook.xml.rels", chart_rels},
                                        {"xl/chartsheets/sheet1.xml", "<chartsheet/>"}});
    auto book = read_xlsx(bytes, {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::no_worksheet);
    CHECK(book.error().message.find("charts") != std::string::npos);
  }
  SECTION("a cut XLSX") {
    const std::string whole = xlsx(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)", "<si><t>x</t></si>");
    auto book = read_xlsx(std::string_view(whole).substr(0, whole.size() / 2), {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::damaged_container);
  }
  SECTION("a ZIP that is not a workbook") {
    auto book = read_xlsx(make_zip({{"notes.txt", "hello"}}), {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::unsupported_container);
  }
  SECTION("a password-protected OOXML in OLE2") {
    std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    ole.append(504, '\0');
    ole += std::string("E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0", 32);
    auto book = read_workbook(ole, {});
    REQUIRE_FALSE(book);
    CHECK(book.error().code == errc::encrypted);
  }
}

TEST_CASE("a spreadsheet error names the sheet and the cell", "[sheet]") {
  // an Itaú "Salvar em Excel" sheet whose second row holds an amount that is not a number
  const std::string bytes = xlsx(itau_rows(""), "");
  auto st = parse(bytes, {.file_name = "extrato.xlsx"});
  REQUIRE_FALSE(st);
  CHECK(st.error().code == errc::bad_amount);
  CHECK(st.error().cell == "Lançamentos!D11");
  CHECK(st.error().to_string().starts_with("extrato.xlsx: Lançamentos!D11: valor (R$): "));
}

TEST_CASE("the BIFF8 reader renders every corpus XLS as freexl does", "[sheet]") {
  // freexl is the reference where it can read the file (not with an empty shared string)
  std::size_t compared = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(BANKFLOW_CORPUS_DIR)) {
    const auto& p = e.path();
    if (p.extension() != ".xls" || p.filename().string().starts_with("n_")) continue;
    auto bytes = read_file(p);
    REQUIRE(bytes);
    if (!is_ole2(*bytes)) continue;
    INFO(p.string());
    auto ours = read_xls(*bytes, {});
    REQUIRE(ours);
    auto theirs = test::read_xls_with_freexl(*bytes, {});
    if (!theirs) continue;  // freexl 1.0.6 cannot open it
    REQUIRE(ours->sheets.size() == theirs->sheets.size());
    for (std::size_t i = 0; i < ours->sheets.size(); ++i) {
      CHECK(ours->sheets[i].name == theirs->sheets[i].name);
      CHECK(ours->sheets[i].text == theirs->sheets[i].text);
    }
    ++compared;
  }
  CHECK(compared >= 10);
}

TEST_CASE("an XLS whose shared strings hold an empty one is read (freexl 1.0.6 is not)", "[sheet]") {
  auto bytes = read_file(std::filesystem::path(BANKFLOW_CORPUS_DIR) / "itau" / "itau-extrato-xls-2026-04.xls");
  REQUIRE(bytes);
  CHECK_FALSE(test::read_xls_with_freexl(*bytes, {}));
  auto book = read_xls(*bytes, {});
  REQUIRE(book);
  REQUIRE(book->sheets.size() == 1);
  CHECK(book->sheets[0].name == "Lançamentos");
  CHECK(book->sheets[0].text.find("SALDO TOTAL DISPON\xC3\x83\xC2\x8DVEL DIA") != std::string::npos);
}

TEST_CASE("with skip_bad_rows a bad spreadsheet cell is listed with its sheet and cell", "[sheet][skip_bad_rows]") {
  const std::string bytes = xlsx(itau_rows(
      R"(<row r="12"><c r="A12" t="inlineStr"><is><t>03/04/2026</t></is></c><c r="B12" t="inlineStr"><is><t>TED</t></is></c><c r="D12"><v>10</v></c></row>)"),
      "");
  auto st = parse(bytes, {.file_name = "extrato.xlsx", .skip_bad_rows = true});
  REQUIRE(st);
  CHECK(st->transactions.size() == 2);
  REQUIRE(st->skipped_rows.size() == 1);
  const skipped_row& s = st->skipped_rows[0];
  CHECK(s.line == 11);
  CHECK(s.sheet == "Lançamentos");
  CHECK(s.cell == "D11");
  CHECK(s.code == errc::bad_amount);
  CHECK(s.message.find("-0.123") != std::string::npos);
}

TEST_CASE("the fast XLSX reader renders every corpus workbook as expat does", "[sheet]") {
  std::size_t compared = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(BANKFLOW_CORPUS_DIR)) {
    const auto& p = e.path();
    if (!e.is_regular_file() || p.filename().string().starts_with("n_")) continue;
    auto bytes = read_file(p);
    REQUIRE(bytes);
    if (!is_zip(*bytes)) continue;
    INFO(p.string());
    auto fast = read_xlsx(*bytes, {});
    auto reference = read_xlsx(*bytes, {.reference_reader = true});
    REQUIRE(fast);
    REQUIRE(reference);
    REQUIRE(fast->sheets.size() == reference->sheets.size());
    for (std::size_t i = 0; i < fast->sheets.size(); ++i) CHECK(fast->sheets[i].text == reference->sheets[i].text);
    ++compared;
  }
  CHECK(compared >= 12);
}

TEST_CASE("the fast XLSX reader hands what it does not read to expat", "[sheet]") {
  // a comment, CDATA, an entity it does not decode, a prefixed element: each read by expat
  const std::string cases[] = {
      R"(<row r="1"><!-- x --><c r="A1" t="inlineStr"><is><t>data</t></is></c></row>)",
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>)",
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a&#x41;&amp;b</t></is></c></row>)",
      R"(<row r="1"><c r="A1" t="inlineStr"><x:is xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:t>p</x:t></x:is></c></row>)",
      R"(<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><b/></rPr><t>rich</t></r><rPh sb="0" eb="1"><t>no</t></rPh></is></c></row>)",
  };
  const char* expected[] = {"data\n", "a<b\n", "aA&b\n", "p\n", "rich\n"};
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    INFO(cases[i]);
    const std::string bytes = xlsx(cases[i], "");
    auto fast = read_xlsx(bytes, {});
    auto reference = read_xlsx(bytes, {.reference_reader = true});
    REQUIRE(fast);
    REQUIRE(reference);
    CHECK(fast->sheets[0].text == expected[i]);
    CHECK(reference->sheets[0].text == expected[i]);
  }
}
