// Nubank card bills (FORMATS-PDF.md §2.1.a and §2.1.b): rows `DD MMM [•••• NNNN] description
// amount` under `TRANSAÇÕES DE DD MMM A DD MMM`; the bill total is `Total a pagar` and
// `Total a pagar = Fatura anterior − Σ rows` (charges negative, payments and credits positive).

#include "pdf/layout.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <array>

namespace bankflow::detail::pdf {

namespace {

using namespace std::string_view_literals;

// The 2022–2023 bills print every row unsigned: the credits are known by their wording.
constexpr std::array credit_words_2022{"pagamento em"sv, "estorno de"sv, "deposito de confianca"sv,
                                       "credito de"sv, "reembolso"sv};

class nubank_reader final : public reader {
 public:
  nubank_reader(const reader_options& o, bool layout_2022) : reader(o), old_(layout_2022) {
    st.accounts.emplace_back().kind = account_kind::credit_card;
  }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) note(fold(l.text()));
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      const std::string f = fold(l.text());
      note(f);
      if (f.starts_with("transacoes") && f.find(" de ") != std::string::npos && !f.starts_with("transacoes de credito")) {
        in_rows_ = true;
        continue;
      }
      // blocks that are not this bill's rows
      if (f.starts_with("proximas faturas") || f.starts_with("limites disponiveis") ||
          f.starts_with("valor maximo para transacoes") || f.starts_with("resumo da fatura")) {
        in_rows_ = false;
        continue;
      }
      if (!in_rows_) continue;
      if (foreign_detail(l)) continue;
      if (l.words.size() < 3) continue;
      const unsigned day = day_of(l.words[0].text);
      const unsigned month = day ? month_of(l.words[1].text) : 0;
      if (month == 0 || l.words[1].text.size() != 3) continue;
      std::size_t first = 2;
      if (first + 1 < l.words.size() && l.words[first].text.find("\u2022") != std::string::npos) {
        card_ = l.words[first + 1].text;
        first += 2;
      }
      auto amount = trailing_amount(l, first, l.words.size());
      if (!amount || amount->first <= first) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      const std::string description = l.text(first, amount->first);
      const std::string fd = fold(description);
      std::int64_t value = -amount->value;  // printed: charges unsigned, credits with a minus
      if (old_ && starts_with_any(fd, credit_words_2022)) value = amount->value < 0 ? -amount->value : amount->value;
      if (!bill_) {
        if (!bad_row(p, l, errc::bad_date, "the bill's due date was not found before its rows", "data")) return *failure;
        continue;
      }
      auto posted = date_on_bill(day, month, *bill_, installment_in(description));
      if (!posted) {
        if (!bad_row(p, l, errc::bad_date, "\"" + l.text(0, 2) + "\" is not a date", "data")) return *failure;
        continue;
      }
      add(*posted, description, value, line_number(p, l));
      last_row_ = st.transactions.size();
    }
    return {};
  }

  result<void> finish() override {
    if (due_) st.due_date = due_;
    const std::int64_t computed = previous_.value_or(0) - sum_amounts(st);
    reconcile(st, total_, computed,
              previous_ ? "bill total = previous bill (Fatura anterior) − Σ rows"
                        : "bill total = −Σ rows (no previous bill printed)");
    return {};
  }

 private:
  // The detail lines under an international purchase (§2.1.a): `USD 16.99` (a dot decimal) and
  // `Conversão: USD 1 = R$ 5,79`, kept as the row's foreign amount (enrichment's `foreign`),
  // signed like the row. True when `l` was one of them.
  bool foreign_detail(const line& l) {
    if (last_row_ == 0 || last_row_ != st.transactions.size() || l.words.size() < 2) return false;
    transaction& t = st.transactions[last_row_ - 1];
    const std::string_view first = l.words[0].text;
    if (l.words.size() == 2 && currency_code(first)) {
      auto amount = parse_amount(l.words[1].text, number_style::en);
      if (!amount || !*amount) return false;
      keep_foreign(st, t, first, **amount);
      return true;
    }
    const std::string folded = fold(l.text());
    if (!folded.starts_with("conversao:")) return false;
    const std::size_t reais = folded.rfind("r$ ");
    if (reais != std::string::npos && st.foreign_of(t) != nullptr) {
      const std::string_view rate = std::string_view(folded).substr(reais + 3);
      st.foreign_for(t).rate = st.keep(rate.substr(0, rate.find(' ')));
    }
    return true;
  }

  void note(const std::string& f) {
    if (!due_) {
      std::string_view v = after(f, "data de vencimento:");
      if (v.empty()) v = after(f, "data do vencimento:");
      if (!v.empty()) {
        due_ = date_in_words(v);
        if (due_) bill_ = std::chrono::year_month{due_->year(), due_->month()};
      }
    }
    if (!previous_ && f.starts_with("fatura anterior")) previous_ = amount_in(f);
    if (!total_ && f.starts_with("total a pagar")) total_ = amount_in(f);
  }

  bool old_;
  bool in_rows_ = false;
  std::size_t last_row_ = 0;  // 1 + index of the last row read, for its detail lines; 0: none
  std::string card_;
  std::optional<date> due_;
  std::optional<std::chrono::year_month> bill_;
  std::optional<std::int64_t> previous_, total_;
};

bool nubank_bill(const head& h) { return h.has("emissao e envio") && h.has("fatura"); }

double probe_2025(const head& h) {
  if (!nubank_bill(h)) return 0;
  double s = 0.6;
  if (h.has("data de vencimento:")) s += 0.3;
  if (h.has("periodo vigente")) s += 0.05;
  return s;
}

double probe_2022(const head& h) {
  if (!nubank_bill(h)) return 0;
  return h.has("data do vencimento:") ? 0.9 : 0.4;
}

}  // namespace

const pdf_layout nubank_fatura_pdf{probe_2025,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<nubank_reader>(o, false); }};

const pdf_layout nubank_fatura_pdf_2022{probe_2022,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<nubank_reader>(o, true); }};

}  // namespace bankflow::detail::pdf
