// The normalized CSV and JSON: field names, amounts as strings, Excel pt-BR style, formula guard.

#include <bankflow/bankflow.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace bankflow;

namespace {

statement sample() {
  statement st;
  st.bank = find_bank("itau");
  st.format = "ofx";
  st.confidence = 0.98;
  account a;
  a.branch = "1234";
  a.number = "56789-0";
  a.kind = account_kind::checking;
  a.opening_balance = 193356;
  a.closing_balance = 93664;
  st.accounts.push_back(a);
  transaction t;
  t.posted = std::chrono::year{2025} / 4 / 1;
  t.description = "PIX TRANSF FULANO 01/04";
  t.amount = -99692;
  t.fitid = "20250401001";
  st.transactions.push_back(t);
  t.description = "=HYPERLINK(\"http://x\";\"clique\")";
  t.amount = 5;
  t.balance = -123456;
  t.document = "+55";
  t.fitid = "@id";
  st.transactions.push_back(t);
  t.description = "Loja \"Centro\", SP; filial";
  t.amount = 100000;
  t.balance.reset();
  t.document = "";
  t.fitid = "-1";
  st.transactions.push_back(t);
  st.warnings.push_back({17, "balance row \"SALDO DIA\" is not a transaction"});
  compute_period(st);
  compute_dedupe_keys(st);
  return st;
}

}  // namespace

TEST_CASE("JSON has the ARCHITECTURE.md fields with amounts as decimal strings") {
  const auto st = sample();
  const auto doc = boost::json::parse(to_json(st)).as_object();
  CHECK(doc.at("bank").at("id") == "itau");
  CHECK(doc.at("bank").at("name") == "Itaú Unibanco");
  CHECK(doc.at("bank").at("compe") == "341");
  CHECK(doc.at("format") == "ofx");
  CHECK(doc.at("confidence").as_double() == Approx(0.98));
  CHECK(doc.at("account").at("branch") == "1234");
  CHECK(doc.at("account").at("number") == "56789-0");
  CHECK(doc.at("account").at("kind") == "checking");
  CHECK(doc.at("currency") == "BRL");
  CHECK(doc.at("period").at("start") == "2025-04-01");
  CHECK(doc.at("period").at("end") == "2025-04-01");
  CHECK(doc.at("opening_balance") == "1933.56");
  CHECK(doc.at("closing_balance") == "936.64");
  CHECK_FALSE(doc.contains("accounts"));
  const auto& trs = doc.at("transactions").as_array();
  REQUIRE(trs.size() == 3);
  const auto& t0 = trs[0].as_object();
  CHECK(t0.size() == 7);
  CHECK(t0.at("date") == "2025-04-01");
  CHECK(t0.at("description") == "PIX TRANSF FULANO 01/04");
  CHECK(t0.at("amount") == "-996.92");
  CHECK(t0.at("balance").is_null());
  CHECK(t0.at("document") == "");
  CHECK(t0.at("fitid") == "20250401001");
  CHECK(t0.at("dedupe_key").as_string().size() == 16);
  CHECK(trs[1].at("amount") == "0.05");
  CHECK(trs[1].at("balance") == "-1234.56");
  CHECK(trs[2].at("description") == "Loja \"Centro\", SP; filial");
  const auto& w = doc.at("warnings").as_array();
  REQUIRE(w.size() == 1);
  CHECK(w[0].at("line") == 17);
}

TEST_CASE("JSON of a file with several accounts names each transaction's account") {
  auto st = sample();
  account card;
  card.number = "1141";
  card.kind = account_kind::credit_card;
  card.closing_balance = -500;
  st.accounts.push_back(card);
  st.transactions[1].account_index = 1;
  const auto doc = boost::json::parse(to_json(st)).as_object();
  const auto& accounts = doc.at("accounts").as_array();
  REQUIRE(accounts.size() == 2);
  CHECK(accounts[1].at("number") == "1141");
  CHECK(accounts[1].at("kind") == "credit_card");
  CHECK(accounts[1].at("closing_balance") == "-5.00");
  CHECK(doc.at("transactions").as_array()[1].at("account") == "1141");
  CHECK(doc.at("transactions").as_array()[0].at("account") == "56789-0");
}

TEST_CASE("CSV has the normalized header, RFC 4180 quoting and neutralized formulas") {
  const std::string csv = to_csv(sample());
  const std::string expected =
      "date,description,amount,balance,document,fitid,bank,account,kind,kind_source,counterparty_name,"
      "counterparty_document,counterparty_bank,installment_number,installment_count,foreign_currency,"
      "foreign_amount,foreign_rate,merchant,category\n"
      // a statement enrich() has not seen: the enrichment columns are there, and empty
      "2025-04-01,PIX TRANSF FULANO 01/04,-996.92,,,20250401001,itau,56789-0,,,,,,,,,,,,\n"
      "2025-04-01,\"'=HYPERLINK(\"\"http://x\"\";\"\"clique\"\")\",0.05,-1234.56,'+55,'@id,itau,56789-0,,,,,,,,,,,,\n"
      "2025-04-01,\"Loja \"\"Centro\"\", SP; filial\",1000.00,,,'-1,itau,56789-0,,,,,,,,,,,,\n";
  CHECK(csv == expected);
}

TEST_CASE("Excel pt-BR CSV: BOM, semicolons, decimal comma, dd/mm/yyyy, CRLF") {
  const std::string csv = to_csv(sample(), csv_style::excel_br);
  const std::string expected =
      "\xEF\xBB\xBF"
      "date;description;amount;balance;document;fitid;bank;account;kind;kind_source;counterparty_name;"
      "counterparty_document;counterparty_bank;installment_number;installment_count;foreign_currency;"
      "foreign_amount;foreign_rate;merchant;category\r\n"
      "01/04/2025;PIX TRANSF FULANO 01/04;-996,92;;;20250401001;itau;56789-0;;;;;;;;;;;;\r\n"
      "01/04/2025;\"'=HYPERLINK(\"\"http://x\"\";\"\"clique\"\")\";0,05;-1234,56;'+55;'@id;itau;56789-0;;;;;;;;;;;;\r\n"
      "01/04/2025;\"Loja \"\"Centro\"\", SP; filial\";1000,00;;;'-1;itau;56789-0;;;;;;;;;;;;\r\n";
  CHECK(csv == expected);
}

TEST_CASE("detection JSON and the bank list are valid JSON built from the library's tables") {
  std::vector<candidate> cs(2);
  cs[0].format = "ofx";
  cs[0].bank = find_bank("bb");
  cs[0].confidence = 1.0;
  cs[1].format = "bb-ourocard-txt";
  cs[1].confidence = 0.25;
  const auto d = boost::json::parse(to_json(cs)).as_object();
  CHECK(d.at("bank") == "bb");
  CHECK(d.at("format") == "ofx");
  CHECK(d.at("confidence").as_double() == Approx(1.0));
  CHECK(d.at("candidates").as_array().size() == 2);
  CHECK(d.at("candidates").as_array()[1].at("bank").is_null());

  const auto banks = boost::json::parse(banks_to_json()).as_array();
  CHECK(banks.size() == known_banks().size());
  bool bb_has_ourocard = false;
  for (const auto& b : banks)
    if (b.at("id") == "bb")
      for (const auto& f : b.at("formats").as_array()) bb_has_ourocard |= f == "bb-ourocard-txt";
  CHECK(bb_has_ourocard);
}

TEST_CASE("enriched rows fill the enrichment columns and JSON keys") {
  statement st = sample();
  enrich(st);
  const std::string csv = to_csv(st);
  CHECK(csv.find("2025-04-01,PIX TRANSF FULANO 01/04,-996.92,,,20250401001,itau,56789-0,pix,rule,FULANO,,,,,,,,,"
                 "Transferências\n") != std::string::npos);
  const auto doc = boost::json::parse(to_json(st)).as_object();
  const auto& t = doc.at("transactions").as_array()[0].as_object();
  CHECK(t.at("kind") == "pix");
  CHECK(t.at("counterparty").as_object().at("name") == "FULANO");
  CHECK(t.at("installment").is_null());
  CHECK(t.at("merchant").is_null());
  CHECK(t.at("category") == "Transferências");
}
