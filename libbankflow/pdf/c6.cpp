// C6 Bank card bills (FORMATS-PDF.md §2.4): per card `C6 Carbon [Virtual] Final NNNN - NAME
// [Cartão Virtual]   Subtotal deste cartão R$ …` → `Valores em reais` → rows `DD mmm  DESCRIPTION
// 768,77`, unsigned, no year. Credits are known by their wording (`Pagamento Efetuado`, estornos).
// The row year comes from the closing date (`… fechamento desta fatura em 08/08/25.`); the due date
// `15 de Agosto` has no year. No previous bill is printed: the total (`Total a pagar R$ …`) is the
// sum of the card subtotals, i.e. −Σ rows other than the payments of the previous bill.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <array>

namespace bankflow::detail::pdf {

namespace {

using namespace std::string_view_literals;

constexpr std::array credit_words{"pagamento efetuado"sv, "pagamento recebido"sv, "pagamento de fatura"sv,
                                  "estorno"sv, "reembolso"sv, "credito de"sv, "cancelamento"sv};

class c6_reader final : public reader {
 public:
  using reader::reader;

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (std::size_t i = 0; i < p.lines.size(); ++i) note(p.lines, i);
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      const std::string f = fold(l.text());
      if (f.find("subtotal deste cartao") != std::string::npos) {
        open_card(l, f);
        continue;
      }
      if (!card_ || l.words.size() < 3) continue;
      const unsigned day = day_of(l.words[0].text);
      const unsigned month = day ? month_of(l.words[1].text) : 0;
      if (month == 0 || l.words[1].text.size() != 3) continue;
      auto amount = trailing_amount(l, 2, l.words.size());
      if (!amount || amount->first <= 2) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      const std::string description = l.text(2, amount->first);
      const std::string fd = fold(description);
      const bool credit = amount->value < 0 || starts_with_any(fd, credit_words);
      const std::int64_t magnitude = amount->value < 0 ? -amount->value : amount->value;
      const std::int64_t value = credit ? magnitude : -magnitude;
      if (!bill_) {
        if (!bad_row(p, l, errc::bad_date, "the bill's closing date was not found before its rows", "data"))
          return *failure;
        continue;
      }
      auto posted = date_on_bill(day, month, *bill_, installment_in(description));
      if (!posted) {
        if (!bad_row(p, l, errc::bad_date, "\"" + l.text(0, 2) + "\" is not a date", "data")) return *failure;
        continue;
      }
      add(*posted, description, value, line_number(p, l), *card_);
      if (!fd.starts_with("pagamento")) charges_[*card_] += value;
    }
    return {};
  }

  result<void> finish() override {
    if (st.accounts.empty()) st.accounts.emplace_back().kind = account_kind::credit_card;
    charges_.resize(st.accounts.size());  // a bill without a card line: its one account
    if (due_day_ && bill_) {
      // the due date is after the closing date: the closing year, or the next one
      int year = static_cast<int>(bill_->year());
      if (due_day_->month < static_cast<unsigned>(bill_->month())) ++year;
      const date d{std::chrono::year{year}, std::chrono::month{due_day_->month}, std::chrono::day{due_day_->day}};
      if (d.ok()) st.due_date = d;
    }
    if (!st.due_date && pix_due_) st.due_date = pix_due_;
    std::int64_t all = 0;
    for (std::size_t c = 0; c < st.accounts.size(); ++c) {
      all += charges_[c];
      if (c < subtotals_.size() && subtotals_[c])
        reconcile_card(st, c, subtotals_[c], -charges_[c],
                       "Subtotal deste cartão = −Σ the card's rows other than payments");
    }
    reconcile(st, total_, -all,
              "bill total = Σ card subtotals = −Σ rows other than the payment of the previous bill (no previous "
              "bill printed)");
    return {};
  }

 private:
  void open_card(const line& l, const std::string& f) {
    std::string number, holder;
    for (std::size_t k = 0; k + 1 < l.words.size(); ++k)
      if (fold(l.words[k].text) == "final") {
        number = l.words[k + 1].text;
        // `- NAME` up to the next wide gap
        std::size_t j = k + 2;
        if (j < l.words.size() && l.words[j].text == "-") {
          ++j;
          const double cw = l.words[j < l.words.size() ? j : k].char_width();
          for (std::size_t e = j; e < l.words.size(); ++e) {
            if (e > j && l.words[e].x0 - l.words[e - 1].x1 > 3 * cw) break;
            if (!holder.empty()) holder += ' ';
            holder += l.words[e].text;
          }
        }
        break;
      }
    account& a = st.accounts.emplace_back();
    a.kind = account_kind::credit_card;
    a.number = number;
    a.holder = holder;
    card_ = st.accounts.size() - 1;
    charges_.resize(st.accounts.size());
    subtotals_.resize(st.accounts.size());
    subtotals_[*card_] = amount_in(after(f, "subtotal deste cartao"));
  }

  void note(const std::vector<line>& lines, std::size_t i) {
    const std::string f = fold(lines[i].text());
    if (!bill_) {
      std::string_view v = after(f, "fechamento desta fatura em");
      if (!v.empty()) {
        std::string w(v.substr(0, v.find(' ')));
        while (!w.empty() && (w.back() == '.' || w.back() == ',')) w.pop_back();
        if (auto d = dmy(w)) bill_ = std::chrono::year_month{d->year(), d->month()};
      }
    }
    if (!due_day_) {
      std::string_view v = after(f, "data do vencimento:");
      if (!v.empty()) {
        std::size_t b = 0;
        std::vector<std::string_view> w;
        while (b < v.size()) {
          std::size_t e = v.find(' ', b);
          if (e == std::string_view::npos) e = v.size();
          w.push_back(v.substr(b, e - b));
          b = e + 1;
        }
        if (w.size() >= 3 && day_of(w[0]) && w[1] == "de" && month_of(w[2]))
          due_day_ = day_month{day_of(w[0]), month_of(w[2])};
      }
    }
    if (!pix_due_) {
      // the Pix box: `Vencimento:` with its date a line or two below
      const line& l = lines[i];
      for (std::size_t k = 0; k < l.words.size(); ++k)
        if (fold(l.words[k].text) == "vencimento:" && k + 1 == l.words.size()) {
          for (std::size_t n = i + 1; n < lines.size() && n <= i + 4 && !pix_due_; ++n)
            for (const auto& w : lines[n].words)
              if (w.x1 >= l.words[k].x0 && w.x0 <= l.words[k].x1)
                if (auto d = dmy(w.text)) {
                  pix_due_ = d;
                  break;
                }
        }
    }
    if (!total_ && f.starts_with("total a pagar")) total_ = amount_in(f);
  }

  std::optional<std::size_t> card_;
  std::vector<std::int64_t> charges_;
  std::vector<std::optional<std::int64_t>> subtotals_;
  std::optional<std::chrono::year_month> bill_;
  std::optional<day_month> due_day_;
  std::optional<date> pix_due_;
  std::optional<std::int64_t> total_;
};

double probe(const head& h) {
  if (!h.has("fechamento desta fatura")) return 0;
  if (!(h.has("c6 bank") || h.has("cartao c6") || h.has("c6 carbon") || h.has("subtotal deste cartao"))) return 0;
  return h.has("total a pagar") ? 0.9 : 0.6;
}

}  // namespace

const pdf_layout c6_fatura_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<c6_reader>(o); }};

}  // namespace bankflow::detail::pdf
