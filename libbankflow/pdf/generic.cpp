// The generic fallback for banks without a layout: lines that start with a date (DD/MM/YYYY,
// or DD/MM with the year of a printed period) and end with an amount. Balance lines are skipped;
// a printed sign (−, C/D, a trailing minus) is kept, and under a header with Débito and Crédito
// columns the column decides. Low confidence, and the output says it is the fallback.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail::pdf {

namespace {

bool balance_line(std::string_view folded) {
  return folded.find("saldo") != std::string_view::npos || folded.find("s a l d o") != std::string_view::npos;
}

// A line that starts with DD/MM/YYYY and ends with an amount.
bool row_like(const line& l) {
  if (l.words.size() < 3 || !dmy(l.words[0].text)) return false;
  return trailing_amount(l).has_value();
}

// Month-first dates (10/31/2025) in a pt-BR looking document: the fallback cannot read them.
bool month_first(const std::vector<page>& pages) {
  for (const auto& p : pages)
    for (const auto& l : p.lines)
      for (const auto& w : l.words)
        if (w.text.size() == 10 && w.text[2] == '/' && w.text[5] == '/' && !dmy(w.text)) {
          const unsigned a = static_cast<unsigned>((w.text[0] - '0') * 10 + (w.text[1] - '0'));
          const unsigned b = static_cast<unsigned>((w.text[3] - '0') * 10 + (w.text[4] - '0'));
          if (a >= 1 && a <= 12 && b > 12 && b <= 31) return true;
        }
  return false;
}

class generic_reader final : public reader {
 public:
  explicit generic_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override { month_first_ = month_first(h.pages); }

  result<void> page(const pdf::page& p) override {
    if (month_first_)
      return make_error(errc::unknown_format,
                        "the document writes dates month first (MM/DD/YYYY), which the generic PDF reader does "
                        "not guess at; export the statement as OFX or CSV instead");
    for (const auto& l : p.lines) {
      const std::string f = fold(l.text());
      if (f.find("debito") != std::string::npos && f.find("credito") != std::string::npos && !dmy(l.words[0].text)) {
        // a header with separate columns: remember where they are
        for (const auto& w : l.words) {
          const std::string fw = fold(w.text);
          if (fw.starts_with("debito")) debit_x_ = (w.x0 + w.x1) / 2;
          if (fw.starts_with("credito")) credit_x_ = (w.x0 + w.x1) / 2;
        }
        continue;
      }
      const auto posted = l.words.empty() ? std::nullopt : dmy(l.words[0].text);
      if (!posted) {
        // "Saldo anterior: R$ 1.250,00" / "Saldo final: R$ 997,36" outside the table
        if (f.starts_with("saldo anterior") || f.starts_with("saldo inicial")) {
          if (!opening_) opening_ = amount_in(f);
        } else if (f.starts_with("saldo final") || f.starts_with("saldo atual")) {
          closing_ = amount_in(f);
        }
        continue;
      }
      if (l.words.size() < 3) continue;
      if (balance_line(f)) {
        if ((f.find("saldo anterior") != std::string::npos || f.find("saldo inicial") != std::string::npos) &&
            !opening_ && st.transactions.empty())
          if (auto a = trailing_amount(l)) opening_ = a->value;
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      auto amount = trailing_amount(l, 1, l.words.size());
      if (!amount) continue;
      std::size_t first = 1;
      // a second date column (the value date) is not description
      if (first < amount->first && dmy(l.words[first].text)) ++first;
      std::int64_t value = amount->value;
      if (!amount->sign_printed && debit_x_ && credit_x_) {
        const double mid = (amount->x0 + amount->x1) / 2;
        if (std::abs(mid - *debit_x_) < std::abs(mid - *credit_x_)) value = -value;
      }
      if (first >= amount->first) continue;
      add(*posted, l.text(first, amount->first), value, line_number(p, l));
    }
    return {};
  }

  result<void> finish() override {
    if (!st.transactions.empty()) {
      reconcile_balances(st, opening_, closing_);
    }
    return {};
  }

 private:
  bool month_first_ = false;
  std::optional<double> debit_x_, credit_x_;
  std::optional<std::int64_t> opening_, closing_;
};

double probe(const head& h) {
  std::size_t rows = 0;
  for (const auto& p : h.pages)
    for (const auto& l : p.lines)
      if (row_like(l) && !balance_line(fold(l.text()))) ++rows;
  return rows >= 2 ? 0.3 : 0.0;
}

}  // namespace

const pdf_layout generic_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<generic_reader>(o); }};

}  // namespace bankflow::detail::pdf
