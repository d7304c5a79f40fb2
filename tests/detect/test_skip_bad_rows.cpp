// parse_options::skip_bad_rows: a row that cannot be read fails the parse by default (marked as
// a row error); with the option it is listed in statement::skipped_rows with its text and the
// other rows are read. File-level errors fail either way.

#include <bankflow/bankflow.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

using namespace bankflow;

namespace {

std::string corpus(const std::string& rel) {
  auto bytes = read_file(std::string(BANKFLOW_CORPUS_DIR) + "/" + rel);
  REQUIRE(bytes);
  return *bytes;
}

void replace_once(std::string& s, std::string_view from, std::string_view to) {
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  s.replace(at, from.size(), to);
}

const parse_options skipping{.file_name = "x", .skip_bad_rows = true};

// Inter's extrato: one header, one amount and one balance column (FORMATS.md).
const std::string inter_head =
    "Extrato Conta Corrente\nConta ;12345678\n\nData Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n";

}  // namespace

TEST_CASE("layout: a bad amount fails the file by default, naming line and column", "[skip_bad_rows]") {
  const std::string s = inter_head +
                        "01/06/2026;Pix recebido;100,00;1.100,00\n"
                        "02/06/2026;Compra MERCADO;12,3x;1.087,70\n"
                        "03/06/2026;Pix enviado;-30,00;1.057,70\n";
  auto p = parse(s, {.file_name = "inter.csv"});
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::bad_amount);
  CHECK(p.error().line == 6);
  CHECK(p.error().field == "Valor");
  CHECK(p.error().row_error);
}

TEST_CASE("layout: skip_bad_rows lists bad amounts, dates and short rows and reads the rest",
          "[skip_bad_rows]") {
  const std::string s = inter_head +
                        "01/06/2026;Pix recebido;100,00;1.100,00\n"
                        "02/06/2026;Compra MERCADO;12,3x;1.087,70\n"
                        "31/02/2026;Tarifa;-5,00;1.095,00\n"
                        "04/06/2026;linha curta\n"
                        "05/06/2026;Pix enviado;-30,00;1.065,00\n";
  auto st = parse(s, skipping);
  if (!st) FAIL(st.error().to_string());
  REQUIRE(st->transactions.size() == 2);
  CHECK(st->transactions[0].amount == 10000);
  CHECK(st->transactions[1].amount == -3000);
  CHECK(st->transactions[1].line == 9);
  REQUIRE(st->skipped_rows.size() == 3);
  const skipped_row& amount = st->skipped_rows[0];
  CHECK(amount.line == 6);
  CHECK(amount.code == errc::bad_amount);
  CHECK(amount.field == "Valor");
  CHECK(amount.raw == "02/06/2026;Compra MERCADO;12,3x;1.087,70");
  CHECK(amount.sheet.empty());
  CHECK(amount.cell.empty());
  CHECK(st->skipped_rows[1].line == 7);
  CHECK(st->skipped_rows[1].code == errc::bad_date);
  CHECK(st->skipped_rows[1].raw == "31/02/2026;Tarifa;-5,00;1.095,00");
  CHECK(st->skipped_rows[2].line == 8);
  CHECK(st->skipped_rows[2].code == errc::csv_bad_row);
  CHECK(st->skipped_rows[2].raw == "04/06/2026;linha curta");
}

TEST_CASE("layout: the continuation lines of a skipped row go with it, not onto the row above",
          "[skip_bad_rows]") {
  std::string s = corpus("bradesco/bradesco-extrato-historico-2026-01-continuations.csv");
  // the row that a continuation line follows, with its amount spoiled
  replace_once(s, "\"150,00\"", "\"15x,00\"");
  auto strict = parse(s);
  REQUIRE_FALSE(strict);
  CHECK(strict.error().row_error);
  auto st = parse(s, skipping);
  if (!st) FAIL(st.error().to_string());
  REQUIRE(st->skipped_rows.size() == 1);
  const skipped_row& r = st->skipped_rows[0];
  CHECK(r.code == errc::bad_amount);
  CHECK(r.raw.starts_with("08/01/26; Transferencia Pix;"));
  CHECK(r.raw.ends_with("\n; Rem: Beatriz Gon\xC3\xA7" "alves Prado;;"));  // its continuation line
  auto good = parse(corpus("bradesco/bradesco-extrato-historico-2026-01-continuations.csv"));
  REQUIRE(good);
  CHECK(st->transactions.size() == good->transactions.size() - 1);
  // every other transaction reads exactly as in the intact file
  std::size_t j = 0;
  for (const auto& t : good->transactions) {
    if (t.amount == -15000) continue;
    REQUIRE(j < st->transactions.size());
    CHECK(st->transactions[j].description == t.description);
    ++j;
  }
}

TEST_CASE("layout: file-level errors stay errors with skip_bad_rows", "[skip_bad_rows]") {
  auto no_header = parse("Extrato Conta Corrente\nConta ;12345678\n\nnada aqui\n",
                         {.format = "inter-extrato-csv", .skip_bad_rows = true});
  REQUIRE_FALSE(no_header);
  CHECK(no_header.error().code == errc::csv_bad_header);
  CHECK_FALSE(no_header.error().row_error);
}

TEST_CASE("layout: with every row skipped the statement still comes back, empty", "[skip_bad_rows]") {
  auto st = parse(inter_head + "02/06/2026;Compra;12,3x;1.087,70\n", skipping);
  if (!st) FAIL(st.error().to_string());
  CHECK(st->transactions.empty());
  CHECK(st->skipped_rows.size() == 1);
}

TEST_CASE("Ourocard: a bad line is skipped with its continuation, the bill is read", "[skip_bad_rows]") {
  std::string s = corpus("bb/bb-ourocard-fatura-2010.txt");
  replace_once(s, "     0,00      554,98", "     0,00      55x,98");  // the US$ line with a "****" line
  auto strict = parse(s, {.file_name = "fatura.txt"});
  REQUIRE_FALSE(strict);
  CHECK(strict.error().code == errc::bad_amount);
  CHECK(strict.error().line == 30);
  CHECK(strict.error().row_error);

  auto st = parse(s, skipping);
  if (!st) FAIL(st.error().to_string());
  CHECK(st->transactions.size() == 14);  // 15 in the intact bill
  REQUIRE(st->skipped_rows.size() == 1);
  CHECK(st->skipped_rows[0].line == 30);
  CHECK(st->skipped_rows[0].code == errc::bad_amount);
  CHECK(st->skipped_rows[0].field == "Valor US$");
  CHECK(st->skipped_rows[0].raw.find("571,15 DOLAR CANADENSE") != std::string::npos);
  for (const auto& t : st->transactions) CHECK(t.description.find("DOLAR CANADENSE") == std::string::npos);
  SECTION("a bill without Vencimento still fails") {
    std::string no_due = s;
    replace_once(no_due, "Vencimento", "Vencimentx");
    auto p = parse(no_due, {.format = "bb-ourocard-txt", .skip_bad_rows = true});
    REQUIRE_FALSE(p);
    CHECK(p.error().code == errc::csv_bad_header);
  }
}

namespace {

std::string ofx_with(std::string_view trns) {
  std::string s = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n"
                  "<CURDEF>BRL\n<BANKACCTFROM>\n<BANKID>001\n<ACCTID>12345\n<ACCTTYPE>CHECKING\n"
                  "</BANKACCTFROM>\n<BANKTRANLIST>\n";
  s += trns;
  s += "</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n";
  return s;
}

}  // namespace

TEST_CASE("OFX: a bad transaction is skipped whole, the others are read", "[skip_bad_rows]") {
  const std::string good1 = "<STMTTRN>\n<TRNTYPE>CREDIT\n<DTPOSTED>20260102\n<TRNAMT>10.00\n<FITID>1\n<MEMO>PIX A\n</STMTTRN>\n";
  const std::string bad_amount = "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20260103\n<TRNAMT>-2,3x\n<FITID>2\n<MEMO>PIX B\n</STMTTRN>\n";
  const std::string no_date = "<STMTTRN>\n<TRNTYPE>DEBIT\n<TRNAMT>-4.00\n<FITID>3\n<MEMO>PIX C\n</STMTTRN>\n";
  // unclosed: the next STMTTRN ends it
  const std::string bad_date = "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20261399\n<TRNAMT>-5.00\n<FITID>4\n<MEMO>PIX D\n";
  const std::string good2 = "<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20260105\n<TRNAMT>-6.00\n<FITID>5\n<MEMO>PIX E\n</STMTTRN>\n";
  const std::string s = ofx_with(good1 + bad_amount + no_date + bad_date + good2);

  auto strict = parse(s, {.file_name = "e.ofx"});
  REQUIRE_FALSE(strict);
  CHECK(strict.error().code == errc::bad_amount);
  CHECK(strict.error().field == "TRNAMT");
  CHECK(strict.error().row_error);

  auto st = parse(s, skipping);
  if (!st) FAIL(st.error().to_string());
  REQUIRE(st->transactions.size() == 2);
  CHECK(st->transactions[0].fitid == "1");
  CHECK(st->transactions[1].fitid == "5");
  REQUIRE(st->skipped_rows.size() == 3);
  CHECK(st->skipped_rows[0].code == errc::bad_amount);
  CHECK(st->skipped_rows[0].field == "TRNAMT");
  CHECK(st->skipped_rows[0].line == 26);  // the TRNAMT line
  CHECK(st->skipped_rows[0].raw == std::string(bad_amount.substr(0, bad_amount.size() - 1)));
  CHECK(st->skipped_rows[1].code == errc::ofx_bad_element);
  CHECK(st->skipped_rows[1].field == "DTPOSTED");
  CHECK(st->skipped_rows[1].raw == std::string(no_date.substr(0, no_date.size() - 1)));
  CHECK(st->skipped_rows[2].code == errc::bad_date);
  CHECK(st->skipped_rows[2].raw == std::string(bad_date.substr(0, bad_date.size() - 1)));
}

TEST_CASE("OFX: a truncated file is an error even with skip_bad_rows", "[skip_bad_rows]") {
  std::string s = ofx_with("<STMTTRN>\n<TRNTYPE>DEBIT\n<DTPOSTED>20260103\n<TRNAMT>-2,3x\n</STMTTRN>\n");
  s.resize(s.find("</BANKTRANLIST>"));
  auto p = parse(s, skipping);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::ofx_truncated);
}

TEST_CASE("skipped rows in the JSON and in the CSV side report", "[skip_bad_rows]") {
  const std::string s = inter_head +
                        "01/06/2026;Pix recebido;100,00;1.100,00\n"
                        "02/06/2026;=cmd|' /C calc'!A0;12,3x;1.087,70\n";
  auto st = parse(s, skipping);
  REQUIRE(st);
  st->skipped_rows.push_back({.line = 0, .code = errc::bad_amount, .message = "=m", .field = "",
                              .raw = "a,\"b\"\nc", .sheet = "Lançamentos", .cell = "D14"});

  const auto doc = boost::json::parse(to_json(*st));
  const auto& rows = doc.at("skipped_rows").as_array();
  REQUIRE(rows.size() == 2);
  const auto& first = rows[0].as_object();
  CHECK(first.at("line").as_int64() == 6);
  CHECK(first.at("code").as_string() == "bad_amount");
  CHECK(first.at("field").as_string() == "Valor");
  CHECK(std::string(first.at("message").as_string()).starts_with("Valor: "));
  CHECK(first.at("raw").as_string() == "02/06/2026;=cmd|' /C calc'!A0;12,3x;1.087,70");
  CHECK_FALSE(first.contains("sheet"));
  CHECK(rows[1].at("sheet").as_string() == "Lançamentos");
  CHECK(rows[1].at("cell").as_string() == "D14");

  const std::string csv = skipped_rows_to_csv(*st);
  const std::string want_first = "6,,,bad_amount,\"Valor: ";
  CHECK(csv.starts_with("line,sheet,cell,code,message,raw\n" + want_first));
  CHECK(csv.find(",\"02/06/2026;=cmd|' /C calc'!A0;12,3x;1.087,70\"\n") != std::string::npos);
  // a cell that a spreadsheet would run as a formula is guarded, as in to_csv
  CHECK(csv.ends_with("0,Lançamentos,D14,bad_amount,'=m,\"a,\"\"b\"\"\nc\"\n"));

  SECTION("no skipped rows: no key, and the side report is only its header") {
    auto clean = parse(inter_head + "01/06/2026;Pix recebido;100,00;1.100,00\n", skipping);
    REQUIRE(clean);
    CHECK_FALSE(boost::json::parse(to_json(*clean)).as_object().contains("skipped_rows"));
    CHECK(skipped_rows_to_csv(*clean) == "line,sheet,cell,code,message,raw\n");
  }
  SECTION("clone keeps them") {
    const statement c = st->clone();
    CHECK(c.skipped_rows.size() == 2);
    CHECK(c.skipped_rows[0].raw == st->skipped_rows[0].raw);
  }
}
