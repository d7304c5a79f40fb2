// Banco Inter card bills (FORMATS-PDF.md §2.3), 2025 and 2023 layouts: per card `CARTÃO
// 2306****NNNN` → header `Data | Movimentação | Beneficiário | Valor` (2023: `DATA | MOVIMENTAÇÃO |
// VALOR`) → rows `26 de ago. 2025  DESCRIPTION  [Beneficiário]  R$ 60,00` (2023: `28 abr 2023`),
// credits `+ R$ 1.701,24`. Dates carry their year.
//
// Bill total: 2025 prints no previous bill and its total is the month's charges (the payment of
// the previous bill is a credit row that is in no printed figure): total = −Σ charge rows −
// Valor antecipado. 2023: total = Valor da fatura anterior − Σ rows + Valor antecipado (printed `+`).

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail::pdf {

namespace {

/// The first word below the words [first, last) of lines[i] (within the next few lines) whose x range
/// overlaps theirs and that `accept` takes: a value printed under its label.
template <class F>
auto value_below(const std::vector<line>& lines, std::size_t i, std::size_t first, std::size_t last, F accept)
    -> decltype(accept(std::declval<const line&>(), std::size_t{})) {
  const double x0 = lines[i].words[first].x0, x1 = lines[i].words[last - 1].x1;
  for (std::size_t k = i + 1; k < lines.size() && k <= i + 4; ++k) {
    const line& l = lines[k];
    for (std::size_t w = 0; w < l.words.size(); ++w) {
      if (l.words[w].x1 < x0 || l.words[w].x0 > x1) continue;
      if (auto v = accept(l, w)) return v;
    }
  }
  return {};
}

/// The index of a label's first word in a line (folded words compared), or npos.
std::size_t find_label(const line& l, std::initializer_list<std::string_view> label) {
  const std::size_t n = label.size();
  for (std::size_t i = 0; i + n <= l.words.size(); ++i) {
    std::size_t k = 0;
    for (auto w : label) {
      if (fold(l.words[i + k].text) != w) break;
      ++k;
    }
    if (k == n) return i;
  }
  return std::string::npos;
}

/// A row date at the start of a line: `26 de ago. 2025` or `28 abr 2023`. Sets `next` past it.
std::optional<date> row_date(const line& l, std::size_t& next) {
  if (l.words.size() < 3) return std::nullopt;
  const unsigned day = day_of(l.words[0].text);
  if (day == 0) return std::nullopt;
  std::size_t j = 1;
  if (fold(l.words[j].text) == "de") ++j;
  if (j + 1 >= l.words.size()) return std::nullopt;
  const unsigned month = month_of(l.words[j].text);
  if (month == 0) return std::nullopt;
  const std::string_view y = l.words[j + 1].text;
  if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const date d{std::chrono::year{std::stoi(std::string(y))}, std::chrono::month{month}, std::chrono::day{day}};
  if (!d.ok()) return std::nullopt;
  next = j + 2;
  return d;
}

class inter_reader final : public reader {
 public:
  inter_reader(const reader_options& o, bool layout_2023) : reader(o), old_(layout_2023) {}

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (std::size_t i = 0; i < p.lines.size(); ++i) note(p.lines, i);
  }

  result<void> page(const pdf::page& p) override {
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
      const line& l = p.lines[i];
      const std::string f = fold(l.text());
      if (f.starts_with("cartao ")) {
        open_card(l);
        continue;
      }
      if (f.starts_with("data ") && f.find("movimentacao") != std::string::npos) {
        in_rows_ = true;
        ben_x_.reset();
        if (auto b = find_label(l, {"beneficiario"}); b != std::string::npos) ben_x_ = l.words[b].x0;
        continue;
      }
      if ((f.starts_with("total cartao") || f.starts_with("valor total cartao")) && card_) {
        // the card's charges
        if (auto v = amount_in(f)) card_totals_.push_back({*card_, *v});
        in_rows_ = false;
        continue;
      }
      if (f.starts_with("proxima fatura") || f.starts_with("limites") || f.starts_with("encargos financeiros")) {
        in_rows_ = false;
        continue;
      }
      if (!in_rows_) continue;
      std::size_t first = 0;
      auto posted = row_date(l, first);
      if (!posted) continue;
      auto amount = trailing_amount(l, first, l.words.size());
      if (!amount || amount->first <= first) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      // Movimentação, then (2025) the Beneficiário column: `-` or a payee, after a wide gap
      std::size_t end = amount->first;
      if (ben_x_ && end > first + 1) {
        const double cw = l.words[first].char_width();
        for (std::size_t k = first + 1; k < amount->first; ++k) {
          const double gap = l.words[k].x0 - l.words[k - 1].x1;
          if (gap > 3 * cw && l.words[k].x1 > *ben_x_ - 30 * cw) {
            end = k;
            break;
          }
        }
      }
      if (end == first) end = amount->first;
      const std::string description = l.text(first, end);
      // charges unsigned, credits `+ R$`
      const std::int64_t value = amount->sign_printed ? amount->value : -amount->value;
      // the card totals are the card's movements but the payments of earlier bills: charges, and
      // refunds (`Estorno …`) netted against them
      const std::string fd = fold(description);
      const bool payment = fd.starts_with("pagamento") || fd.starts_with("pagto");
      if (!payment) {
        charges_ += value;
        if (card_charges_.size() <= card_index()) card_charges_.resize(card_index() + 1);
        card_charges_[card_index()] += value;
      }
      add(*posted, description, value, line_number(p, l), card_index());
    }
    return {};
  }

  result<void> finish() override {
    if (st.accounts.empty()) st.accounts.emplace_back().kind = account_kind::credit_card;
    if (due_) st.due_date = due_;
    for (const auto& [card, printed] : card_totals_)
      reconcile_card(st, card, printed, card < card_charges_.size() ? -card_charges_[card] : 0,
                     "card total = −Σ the card's rows but payments");
    if (old_) {
      const std::int64_t computed = previous_.value_or(0) - sum_amounts(st) + advance_.value_or(0);
      reconcile(st, total_, computed,
                previous_ ? "bill total = Valor da fatura anterior − Σ rows + Valor antecipado"
                          : "bill total = −Σ rows + Valor antecipado (no previous bill printed)");
    } else {
      reconcile(st, total_, -charges_ - advance_.value_or(0),
                "bill total = −Σ rows but payments − Valor antecipado (no previous bill printed; the payment of the "
                "previous bill is in no printed figure)");
    }
    return {};
  }

 private:
  void open_card(const line& l) {
    // `CARTÃO 2306****1234` or `CARTÃO 2306    1234`: the last digits
    card_ = card_by_last_digits(l.text(1, l.words.size()));
  }

  std::size_t card_index() {
    if (!card_) {
      st.accounts.emplace_back().kind = account_kind::credit_card;
      card_ = st.accounts.size() - 1;
    }
    return *card_;
  }

  void note(const std::vector<line>& lines, std::size_t i) {
    const line& l = lines[i];
    const std::string f = fold(l.text());
    auto date_word = [](const line& v, std::size_t w) { return dmy(v.words[w].text); };
    auto money_at = [](const line& v, std::size_t w) -> std::optional<std::int64_t> {
      auto a = trailing_amount(v, 0, w + 1);
      if (a && a->first <= w && money_word(v.words[w].text)) return a->value;
      return std::nullopt;
    };
    if (!due_) {
      std::size_t at = find_label(l, {"data", "de", "vencimento"});
      std::size_t n = 3;
      if (at == std::string::npos && old_) at = find_label(l, {"vencimento"}), n = 1;
      if (at != std::string::npos) due_ = value_below(lines, i, at, at + n, date_word);
    }
    if (old_) {
      if (!total_)
        if (auto at = find_label(l, {"total", "dessa", "fatura"}); at != std::string::npos) {
          if (auto v = amount_in(f); v && f.starts_with("total dessa fatura")) total_ = v;
          else total_ = value_below(lines, i, at, at + 3, money_at);
        }
      if (!previous_ && f.starts_with("valor da fatura anterior")) previous_ = amount_in(f);
    } else {
      if (!total_ && f.starts_with("fatura atual")) total_ = amount_in(f);
      if (!total_below_)
        if (auto at = find_label(l, {"total", "da", "sua", "fatura"}); at != std::string::npos)
          total_below_ = value_below(lines, i, at, at + 4, money_at);
    }
    if (!advance_ && f.starts_with("valor antecipado")) {
      if (auto v = amount_in(f)) advance_ = *v < 0 ? -*v : *v;
    }
    if (!total_ && total_below_) total_ = total_below_;
  }

  bool old_;
  bool in_rows_ = false;
  std::optional<double> ben_x_;
  std::optional<std::size_t> card_;
  std::int64_t charges_ = 0;
  std::vector<std::int64_t> card_charges_;
  std::vector<std::pair<std::size_t, std::int64_t>> card_totals_;
  std::optional<date> due_;
  std::optional<std::int64_t> previous_, total_, total_below_, advance_;
};

bool inter_bill(const head& h) {
  return (h.has("banco inter") || h.has("2306")) && h.has("resumo da fatura") && h.has("vencimento");
}

double probe_2025(const head& h) {
  if (!inter_bill(h)) return 0;
  if (h.has("total da sua fatura") && h.has("descritivo detalhado")) return 0.9;
  if (h.has("despesas da fatura") && h.has("beneficiario")) return 0.85;
  return 0;
}

double probe_2023(const head& h) {
  if (!inter_bill(h)) return 0;
  if (h.has("total dessa fatura") && h.has("valor da fatura anterior")) return 0.9;
  return 0;
}

}  // namespace

const pdf_layout inter_fatura_pdf{probe_2025,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<inter_reader>(o, false); }};

const pdf_layout inter_fatura_pdf_2023{probe_2023,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<inter_reader>(o, true); }};

}  // namespace bankflow::detail::pdf
