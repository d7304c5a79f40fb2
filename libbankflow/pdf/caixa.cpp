// Caixa Econômica Federal extrato PJ (FORMATS-PDF.md §2.8), `Extrato Histórico da Conta`:
// rows `DD/MM/YYYY  DD/MM HH:MM  Nr.Doc.  Histórico  valor C|D  saldo C|D`; `SALDO ANTERIOR`
// (no date) is the opening balance; the closing balance is the last row's saldo. Detail lines
// (`CNPJ NAME`) and the `Consulta realizada …  Página N de M` footer are not rows.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <cctype>

namespace bankflow::detail::pdf {

namespace {

bool is_time(std::string_view w) {
  return w.size() == 5 && w[2] == ':' && std::isdigit(static_cast<unsigned char>(w[0])) &&
         std::isdigit(static_cast<unsigned char>(w[1])) && std::isdigit(static_cast<unsigned char>(w[3])) &&
         std::isdigit(static_cast<unsigned char>(w[4]));
}

bool all_digits(std::string_view w) {
  if (w.empty()) return false;
  for (const char c : w)
    if (c < '0' || c > '9') return false;
  return true;
}

class caixa_reader final : public reader {
 public:
  explicit caixa_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    // the account: the first word of the line under `Conta  Nome do produto …`
    for (const auto& p : h.pages)
      for (std::size_t i = 0; i + 1 < p.lines.size(); ++i) {
        const std::string f = fold(p.lines[i].text());
        if (f.starts_with("conta") && f.find("nome do produto") != std::string::npos && !p.lines[i + 1].empty()) {
          st.accounts[0].number = p.lines[i + 1].words.front().text;
          return;
        }
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      if (l.words.empty()) continue;
      const std::string f = fold(l.text());
      if (f.starts_with("saldo anterior")) {
        if (auto a = trailing_amount(l)) {
          if (!opening_) opening_ = a->value;
        }
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      const auto posted = dmy(l.words[0].text);
      // a row has the second date `DD/MM HH:MM` (the period line `01/10/2025 - 31/10/2025` has not)
      if (!posted || l.words.size() < 3 || !dm(l.words[1].text)) continue;
      std::size_t first = 2;
      if (first < l.words.size() && is_time(l.words[first].text)) ++first;
      std::string_view doc;
      if (first < l.words.size() && all_digits(l.words[first].text)) doc = l.words[first++].text;
      auto last = trailing_amount(l, first, l.words.size());
      if (!last || last->first <= first) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      std::optional<std::int64_t> saldo;
      auto value = last;
      if (auto before = trailing_amount(l, first, last->first); before && before->first > first) {
        value = before;
        saldo = last->value;
      }
      if (!value->sign_printed) {
        if (!bad_row(p, l, errc::bad_amount, "an amount without C or D", "valor")) return *failure;
        continue;
      }
      transaction& t = add(*posted, l.text(first, value->first), value->value, line_number(p, l));
      if (!doc.empty()) t.document = st.keep(doc);
      if (saldo) {
        t.balance = saldo;
        closing_ = saldo;
      }
    }
    return {};
  }

  result<void> finish() override {
    st.accounts[0].opening_balance = opening_;
    st.accounts[0].closing_balance = closing_;
    if (!st.transactions.empty() && closing_) st.accounts[0].closing_balance_date = st.transactions.back().posted;
    reconcile_balances(st, opening_, closing_);
    return {};
  }

 private:
  std::optional<std::int64_t> opening_, closing_;
};

double probe(const head& h) {
  if (!h.has("extrato historico da conta")) return 0;
  if (h.has("data mov.") && h.has("nr.doc.")) return 0.92;
  return 0.5;
}

}  // namespace

const pdf_layout caixa_extrato_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<caixa_reader>(o); }};

}  // namespace bankflow::detail::pdf
