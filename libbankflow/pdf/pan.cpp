// Banco Pan card bills, Pan and Méliuz cards (FORMATS-PDF.md §2.11). The rows page has the sidebar
// `Resumo da conta` (label / value on the next line) on the left of the same lines as the rows
// `DD/MM  description  [Parcela n/N]  R$ 29,64` (payments `-R$ 378,47`): the page is split at the
// x of the row dates. The Méliuz payment prints its description on the line above its date and
// amount. The list ends with `Total  R$ …`. Year: the bill's (`Vencimento: 06/07/2023`).
// Total: `Saldo da última fatura` (sidebar) − Σ rows (charges negative, payments positive).

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <limits>

namespace bankflow::detail::pdf {

namespace {

class pan_reader final : public reader {
 public:
  explicit pan_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::credit_card; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (std::size_t i = 0; i < p.lines.size(); ++i) note(p.lines, i);
  }

  result<void> page(const pdf::page& p) override {
    // the sidebar starts at `Resumo da conta`; the rows are on its lines, right of it
    std::size_t from = 0;
    bool sidebar = false;
    for (std::size_t i = 0; i < p.lines.size(); ++i)
      if (fold(p.lines[i].text()).find("resumo da conta") != std::string::npos) {
        from = i;
        sidebar = true;
        break;
      }
    if (!sidebar && !rows_seen_) return {};
    // the x of the row dates: DD/MM words followed on their line by an amount
    double date_x = std::numeric_limits<double>::infinity();
    for (std::size_t i = from; i < p.lines.size(); ++i) {
      const line& l = p.lines[i];
      for (std::size_t w = 0; w + 1 < l.words.size(); ++w)
        if (dm(l.words[w].text) && trailing_amount(l, w + 1, l.words.size())) {
          date_x = std::min(date_x, l.words[w].x0);
          break;
        }
    }
    if (date_x == std::numeric_limits<double>::infinity()) return {};
    rows_seen_ = true;
    const std::vector<line> part(p.lines.begin() + static_cast<std::ptrdiff_t>(from), p.lines.end());
    const double split = date_x - 2;
    if (sidebar) {
      const auto left = column(part, 0, split);
      for (std::size_t i = 0; i + 1 < left.size(); ++i) {
        const std::string f = fold(left[i].text());
        // the value on the label's line, or on the next one
        const auto value = [&] {
          auto v = amount_in(f);
          return v ? v : amount_in(left[i + 1].text());
        };
        if (f.starts_with("saldo da ultima fatura") && !previous_) previous_ = value();
        else if ((f == "total" || f.starts_with("total r$")) && !sidebar_total_) sidebar_total_ = value();
      }
    }
    std::string pending;  // a description line above its date and amount (Méliuz)
    for (const auto& cl : column(part, split, std::numeric_limits<double>::max())) {
      if (cl.empty()) continue;
      const line& l = cl;
      const std::string f = fold(l.text());
      auto d = dm(l.words[0].text);
      if (!d) {
        if (f.starts_with("total")) {
          if (!list_total_) list_total_ = amount_in(f);
          pending.clear();
        } else if (!trailing_amount(l)) {
          pending = l.text();
        } else {
          pending.clear();
        }
        continue;
      }
      auto amount = trailing_amount(l, 1, l.words.size());
      if (!amount) {
        if (!bad_row(p, cl, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        pending.clear();
        continue;
      }
      std::string description = l.text(1, amount->first);
      if (description.empty()) description = pending;
      pending.clear();
      if (!bill_) {
        if (!bad_row(p, cl, errc::bad_date, "the bill's due date was not found before its rows", "data")) return *failure;
        continue;
      }
      auto posted = date_on_bill(d->day, d->month, *bill_, installment_in(description));
      if (!posted) {
        if (!bad_row(p, cl, errc::bad_date, "\"" + l.words[0].text + "\" is not a date", "data")) return *failure;
        continue;
      }
      add(*posted, description, -amount->value, line_number(p, cl));
    }
    return {};
  }

  result<void> finish() override {
    if (due_) st.due_date = due_;
    st.accounts[0].number = card_;
    std::optional<std::int64_t> printed = sidebar_total_ ? sidebar_total_ : page1_total_;
    if (!printed) printed = list_total_;
    const std::int64_t computed = previous_.value_or(0) - sum_amounts(st);
    reconcile(st, printed, computed,
              previous_ ? "bill total = Saldo da última fatura − Σ rows"
                        : "bill total = −Σ rows (no previous bill printed)");
    return {};
  }

 private:
  void note(const std::vector<line>& lines, std::size_t i) {
    const line& l = lines[i];
    const std::string f = fold(l.text());
    if (!due_) {
      std::string_view v = after(f, "vencimento:");
      if (!v.empty()) {
        due_ = dmy(v.substr(0, v.find(' ')));
        if (due_) bill_ = std::chrono::year_month{due_->year(), due_->month()};
      }
    }
    if (card_.empty())
      for (std::size_t k = 0; k + 1 < l.words.size(); ++k)
        if (fold(l.words[k].text) == "final" &&
            l.words[k + 1].text.find_first_not_of("0123456789") == std::string::npos) {
          card_ = l.words[k + 1].text;
          break;
        }
    // page 1: `fechou em` with the total on a following line, under it
    if (!page1_total_ && f.starts_with("fechou em") && !l.words.empty()) {
      const double x0 = l.words[0].x0, x1 = l.words[1 < l.words.size() ? 1 : 0].x1;
      for (std::size_t k = i + 1; k < lines.size() && k <= i + 3 && !page1_total_; ++k) {
        const line& n = lines[k];
        for (std::size_t w = 0; w < n.words.size(); ++w)
          if (n.words[w].x0 <= x1 && n.words[w].x1 >= x0) {
            if (auto a = trailing_amount(n, w, std::min(n.words.size(), w + 2))) page1_total_ = a->value;
            break;
          }
      }
    }
  }

  bool rows_seen_ = false;
  std::string card_;
  std::optional<date> due_;
  std::optional<std::chrono::year_month> bill_;
  std::optional<std::int64_t> previous_, sidebar_total_, page1_total_, list_total_;
};

double probe(const head& h) {
  if (!h.has("resumo da conta") || !h.has("saldo da ultima fatura") || !h.has("compras no mes")) return 0;
  if (h.has("banco pan") || h.has("meliuz")) return 0.9;
  return 0.6;
}

}  // namespace

const pdf_layout pan_fatura_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<pan_reader>(o); }};

}  // namespace bankflow::detail::pdf
