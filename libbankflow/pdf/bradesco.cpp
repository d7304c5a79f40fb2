// Bradesco extrato PJ `Extrato Mensal / Por Período` (FORMATS-PDF.md §2.7.a). Columns `Data |
// Lançamento | Dcto. | Crédito (R$) | Débito (R$) | Saldo (R$)`, found per page from the header's
// x positions. Each row is a number line (document, credit or debit, saldo; the date only on a
// day's first row) with its Lançamento on two lines, above and below it; a single-line Lançamento
// prints on the number line, and at a page break one of the two lines can land there too. The
// text lines between two number lines are shared between them by what each still needs (and, when
// either could take one, by vertical distance). `Total` ends a table; `Últimos Lançamentos` starts
// a second one with its own `SALDO ANTERIOR`. The BRAM fund statement (§2.7.b) is not read.

#include "pdf/layout.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <cmath>
#include <set>

namespace bankflow::detail::pdf {

namespace {

bool all_digits(std::string_view w) {
  if (w.empty()) return false;
  for (const char c : w)
    if (c < '0' || c > '9') return false;
  return true;
}

struct text_line {
  std::string text;
  unsigned page = 0;
  double top = 0, bottom = 0;
};

struct number_row {
  date posted{};
  std::string above, inline_text;
  std::vector<std::string> below;
  std::int64_t amount = 0;
  std::int64_t saldo = 0;
  std::string document;
  std::size_t line = 0;
  unsigned page = 0;
  double top = 0, bottom = 0;
  [[nodiscard]] int parts() const { return (above.empty() ? 0 : 1) + (inline_text.empty() ? 0 : 1) + static_cast<int>(below.size()); }
};

struct section {
  std::optional<std::int64_t> opening, closing;
  std::int64_t sum = 0;
  std::size_t rows = 0;
  std::string title;
};

class bradesco_reader final : public reader {
 public:
  explicit bradesco_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        const std::string f = fold(l.text());
        if (f.starts_with("extrato de:")) {
          std::string_view cc = after(f, "cc:");
          if (!cc.empty()) st.accounts[0].number = std::string(cc.substr(0, cc.find(' ')));
          std::string_view ag = after(f, "ag:");
          if (!ag.empty()) st.accounts[0].branch = std::string(ag.substr(0, ag.find(' ')));
          return;
        }
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      if (l.words.empty()) continue;
      const std::string f = fold(l.text());
      // the furniture every page repeats (the table goes on across pages)
      if (f.starts_with("extrato mensal") || f.starts_with("nome do usuario:") || f.starts_with("data da operacao:") ||
          f.find("| cnpj:") != std::string::npos || (f.starts_with("folha ") && l.words.size() == 2))
        continue;
      if (f.starts_with("data") && f.find("lancamento") != std::string::npos && f.find("saldo") != std::string::npos) {
        header(l);
        in_table_ = true;
        continue;
      }
      if (f.starts_with("ultimos lancamentos")) {
        in_table_ = false;
        end_section();
        cur();
        sections_.emplace_back();
        sections_.back().title = "Últimos Lançamentos";
        continue;
      }
      if (!in_table_) continue;
      if (f.starts_with("total") && trailing_amount(l)) {
        end_section();
        if (auto a = trailing_amount(l)) cur().closing = a->value;
        in_table_ = false;
        continue;
      }
      if (f.find("saldo anterior") != std::string::npos) {
        end_section();
        if (auto a = trailing_amount(l)) {
          if (cur().opening && cur().rows > 0) {
            sections_.emplace_back();
            sections_.back().title = "SALDO ANTERIOR";
          }
          cur().opening = a->value;
        }
        if (auto d = dmy(l.words[0].text)) date_ = *d;
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      // a number line: an amount under the Saldo column
      std::size_t first_amount = l.words.size();
      for (std::size_t i = 0; i < l.words.size(); ++i)
        if (money_word(l.words[i].text)) {
          first_amount = i;
          break;
        }
      if (first_amount == l.words.size()) {
        // a Lançamento line never starts with a date: a dated line without an amount is a bad row
        if (dmy(l.words[0].text)) {
          if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
          continue;
        }
        pending_.push_back({l.text(), p.number, l.top, l.bottom});
        continue;
      }
      if (!number_line(p, l, first_amount)) return *failure;
    }
    return {};
  }

  result<void> finish() override {
    end_section();
    const section& s = cur(), &first = sections_.front();
    (void)s;
    st.accounts[0].opening_balance = first.opening;
    st.accounts[0].closing_balance = first.closing;
    if (!first.opening) {
      reconcile_balances(st, std::nullopt, first.closing);
    } else {
      reconcile(st, first.closing, *first.opening + first.sum,
                "closing balance (Total) = opening balance (SALDO ANTERIOR) + Σ rows of the period's table");
    }
    for (std::size_t i = 1; i < sections_.size(); ++i) {
      const section& o = sections_[i];
      if (!o.opening || !o.closing) continue;
      if (*o.opening + o.sum != *o.closing)
        warn(0, "the rows of \"" + o.title + "\" do not add up to its Total saldo (" + format_amount_br(*o.closing) +
                    "): they give " + format_amount_br(*o.opening + o.sum) + "; no row was changed");
    }
    return {};
  }

 private:
  section& cur() {
    if (sections_.empty()) {
      sections_.emplace_back();
      sections_.back().title = "Extrato";
    }
    return sections_.back();
  }

  void header(const line& l) {
    credit_x_.reset();
    debit_x_.reset();
    saldo_x_.reset();
    doc_x_.reset();
    // each label's right edge: the values are right-aligned under it ("Crédito (R$)")
    for (std::size_t i = 0; i < l.words.size(); ++i) {
      const std::string w = fold(l.words[i].text);
      const double right = i + 1 < l.words.size() && l.words[i + 1].text.starts_with("(") ? l.words[i + 1].x1 : l.words[i].x1;
      if (w.starts_with("credito")) credit_x_ = right;
      else if (w.starts_with("debito")) debit_x_ = right;
      else if (w.starts_with("saldo")) saldo_x_ = right;
      else if (w.starts_with("dcto")) doc_x_ = l.words[i].x0;
    }
  }

  enum class col { credit, debit, saldo };
  col column_of(const word& w) const {
    const double x = w.x1;
    double best = 1e9;
    col c = col::saldo;
    auto consider = [&](const std::optional<double>& at, col which) {
      if (at && std::abs(*at - x) < best) {
        best = std::abs(*at - x);
        c = which;
      }
    };
    consider(credit_x_, col::credit);
    consider(debit_x_, col::debit);
    consider(saldo_x_, col::saldo);
    return c;
  }

  bool number_line(const pdf::page& p, const line& l, std::size_t first_amount) {
    std::optional<std::int64_t> credit, debit, saldo;
    for (std::size_t i = first_amount; i < l.words.size(); ++i) {
      auto v = money_word(l.words[i].text);
      if (!v) continue;
      switch (column_of(l.words[i])) {
        case col::credit: credit = v; break;
        case col::debit: debit = v; break;
        case col::saldo: saldo = v; break;
      }
    }
    std::size_t first = 0;
    if (auto d = dmy(l.words[0].text)) {
      date_ = *d;
      first = 1;
    }
    std::size_t end = first_amount;
    std::string document;
    if (end > first && all_digits(l.words[end - 1].text)) {
      document = l.words[end - 1].text;
      --end;
    }
    if (!date_ && page_seen_ == 0 && p.number > 1 && (credit || debit)) {
      // a page range that starts inside a day: its date is on a page not read
      warn(line_number(p, l), "\"" + l.text() + "\" is dated on a page before the range read");
      pending_.clear();
      return true;
    }
    if (!date_ || (!credit && !debit) || (credit && debit)) {
      return bad_row(p, l, !date_ ? errc::bad_date : errc::bad_amount,
                     !date_ ? "a row before any date" : "a row without one credit or debit amount",
                     !date_ ? "data" : "valor");
    }
    number_row r;
    r.posted = *date_;
    r.inline_text = l.text(first, end);
    r.amount = credit ? std::llabs(*credit) : -std::llabs(*debit);
    r.saldo = saldo.value_or(0);
    has_saldo_ = saldo.has_value();
    r.document = document;
    r.line = line_number(p, l);
    r.page = p.number;
    r.top = l.top;
    r.bottom = l.bottom;
    share(&r);
    prev_ = std::move(r);
    prev_saldo_ = saldo;
    return true;
  }

  // Shares the pending text lines between the open row (prev_) and the new one (next), then
  // emits the open row.
  void share(number_row* next) {
    std::size_t m = pending_.size();
    std::size_t k = 0;  // next index of pending_
    if (prev_) {
      const int parts = prev_->parts();
      const int a_min = (parts == 0 || (parts == 1 && prev_->inline_text.empty())) ? 1 : 0;
      const int a_max = std::max(0, 2 - parts);
      int b_min = 0, b_max = 0;
      if (next) {
        b_min = next->inline_text.empty() ? 1 : 0;
        b_max = 1;
      }
      int give_a = std::min<int>(a_min, static_cast<int>(m));
      int rest = static_cast<int>(m) - give_a - std::min<int>(b_min, static_cast<int>(m) - give_a);
      const int room_a = a_max - give_a;
      const int room_b = b_max - std::min<int>(b_min, static_cast<int>(m) - give_a);
      if (rest > 0 && room_a > 0 && room_b > 0 && rest == 1) {
        // one line either could take: the nearer one
        const text_line& t = pending_[static_cast<std::size_t>(give_a)];
        // a line seen as a row's type (the line above its numbers) is the next row's type; a
        // row whose inline text is such a type waits for its detail; else by distance
        const bool type_line = types_.contains(fold(t.text));
        const bool prev_is_type = types_.contains(fold(prev_->inline_text));
        if (type_line || (!prev_is_type && nearer_next(t, *next))) {
          // leave it to next
        } else {
          ++give_a;
        }
      } else if (rest > 0) {
        give_a += std::min(rest, room_a);
        if (!next) give_a = static_cast<int>(m);
      }
      for (; k < static_cast<std::size_t>(give_a) && k < m; ++k) prev_->below.push_back(pending_[k].text);
      emit(*prev_);
      prev_.reset();
    }
    if (next) {
      std::string above;
      for (; k < m; ++k) above += (above.empty() ? "" : " ") + pending_[k].text;
      next->above = above;
      if (!above.empty()) types_.insert(fold(above));
    }
    pending_.clear();
  }

  // Whether a text line between the open row and the next belongs to the next one.
  bool nearer_next(const text_line& t, const number_row& next) const {
    const double to_next = t.page == next.page ? next.top - t.bottom : 1e9;
    const double to_prev = prev_ && t.page == prev_->page ? t.top - prev_->bottom : 1e9;
    // equally near (a single-line row above, a row split by a page break below): the next row's
    // Lançamento, unless the open row is clearly nearer
    return to_next < to_prev * 1.3 + 0.5;
  }

  void emit(const number_row& r) {
    std::string d = r.above;
    auto put = [&](const std::string& s) {
      if (s.empty()) return;
      d += (d.empty() ? "" : " ") + s;
    };
    put(r.inline_text);
    for (const auto& b : r.below) put(b);
    transaction& t = add(r.posted, d, r.amount, r.line);
    if (!r.document.empty()) t.document = st.keep(r.document);
    t.balance = r.saldo;
    section& s = cur();
    s.sum += r.amount;
    ++s.rows;
  }

  void end_section() { share(nullptr); }

  bool in_table_ = false;
  std::optional<double> credit_x_, debit_x_, saldo_x_, doc_x_;
  std::optional<date> date_;
  std::vector<text_line> pending_;
  std::optional<number_row> prev_;
  std::optional<std::int64_t> prev_saldo_;
  bool has_saldo_ = false;
  std::vector<section> sections_;
  std::set<std::string> types_;  ///< the Lançamento types seen above a number line (folded)
};

double probe(const head& h) {
  // the BRAM fund statement is not an account statement (FORMATS-PDF.md §2.7.b, §4.3)
  if (h.has("resumo dos investimentos") || h.has("extrato detalhado") || h.has("valor da cota")) return 0;
  if (!h.has("extrato mensal / por periodo")) return 0;
  if (h.has("lancamento") && h.has("dcto.") && h.has("saldo (r$)")) return 0.92;
  return 0.5;
}

}  // namespace

const pdf_layout bradesco_extrato_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<bradesco_reader>(o); }};

}  // namespace bankflow::detail::pdf
