// The CSV/TXT variants real users' files showed (issue 14 §3): Inter rows without the balance,
// Itaú's three-column CSV of 2025 with its mojibake balance rows, Itaú TXT lines of any width,
// files re-saved by a spreadsheet program, header-only files, misgrouped amounts.

#include <bankflow/bankflow.hpp>

#include "banks/layout.hpp"
#include "core/money_detail.hpp"
#include "format/resaved.hpp"
#include "detect/registry.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace bankflow;

namespace {

date ymd(int y, unsigned m, unsigned d) {
  return date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::size_t count_warnings(const statement& st, std::string_view text) {
  return static_cast<std::size_t>(std::count_if(st.warnings.begin(), st.warnings.end(), [&](const warning& w) {
    return w.message.find(text) != std::string::npos;
  }));
}

const std::string inter_head =
    "Extrato Conta Corrente\nConta ;12345678\nPer\xC3\xADodo ;01/03/2025 a 31/03/2025\nSaldo: ;10,00\n\n";
const std::string inter5 = "Data Lan\xC3\xA7" "amento;Hist\xC3\xB3rico;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n";

}  // namespace

TEST_CASE("Inter rows one cell short of the header are read by position, without the balance", "[variants]") {
  auto st = parse(inter_head + inter5 + "03/03/2025;Pix recebido;Cp :0-FULANO DE TAL;1.500,00\n"
                                        "05/03/2025;Pix enviado;Cp :0-MARIA EXEMPLO;-250,00\n",
                  {.file_name = "inter.csv"});
  REQUIRE(st);
  CHECK(st->format == "inter-extrato-csv");
  REQUIRE(st->transactions.size() == 2);
  CHECK(st->transactions[0].amount == 150000);
  CHECK(st->transactions[0].description == "Pix recebido - Cp :0-FULANO DE TAL");
  CHECK_FALSE(st->transactions[0].balance.has_value());
  CHECK(st->transactions[1].amount == -25000);
  // said once, not per row
  CHECK(count_warnings(*st, "read by position") == 1);
  CHECK(st->warnings.front().line == 7);

  SECTION("a full row next to a short one keeps its balance") {
    auto mixed = parse(inter_head + inter5 + "03/03/2025;Pix recebido;x;1,00;11,00\n05/03/2025;Pix enviado;y;-2,00\n");
    REQUIRE(mixed);
    REQUIRE(mixed->transactions.size() == 2);
    CHECK(mixed->transactions[0].balance == 1100);
    CHECK_FALSE(mixed->transactions[1].balance.has_value());
  }
}

TEST_CASE("a short row is an error where the missing cell cannot be told", "[variants]") {
  SECTION("the description position holds an amount: the amount may be the balance") {
    auto st = parse(inter_head + inter5 + "05/03/2025;Pix enviado;-250,00;4.370,45\n", {.file_name = "inter.csv"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::csv_bad_row);
    CHECK(st.error().line == 7);
  }
  SECTION("two cells short") {
    auto st = parse(inter_head + inter5 + "05/03/2025;Pix enviado;-250,00\n", {.file_name = "inter.csv"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::csv_bad_row);
  }
}

TEST_CASE("Itaú's 2025 three-column CSV is a layout of its own, detected by content", "[variants]") {
  const std::string moj = "SALDO TOTAL DISPON\xC3\x83\xC2\x8DVEL DIA";
  const std::string file = "\xEF\xBB\xBF" "data;lan\xC3\xA7" "amento;valor (R$)\r\n"
                           "31/07/2025;SALDO ANTERIOR;1.000,00\r\n"
                           "01/08/2025;PIX TRANSF FULANO 01/08;-350,00\r\n"
                           "01/08/2025;" + moj + ";650,00\r\n"
                           "04/08/2025;" + moj + ";\r\n"
                           "05/08/2025;SALDO TOTAL DISPON\xC3\x83;\r\n"
                           "lan\xC3\xA7" "amentos futuros;\r\n"
                           "sa\xC3\xAD" "das futuras;\r\n"
                           "01/09/2025;DA  ENERGIA EXEMPLO;-190,00\r\n"
                           "05/09/2025;FINANC IMOBILIARIO 043/360;-1.850,12\r\n";
  auto found = detect(file);
  REQUIRE(found);
  REQUIRE_FALSE(found->empty());
  CHECK(found->front().format == "itau-extrato-csv-3col");
  CHECK(found->front().confidence >= 0.85);
  if (found->size() > 1) CHECK((*found)[1].confidence <= found->front().confidence - 0.15);

  auto st = parse(file);
  REQUIRE(st);
  CHECK(st->bank->id == "itau");
  // the mojibake balance rows, with a value or without, are balances, never transactions
  REQUIRE(st->transactions.size() == 1);
  CHECK(st->transactions[0].amount == -35000);
  CHECK(st->accounts[0].opening_balance == 100000);
  CHECK(st->accounts[0].closing_balance == 65000);
  CHECK(count_warnings(*st, "balance row") == 4);
  // the scheduled entries are left out, and said so
  CHECK(count_warnings(*st, "2 scheduled entries after") == 1);
}

TEST_CASE("Itaú TXT lines are recognised by their pattern, whatever the description's width", "[variants]") {
  const std::string wide =
      "17/02/2014;RSHOP-PADARIA BOM-15/02 ;-100,00\n21/02/2014;DOC 237.2495FULANO BELTR;300,00\n"
      "04/03/2014;INT TED   902014FULANOAB;-234,56\n";
  const std::string any_width =
      "17/02/2014;RSHOP-PADARIA BOM-15/02;-100,00\n21/02/2014;DOC FULANO;300,00\n"
      "04/03/2014;INT TED 902014 FULANO DE TAL E MARIA EXEMPLO;-234,56\n";
  auto w = detect(wide);
  auto a = detect(any_width);
  REQUIRE((w && a));
  REQUIRE_FALSE(w->empty());
  REQUIRE_FALSE(a->empty());
  CHECK(a->front().format == "itau-extrato-txt");
  // the width adds confidence
  CHECK(w->front().confidence > a->front().confidence);
  CHECK(a->front().confidence >= 0.5);
  auto st = parse(any_width);
  REQUIRE(st);
  REQUIRE(st->transactions.size() == 3);
  CHECK(st->transactions[2].description == "INT TED 902014 FULANO DE TAL E MARIA EXEMPLO");

  SECTION("a header line first is not the header-less TXT") {
    auto d = detect("data;lan\xC3\xA7" "amento;valor\n" + any_width);
    REQUIRE(d);
    for (const auto& c : *d) CHECK(c.format != "itau-extrato-txt");
  }
  SECTION("trailing empty cells from a spreadsheet") {
    auto d = detect("17/02/2014;PADARIA;-100,00;;\n21/02/2014;DOC FULANO;300,00;;\n04/03/2014;TED;-234,56;;\n");
    REQUIRE(d);
    REQUIRE_FALSE(d->empty());
    CHECK(d->front().format == "itau-extrato-txt");
  }
}

TEST_CASE("dates a spreadsheet program wrote with a month name are read", "[variants]") {
  using detail::has_month_name;
  using detail::parse_month_name_date;
  CHECK(has_month_name("02/jan"));
  CHECK(has_month_name("13/mai"));
  CHECK(has_month_name("13/MAI/2025"));
  CHECK(has_month_name("1-dez-24"));
  CHECK(has_month_name("07/set."));
  CHECK_FALSE(has_month_name("02/01"));
  CHECK_FALSE(has_month_name("02/01/2025"));
  CHECK_FALSE(has_month_name("02/xyz"));
  CHECK_FALSE(has_month_name("02/jan/202"));

  const date ref = ymd(2026, 1, 14);
  CHECK(*parse_month_name_date("16/dez", ref) == ymd(2025, 12, 16));
  CHECK(*parse_month_name_date("02/jan", ref) == ymd(2026, 1, 2));
  CHECK(*parse_month_name_date("13/mai/2025", std::nullopt) == ymd(2025, 5, 13));
  CHECK(*parse_month_name_date("13/may/25", std::nullopt) == ymd(2025, 5, 13));
  CHECK(*parse_month_name_date("29/fev", ymd(2025, 3, 1)) == ymd(2024, 2, 29));
  CHECK(parse_month_name_date("02/jan", std::nullopt).error().code == errc::bad_date);
  CHECK(parse_month_name_date("31/abr/2025", std::nullopt).error().code == errc::bad_date);

  SECTION("the year of d/mmm comes from the preamble's dates") {
    auto st = parse(inter_head + "Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n"
                                 "02/mar;Pix;1,00;11,00\n05/mar;Pix;-1,00;10,00\n");
    REQUIRE(st);
    REQUIRE(st->transactions.size() == 2);
    CHECK(st->transactions[0].posted == ymd(2025, 3, 2));
    CHECK(count_warnings(*st, "re-saved by a spreadsheet program") == 1);
  }
  SECTION("without any date to take the year from, a d/mmm row is an error naming the line") {
    auto st = parse("Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n02/mar;Pix;1,00;11,00\n",
                    {.file_name = "x.csv"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::bad_date);
    CHECK(st.error().line == 2);
  }
}

TEST_CASE("records a spreadsheet program wrapped in quotes are unwrapped, and said once", "[variants]") {
  using detail::has_wrapped_records;
  CHECK(has_wrapped_records("\"01/02/2025;\"\"PIX ENVIADO\"\";-10,00\"\n"));
  CHECK(has_wrapped_records("x\r\n\"01/02/2025;PIX;-10,00\"\r\n"));
  // real CSV quoting is not a wrapped record
  CHECK_FALSE(has_wrapped_records("\"01/02/2025\";\"PIX\";\"-10,00\"\n"));
  CHECK_FALSE(has_wrapped_records("\"Extrato\"\n"));
  CHECK_FALSE(has_wrapped_records("\"\"\n"));

  std::string out;
  CHECK(detail::unwrap_records("a;b\r\n\"01/02/2025;\"\"PIX ENVIADO\"\";-10,00\"\r\n\"c;d\"", out) == 2);
  CHECK(out == "a;b\r\n01/02/2025;\"PIX ENVIADO\";-10,00\r\nc;d");

  const std::string file = "data;lan\xC3\xA7" "amento;valor (R$)\r\n"
                           "\"01/02/2025;\"\"PIX ENVIADO\"\";-10,00\"\r\n"
                           "\"03/fev/2025;\"\"PIX RECEBIDO\"\";250,00\"\r\n";
  auto st = parse(file);
  REQUIRE(st);
  CHECK(st->format == "itau-extrato-csv-3col");
  REQUIRE(st->transactions.size() == 2);
  CHECK(st->transactions[0].description == "PIX ENVIADO");
  CHECK(st->transactions[0].amount == -1000);
  CHECK(st->transactions[0].line == 2);
  CHECK(st->transactions[1].posted == ymd(2025, 2, 3));
  // two signs of a re-save (the quotes, a month name): one warning that names both
  CHECK(count_warnings(*st, "re-saved by a spreadsheet program") == 1);
  CHECK(count_warnings(*st, "wrapped in quotes") == 1);
  CHECK(count_warnings(*st, "03/fev/2025") == 1);
}

TEST_CASE("a file with a header and no rows is an empty statement in every layout", "[variants]") {
  int layouts = 0;
  for (const auto& f : detail::format_table()) {
    // OFX, Ourocard, the header-less TXT; and the Excel layouts, which read workbooks
    if (f.layout == nullptr || f.layout->headerless || f.layout->spreadsheet) continue;
    CAPTURE(f.info.id);
    std::string header;
    for (const auto& c : f.layout->headers.front()) {
      if (!header.empty()) header += f.layout->separator;
      header += c.names.substr(0, c.names.find('|'));
    }
    for (const std::string& text : {header + "\r\n", header + "\n\n"}) {
      auto st = parse(text, {.format = f.info.id, .file_name = "empty.csv"});
      if (!st) FAIL(st.error().to_string());
      CHECK(st->transactions.empty());
      CHECK(count_warnings(*st, "header and no rows") == 1);
    }
    ++layouts;
  }
  CHECK(layouts >= 17);
}

TEST_CASE("an amount with malformed thousands groups is read when its decimal separator is certain",
          "[variants][money]") {
  bool irregular = false;
  auto a = detail::parse_amount_regrouped("6000.000,00", number_style::pt_br, irregular);
  REQUIRE(a);
  CHECK(**a == 600000000);
  CHECK(irregular);
  a = detail::parse_amount_regrouped("-6,000,00.50", number_style::en, irregular);
  REQUIRE(a);
  CHECK(**a == -60000050);
  CHECK(irregular);
  a = detail::parse_amount_regrouped("1.234,56", number_style::pt_br, irregular);
  REQUIRE(a);
  CHECK(**a == 123456);
  CHECK_FALSE(irregular);
  // the strict reader is unchanged
  CHECK(parse_amount("6000.000,00", number_style::pt_br).error().code == errc::bad_amount);
  // still ambiguous, or holed: errors
  for (const std::string_view text : {"6000.000", "1.234.56", "1,234,5678", "6000..000,00", "6000.,00",
                                      "1.234,56,78"}) {
    CAPTURE(text);
    CHECK_FALSE(detail::parse_amount_regrouped(text, number_style::pt_br, irregular));
  }

  SECTION("in a file: read, with a warning naming the line and the column") {
    auto st = parse(inter_head + "Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n"
                                 "02/03/2025;Pix;6000.000,00;6.000.010,00\n");
    REQUIRE(st);
    REQUIRE(st->transactions.size() == 1);
    CHECK(st->transactions[0].amount == 600000000);
    REQUIRE(st->warnings.size() == 1);
    CHECK(st->warnings[0].line == 7);
    CHECK(st->warnings[0].message.find("Valor") != std::string::npos);
    CHECK(st->warnings[0].message.find("6000000.00") != std::string::npos);
  }
}
