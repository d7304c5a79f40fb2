// OFX: the real fixtures' facts (tests/corpus/real-sources/SOURCES.md) and every variant in
// FORMATS.md §2.1 / §3 / §4.1, written out as small documents.

#include <bankflow/bankflow.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace bankflow;

namespace {

std::string corpus(const std::string& rel) {
  auto bytes = read_file(std::string(BANKFLOW_CORPUS_DIR) + "/" + rel);
  REQUIRE(bytes);
  return *bytes;
}

statement parse_ok(std::string_view bytes, parse_options o = {}) {
  auto st = parse(bytes, o);
  if (!st) FAIL(st.error().to_string());
  return std::move(*st);
}

date ymd(int y, unsigned m, unsigned d) {
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}

// A minimal bank statement around the given STMTTRN elements.
std::string bank_ofx(std::string_view bankid, std::string_view trns, std::string_view fi = "",
                     std::string_view header = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n") {
  std::string s(header);
  s += "<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>0\n<SEVERITY>INFO\n</STATUS>\n";
  s += fi;
  s += "</SONRS>\n</SIGNONMSGSRSV1>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<TRNUID>1\n<STMTRS>\n<CURDEF>BRL\n";
  s += "<BANKACCTFROM>\n<BANKID>";
  s += bankid;
  s += "\n<ACCTID>12345\n<ACCTTYPE>CHECKING\n</BANKACCTFROM>\n<BANKTRANLIST>\n";
  s += trns;
  s += "</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>10.00\n<DTASOF>20260101\n</LEDGERBAL>\n";
  s += "</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n";
  return s;
}

std::string trn(std::string_view amount, std::string_view memo = "PIX",
                std::string_view date = "20260102120000[-3:BRT]", std::string_view fitid = "1") {
  std::string s = "<STMTTRN>\n<TRNTYPE>OTHER\n<DTPOSTED>";
  s += date;
  s += "\n<TRNAMT>";
  s += amount;
  s += "\n<FITID>";
  s += fitid;
  s += "\n<MEMO>";
  s += memo;
  s += "\n</STMTTRN>\n";
  return s;
}

}  // namespace

TEST_CASE("BB 2010 SGML OFX: 81 transactions, first dated before DTSTART, ledger balance") {
  const auto st = parse_ok(corpus("bb/bb-ofx-2010-sgml.ofx"));
  REQUIRE(st.bank != nullptr);
  CHECK(st.bank->id == "bb");
  CHECK(st.format == "ofx");
  REQUIRE(st.accounts.size() == 1);
  CHECK(st.accounts[0].number == "12345-6");
  CHECK(st.accounts[0].kind == account_kind::checking);
  REQUIRE(st.transactions.size() == 81);
  const auto& first = st.transactions.front();
  CHECK(first.posted == ymd(2010, 8, 26));
  CHECK(first.amount == -83630);
  CHECK(first.description == "CHEQUE COMPENSADO");
  const auto& last = st.transactions.back();
  CHECK(last.posted == ymd(2010, 10, 25));
  CHECK(last.amount == -14200);
  CHECK(last.description == "TRANSFERÊNCIA ON LINE");
  REQUIRE(st.accounts[0].closing_balance);
  CHECK(*st.accounts[0].closing_balance == 652919);
  CHECK(st.accounts[0].closing_balance_date == ymd(2010, 10, 25));

  SECTION("same-day equal deposits keep their distinct FITIDs and get distinct dedupe keys") {
    std::vector<const transaction*> deps;
    for (const auto& t : st.transactions)
      if (t.posted == ymd(2010, 10, 8) && t.amount == 50000) deps.push_back(&t);
    REQUIRE(deps.size() == 2);
    CHECK(deps[0]->fitid == "20101008050000");
    CHECK(deps[1]->fitid == "2010100805000011");
    CHECK(deps[0]->dedupe_key != deps[1]->dedupe_key);
  }
  SECTION("no FITID repeats and Windows-1252 accents decode") {
    std::set<std::string_view> ids;
    for (const auto& t : st.transactions) ids.insert(t.fitid);
    CHECK(ids.size() == 81);
    bool saw_cartao = false;
    for (const auto& t : st.transactions) saw_cartao |= t.description.find("CARTÃO") != std::string::npos;
    CHECK(saw_cartao);
  }
}

TEST_CASE("Caixa OFX whose only row is a SALDO DIA with a blank-and-dot amount") {
  const auto st = parse_ok(corpus("caixa/caixa-ofx-2022-blank-amount.ofx"));
  CHECK(st.bank->id == "caixa");
  CHECK(st.accounts.at(0).number == "0000000000001");
  CHECK(st.transactions.empty());
  REQUIRE(st.warnings.size() == 1);
  CHECK(st.warnings[0].message.find("SALDO DIA") != std::string::npos);
  CHECK(st.accounts[0].closing_balance == 0);
  // no movements: the declared range is the period
  CHECK(st.period_start == ymd(2022, 4, 11));
  CHECK(st.period_end == ymd(2022, 4, 12));
}

TEST_CASE("BB 2015 OFX in UTF-8 although it declares CHARSET 1252") {
  const auto st = parse_ok(corpus("bb/bb-ofx-2015.ofx"));
  CHECK(st.bank->id == "bb");
  CHECK(st.accounts.at(0).number == "455000-5");
  REQUIRE(st.transactions.size() == 1);
  CHECK(st.transactions[0].posted == ymd(2015, 11, 3));
  CHECK(st.transactions[0].amount == 23955);
  CHECK(st.transactions[0].fitid == "20151103023955");
  CHECK(st.transactions[0].description == "DOC CRÉDITO EM CONTA");
  CHECK(st.accounts[0].closing_balance == 23935);
}

TEST_CASE("BB 2017 OFX: two statements in one STMTTRNRS, CRLF, no final newline") {
  const auto st = parse_ok(corpus("bb/bb-ofx-2017-two-statements-cp1252.ofx"));
  CHECK(st.bank->id == "bb");
  REQUIRE(st.accounts.size() == 2);
  CHECK(st.accounts[0].number == "455000-5");
  CHECK(st.accounts[0].closing_balance == 0);
  CHECK(st.accounts[1].number == "655000-2");
  CHECK(st.accounts[1].closing_balance == 455528);
  CHECK(st.primary_account() == 1);
  REQUIRE(st.transactions.size() == 36);
  for (const auto& t : st.transactions) CHECK(t.account_index == 1);
  CHECK(st.transactions.front().posted == ymd(2017, 3, 1));
  CHECK(st.transactions.front().amount == 1331836);
  CHECK(st.transactions.front().description == "TED-CRÉDITO EM CONTA");
  CHECK(st.transactions.front().fitid == "2017030101331836");
  CHECK(st.transactions.back().posted == ymd(2017, 3, 27));
  CHECK(st.transactions.back().amount == -6800);
  CHECK(st.transactions.back().description == "TARIFA PACOTE DE SERVIÇOS");
}

TEST_CASE("BB Ourocard text bill: 15 transactions, payments positive, purchases negative") {
  const auto st = parse_ok(corpus("bb/bb-ourocard-fatura-2010.txt"));
  CHECK(st.bank->id == "bb");
  CHECK(st.format == "bb-ourocard-txt");
  CHECK(st.accounts.at(0).kind == account_kind::credit_card);
  CHECK(st.accounts.at(0).number == "4444.****.****.3333");
  REQUIRE(st.transactions.size() == 15);
  CHECK(st.transactions.front().posted == ymd(2010, 4, 12));
  CHECK(st.transactions.front().amount == 13000);  // PGTO DEBITO CONTA: a payment
  CHECK(st.transactions.front().line == 22);
  CHECK(st.transactions.back().posted == ymd(2010, 4, 23));
  CHECK(st.transactions.back().amount == -400);
  CHECK(st.transactions.back().description == "ANUIDADE TIT - PARC 11/12");
  CHECK(st.transactions.back().line == 49);
  SECTION("the US$-only purchase is converted at the bill's rate and says so") {
    const auto it = std::find_if(st.transactions.begin(), st.transactions.end(), [](const auto& t) {
      return t.description.starts_with("MOUNTAIN EQUIPMENT");
    });
    REQUIRE(it != st.transactions.end());
    CHECK(it->amount == -97826);  // 554,98 × 1.7627 = 978,26
    CHECK(it->description.find("571,15 DOLAR CANADENSE") != std::string::npos);
    bool warned = false;
    for (const auto& w : st.warnings) warned |= w.message.find("US$ 554.98") != std::string::npos;
    CHECK(warned);
  }
  SECTION("a 3-letter country and a line with an extra trailing blank still parse") {
    int found = 0;
    for (const auto& t : st.transactions) {
      if (t.description == "POSTO PALHOCA PALHOCA") { CHECK(t.amount == -7500); ++found; }
      if (t.description == "VIVA SUPERMERCADOS FLORIANOPOLIS") { CHECK(t.amount == -3639); ++found; }
    }
    CHECK(found == 2);
  }
}

TEST_CASE("OFX bank identification from BANKID, FID and ORG") {
  struct row {
    std::string bankid, fi, expected;
  };
  const row rows[] = {
      {"0341", "", "itau"},
      {"0237", "", "bradesco"},
      {"033", "<FI>\n<ORG>SANTANDER\n<FID>SANTANDER\n</FI>\n", "santander"},
      {"001", "<FI>\n<ORG>Banco do Brasil S/A\n<FID>001\n</FI>\n", "bb"},
      {"1", "<FI>\n<ORG>Banco do Brasil</ORG>\n<FID>1</FID>\n</FI>\n", "bb"},
      {"0104", "", "caixa"},
      {"0260", "<FI>\n<ORG>NU PAGAMENTOS S.A.</ORG>\n<FID>260</FID>\n</FI>\n", "nubank"},
      {"077", "<FI>\n<ORG>Banco Intermedium S/A</ORG>\n<FID>077</FID>\n</FI>\n", "inter"},
      {"336", "<FI>\n<ORG>Banco C6 S.A.</ORG>\n<FID>336</FID>\n</FI>\n", "c6"},
      {"756", "<FI>\n<ORG>Banco Cooperativo do Brasil</ORG>\n<FID>756</FID>\n</FI>\n", "sicoob"},
      {"748", "", "sicredi"},
      {"208", "", "btg"},
      {"", "<FI>\n<ORG>Banco Intermedium S/A</ORG>\n</FI>\n", "inter"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.bankid, r.fi);
    const auto st = parse_ok(bank_ofx(r.bankid, trn("-1.00"), r.fi));
    CHECK(st.bank->id == r.expected);
  }
}

TEST_CASE("an OFX from a bank not in the table still parses and reports its BANKID") {
  const auto st = parse_ok(bank_ofx("0999", trn("-1.00"), "<FI>\n<ORG>Banco Exemplo\n<FID>999\n</FI>\n"));
  CHECK(st.bank->id == "unknown");
  CHECK(st.bank_code == "999");
  CHECK(st.bank_name == "Banco Exemplo");
  CHECK(st.transactions.size() == 1);
  const std::string json = to_json(st);
  CHECK(json.find("\"compe\": \"999\"") != std::string::npos);
}

TEST_CASE("every TRNAMT spelling in FORMATS.md") {
  struct row {
    std::string text;
    std::int64_t minor;
  };
  const row rows[] = {
      {"-11.60", -1160},          {"-836.30 ", -83630},       {"           1690,70", 169070},
      {"            -12.80", -1280}, {"116394,88", 11639488}, {"-330,66", -33066},
      {"-800.0", -80000},         {"50.0000", 5000},          {"1.234,56", 123456},
      {"+15.00", 1500},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto st = parse_ok(bank_ofx("0341", trn(r.text)));
    REQUIRE(st.transactions.size() == 1);
    CHECK(st.transactions[0].amount == r.minor);
  }
}

TEST_CASE("balance pseudo-transactions are left out of the transactions") {
  const std::string trns = trn("1000.00", "Saldo Anterior", "20260101", "") + trn("-5.00", "Compra", "20260102", "77") +
                           trn("995.00", "Saldo do dia", "20260102", "") + trn("            .  ", "SALDO DIA", "20260102", "0");
  const auto st = parse_ok(bank_ofx("1", trns));
  REQUIRE(st.transactions.size() == 1);
  CHECK(st.transactions[0].amount == -500);
  CHECK(st.accounts[0].opening_balance == 100000);
  CHECK(st.warnings.size() == 3);
}

TEST_CASE("OFX header variants") {
  const std::string body_trns = trn("-1.00");
  SECTION("BB PF: header lines ended by lone CR, body by LF") {
    const auto st = parse_ok(bank_ofx("1", body_trns, "",
                                      "OFXHEADER:100\rDATA:OFXSGML\rVERSION:102\rSECURITY:NONE\r"
                                      "ENCODING:USASCII\rCHARSET:1252\rCOMPRESSION:NONE\r"
                                      "OLDFILEUID:NONE\rNEWFILEUID:NONE\r\r"));
    CHECK(st.transactions.size() == 1);
  }
  SECTION("C6: KEY: VALUE with a blank after the colon, contradictory charset") {
    const auto st = parse_ok(bank_ofx("336", body_trns, "",
                                      "OFXHEADER: 100\nDATA: OFXSGML\nVERSION: 102\nENCODING: UTF-8\n"
                                      "CHARSET: 1252\n"));
    CHECK(st.bank->id == "c6");
  }
  SECTION("no header at all") {
    const auto st = parse_ok(bank_ofx("0237", body_trns, "", ""));
    CHECK(st.bank->id == "bradesco");
  }
  SECTION("unknown charset names") {
    const auto st = parse_ok(bank_ofx("0237", body_trns, "",
                                      "OFXHEADER:100\nENCODING:ISO-8859-1\nCHARSET:8859-1\n\n"));
    CHECK(st.transactions.size() == 1);
  }
}

TEST_CASE("OFX 2.x XML with declaration, processing instruction and comments") {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<?OFX OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"?>\n"
      "<OFX><!-- a comment with <tags> -->\n"
      "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STMTRS><CURDEF>BRL</CURDEF>"
      "<BANKACCTFROM><BANKID>748</BANKID><BRANCHID>0710</BRANCHID><ACCTID>07101234567</ACCTID>"
      "<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM><BANKTRANLIST>"
      "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260105</DTPOSTED><TRNAMT>-10.50</TRNAMT>"
      "<FITID>A1</FITID><MEMO>PAGAMENTO PIX-PIX_DEB   EMPRESA &amp; FILHOS</MEMO></STMTTRN>"
      "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>";
  const auto st = parse_ok(xml);
  CHECK(st.bank->id == "sicredi");
  CHECK(st.accounts.at(0).branch == "0710");
  REQUIRE(st.transactions.size() == 1);
  CHECK(st.transactions[0].description == "PAGAMENTO PIX-PIX_DEB EMPRESA & FILHOS");
  CHECK(st.transactions[0].amount == -1050);
}

TEST_CASE("Nubank card OFX: CCSTMTRS, no BANKID, repeated FITID, UTF-8 under a 1252 header") {
  const std::string ofx =
      "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nENCODING:USASCII\nCHARSET:1252\n<OFX>\n"
      "<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>"
      "<DTSERVER>20260730193827[0:GMT]</DTSERVER><LANGUAGE>POR</LANGUAGE>"
      "<FI><ORG>NU PAGAMENTOS S.A.</ORG><FID>260</FID></FI></SONRS></SIGNONMSGSRSV1>\n"
      "<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1001</TRNUID><CCSTMTRS><CURDEF>BRL</CURDEF>\n"
      "<CCACCTFROM><ACCTID>00000000-1111-2222-3333-444444444444</ACCTID></CCACCTFROM>\n"
      "<BANKTRANLIST>\n"
      "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260714000000[-3:BRT]</DTPOSTED>"
      "<TRNAMT>-25.98</TRNAMT><FITID>6489a1f0</FITID><MEMO>Assinatura Música</MEMO></STMTTRN>\n"
      "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20260714000000[-3:BRT]</DTPOSTED>"
      "<TRNAMT>-0.90</TRNAMT><FITID>6489a1f0</FITID><MEMO>IOF de compra internacional</MEMO></STMTTRN>\n"
      "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260715000000[-3:BRT]</DTPOSTED>"
      "<TRNAMT>100.00</TRNAMT><FITID>x2</FITID><MEMO>Pagamento recebido</MEMO></STMTTRN>\n"
      "</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>\n";
  const auto st = parse_ok(ofx);
  CHECK(st.bank->id == "nubank");
  CHECK(st.accounts.at(0).kind == account_kind::credit_card);
  REQUIRE(st.transactions.size() == 3);
  CHECK(st.transactions[0].description == "Assinatura Música");
  CHECK(st.transactions[0].fitid == st.transactions[1].fitid);
  CHECK(st.transactions[0].dedupe_key != st.transactions[1].dedupe_key);
  CHECK(st.transactions[2].amount == 10000);
  CHECK(st.transactions[0].posted == ymd(2026, 7, 14));
}

TEST_CASE("Santander OFX: indentation, padded comma amounts, CURDEF BRC, NAME after MEMO") {
  const std::string trns =
      "    <STMTTRN>\n\t<TRNTYPE>OTHER\n\t<DTPOSTED>20180105000000[-3:GMT]\n"
      "\t<TRNAMT>           1690,70\n\t<FITID>00020801\n\t<CHECKNUM>00020801\n\t<PAYEEID>0\n"
      "\t<MEMO>TED DIFERENTE TITULARIDADE CIP     000.000.000-00           \n    </STMTTRN>\n";
  std::string ofx = bank_ofx("033", trns, "<FI>\n<ORG>SANTANDER\n<FID>SANTANDER\n</FI>\n");
  ofx.replace(ofx.find("<CURDEF>BRL"), 11, "<CURDEF>BRC");
  const auto st = parse_ok(ofx);
  CHECK(st.bank->id == "santander");
  CHECK(st.currency == "BRL");
  REQUIRE(st.transactions.size() == 1);
  CHECK(st.transactions[0].amount == 169070);
  CHECK(st.transactions[0].document == "00020801");
  CHECK(st.transactions[0].description == "TED DIFERENTE TITULARIDADE CIP 000.000.000-00");
  SECTION("Sicoob: MEMO is the type, NAME the counterparty; both are kept") {
    const std::string sicoob = bank_ofx(
        "756",
        "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20260707120000[-3:BRT]</DTPOSTED>"
        "<TRNAMT>2680.00</TRNAMT><FITID>202607072680001</FITID><CHECKNUM>0</CHECKNUM>"
        "<REFNUM>Pix</REFNUM><MEMO>PIX RECEBIDO - OUTRA IF</MEMO>"
        "<NAME>Recebimento Pix Empresa Exemplo</NAME></STMTTRN>\n");
    const auto s2 = parse_ok(sicoob);
    REQUIRE(s2.transactions.size() == 1);
    CHECK(s2.transactions[0].description == "PIX RECEBIDO - OUTRA IF - Recebimento Pix Empresa Exemplo");
  }
  SECTION("Inter: NAME already inside MEMO is not repeated") {
    const std::string inter = bank_ofx(
        "077",
        "<STMTTRN><TRNTYPE>PAYMENT</TRNTYPE><DTPOSTED>20260727</DTPOSTED><TRNAMT>-60.00</TRNAMT>"
        "<FITID>202607270771</FITID><CHECKNUM>077</CHECKNUM><REFNUM>077</REFNUM>"
        "<MEMO>Pix enviado: \"Cp :00000000-Fulano de Tal\"</MEMO><NAME>Fulano de Tal</NAME></STMTTRN>\n");
    const auto s3 = parse_ok(inter);
    REQUIRE(s3.transactions.size() == 1);
    CHECK(s3.transactions[0].description == "Pix enviado: \"Cp :00000000-Fulano de Tal\"");
  }
}

TEST_CASE("a missing </STMTTRN> is closed by the next <STMTTRN>") {
  std::string trns = trn("-1.00", "A", "20260102", "1") + trn("-2.00", "B", "20260103", "2");
  trns.erase(trns.find("</STMTTRN>"), 10);
  const auto st = parse_ok(bank_ofx("0341", trns));
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[0].amount == -100);
  CHECK(st.transactions[1].amount == -200);
}

TEST_CASE("broken OFX fails with a named error and a line") {
  const std::string good = bank_ofx("0341", trn("-1.00") + trn("-2.00"));
  SECTION("truncated in the middle") {
    auto r = parse(std::string_view(good).substr(0, good.size() / 2), {.format = "ofx"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::ofx_truncated);
    CHECK(r.error().line > 1);
  }
  SECTION("truncated inside a tag") {
    auto r = parse(good.substr(0, good.find("<TRNAMT>") + 4), {.format = "ofx"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::ofx_truncated);
  }
  SECTION("garbage amount names the field") {
    auto r = parse(bank_ofx("0341", trn("12abc")), {.file_name = "x.ofx"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::bad_amount);
    CHECK(r.error().field == "TRNAMT");
    CHECK(r.error().file == "x.ofx");
    CHECK(r.error().line == 28);
  }
  SECTION("a transaction without a date") {
    std::string t = trn("-1.00");
    t.erase(t.find("<DTPOSTED>"), t.find("<TRNAMT>") - t.find("<DTPOSTED>"));
    auto r = parse(bank_ofx("0341", t));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::ofx_bad_element);
    CHECK(r.error().field == "DTPOSTED");
  }
  SECTION("no statement inside") {
    auto r = parse("OFXHEADER:100\n\n<OFX>\n<SIGNONMSGSRSV1>\n</SIGNONMSGSRSV1>\n</OFX>\n");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::ofx_no_statement);
  }
  SECTION("not OFX when forced") {
    auto r = parse("hello;world\n", {.format = "ofx"});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::ofx_not_ofx);
  }
}

TEST_CASE("detection scores OFX by content, never by name, and rejects containers") {
  auto found = detect(bank_ofx("0341", trn("-1.00")));
  REQUIRE(found);
  REQUIRE_FALSE(found->empty());
  CHECK(found->front().format == "ofx");
  CHECK(found->front().bank->id == "itau");
  CHECK(found->front().confidence >= 0.9);

  struct row {
    std::string bytes;
    errc code;
  };
  const row rows[] = {
      {"", errc::empty_input},
      {"  \r\n \n", errc::empty_input},
      // the magic of an XLSX or XLS with nothing after it: a spreadsheet cut short
      {std::string("PK\x03\x04rest", 8), errc::damaged_container},
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), errc::damaged_container},
      // a PDF header with nothing after it: a PDF cut short
      {"%PDF-1.7\n", errc::damaged_container},
      {std::string("\x89PNG\r\n\x1a\n", 8), errc::unsupported_container},
      {std::string("\xFF\xD8\xFF\xE0", 4), errc::unsupported_container},
      {std::string("ab\0\0\0\x01\x02", 7), errc::binary_input},
  };
  for (const auto& r : rows) {
    CAPTURE(r.bytes);
    auto d = detect(r.bytes);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == r.code);
    auto p = parse(r.bytes);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == r.code);
  }
}

TEST_CASE("parse refuses a file it cannot place and says how to force one") {
  auto r = parse("just some text\nthat is not a statement\n", {.file_name = "notes.txt"});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::unknown_format);
  CHECK(r.error().file == "notes.txt");
  CHECK(r.error().message.find("--format") != std::string::npos);

  auto bad_bank = parse("x", {.bank = "nope"});
  REQUIRE_FALSE(bad_bank);
  CHECK(bad_bank.error().code == errc::unknown_bank);
}

TEST_CASE("a forced bank overrides the bank an OFX states") {
  const auto st = parse_ok(bank_ofx("0341", trn("-1.00")), {.bank = "bb"});
  CHECK(st.bank->id == "bb");
}

TEST_CASE("dedupe keys stay the same for the same transaction in two overlapping files") {
  const auto a = parse_ok(bank_ofx("0341", trn("-1.00", "PADARIA", "20260102", "1") +
                                               trn("-1.00", "PADARIA", "20260102", "2") +
                                               trn("-3.00", "MERCADO", "20260103", "3")));
  // the second file starts one transaction later and has other FITIDs (C6 regenerates them)
  const auto b = parse_ok(bank_ofx("0341", trn("-1.00", "PADARIA  ", "20260102", "X") +
                                               trn("-1.00", "padaria", "20260102", "Y") +
                                               trn("-3.00", "MERCADO", "20260103", "Z") +
                                               trn("-4.00", "FARMACIA", "20260104", "W")));
  REQUIRE(a.transactions.size() == 3);
  REQUIRE(b.transactions.size() == 4);
  for (std::size_t i = 0; i < 3; ++i) CHECK(a.transactions[i].dedupe_key == b.transactions[i].dedupe_key);
  CHECK(a.transactions[0].dedupe_key != a.transactions[1].dedupe_key);
  CHECK(format_dedupe_key(a.transactions[0].dedupe_key).size() == 16);
  CHECK(format_dedupe_key(0x00ab) == "00000000000000ab");
}

TEST_CASE("without LEDGERBAL the last 'Saldo do dia' row is the closing balance") {
  std::string ofx = bank_ofx("1", trn("1000.00", "Saldo Anterior", "20260101", "") +
                                      trn("-5.00", "Compra", "20260102", "77") +
                                      trn("995.00", "Saldo do dia", "20260102", ""));
  ofx.erase(ofx.find("<LEDGERBAL>"), ofx.find("</STMTRS>") - ofx.find("<LEDGERBAL>"));
  const auto st = parse_ok(ofx);
  CHECK(st.accounts[0].opening_balance == 100000);
  CHECK(st.accounts[0].closing_balance == 99500);
  CHECK(st.accounts[0].closing_balance_date == ymd(2026, 1, 2));
}

TEST_CASE("an empty statement whose DTSTART equals DTEND (the export time) has no period") {
  std::string ofx = bank_ofx("336", "<DTSTART>20260630163858[-3:BRT]\n<DTEND>20260630163858[-3:BRT]\n");
  const auto st = parse_ok(ofx);
  CHECK(st.transactions.empty());
  CHECK_FALSE(st.period_start.has_value());
  CHECK_FALSE(st.period_end.has_value());
}

TEST_CASE("the declared DTSTART-DTEND is the period, wider than the transactions' dates") {
  const std::string range = "<DTSTART>20260101\n<DTEND>20260131120000[-3:BRT]\n";
  const auto st = parse_ok(bank_ofx("341", range + trn("-5.00", "Compra", "20260110") +
                                                trn("-7.00", "Compra", "20260120")));
  CHECK(st.period_start == ymd(2026, 1, 1));
  CHECK(st.period_end == ymd(2026, 1, 31));

  SECTION("DTSTART = DTEND is the export time: the transactions' dates instead") {
    const std::string stamp = "<DTSTART>20260205\n<DTEND>20260205\n";
    const auto st2 = parse_ok(bank_ofx("341", stamp + trn("-5.00", "Compra", "20260110") +
                                                  trn("-7.00", "Compra", "20260120")));
    CHECK(st2.period_start == ymd(2026, 1, 10));
    CHECK(st2.period_end == ymd(2026, 1, 20));
  }
  SECTION("a range that ends before it starts is not a period") {
    const std::string backwards = "<DTSTART>20260131\n<DTEND>20260101\n";
    const auto st3 = parse_ok(bank_ofx("341", backwards + trn("-5.00", "Compra", "20260110")));
    CHECK(st3.period_start == ymd(2026, 1, 10));
    CHECK(st3.period_end == ymd(2026, 1, 10));
  }
}

TEST_CASE("account ids that carry the agency are split into branch and number") {
  struct row {
    std::string bankid, acctid, branch, number;
  };
  const row rows[] = {
      {"0341", "1234567890", "1234", "56789-0"},  // Itaú: agency 4 + account 5 + digit
      {"0237", "1234/56789", "1234", "56789"},    // Bradesco: agency/account
      {"0237", "12345", "", "12345"},
      {"033", "1234130012345", "1234", "130012345"},  // Santander: agency 4 + account 9
      {"0104", "0001234567890", "", "0001234567890"},  // Caixa: left as written
  };
  for (const auto& r : rows) {
    CAPTURE(r.bankid, r.acctid);
    std::string ofx = bank_ofx(r.bankid, trn("-1.00"));
    ofx.replace(ofx.find("<ACCTID>12345"), 13, "<ACCTID>" + r.acctid);
    const auto st = parse_ok(ofx);
    CHECK(st.accounts[0].branch == r.branch);
    CHECK(st.accounts[0].number == r.number);
  }
}

TEST_CASE("an unknown bank's code is reported as three digits, however the file pads it") {
  for (const std::string code : {"0422", "422", "00422"}) {
    const auto st = parse_ok(bank_ofx(code, trn("-1.00")));
    CHECK(st.bank->id == "unknown");
    CHECK(st.bank_code == "422");
  }
}

TEST_CASE("dedupe keys do not depend on file order, also when dates are not sorted") {
  // Santander writes newest first; a file may also have a late entry out of order
  const std::string rows[] = {trn("-1.00", "PADARIA", "20260103", "a"), trn("-1.00", "PADARIA", "20260101", "b"),
                              trn("-1.00", "PADARIA", "20260103", "c"), trn("-2.00", "LOJA", "20260102", "d")};
  const auto unsorted = parse_ok(bank_ofx("033", rows[0] + rows[1] + rows[2] + rows[3]));
  const auto sorted = parse_ok(bank_ofx("033", rows[1] + rows[3] + rows[0] + rows[2]));
  REQUIRE(unsorted.transactions.size() == 4);
  auto key_of = [](const statement& st, std::string_view fitid) {
    for (const auto& t : st.transactions)
      if (t.fitid == fitid) return t.dedupe_key;
    return std::uint64_t{0};
  };
  for (std::string_view id : {"a", "b", "c", "d"}) CHECK(key_of(unsorted, id) == key_of(sorted, id));
  CHECK(key_of(unsorted, "a") != key_of(unsorted, "c"));  // same day, same amount: occurrence differs
}

// ---- OFC (Money 95), OFX's older dialect (FORMATS.md §3.4.f) -------------------------------

namespace {

// A minimal OFC account statement around the given rows.
std::string ofc(std::string_view bankid, std::string_view rows, std::string_view ledger = "100.00",
                std::string_view header = "") {
  std::string s(header);
  s += "<OFC>\n<DTD>2\n<CPAGE>1252\n<ACCTSTMT>\n<ACCTFROM>\n<BANKID>";
  s += bankid;
  s += "\n<BRANCHID>1234\n<ACCTID>56789-0\n<ACCTTYPE>0\n</ACCTFROM>\n<STMTRS>\n";
  s += "<DTSTART>20190301\n<DTEND>20190331\n";
  if (!ledger.empty()) {
    s += "<LEDGER>";
    s += ledger;
    s += "\n";
  }
  s += rows;
  s += "</STMTRS>\n</ACCTSTMT>\n</OFC>\n";
  return s;
}

std::string gentrn(std::string_view trntype, std::string_view amount, std::string_view memo,
                   std::string_view fitid = "") {
  std::string s = "<GENTRN>\n<TRNTYPE>";
  s += trntype;
  s += "\n<DTPOSTED>20190305\n<TRNAMT>";
  s += amount;
  s += "\n<FITID>";
  s += fitid;
  s += "\n<CHKNUM>\n<MEMO>";
  s += memo;
  s += "\n</GENTRN>\n";
  return s;
}

}  // namespace

TEST_CASE("an OFC file is detected as its own format, its bank from BANKID in any spelling") {
  struct row {
    std::string bankid, bank;
  };
  const auto r = GENERATE(row{"001", "bb"}, row{"1", "bb"}, row{"00104", "caixa"},
                          row{"104", "caixa"}, row{"0341", "itau"});
  INFO("BANKID " << r.bankid);
  const std::string file = ofc(r.bankid, gentrn("1", "-5.00", "TARIFA"));
  auto found = detect(file);
  REQUIRE(found);
  REQUIRE_FALSE(found->empty());
  CHECK(found->front().format == "ofc");
  REQUIRE(found->front().bank != nullptr);
  CHECK(found->front().bank->id == r.bank);
  CHECK(found->front().confidence == 1.0);
  const auto st = parse_ok(file);
  CHECK(st.format == "ofc");
  CHECK(st.bank->id == r.bank);
  CHECK(st.accounts.at(0).kind == account_kind::checking);
  CHECK(st.accounts[0].branch == "1234");
  CHECK(st.accounts[0].number == "56789-0");
}

TEST_CASE("an OFC behind an OFX-like header is OFC, not an ambiguous OFX") {
  const std::string header = "OFXHEADER:100\nDATA:OFCSGML\nVERSION:102\nCHARSET:1252\n\n";
  const auto st = parse_ok(ofc("0341", gentrn("1", "-5.00", "TARIFA"), "95.00", header));
  CHECK(st.format == "ofc");
  CHECK(st.bank->id == "itau");
  CHECK(st.transactions.size() == 1);
}

TEST_CASE("OFC rows: GENTRN alone, GENTRN inside STMTTRN and STMTTRN alone are one row each") {
  const std::string rows = gentrn("1", "-5.00", "TARIFA") +                         // alone
                           "<STMTTRN>\n" + gentrn("1", "-6.00", "CH COMPENSADO") +  // wrapped
                           "</STMTTRN>\n"
                           "<STMTTRN>\n<TRNTYPE>0</TRNTYPE>\n<DTPOSTED>20190306</DTPOSTED>\n"
                           "<TRNAMT>7.00</TRNAMT>\n<FITID>9</FITID>\n<CHKNUM>0042</CHKNUM>\n"
                           "<MEMO>DEPOSITO</MEMO>\n</STMTTRN>\n";  // closed leaves, as BB writes them
  const auto st = parse_ok(ofc("001", rows));
  REQUIRE(st.transactions.size() == 3);
  CHECK(st.transactions[0].amount == -500);
  CHECK(st.transactions[0].description == "TARIFA");
  CHECK(st.transactions[1].amount == -600);
  CHECK(st.transactions[1].description == "CH COMPENSADO");
  CHECK(st.transactions[2].amount == 700);
  CHECK(st.transactions[2].document == "0042");
  CHECK(st.transactions[2].posted == ymd(2019, 3, 6));
  CHECK(st.warnings.empty());
}

TEST_CASE("the sign of an OFC row is TRNAMT's, whatever TRNTYPE says") {
  const auto trntype = GENERATE(as<std::string>{}, "0", "1", "CREDIT", "DEBIT", "OTHER");
  INFO("TRNTYPE " << trntype);
  const auto st = parse_ok(ofc("0341", gentrn(trntype, "4200.00", "TED RECEBIDA") +
                                           gentrn(trntype, "-80.00", "PIX ENVIADO")));
  REQUIRE(st.transactions.size() == 2);
  CHECK(st.transactions[0].amount == 420000);
  CHECK(st.transactions[1].amount == -8000);
}

TEST_CASE("an OFC LEDGER with a doubled minus is negative, with a warning naming its line") {
  const auto st = parse_ok(ofc("00104", gentrn("DEBIT", "-5.00", "TARIFA"), "--10081.88"));
  CHECK(st.accounts[0].closing_balance == -1008188);
  REQUIRE(st.warnings.size() == 1);
  CHECK(st.warnings[0].line == 14);  // the <LEDGER> line
  CHECK(st.warnings[0].message.find("--10081.88") != std::string::npos);
  CHECK(st.warnings[0].message.find("LEDGER") != std::string::npos);
}

TEST_CASE("OFC SALDO rows are balances: opening, closing when there is no LEDGER, and warned") {
  const std::string rows = gentrn("0", "1000.00", "SALDO ANTERIOR", "000001") +
                           gentrn("1", "-5.00", "TARIFA", "000002") +
                           gentrn("1", "995.00", "SALDO PARCIAL", "000003") +
                           gentrn("1", "-15.00", "PIX ENVIADO", "000004") +
                           gentrn("1", "980.00", "SALDO FINAL", "000005");
  SECTION("without LEDGER the last SALDO row closes") {
    const auto st = parse_ok(ofc("0341", rows, ""));
    REQUIRE(st.transactions.size() == 2);
    CHECK(st.accounts[0].opening_balance == 100000);
    CHECK(st.accounts[0].closing_balance == 98000);
    REQUIRE(st.warnings.size() == 3);
    CHECK(st.warnings[0].message.find("SALDO ANTERIOR") != std::string::npos);
    CHECK(st.warnings[1].message.find("SALDO PARCIAL") != std::string::npos);
    CHECK(st.warnings[2].message.find("SALDO FINAL") != std::string::npos);
  }
  SECTION("LEDGER, when there is one, closes") {
    const auto st = parse_ok(ofc("0341", rows, "980.01"));
    CHECK(st.accounts[0].closing_balance == 98001);
  }
}

TEST_CASE("OFC text in Windows-1252 (CPAGE 1252) comes out as UTF-8") {
  const std::string file = ofc("001", gentrn("1", "-10.00", "Cobran\xE7" "a de I.O.F."));
  const auto st = parse_ok(file);
  REQUIRE(st.transactions.size() == 1);
  CHECK(st.transactions[0].description == "Cobrança de I.O.F.");
}

TEST_CASE("an ACCTFROM before STMTRS without ACCTSTMT still names the OFC's account") {
  const std::string file =
      "<OFC>\n<ACCTFROM>\n<BANKID>001\n<ACCTID>99999-9\n<ACCTTYPE>1\n</ACCTFROM>\n<STMTRS>\n" +
      gentrn("1", "-5.00", "TARIFA") + "</STMTRS>\n</OFC>\n";
  const auto st = parse_ok(file);
  REQUIRE(st.accounts.size() == 1);
  CHECK(st.accounts[0].number == "99999-9");
  CHECK(st.accounts[0].kind == account_kind::savings);
  CHECK(st.transactions.size() == 1);
}

TEST_CASE("a broken OFC fails with a named error") {
  SECTION("cut before </OFC>") {
    std::string file = ofc("001", gentrn("1", "-5.00", "TARIFA"));
    file.resize(file.find("<MEMO>"));
    auto st = parse(file, {.file_name = "extrato.ofc"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::ofx_truncated);
    CHECK(st.error().to_string().find("</OFC>") != std::string::npos);
  }
  SECTION("no account statement") {
    auto st = parse("<OFC>\n<DTD>2\n<CPAGE>1252\n</OFC>\n", {.format = "ofc"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::ofx_no_statement);
  }
  SECTION("forced on a file that is not OFC") {
    auto st = parse("Data;Valor\n01/01/2026;1,00\n", {.format = "ofc"});
    REQUIRE_FALSE(st);
    CHECK(st.error().code == errc::ofx_not_ofx);
    CHECK(st.error().to_string().find("<OFC>") != std::string::npos);
  }
}

// ---- Nubank's card OFX without FI or BANKID (FORMATS.md §3.6) ------------------------------

namespace {

std::string card_ofx(std::string_view fi, std::string_view acctid) {
  std::string s = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n";
  s += fi;
  s += "</SONRS>\n</SIGNONMSGSRSV1>\n<CREDITCARDMSGSRSV1>\n<CCSTMTTRNRS>\n<CCSTMTRS>\n";
  s += "<CURDEF>BRL</CURDEF>\n<CCACCTFROM>\n<ACCTID>";
  s += acctid;
  s += "</ACCTID>\n</CCACCTFROM>\n<BANKTRANLIST>\n";
  s += trn("-25.98", "Assinatura", "20260714000000[-3:BRT]", "6489a1f0-0d2c-4b1e-9a57-3c2f1e0b7d11");
  s += "</BANKTRANLIST>\n</CCSTMTRS>\n</CCSTMTTRNRS>\n</CREDITCARDMSGSRSV1>\n</OFX>\n";
  return s;
}

constexpr std::string_view uuid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

}  // namespace

TEST_CASE("a card OFX with no FI or BANKID and a UUID ACCTID is Nubank, less surely, with a warning") {
  const std::string inferred = card_ofx("", uuid);
  const std::string stated = card_ofx("<FI>\n<ORG>NU PAGAMENTOS S.A.</ORG>\n<FID>260</FID>\n</FI>\n", uuid);
  auto a = detect(inferred);
  auto b = detect(stated);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(a->front().bank != nullptr);
  CHECK(a->front().bank->id == "nubank");
  CHECK(a->front().confidence >= 0.5);
  CHECK(a->front().confidence < b->front().confidence);

  const auto st = parse_ok(inferred);
  CHECK(st.bank->id == "nubank");
  CHECK(st.confidence < 1.0);
  REQUIRE(st.warnings.size() == 1);
  CHECK(st.warnings[0].message.find("inferred") != std::string::npos);
  CHECK(parse_ok(stated).warnings.empty());

  SECTION("a bank the user names is taken as it is, without the warning") {
    const auto forced = parse_ok(inferred, {.bank = "nubank"});
    CHECK(forced.bank->id == "nubank");
    CHECK(forced.warnings.empty());
  }
}

TEST_CASE("Nubank is not inferred when the file names a bank or does not look like theirs") {
  SECTION("an ORG of another bank") {
    const auto st = parse_ok(card_ofx("<FI>\n<ORG>BANCO EXEMPLO S.A.</ORG>\n</FI>\n", uuid));
    CHECK(st.bank->id == "unknown");
    CHECK(st.warnings.empty());
  }
  SECTION("an ACCTID that is not a UUID") {
    const auto st = parse_ok(card_ofx("", "4111********1111"));
    CHECK(st.bank->id == "unknown");
  }
}
