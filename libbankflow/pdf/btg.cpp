// BTG Pactual card bills (FORMATS-PDF.md §2.5): `Pagamentos feitos pelo cliente` then `DD Mmm
// Pagamento de fatura  - R$ …`; per card `Lançamentos do cartão físico | Name | Final NNNN   Total do
// cartão: R$ …` then rows `DD Mmm  Merchant (n/N)  R$ 239,50` in two side-by-side columns (read the
// left column, then the right one). No year in the rows nor in the due date `Vencimento: 17/08`: the
// year is the bill's, `fatura de Agosto de 2025`. Total: `Total a pagar R$ …` = `Total da fatura
// anterior` − Σ rows (charges unsigned → negative, payments `- R$` → positive).

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <limits>

namespace bankflow::detail::pdf {

namespace {

/// A `DD Mmm` date at words i, i+1.
bool date_at(const line& l, std::size_t i) {
  return i + 1 < l.words.size() && day_of(l.words[i].text) != 0 && l.words[i + 1].text.size() == 3 &&
         month_of(l.words[i + 1].text) != 0;
}

class btg_reader final : public reader {
 public:
  using reader::reader;

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) note(fold(l.text()));
  }

  result<void> page(const pdf::page& p) override {
    std::vector<line> block;
    auto flush = [&]() -> bool {
      if (block.empty()) return true;
      // the right column starts at the second date of the two-column lines
      double split = std::numeric_limits<double>::infinity();
      for (const auto& l : block)
        for (std::size_t j = 3; j + 1 < l.words.size(); ++j)
          if (date_at(l, j) && money_word(l.words[j - 1].text)) {
            split = std::min(split, l.words[j].x0 - 1);
            break;
          }
      bool ok = true;
      if (split == std::numeric_limits<double>::infinity()) {
        for (const auto& l : block) ok = ok && row(p, l);
      } else {
        for (const auto& l : column(block, 0, split)) ok = ok && row(p, l);
        for (const auto& l : column(block, split, std::numeric_limits<double>::max())) ok = ok && row(p, l);
      }
      block.clear();
      return ok;
    };
    for (const auto& l : p.lines) {
      const std::string f = fold(l.text());
      if (f.starts_with("lancamentos do cartao")) {
        if (!flush()) return *failure;
        open_card(l, f);
        in_block_ = true;
        continue;
      }
      if (f.starts_with("taxas e encargos") || f.starts_with("glossario") ||
          f.starts_with("pagamentos feitos pelo cliente") || f.starts_with("total de compras e despesas") ||
          f.starts_with("resumo da fatura")) {
        if (!flush()) return *failure;
        in_block_ = false;
        continue;
      }
      if (in_block_) block.push_back(l);
      else if (!row(p, l)) return *failure;
    }
    if (!flush()) return *failure;
    return {};
  }

  result<void> finish() override {
    if (st.accounts.empty()) st.accounts.emplace_back().kind = account_kind::credit_card;
    if (due_ && bill_) {
      int year = static_cast<int>(bill_->year());
      const int bm = static_cast<int>(static_cast<unsigned>(bill_->month()));
      const int dm_ = static_cast<int>(due_->month);
      if (dm_ + 6 < bm) ++year;        // a December bill due in January
      else if (dm_ > bm + 6) --year;   // a January bill due in December (unlikely)
      const date d{std::chrono::year{year}, std::chrono::month{due_->month}, std::chrono::day{due_->day}};
      if (d.ok()) st.due_date = d;
    }
    for (std::size_t c = 0; c < card_totals_.size(); ++c)
      if (card_totals_[c])
        reconcile_card(st, c, card_totals_[c], c < card_sums_.size() ? -card_sums_[c] : 0,
                       "Total do cartão = −Σ the rows of the card's block");
    const std::int64_t computed = previous_.value_or(0) - sum_amounts(st);
    reconcile(st, total_ ? total_ : header_total_, computed,
              previous_ ? "bill total = Total da fatura anterior − Σ rows"
                        : "bill total = −Σ rows (no previous bill printed)");
    return {};
  }

 private:
  /// A dated line: a row (false: stop with `failure`).
  bool row(const pdf::page& p, const line& l) {
    if (!date_at(l, 0) || l.words.size() < 3) return true;
    auto amount = trailing_amount(l, 2, l.words.size());
    if (!amount || amount->first <= 2) return bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor");
    if (!bill_) return bad_row(p, l, errc::bad_date, "the bill's month (fatura de …) was not found", "data");
    const std::string description = l.text(2, amount->first);
    auto posted = date_on_bill(day_of(l.words[0].text), month_of(l.words[1].text), *bill_, installment_in(description));
    if (!posted) return bad_row(p, l, errc::bad_date, "\"" + l.text(0, 2) + "\" is not a date", "data");
    const std::size_t card = card_index();
    add(*posted, description, -amount->value, line_number(p, l), card);
    if (in_block_) {
      card_sums_.resize(st.accounts.size());
      card_sums_[card] += -amount->value;
    }
    return true;
  }

  std::size_t card_index() {
    if (!card_) {
      st.accounts.emplace_back().kind = account_kind::credit_card;
      card_totals_.resize(st.accounts.size());
      card_ = st.accounts.size() - 1;
    }
    return *card_;
  }

  void open_card(const line& l, const std::string& f) {
    // `Lançamentos do cartão físico | Name | Final 1234   Total do cartão: R$ …`
    std::string number, holder;
    const std::string text = l.text();
    std::vector<std::string> parts;
    for (std::size_t b = 0;;) {
      const std::size_t e = text.find('|', b);
      parts.emplace_back(trim(text.substr(b, e == std::string::npos ? std::string::npos : e - b)));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    if (parts.size() >= 3) holder = parts[1];
    for (std::size_t k = 0; k + 1 < l.words.size(); ++k)
      if (fold(l.words[k].text) == "final") {
        number = l.words[k + 1].text;
        break;
      }
    // the same card's block continued: keep its account
    for (std::size_t a = 0; a < st.accounts.size(); ++a)
      if (!number.empty() && st.accounts[a].number == number) {
        card_ = a;
        return;
      }
    // the first account may have been made for the payment rows, before any card
    if (card_ && st.accounts[*card_].number.empty()) {
      st.accounts[*card_].number = number;
      st.accounts[*card_].holder = holder;
    } else {
      account& a = st.accounts.emplace_back();
      a.kind = account_kind::credit_card;
      a.number = number;
      a.holder = holder;
      card_ = st.accounts.size() - 1;
    }
    card_totals_.resize(st.accounts.size());
    card_totals_[*card_] = amount_in(after(f, "total do cartao"));
  }

  void note(const std::string& f) {
    if (!bill_) {
      std::string_view v = after(f, "fatura de ");
      // `agosto de 2025 | cartao final 1234`
      const std::size_t sp = v.find(' ');
      if (sp != std::string_view::npos) {
        const unsigned month = month_of(v.substr(0, sp));
        std::string_view rest = trim(v.substr(sp));
        if (rest.starts_with("de ")) rest = trim(rest.substr(3));
        if (month && rest.size() >= 4 && rest.substr(0, 4).find_first_not_of("0123456789") == std::string_view::npos)
          bill_ = std::chrono::year_month{std::chrono::year{std::stoi(std::string(rest.substr(0, 4)))},
                                          std::chrono::month{month}};
      }
    }
    if (!due_) {
      std::string_view v = after(f, "vencimento:");
      if (!v.empty()) due_ = dm(v.substr(0, v.find(' ')));
    }
    if (!total_ && f.starts_with("total a pagar")) total_ = amount_in(f);
    if (!header_total_ && f.find("no valor a pagar de") != std::string::npos) header_total_ = amount_in(f);
    if (!previous_ && f.starts_with("total da fatura anterior")) previous_ = amount_in(f);
  }

  bool in_block_ = false;
  std::optional<std::size_t> card_;
  std::vector<std::optional<std::int64_t>> card_totals_;
  std::vector<std::int64_t> card_sums_;
  std::optional<std::chrono::year_month> bill_;
  std::optional<day_month> due_;
  std::optional<std::int64_t> total_, header_total_, previous_;
};

double probe(const head& h) {
  if (!h.has("btg pactual")) return 0;
  if (h.has("fatura do seu cartao btg pactual")) return 0.9;
  if (h.has("lancamentos do cartao") && h.has("total a pagar")) return 0.85;
  return 0;
}

}  // namespace

const pdf_layout btg_fatura_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<btg_reader>(o); }};

}  // namespace bankflow::detail::pdf
