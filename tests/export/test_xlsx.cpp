// The XLSX workbook (to_xlsx, write_xlsx): read back with the library's own XLSX reader
// (sheet/workbook.hpp: typed cells render as dd/mm/yyyy dates and pt-BR numbers) and by unzipping
// its parts (libzip) for what the reader does not show: styles, the frozen pane, the autofilter.

#include <bankflow/bankflow.hpp>

#include "sheet/workbook.hpp"

#include <catch2/catch.hpp>
#include <zip.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unistd.h>

using namespace bankflow;
namespace fs = std::filesystem;

namespace {

// A checking account and a card with a masked number, rows over two months, a formula-looking
// description and a skipped row.
statement two_accounts() {
  statement st;
  st.bank = find_bank("itau");
  st.format = "itau-extrato-csv";
  account checking;
  checking.number = "56789-0";
  checking.kind = account_kind::checking;
  account card;
  card.number = "4514.****.****.0213";
  card.kind = account_kind::credit_card;
  st.accounts = {checking, card};
  auto add = [&](date d, std::string_view text, std::int64_t amount, std::size_t acct) {
    transaction t;
    t.posted = d;
    t.description = text;
    t.amount = amount;
    t.account_index = acct;
    st.transactions.push_back(t);
    return &st.transactions.back();
  };
  using std::chrono::year;
  add(year{2025} / 3 / 31, "PIX RECEBIDO FULANO", 150000, 0)->balance = 250000;
  add(year{2025} / 4 / 1, "=HYPERLINK(\"http://x\";\"clique\")", -99692, 0)->document = "+55";
  add(year{2025} / 4 / 2, "TARIFA", -1, 0)->fitid = "@id";
  add(year{2025} / 4 / 5, "IFD*IFOOD", -4590, 1);
  add(year{2025} / 4 / 30, "ESTORNO", 1000005, 1);
  st.skipped_rows.push_back({6, errc::bad_amount, "\"12,3x\" is not an amount", "Valor", "02/06/2026;X;12,3x", "", ""});
  compute_period(st);
  return st;
}

// One part of a ZIP held in memory ("" when it is not there).
std::string zip_part(const std::string& bytes, const char* name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  std::string out;
  if (za != nullptr) {
    if (zip_file_t* f = zip_fopen(za, name, 0)) {
      char buf[4096];
      for (zip_int64_t n; (n = zip_fread(f, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
      zip_fclose(f);
    }
    zip_close(za);
  } else if (src != nullptr) {
    zip_source_free(src);
  }
  zip_error_fini(&err);
  return out;
}

// Every sheet, by name, as the library's reader renders it (';'-separated lines).
std::map<std::string, std::string> sheets_of(const std::string& bytes, std::vector<std::string>* order = nullptr) {
  auto wb = detail::read_xlsx(bytes, {});
  REQUIRE(wb);
  std::map<std::string, std::string> out;
  for (const auto& s : wb->sheets) {
    out[s.name] = s.text;
    if (order != nullptr) order->push_back(s.name);
  }
  return out;
}

std::string workbook(const statement& st) {
  auto bytes = to_xlsx(st);
  REQUIRE(bytes);
  return *bytes;
}

// A fresh empty directory, removed at the end.
struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("bankflow-xlsx-test-" + std::to_string(::getpid()));
  temp_dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  [[nodiscard]] std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
};

}  // namespace

TEST_CASE("xlsx has one sheet per account, then Resumo and Linhas ignoradas, each under its header") {
  const std::string bytes = workbook(two_accounts());
  CHECK(bytes.substr(0, 4) == std::string("PK\x03\x04", 4));
  std::vector<std::string> order;
  const auto sheets = sheets_of(bytes, &order);
  CHECK(order == std::vector<std::string>{"Conta 56789-0", "Cartão 4514.••••.••••.0213", "Resumo",
                                          "Linhas ignoradas"});
  CHECK(sheets.at("Conta 56789-0").starts_with("Data;Descrição;Valor;Saldo;Documento;FITID;Tipo;Categoria;Estabelecimento ou contraparte;Parcela\n"));
  CHECK(sheets.at("Resumo").starts_with("Mês;Categoria;Entradas;Saídas;Saldo do mês\n"));
  CHECK(sheets.at("Linhas ignoradas") ==
        "Linha;Planilha;Célula;Código;Mensagem;Conteúdo\n"
        "6;;;bad_amount;\"Valor: \"\"12,3x\"\" is not an amount\";\"02/06/2026;X;12,3x\"\n");
  const std::string core = zip_part(bytes, "docProps/core.xml");
  CHECK(core.find("<dc:creator>bankflow</dc:creator>") != std::string::npos);
  CHECK(core.find("<dc:title>Extrato Itaú Unibanco 56789-0</dc:title>") != std::string::npos);
}

TEST_CASE("xlsx dates are date cells and amounts numbers in the R$ format, each account its own rows") {
  const std::string bytes = workbook(two_accounts());
  const auto sheets = sheets_of(bytes);
  // the reader renders a number cell with a date style as dd/mm/yyyy, other numbers in pt-BR form
  CHECK(sheets.at("Conta 56789-0") ==
        "Data;Descrição;Valor;Saldo;Documento;FITID;Tipo;Categoria;Estabelecimento ou contraparte;Parcela\n"
        "31/03/2025;PIX RECEBIDO FULANO;1500;2500\n"
        "01/04/2025;\"=HYPERLINK(\"\"http://x\"\";\"\"clique\"\")\";-996,92;;+55\n"
        "02/04/2025;TARIFA;-0,01;;;@id\n");
  CHECK(sheets.at("Cartão 4514.••••.••••.0213") ==
        "Data;Descrição;Valor;Saldo;Documento;FITID;Tipo;Categoria;Estabelecimento ou contraparte;Parcela\n"
        "05/04/2025;IFD*IFOOD;-45,90\n"
        "30/04/2025;ESTORNO;10000,05\n");
  const std::string styles = zip_part(bytes, "xl/styles.xml");
  CHECK(styles.find("formatCode=\"dd/mm/yyyy\"") != std::string::npos);
  CHECK(styles.find("formatCode=\"&quot;R$ &quot;#,##0.00;[Red]-&quot;R$ &quot;#,##0.00\"") != std::string::npos);
  const std::string sheet1 = zip_part(bytes, "xl/worksheets/sheet1.xml");
  CHECK(sheet1.find("<c r=\"A2\" s=\"2\"><v>45747</v></c>") != std::string::npos);  // 2025-03-31, numeric
  CHECK(sheet1.find("<c r=\"C3\" s=\"3\"><v>-996.92</v></c>") != std::string::npos);
}

TEST_CASE("xlsx sheets have a frozen header row and an autofilter over their data") {
  const std::string bytes = workbook(two_accounts());
  const std::pair<const char*, const char*> sheets[] = {{"xl/worksheets/sheet1.xml", "A1:J4"},
                                                        {"xl/worksheets/sheet2.xml", "A1:J3"},
                                                        {"xl/worksheets/sheet3.xml", "A1:E3"},
                                                        {"xl/worksheets/sheet4.xml", "A1:F2"}};
  for (const auto& [part, range] : sheets) {
    INFO(part);
    const std::string xml = zip_part(bytes, part);
    CHECK(xml.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") !=
          std::string::npos);
    CHECK(xml.find("<autoFilter ref=\"" + std::string(range) + "\"/>") != std::string::npos);
    CHECK(xml.find("customWidth=\"1\"") != std::string::npos);
  }
}

TEST_CASE("xlsx Resumo holds each month's int64 totals of entradas, saídas and saldo") {
  SECTION("a made-up statement") {
    CHECK(sheets_of(workbook(two_accounts())).at("Resumo") ==
          "Mês;Categoria;Entradas;Saídas;Saldo do mês\n"
          "2025-03;(sem categoria);1500;0;1500\n"
          "2025-04;(sem categoria);10000,05;-1042,83;8957,22\n");
  }
  SECTION("a corpus bill with three cards over four months") {
    auto st = parse_file(std::string(BANKFLOW_CORPUS_DIR) + "/bradesco/bradesco-fatura-2026-03-three-cards-titular.csv");
    REQUIRE(st);
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> want;  // month, category
    std::set<std::string> months;
    for (const auto& t : st->transactions) {
      const std::pair<std::string, std::string> key{format_date(t.posted).substr(0, 7),
                                                    t.category.empty() ? "(sem categoria)" : std::string(t.category)};
      (t.amount >= 0 ? want[key].first : want[key].second) += t.amount;
      months.insert(key.first);
    }
    std::string expected = "Mês;Categoria;Entradas;Saídas;Saldo do mês\n";
    auto br = [](std::int64_t v) {  // as the reader renders a number: whole ones without ",00"
      std::string s = format_amount_br(v);
      return s.ends_with(",00") ? s.substr(0, s.size() - 3) : s;
    };
    for (const auto& [key, totals] : want)
      expected += key.first + ";" + key.second + ";" + br(totals.first) + ";" + br(totals.second) + ";" +
                  br(totals.first + totals.second) + "\n";
    const auto sheets = sheets_of(workbook(*st));
    CHECK(sheets.at("Resumo") == expected);
    CHECK(sheets.size() == 4);  // three cards and the summary
    CHECK(months.size() == 4);
    CHECK(want.size() > months.size());  // the bill's rows fall in several categories
  }
}

TEST_CASE("xlsx text that looks like a formula is stored as a string, never a formula") {
  const std::string bytes = workbook(two_accounts());
  const std::string strings = zip_part(bytes, "xl/sharedStrings.xml");
  CHECK(strings.find("<t>=HYPERLINK(\"http://x\";\"clique\")</t>") != std::string::npos);
  CHECK(strings.find("<t>+55</t>") != std::string::npos);
  for (const char* part : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"})
    CHECK(zip_part(bytes, part).find("<f>") == std::string::npos);
  CHECK(zip_part(bytes, "xl/worksheets/sheet1.xml").find("<c r=\"B3\" t=\"s\">") != std::string::npos);
}

TEST_CASE("xlsx sheet names are valid for Excel and unique") {
  statement st;
  st.bank = find_bank("bb");
  for (const char* number : {"12/34:[x]?\\", "12/34:[x]?\\", "'123'", "0123456789012345678901234567890123456789", ""}) {
    account a;
    a.number = number;
    a.kind = account_kind::savings;
    st.accounts.push_back(a);
  }
  std::vector<std::string> order;
  (void)sheets_of(workbook(st), &order);
  CHECK(order == std::vector<std::string>{"Poupança 12_34__x___", "Poupança 12_34__x___ (2)", "Poupança '123",
                                          "Poupança 0123456789012345678901", "Poupança", "Resumo"});
}

TEST_CASE("xlsx: the same statement gives the same bytes, in memory or written to a path") {
  const statement st = two_accounts();
  const std::string bytes = workbook(st);
  CHECK(workbook(st) == bytes);
  temp_dir dir;
  const fs::path out = dir.path / "extrato.xlsx";
  REQUIRE(write_xlsx(st, out));
  CHECK(detail::read_xlsx(*read_file(out), {}).has_value());
  CHECK(*read_file(out) == bytes);
  CHECK(dir.files() == 1);  // no temporary file left behind
  SECTION("to_xlsx leaves nothing in its temporary directory") {
    temp_dir scratch;
    auto again = to_xlsx(st, {.temp_dir = scratch.path});
    REQUIRE(again);
    CHECK(*again == bytes);
    CHECK(scratch.files() == 0);
  }
}

TEST_CASE("xlsx failures are errors, not exceptions") {
  const statement st = two_accounts();
  SECTION("a temporary directory that does not exist") {
    auto r = to_xlsx(st, {.temp_dir = "/nonexistent/bankflow"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::io_error);
  }
  SECTION("a path in a directory that does not exist") {
    auto r = write_xlsx(st, "/nonexistent/bankflow/out.xlsx");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::io_error);
  }
  SECTION("a month whose total passes int64") {
    statement big = two_accounts();
    big.transactions[1].amount = INT64_MAX;
    big.transactions[2].amount = INT64_MAX;
    auto r = to_xlsx(big);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::amount_overflow);
  }
}

TEST_CASE("xlsx stays readable with control characters and text beyond a cell's limit") {
  statement st = two_accounts();
  st.transactions[0].description = "PIX\x01 RECEBIDO\tFULANO";
  st.skipped_rows[0].raw = std::string(40000, 'x');
  const std::string bytes = workbook(st);
  // XML cannot hold U+0001: libxlsxwriter writes Excel's _x0001_ escape (the reader shows a blank)
  CHECK(zip_part(bytes, "xl/sharedStrings.xml").find("<t>PIX_x0001_ RECEBIDO\tFULANO</t>") != std::string::npos);
  const auto sheets = sheets_of(bytes);
  CHECK(sheets.at("Conta 56789-0").find(";PIX  RECEBIDO FULANO;") != std::string::npos);
  CHECK(sheets.at("Linhas ignoradas").find(std::string(32767, 'x') + "\n") != std::string::npos);
  CHECK(sheets.at("Linhas ignoradas").find(std::string(32768, 'x')) == std::string::npos);
}
