// PDF statements: the shared layout helpers on words (no poppler), and every generated corpus
// PDF against the facts its generator wrote (tests/corpus/make_pdfs.py, NAME.facts.json): the
// rows, the due date and the reconciliation the document was built with.

#include "detect/registry.hpp"
#include "pdf/layout.hpp"

#include <bankflow/bankflow.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

using namespace bankflow;
using namespace bankflow::detail::pdf;
namespace fs = std::filesystem;

namespace {

// A line of words at x positions 10 apart per character, one blank between words.
line words(std::initializer_list<std::string_view> texts) {
  line l;
  double x = 0;
  for (auto t : texts) {
    word w;
    w.text = std::string(t);
    w.x0 = x;
    w.x1 = x + 10.0 * static_cast<double>(t.size());
    w.top = 0;
    w.bottom = 10;
    x = w.x1 + 10;
    l.words.push_back(std::move(w));
  }
  l.top = 0;
  l.bottom = 10;
  return l;
}

std::int64_t amount_of(std::initializer_list<std::string_view> texts, bool letter_spaced = false) {
  const line l = words(texts);
  auto a = trailing_amount(l, letter_spaced);
  REQUIRE(a);
  return a->value;
}

std::string compact(std::string_view s) {
  std::string out;
  for (const char c : fold(s))
    if (c != ' ') out += c;
  return out;
}

}  // namespace

TEST_CASE("a PDF amount is read in every sign shape the banks print") {
  CHECK(amount_of({"Loja", "1.234,56"}) == 123456);
  CHECK(amount_of({"Loja", "-1.610,00"}) == -161000);
  CHECK(amount_of({"Loja", "-", "71.543,24"}) == -7154324);
  CHECK(amount_of({"Loja", "-", "R$", "1.601,34"}) == -160134);
  CHECK(amount_of({"Pagamento", "\u2212R$", "2.362,91"}) == -236291);
  CHECK(amount_of({"Pagamentos", "-R$", "808,06"}) == -80806);
  CHECK(amount_of({"PAGAMENTO", "+", "R$", "1.701,24"}) == 170124);
  CHECK(amount_of({"Sispag", "145.000,00-"}) == -14500000);
  CHECK(amount_of({"Recebimento", "189,99", "C"}) == 18999);
  CHECK(amount_of({"TED", "25.708,82", "D"}) == -2570882);
  CHECK(amount_of({"Anuidade:", "R$98,00"}) == 9800);
  CHECK(amount_of({"Rendimento", "Bruto", "(2.150,15)"}) == -215015);
  CHECK(amount_of({"TOTAL", "R$", "10.858,", "22"}, true) == 1085822);
  CHECK(amount_of({"MINIMO", "R", "$", "1", ".6", "2", "8", ",", "7", "3"}, true) == 162873);
  // the sign glued to a split currency: a credit (Unicred's "Pagamento Recebido")
  CHECK(amount_of({"Recebido", "-R", "$", "3.", "5", "73", ",65"}, true) == -357365);
  CHECK(amount_of({"Recebido", "−R", "$", "3.", "5", "73", ",65"}, true) == -357365);
  // two amounts side by side stay two amounts (the last is taken)
  CHECK(amount_of({"DEP", "1.764,00", "102.278,07"}, true) == 10227807);
  // what is not money
  CHECK_FALSE(trailing_amount(words({"Parcela", "4/10"})));
  CHECK_FALSE(trailing_amount(words({"Valor", "10858.22"})));
  CHECK_FALSE(trailing_amount(words({"1.23,45"})));
  CHECK_FALSE(trailing_amount(words({"Juros", "9,99", "%"})));
}

TEST_CASE("PDF dates: months by name, day/month, the bill's year for dates without one") {
  CHECK(month_of("FEV") == 2);
  CHECK(month_of("ago.") == 8);
  CHECK(month_of("março") == 3);
  CHECK(month_of("m ai") == 5);
  CHECK(month_of("xyz") == 0);
  CHECK(dmy("10/10/2024") == date{std::chrono::year{2024}, std::chrono::October, std::chrono::day{10}});
  CHECK_FALSE(dmy("31/02/2024"));
  CHECK(dm("28/05")->month == 5);
  CHECK_FALSE(dm("28/13"));
  using std::chrono::year, std::chrono::month;
  const std::chrono::year_month oct24{year{2024}, month{10}};
  // the bill's year; a later month is the year before
  CHECK(date_on_bill(28, 5, oct24) == date{year{2024}, month{5}, std::chrono::day{28}});
  CHECK(date_on_bill(12, 11, oct24) == date{year{2023}, month{11}, std::chrono::day{12}});
  // an installment far into its series cannot be from the bill's own month of this year
  CHECK(date_on_bill(5, 10, oct24, {15, 21}) == date{year{2023}, month{10}, std::chrono::day{5}});
  CHECK(date_on_bill(28, 5, oct24, {5, 6}) == date{year{2024}, month{5}, std::chrono::day{28}});
  CHECK_FALSE(date_on_bill(30, 2, oct24));
  CHECK(date_in_words("09 mai 2025") == date{year{2025}, month{5}, std::chrono::day{9}});
  CHECK(date_in_words("15 de agosto de 2025") == date{year{2025}, month{8}, std::chrono::day{15}});
}

TEST_CASE("installments are found in the shapes the bills print, and PIX dates are not installments") {
  CHECK(installment_in("Zp *Sympla 12abc - 1/2").n == 1);
  CHECK(installment_in("Porto Seguro - Parcela 4/10").of == 10);
  CHECK(installment_in("Loja De Roupas (2/2)").n == 2);
  CHECK(installment_in("FARMACIA SAO JOAO 05/06").n == 5);
  CHECK(installment_in("LOJA X02/10").n == 2);
  CHECK(installment_in("PIX CRED PARCELADO (Parcela 02 de 02)").of == 2);
  CHECK(installment_in("A KA D S E G URO S Parc. 7 /1 2").of == 12);
  CHECK(installment_in("PIX TRANSF FULANO 01/04 X").n == 0);
  CHECK(installment_in("Padaria").n == 0);
}

TEST_CASE("words become lines by their vertical middle, left to right, and columns split by x") {
  std::vector<word> ws;
  auto put = [&](std::string t, double x, double top) { ws.push_back({std::move(t), x, x + 20, top, top + 10}); };
  put("valor", 300, 100.5);
  put("28/05", 10, 100);
  put("LOJA", 60, 101);
  put("right", 400, 100);
  put("next", 10, 115);
  const auto lines = build_lines(ws);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text() == "28/05 LOJA valor right");
  CHECK(lines[1].text() == "next");
  const auto left = column(lines, 0, 350);
  REQUIRE(left.size() == 2);
  CHECK(left[0].text() == "28/05 LOJA valor");
  // nothing that is not finite or empty survives
  ws.push_back({"", 1, 2, 3, 4});
  ws.push_back({"nan", std::nan(""), 2, 3, 4});
  CHECK(build_lines(ws).size() == 2);
}

namespace {

// What the layouts share, opened for the test.
class probe_reader final : public reader {
 public:
  probe_reader() : reader({"t.pdf", false}) {}
  result<void> page(const bankflow::detail::pdf::page&) override { return {}; }
  result<void> finish() override { return {}; }
  using reader::card_by_last_digits;
  using reader::line_number;
};

}  // namespace

TEST_CASE("PDF readers share card accounts by their last digits, and number rebuilt column lines") {
  probe_reader r;
  const std::size_t a = r.card_by_last_digits("CARTAO 2306****1234");
  CHECK(r.st.accounts[a].number == "1234");
  CHECK(r.st.accounts[a].kind == account_kind::credit_card);
  CHECK(r.card_by_last_digits("lancamentos visa 1 2 3 4") == a);  // letter-spaced digits
  CHECK(r.card_by_last_digits("Final 5678") != a);
  CHECK(r.st.accounts.size() == 2);

  bankflow::detail::pdf::page p;
  p.number = 1;
  std::vector<word> ws{{"28/05", 10, 40, 100, 110}, {"LOJA", 50, 80, 100, 110}, {"16/06", 400, 430, 100, 110},
                       {"next", 10, 40, 120, 130}};
  p.lines = build_lines(ws);
  REQUIRE(p.lines.size() == 2);
  CHECK(r.line_number(p, p.lines[1]) == 2);
  // a line of the right column, rebuilt: numbered as the page line at its height
  const auto right = column(p.lines, 300, 1000);
  REQUIRE(right.size() == 1);
  CHECK(r.line_number(p, right[0]) == 1);
}

TEST_CASE("every PDF layout's reader finishes a document it found no rows or cards in") {
  // the fuzzer's first input: nothing at all (c6 indexed its per-card sums out of bounds)
  head empty;
  empty.pages.emplace_back().number = 1;
  for (const auto& f : bankflow::detail::format_table()) {
    if (f.pdf == nullptr) continue;
    INFO("layout " << f.info.id);
    for (const bool skip : {false, true}) {
      auto r = f.pdf->make({"empty.pdf", skip});
      r->begin(empty);
      CHECK(r->page(empty.pages[0]));
      r->page_done(empty.pages[0]);
      (void)r->finish();
      CHECK(r->st.transactions.empty());
    }
  }
}

TEST_CASE("every generated corpus PDF reads as the facts it was generated from") {
  std::size_t checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(BANKFLOW_CORPUS_DIR)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with(".facts.json")) continue;
    const fs::path pdf = e.path().parent_path() / (name.substr(0, name.size() - 11) + ".pdf");
    const std::string rel = fs::relative(pdf, BANKFLOW_CORPUS_DIR).string();
    INFO("corpus PDF: " << rel);
    auto facts_text = read_file(e.path());
    REQUIRE(facts_text);
    const auto facts = boost::json::parse(*facts_text).as_object();
    parse_options o;
    o.file_name = rel;
    std::string password;
    if (const auto* p = facts.if_contains("password")) password = std::string(p->as_string());
    o.password = password;
    auto st = parse_file(pdf, o);
    ++checked;
    if (const auto* err = facts.if_contains("error")) {
      REQUIRE_FALSE(st);
      CHECK(to_string(st.error().code) == std::string_view(err->as_string()));
      CHECK(st.error().to_string().find(rel) != std::string::npos);
      continue;
    }
    if (!st) FAIL(st.error().to_string());
    CHECK(st->format == std::string_view(facts.at("format").as_string()));
    CHECK(st->bank->id == std::string_view(facts.at("bank").as_string()));
    if (!password.empty()) {
      // without the password the file is refused, and says why
      auto locked = parse_file(pdf, {.file_name = rel});
      REQUIRE_FALSE(locked);
      CHECK(locked.error().code == errc::encrypted);
      CHECK(locked.error().message.find("--password") != std::string::npos);
      // a wrong one is refused as wrong (poppler's unlock() once let a locked document through)
      auto wrong = parse_file(pdf, {.file_name = rel, .password = "not-the-password"});
      REQUIRE_FALSE(wrong);
      CHECK(wrong.error().code == errc::encrypted);
      CHECK(wrong.error().message.find("wrong") != std::string::npos);
    }
    if (const auto* due = facts.if_contains("due_date"); due && due->is_string()) {
      REQUIRE(st->due_date);
      CHECK(format_date(*st->due_date) == std::string_view(due->as_string()));
    }
    const auto& rows = facts.at("transactions").as_array();
    CHECK(st->transactions.size() == rows.size());
    for (std::size_t i = 0; i < std::min(rows.size(), st->transactions.size()); ++i) {
      const auto& want = rows[i].as_object();
      const auto& got = st->transactions[i];
      INFO("row " << i + 1 << ": " << got.description);
      CHECK(format_date(got.posted) == std::string_view(want.at("date").as_string()));
      CHECK(format_amount(got.amount) == std::string_view(want.at("amount").as_string()));
      CHECK(compact(got.description) == compact(want.at("description").as_string()));
      if (const auto* b = want.if_contains("balance"); b && b->is_string()) {
        REQUIRE(got.balance);
        CHECK(format_amount(*got.balance) == std::string_view(b->as_string()));
      }
    }
    if (const auto* rec = facts.if_contains("reconciliation"); rec && rec->is_object()) {
      REQUIRE(st->reconciliation);
      const auto& r = rec->as_object();
      const auto& c = st->reconciliation->total;
      CHECK(to_string(c.status) == std::string_view(r.at("status").as_string()));
      if (const auto* printed = r.if_contains("printed"); printed && printed->is_string()) {
        REQUIRE(c.printed);
        CHECK(format_amount(*c.printed) == std::string_view(printed->as_string()));
      }
      if (const auto* computed = r.if_contains("computed"); computed && computed->is_string())
        CHECK(format_amount(c.computed) == std::string_view(computed->as_string()));
    }
  }
  CHECK(checked >= 2);
}

namespace {

// One page of one column (nothing right of the page's middle), a line per list of words.
bankflow::detail::pdf::page one_column(std::initializer_list<std::initializer_list<std::string_view>> texts) {
  bankflow::detail::pdf::page p;
  p.number = 1;
  p.width = 10000;
  double top = 0;
  for (const auto& t : texts) {
    line l = words(t);
    for (auto& w : l.words) {
      w.top = top;
      w.bottom = top + 10;
    }
    l.top = top;
    l.bottom = top + 10;
    top += 12;
    p.lines.push_back(std::move(l));
  }
  return p;
}

const transaction& row_named(const statement& st, std::string_view description) {
  const auto it = std::find_if(st.transactions.begin(), st.transactions.end(),
                               [&](const transaction& t) { return t.description == description; });
  REQUIRE(it != st.transactions.end());
  return *it;
}

}  // namespace

TEST_CASE("a bill's currency code is three capitals, and its foreign amount is signed like the row") {
  CHECK(currency_code("USD"));
  CHECK(currency_code("EUR"));
  for (std::string_view no : {"usd", "US$", "USDT", "R$", "US", "U5D"}) CHECK_FALSE(currency_code(no));
  statement st;
  st.transactions.resize(2);
  st.transactions[0].amount = -5754;  // a purchase
  st.transactions[1].amount = 1000;   // a refund
  std::string code = "USD";
  keep_foreign(st, st.transactions[0], code, 999);
  keep_foreign(st, st.transactions[1], code, -500);
  code = "XXX";  // the statement keeps its own copy
  CHECK(st.foreign_of(st.transactions[0])->currency == "USD");
  CHECK(st.foreign_of(st.transactions[0])->amount == -999);
  CHECK(st.foreign_of(st.transactions[1])->amount == 500);
}

TEST_CASE("an Itaú bill keeps an international row's foreign amount from the detail line right under it") {
  const auto p = one_column({
      {"Emissão:", "03/10/2024"},
      {"Lançamentos", "internacionais"},
      {"21/09", "OPENAI", "115,20"},
      {"SAN", "FRANCISCO", "20,00", "USD", "20,00"},
      {"SECOND", "99,00", "USD", "99,00"},  // under a detail line, not under a row
      {"22/09", "HOTEL", "PARIS", "60,00"},
      {"PARIS", "10,00", "EUR", "10,80"},
      {"23/09", "LOJA", "X", "30,00"},
      {"LONDON", "abc", "GBP", "5,00"},  // unreadable: nothing is invented
      {"24/09", "LOJA", "Y", "40,00"},
      {"BERLIN"},
      {"BERLIN", "7,00", "EUR", "7,50"},  // not the line right under the row
      {"Dólar", "de", "Conversão", "R$", "5,76"},
      {"Repasse", "de", "IOF", "em", "R$", "2,53"},
  });
  auto r = itau_fatura_pdf.make({"t.pdf", false});
  r->begin(head{});
  REQUIRE(r->page(p));
  r->page_done(p);
  REQUIRE(r->finish());
  const statement& st = r->st;
  REQUIRE(st.transactions.size() == 5);
  const foreign_amount* usd = st.foreign_of(row_named(st, "OPENAI"));
  REQUIRE(usd);
  CHECK(usd->currency == "USD");
  CHECK(usd->amount == -2000);  // signed like the row: a purchase
  CHECK(usd->rate == "5,76");
  const foreign_amount* eur = st.foreign_of(row_named(st, "HOTEL PARIS"));
  REQUIRE(eur);
  CHECK(eur->currency == "EUR");
  CHECK(eur->amount == -1000);
  CHECK(eur->rate.empty());  // the printed rate is the dollar's
  CHECK_FALSE(st.foreign_of(row_named(st, "LOJA X")));
  CHECK_FALSE(st.foreign_of(row_named(st, "LOJA Y")));
  CHECK_FALSE(st.foreign_of(row_named(st, "Repasse de IOF em R$")));
  CHECK(st.foreign_amounts.size() == 2);
}

TEST_CASE("the generated Itaú bill PDFs' international rows carry their US$ amount and the dollar's rate") {
  struct want {
    std::string_view file, description;
    std::int64_t amount;
    std::string_view rate;
  };
  for (const want& w : {want{"itau-fatura-pdf-2024-10-duas-colunas.pdf", "OPENAI *CHATGPT SUBSCR", -2000, "5.76"},
                        want{"itau-fatura-pdf-2024-10-duas-colunas.pdf", "SPRED", -999, "5.76"},
                        want{"itau-fatura-pdf-2025-08-pdfium.pdf", "STEAM GAMES", -1499, "5.58"}}) {
    INFO(w.file << ": " << w.description);
    auto st = parse_file(fs::path(BANKFLOW_CORPUS_DIR) / "itau" / w.file, {.file_name = w.file});
    if (!st) FAIL(st.error().to_string());
    const foreign_amount* f = st->foreign_of(row_named(*st, w.description));
    REQUIRE(f);
    CHECK(f->currency == "USD");
    CHECK(f->amount == w.amount);
    CHECK(f->rate == w.rate);
    CHECK_FALSE(f->iof_of);
    // a national purchase has none, nor has the IOF of all the purchases
    CHECK_FALSE(st->foreign_of(st->transactions.front()));
    CHECK_FALSE(st->foreign_of(row_named(*st, "Repasse de IOF em R$")));
  }
}
