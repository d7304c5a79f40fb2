// Unicred card bills (FORMATS-PDF.md §2.10). The PDF places glyphs one by one, so words and numbers
// come split unevenly (`MA R I A`, `1 7 /jan`, `R$ 10.858, 22`): labels are compared with all blanks
// removed, amounts read with trailing_amount(…, letter_spaced). Rows `D D /mmm  DESCRIPTION  R$ …`
// (credits `-R$ …`) under `D ATA  DE S CR IÇÃO  VA L O R`, per card `L A N ÇA M E N T O S – VISA …
// NNNN * * . * * * * * * . NNNN`, each holder's block ending `T O T A L D E <NOME>  R$ …`.
// Year: `R E F. : a g o / 2 0 2 5`. Total: `SALDO TOTAL = R$ …` = `TOTAL FATURA ANTERIOR` − Σ rows.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

#include <cctype>

namespace bankflow::detail::pdf {

namespace {

/// The folded text of a line without blanks.
std::string compact_of(const line& l) {
  std::string out;
  for (const char c : fold(l.text()))
    if (c != ' ') out += c;
  return out;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

/// The amount after the last "r$" of a compact folded text: "saldototal=r$10.234,03" → 1023403;
/// a '-' right before "r$" makes it negative.
std::optional<std::int64_t> compact_amount(std::string_view c) {
  const std::size_t at = c.rfind("r$");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t e = at + 2;
  while (e < c.size() && (digit(c[e]) || c[e] == '.' || c[e] == ',')) ++e;
  while (e > at + 2 && (c[e - 1] == '.' || c[e - 1] == ',')) --e;  // `R$ 10.858,22.`: the sentence's stop
  auto v = money_word(c.substr(at + 2, e - at - 2));
  if (!v) {
    // `ENCARGOS R$ 0`: no decimals
    const std::string_view n = c.substr(at + 2, e - at - 2);
    if (n.empty() || n.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    v = std::stoll(std::string(n)) * 100;
  }
  if (at > 0 && c[at - 1] == '-') v = -*v;
  return v;
}

/// A row date at the start of a line, its pieces glued back: `1 7 /jan`, `2 0 / ju l`. Sets `next`
/// to the first word after it.
std::optional<day_month> row_date(const line& l, std::size_t& next) {
  std::string s;
  for (std::size_t k = 0; k < l.words.size() && k < 8; ++k) {
    s += fold(l.words[k].text);
    // a viable prefix of D[D]/mmm?
    std::size_t i = 0;
    while (i < s.size() && digit(s[i])) ++i;
    if (i == 0 || i > 2) return std::nullopt;
    if (i == s.size()) continue;
    if (s[i] != '/') return std::nullopt;
    const std::string_view m = std::string_view(s).substr(i + 1);
    if (m.size() > 3 || !std::all_of(m.begin(), m.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
      return std::nullopt;
    if (m.size() < 3) continue;
    const unsigned day = day_of(std::string_view(s).substr(0, i));
    const unsigned month = month_of(m);
    if (!day || !month) return std::nullopt;
    next = k + 1;
    return day_month{day, month};
  }
  return std::nullopt;
}

/// The words [first, last) joined, pieces closer than a blank glued back: `Pa gament o` → `Pagamento`.
std::string glued_text(const line& l, std::size_t first, std::size_t last) {
  std::string out;
  for (std::size_t k = first; k < last; ++k) {
    if (k > first) {
      const double gap = l.words[k].x0 - l.words[k - 1].x1;
      if (gap > 0.32 * l.words[k].height()) out += ' ';
    }
    out += l.words[k].text;
  }
  return out;
}

class unicred_reader final : public reader {
 public:
  using reader::reader;

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) note(compact_of(l));
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      const std::string c = compact_of(l);
      note(c);
      if (c.starts_with("lancamentos")) {
        open_card(c);
        continue;
      }
      if (c.starts_with("datadescricao")) {
        in_rows_ = true;
        continue;
      }
      if (c.starts_with("totalde")) {
        // the holder's block total
        if (in_rows_ && card_) {
          if (auto v = compact_amount(c)) card_totals_.push_back({*card_, *v});
        }
        in_rows_ = false;
        continue;
      }
      if (!in_rows_) continue;
      std::size_t first = 0;
      auto d = row_date(l, first);
      if (!d) continue;
      auto amount = trailing_amount(l, first, l.words.size(), true);
      if (!amount || amount->first <= first) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      const std::string description = glued_text(l, first, amount->first);
      if (!bill_) {
        if (!bad_row(p, l, errc::bad_date, "the bill's month (REF.) was not found before its rows", "data"))
          return *failure;
        continue;
      }
      auto posted = date_on_bill(d->day, d->month, *bill_, installment_in(description));
      if (!posted) {
        if (!bad_row(p, l, errc::bad_date, "the row's date is not a date", "data")) return *failure;
        continue;
      }
      // charges `R$ …` → negative, credits `-R$ …` → positive
      const std::size_t card = card_index();
      add(*posted, description, -amount->value, line_number(p, l), card);
      if (sums_.size() < st.accounts.size()) sums_.resize(st.accounts.size());
      sums_[card] -= amount->value;
    }
    return {};
  }

  result<void> finish() override {
    if (st.accounts.empty()) st.accounts.emplace_back().kind = account_kind::credit_card;
    if (due_) st.due_date = due_;
    for (const auto& [card, printed] : card_totals_)
      reconcile_card(st, card, printed, card < sums_.size() ? -sums_[card] : 0, "TOTAL DE <holder> = −Σ the holder's rows");
    const std::int64_t computed = previous_.value_or(0) - sum_amounts(st);
    reconcile(st, total_ ? total_ : page1_total_, computed,
              previous_ ? "bill total = TOTAL FATURA ANTERIOR − Σ rows"
                        : "bill total = −Σ rows (no previous bill printed)");
    return {};
  }

 private:
  std::size_t card_index() {
    if (!card_) {
      st.accounts.emplace_back().kind = account_kind::credit_card;
      card_ = st.accounts.size() - 1;
    }
    return *card_;
  }

  void open_card(const std::string& c) {
    // `lancamentos–visainfinite1234**.******.5678`: the last 4 digits
    card_ = card_by_last_digits(c);
  }

  void note(const std::string& c) {
    if (!bill_) {
      const std::size_t at = c.find("ref.:");
      if (at != std::string::npos) {
        const std::string_view v = std::string_view(c).substr(at + 5);
        // `ago/2025`
        if (v.size() >= 8 && v[3] == '/' && month_of(v.substr(0, 3)) &&
            std::all_of(v.begin() + 4, v.begin() + 8, digit))
          bill_ = std::chrono::year_month{std::chrono::year{std::stoi(std::string(v.substr(4, 4)))},
                                          std::chrono::month{month_of(v.substr(0, 3))}};
      }
    }
    if (!due_) {
      for (std::size_t at = c.find("vencimento"); at != std::string::npos && !due_;
           at = c.find("vencimento", at + 1)) {
        std::string_view v = std::string_view(c).substr(at + 10);
        if (v.starts_with(":")) v.remove_prefix(1);
        if (v.size() >= 10) due_ = dmy(v.substr(0, 10));
        if (!due_) {
          // `19ago2025`
          std::size_t i = 0;
          while (i < v.size() && i < 2 && digit(v[i])) ++i;
          if (i > 0 && v.size() >= i + 7 && month_of(v.substr(i, 3)) &&
              std::all_of(v.begin() + static_cast<std::ptrdiff_t>(i + 3), v.begin() + static_cast<std::ptrdiff_t>(i + 7), digit)) {
            const date d{std::chrono::year{std::stoi(std::string(v.substr(i + 3, 4)))},
                         std::chrono::month{month_of(v.substr(i, 3))}, std::chrono::day{day_of(v.substr(0, i))}};
            if (d.ok()) due_ = d;
          }
        }
      }
      if (due_ && !bill_) bill_ = std::chrono::year_month{due_->year(), due_->month()};
    }
    if (!total_ && c.starts_with("saldototal")) total_ = compact_amount(c);
    if (!previous_ && c.starts_with("totalfaturaanterior")) previous_ = compact_amount(c);
    if (!page1_total_ && c.starts_with("novalortotalde")) page1_total_ = compact_amount(c);
  }

  bool in_rows_ = false;
  std::optional<std::size_t> card_;
  std::vector<std::int64_t> sums_;
  std::vector<std::pair<std::size_t, std::int64_t>> card_totals_;
  std::optional<std::chrono::year_month> bill_;
  std::optional<date> due_;
  std::optional<std::int64_t> total_, previous_, page1_total_;
};

double probe(const head& h) {
  if (!h.has_compact("totalfaturaanterior") || !h.has_compact("saldototal") || !h.has_compact("despesas/debitos"))
    return 0;
  return h.has_compact("resumodafatura") ? 0.9 : 0.7;
}

}  // namespace

const pdf_layout unicred_fatura_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<unicred_reader>(o); }};

}  // namespace bankflow::detail::pdf
