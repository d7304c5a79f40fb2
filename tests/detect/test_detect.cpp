// Detection: every layout is recognised by content with a clear lead, the look-alike pairs of
// FORMATS.md §4.2 are told apart, and a file that cannot be placed is refused with advice.

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace bankflow;

namespace {

struct sample {
  std::string format, bank, text;
};

// Heads of each layout, from FORMATS.md (invented data).
const sample samples[] = {
    {"itau-extrato-txt", "itau",
     "17/02/2014;RSHOP-PADARIA BOM-15/02 ;-100,00\r\n21/02/2014;DOC 237.2495FULANO BELTR;300,00\r\n"
     "04/03/2014;INT TED   902014FULANOAB;-234,56\r\n"},
    {"itau-extrato-csv", "itau",
     "Logotipo Ita\xFA;;;;;\nAg\xEAncia:;1234 ;;;;\nConta:;56789-0;;;;\n;;;;;\n"
     "data;lan\xE7" "amento;ag./origem;valor (R$);saldos (R$);\nlan\xE7" "amentos;;;;;\n"
     "01/04/2025;PIX TRANSF FULANO 01/04;;-996,92;;\n"},
    {"itau-fatura-csv", "itau", "data,lan\xC3\xA7" "amento,valor\n2025-04-22,MERCADOLIVRE*2PROD04/10,76.09\n"},
    {"bradesco-extrato-csv", "bradesco",
     "\n;Extrato de: Ag\xEAncia: 1234  Conta: 56789-0\r\nData;Lan\xE7" "amento;Dcto.;Cr\xE9" "dito (R$);D\xE9" "bito (R$);Saldo (R$)\r"
     "02/02/2026;PAGTO ELETRON COBRANCA;3433;;-317,85;7.858,69\r"},
    {"bradesco-extrato-csv", "bradesco",
     "Extrato de: Ag: 1234 | Conta: 123456-7 | Entre 01/01/2026 e 31/01/2026\r"
     "Data;Hist\xF3rico;Docto.;Cr\xE9" "dito (R$);D\xE9" "bito (R$);Saldo (R$);\r06/01/26; Pagamento boleto;5050404;;\"25,00\";\"305,63\";\r"},
    {"bradesco-fatura-csv", "bradesco",
     "Data: 07/08/2026 12:28:27\rSitua\xE7\xE3o da Fatura: PAGO\rFULANO ;;; 7433\rData;Hist\xF3rico;Valor(US$);Valor(R$);\r"
     "04/08;PG *LOJA EXEMPLO 1/2;0,00;338,75\r"},
    {"santander-extrato-csv", "santander",
     "AGENCIA;\"1234\";CONTA;\"130012345\"\r\n\r\nData;Hist\xF3rico;Documento;Valor (R$);Saldo (R$)\r\n"
     "\"24/08/2026\";\"Pix Enviado Padaria; Centro\";\"\";\"-47,05\";\"27,62\"\r\n"},
    {"santander-fatura-csv", "santander",
     "Lan\xC3\xA7" "amentos,,,\nCart\xC3\xA3o,Final 1111,,\nTitular,FULANO,,\nData,Descri\xC3\xA7\xC3\xA3o,Valor (US$),Valor (R$)\n30/08/2024,Mercearia,0,36\n"},
    {"bb-extrato-csv-old", "bb",
     "\"Data\",\"Dependencia Origem\",\"Hist\xF3rico\",\"Data do Balancete\",\"N\xFAmero do documento\",\"Valor\",\n"
     "\"01/02/2017\",\"\",\"Pagto Energia\",\"\",\"2534\",\"-185.12\",\n"},
    {"bb-extrato-csv", "bb",
     "\"Data\",\"Lan\xE7" "amento\",\"Detalhes\",\"N\xBA documento\",\"Valor\",\"Tipo Lan\xE7" "amento\"\n"
     "\"02/05/2025\",\"Compra com Cart\xE3o\",\"01/05 20:08 LOJA\",\"643752\",\"-41,66\",\"Sa\xED" "da\"\n"},
    {"caixa-extrato-csv", "caixa",
     "\"Conta\";\"Data_Mov\";\"Nr_Doc\";\"Historico\";\"Valor\";\"Deb_Cred\"\n"
     "\"0123000000000000012345\";\"20250401\";\"123456\";\"PAG BOLETO\";\"89.90\";\"D\"\n"},
    {"nubank-conta-csv", "nubank", "Data,Valor,Identificador,Descri\xC3\xA7\xC3\xA3o\n01/07/2025,-100.00,6864,Pix\n"},
    {"nubank-fatura-csv", "nubank", "date,title,amount\n2025-07-05,Uber - NuPay,10.98\n"},
    {"nubank-fatura-csv", "nubank", "date,category,title,amount\n2020-12-11,eletr\xC3\xB4nicos,Americanas 5/6,48.9\n"},
    {"inter-extrato-csv", "inter",
     "Extrato Conta Corrente\nConta ;12345678\nPer\xC3\xADodo ;02/06/2026 a 02/07/2026\nSaldo: ;665,25\n\n"
     "Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n02/06/2026;Pix recebido: \"Cp :1-F\";1.200,00;2.581,55\n"},
    {"inter-fatura-csv", "inter",
     "\xEF\xBB\xBF\"Data\",\"Lan\xC3\xA7" "amento\",\"Categoria\",\"Tipo\",\"Valor\"\n\"12/05/2024\",\"Jetbrains\",\"OUTROS\",\"Compra \xC3\xA0 vista\",\"R$ 318,46\"\n"},
    {"c6-extrato-csv", "c6",
     "\xEF\xBB\xBF" "EXTRATO DE CONTA CORRENTE C6 BANK\n\nAg\xC3\xAAncia: 1 / Conta: 123456\n\n"
     "Data Lan\xC3\xA7" "amento,Data Cont\xC3\xA1" "bil,T\xC3\xADtulo,Descri\xC3\xA7\xC3\xA3o,Entrada(R$),Sa\xC3\xAD" "da(R$),Saldo do Dia(R$)\n"
     "23/09/2025,23/09/2025,IR RES,tax,0.00,627.95,34899.55\n"},
    {"c6-fatura-csv", "c6",
     "Data de Compra;Nome no Cart\xC3\xA3o;Final do Cart\xC3\xA3o;Categoria;Descri\xC3\xA7\xC3\xA3o;Parcela;Valor (em US$);Cota\xC3\xA7\xC3\xA3o (em R$);Valor (em R$)\n"
     "26/05/2026;FULANO;1141;Empresa;DELL;4/12;0;0;235.25\n"},
    {"sicredi-extrato-csv", "sicredi",
     "Cooperativa: 0710\nConta: 12345-6\n\nData,Descri\xC3\xA7\xC3\xA3o,Documento,Valor (R$),Saldo (R$)\n02/06/2026,PIX,PIX_DEB,-50.00,950.00\n"},
};

}  // namespace

TEST_CASE("every layout is detected by content, confidently and clearly ahead") {
  for (const auto& s : samples) {
    CAPTURE(s.format, s.text);
    auto found = detect(s.text);
    REQUIRE(found);
    REQUIRE_FALSE(found->empty());
    CHECK(found->front().format == s.format);
    REQUIRE(found->front().bank != nullptr);
    CHECK(found->front().bank->id == s.bank);
    CHECK(found->front().confidence >= 0.85);
    if (found->size() > 1) CHECK((*found)[1].confidence <= found->front().confidence - 0.15);
    auto st = parse(s.text);
    REQUIRE(st);
    CHECK(st->format == s.format);
    CHECK_FALSE(st->transactions.empty());
  }
}

TEST_CASE("look-alike layouts are told apart (FORMATS.md §4.2)") {
  // Inter and C6 extratos both begin "Data Lançamento"; Inter's card bill and BB's new extrato
  // both begin "Data","Lançamento": the complete column list decides.
  auto inter = detect("Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n01/01/2026;x;1,00;1,00\n");
  auto c6 = detect("Data Lan\xC3\xA7" "amento,Data Cont\xC3\xA1" "bil,T\xC3\xADtulo,Descri\xC3\xA7\xC3\xA3o,Entrada(R$),Sa\xC3\xAD" "da(R$),Saldo\n");
  REQUIRE((inter && c6));
  CHECK(inter->front().format == "inter-extrato-csv");
  CHECK(c6->front().format == "c6-extrato-csv");
  auto inter_bill = detect("\"Data\",\"Lan\xC3\xA7" "amento\",\"Categoria\",\"Tipo\",\"Valor\"\n");
  auto bb_new = detect("\"Data\",\"Lan\xC3\xA7" "amento\",\"Detalhes\",\"N\xC2\xBA documento\",\"Valor\",\"Tipo Lan\xC3\xA7" "amento\"\n");
  REQUIRE((inter_bill && bb_new));
  CHECK(inter_bill->front().format == "inter-fatura-csv");
  CHECK(bb_new->front().format == "bb-extrato-csv");

  SECTION("a generic Data;Histórico;Valor;Saldo export is not taken for Bradesco or Santander") {
    const std::string generic = "Data;Hist\xC3\xB3rico;Valor;Saldo\n01/01/2026;PIX;-10,00;90,00\n";
    auto d = detect(generic);
    REQUIRE(d);
    CHECK(d->empty());
    auto p = parse(generic, {.file_name = "sicoob.csv"});
    REQUIRE_FALSE(p);
    CHECK(p.error().code == errc::unknown_format);
  }
}

TEST_CASE("a file that two formats fit equally is refused with the candidates and how to force one") {
  // two complete headers of different banks in one file
  const std::string both =
      "Data,Valor,Identificador,Descri\xC3\xA7\xC3\xA3o\n01/07/2025,-1.00,a,x\n"
      "date,title,amount\n";
  auto p = parse(both, {.file_name = "mix.csv"});
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::ambiguous_format);
  CHECK(p.error().message.find("nubank-conta-csv") != std::string::npos);
  CHECK(p.error().message.find("nubank-fatura-csv") != std::string::npos);
  CHECK(p.error().message.find("--format") != std::string::npos);
  auto forced = parse(both, {.format = "nubank-conta-csv"});
  REQUIRE(forced);
  CHECK(forced->confidence == 1.0);
  CHECK(forced->transactions.size() == 1);
  REQUIRE(forced->warnings.size() == 1);  // the stray header is skipped, and said so
  CHECK(forced->warnings[0].line == 3);
}

TEST_CASE("a forced bank restricts detection to that bank's formats") {
  const std::string nubank = "date,title,amount\n2025-07-05,Uber,10.98\n";
  auto wrong = parse(nubank, {.bank = "itau"});
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == errc::unknown_format);
  auto right = parse(nubank, {.bank = "nubank"});
  REQUIRE(right);
  CHECK(right->format == "nubank-fatura-csv");
}

TEST_CASE("detection looks only at the head: a header after 64 KiB is not found") {
  std::string late(70 * 1024, '\n');
  late += "date,title,amount\n2025-07-05,Uber,10.98\n";
  auto d = detect(late);
  REQUIRE(d);
  CHECK(d->empty());
}

TEST_CASE("a header match needs rows in the layout's date style") {
  // Itaú's card bill writes ISO dates; the same header over dd/mm/yyyy rows is someone else's
  const std::string other = "data,lan\xC3\xA7" "amento,valor\n22/04/2025,LOJA,76.09\n";
  auto d = detect(other);
  REQUIRE(d);
  for (const auto& c : *d) CHECK(c.confidence < 0.5);
  auto p = parse(other);
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::unknown_format);
}

TEST_CASE("a dated row with fewer cells than the header is an error, not shifted data") {
  // a stray quote swallows a separator: reading on would put the document in the amount column
  const std::string s =
      "AGENCIA;\"1234\";CONTA;\"130012345\"\r\n\r\nData;Hist\xC3\xB3rico;Documento;Valor (R$);Saldo (R$)\r\n"
      "\"21/08/2026\";\"Pix Recebido Cliente;\"19262730\";\"1.000,00\";\"74,67\"\r\n";
  auto p = parse(s, {.file_name = "santander.csv"});
  REQUIRE_FALSE(p);
  CHECK(p.error().code == errc::csv_bad_row);
  CHECK(p.error().line == 4);
  CHECK(p.error().file == "santander.csv");
}

TEST_CASE("a consistent running-balance column gives the opening and closing balance") {
  const std::string head = "Data Lan\xC3\xA7" "amento;Descri\xC3\xA7\xC3\xA3o;Valor;Saldo\n";
  SECTION("oldest first") {
    auto st = parse(head + "01/06/2026;a;100,00;1.100,00\n02/06/2026;b;-30,00;1.070,00\n");
    REQUIRE(st);
    CHECK(st->accounts[0].opening_balance == 100000);
    CHECK(st->accounts[0].closing_balance == 107000);
  }
  SECTION("newest first, one day") {
    auto st = parse(head + "02/06/2026;b;-30,00;1.070,00\n02/06/2026;a;100,00;1.100,00\n");
    REQUIRE(st);
    CHECK(st->accounts[0].opening_balance == 100000);
    CHECK(st->accounts[0].closing_balance == 107000);
  }
  SECTION("an inconsistent chain derives nothing") {
    auto st = parse(head + "01/06/2026;a;100,00;1.100,00\n02/06/2026;b;-30,00;999,00\n");
    REQUIRE(st);
    CHECK_FALSE(st->accounts[0].opening_balance.has_value());
    CHECK_FALSE(st->accounts[0].closing_balance.has_value());
  }
}

TEST_CASE("a bank offers its own formats, OFX, and OFC only where it is known to") {
  const auto format = [](std::string_view id) -> const format_info& {
    for (const auto& f : known_formats())
      if (f.id == id) return f;
    FAIL("no format " << id);
    throw 0;
  };
  for (const char* bank : {"itau", "bb", "caixa"}) CHECK(bank_offers(format("ofc"), bank));
  for (const char* bank : {"nubank", "inter", "c6", "sicredi"}) CHECK_FALSE(bank_offers(format("ofc"), bank));
  for (const auto& b : known_banks()) CHECK(bank_offers(format("ofx"), b.id));
  CHECK(bank_offers(format("itau-extrato-txt"), "itau"));
  CHECK_FALSE(bank_offers(format("itau-extrato-txt"), "bb"));
}

TEST_CASE("an OFC file's head is told apart from OFX and from CSV layouts") {
  const std::string ofc_head =
      "<OFC>\r\n<DTD>2\r\n<CPAGE>1252\r\n<ACCTSTMT>\r\n<ACCTFROM>\r\n<BANKID>0341\r\n<ACCTID>56789-0\r\n"
      "</ACCTFROM>\r\n<STMTRS>\r\n<DTSTART>20190301\r\n<DTEND>20190331\r\n<LEDGER>1.00\r\n";
  auto found = detect(ofc_head);
  REQUIRE(found);
  REQUIRE(found->size() == 1);  // nothing else claims it
  CHECK(found->front().format == "ofc");
  CHECK(found->front().bank->id == "itau");

  auto ofx = detect("OFXHEADER:100\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n<BANKID>0341\n");
  REQUIRE(ofx);
  for (const auto& c : *ofx) CHECK(c.format != "ofc");
}
