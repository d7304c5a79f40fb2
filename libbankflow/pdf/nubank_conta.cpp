// Nubank conta (NuConta) statement (FORMATS-PDF.md §2.1.c). `Movimentações` holds groups per day:
// a group line `[DD MMM YYYY]  Total de entradas  + 2.500,00` or `Total de saídas  - 6.012,00`
// (a second group of the same day omits the date), then item lines `type  counterparty  amount`
// with the amount unsigned: the group gives the sign. The counterparty wraps over more lines
// without an amount; a page break can fall inside a group. Every page repeats the holder block
// and the period line (`… VALORES EM R$`) on top and `Tem alguma dúvida? …` at the bottom.
// Balances: Saldo inicial + Rendimento líquido (no row) + Σ rows = Saldo final do período.

#include "pdf/layout.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

namespace bankflow::detail::pdf {

namespace {

// `DD MMM YYYY` at the start of a line.
std::optional<date> group_date(const line& l) {
  if (l.words.size() < 3) return std::nullopt;
  const unsigned day = day_of(l.words[0].text);
  const unsigned month = day ? month_of(l.words[1].text) : 0;
  if (!month || l.words[2].text.size() != 4) return std::nullopt;
  int year = 0;
  for (const char c : l.words[2].text) {
    if (c < '0' || c > '9') return std::nullopt;
    year = year * 10 + (c - '0');
  }
  const date d{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  if (!d.ok()) return std::nullopt;
  return d;
}

class nubank_conta_reader final : public reader {
 public:
  explicit nubank_conta_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages) {
      for (std::size_t i = 0; i < p.lines.size(); ++i) {
        const line& l = p.lines[i];
        const std::string f = fold(l.text());
        if (f.starts_with("movimentacoes")) {
          rows_from_ = p.number;
          return;
        }
        if (f.starts_with("saldo inicial") && !opening_) opening_ = amount_in(f);
        else if (f.starts_with("rendimento liquido") && !income_) income_ = amount_in(f);
        else if (f.starts_with("saldo final do periodo") && !closing_) closing_ = amount_in(f);
        else if (st.accounts[0].number.empty() && f.find("agencia") != std::string::npos &&
                 f.ends_with("conta") && i + 1 < p.lines.size() && p.lines[i + 1].words.size() == 1)
          st.accounts[0].number = p.lines[i + 1].words[0].text;
      }
    }
  }

  result<void> page(const pdf::page& p) override {
    if (p.number == 1) first_page_seen_ = true;
    bool body = false;    // below the period line of this page
    bool footer = false;  // from `Tem alguma dúvida?` on
    for (const auto& l : p.lines) {
      if (l.words.empty()) continue;
      const std::string f = fold(l.text());
      if (f.find("valores em r$") != std::string::npos) {
        body = true;
        continue;
      }
      if (!body) continue;
      if (p.number > rows_from_) in_rows_ = true;  // a page range that starts after page 1
      if (f.starts_with("tem alguma duvida")) footer = true;
      if (footer) {
        if (f.find("extrato gerado dia") != std::string::npos) last_page_seen_ = true;  // the last page only
        continue;
      }
      if (f.starts_with("movimentacoes")) {
        in_rows_ = true;
        continue;
      }
      if (!in_rows_) continue;
      if (f.starts_with("extrato gerado dia")) {
        last_page_seen_ = true;
        continue;
      }
      const bool in_group = f.find("total de entradas") != std::string::npos;
      const bool out_group = f.find("total de saidas") != std::string::npos;
      if (in_group || out_group) {
        if (auto d = group_date(l)) date_ = *d;
        check_group();
        sign_ = in_group ? 1 : -1;
        group_total_ = std::nullopt;
        if (auto t = amount_in(l.text())) group_total_ = *t < 0 ? -*t : *t;
        group_sum_ = 0;
        group_line_ = line_number(p, l);
        last_ = std::nullopt;
        continue;
      }
      // the item's amount is one unsigned word (a blank-separated '-' before it is the counterparty's)
      std::optional<amount_found> a;
      if (auto v = money_word(l.words.back().text)) {
        a.emplace();
        a->value = *v;
        a->first = l.words.size() - 1;
      } else {
        a = trailing_amount(l);
      }
      if (!a || a->first == 0) {
        // the counterparty continued, or a line this layout does not know
        if (last_ && !a) {
          transaction& t = st.transactions[*last_];
          t.description = st.keep(std::string(t.description) + " " + l.text());
        }
        continue;
      }
      if (!date_ || sign_ == 0) {
        if (page_seen_ == 0 && p.number > 1) {
          // a page range that starts inside a group: its day is on a page not read
          warn(line_number(p, l), "\"" + l.text() + "\" belongs to a day group on a page before the range read");
          continue;
        }
        if (!bad_row(p, l, errc::bad_date, "an item before any day group", "data")) return *failure;
        continue;
      }
      const std::int64_t v = a->value < 0 ? -a->value : a->value;
      add(*date_, l.text(0, a->first), sign_ * v, line_number(p, l));
      group_sum_ += v;
      last_ = st.transactions.size() - 1;
    }
    return {};
  }

  result<void> finish() override {
    check_group();
    st.accounts[0].opening_balance = opening_;
    st.accounts[0].closing_balance = closing_;
    if (!opening_ || !first_page_seen_ || !last_page_seen_) {
      // a page range without the first or the last page: the summary is not these rows'
      reconcile_balances(st, std::nullopt, closing_);
    } else {
      reconcile(st, closing_, *opening_ + income_.value_or(0) + sum_amounts(st),
                "Saldo final do período = Saldo inicial + Rendimento líquido + Σ rows");
    }
    return {};
  }

 private:
  // The items of a day group against the group's printed total.
  void check_group() {
    if (group_total_ && *group_total_ != group_sum_)
      warn(group_line_, "the items of the group do not add up to its printed total (" +
                            format_amount_br(*group_total_) + "): they give " + format_amount_br(group_sum_));
    group_total_ = std::nullopt;
  }

  std::optional<std::int64_t> group_total_;
  std::int64_t group_sum_ = 0;
  std::size_t group_line_ = 0;
  bool in_rows_ = false;
  unsigned rows_from_ = 1;  ///< the page where `Movimentações` starts
  bool first_page_seen_ = false, last_page_seen_ = false;
  std::optional<date> date_;
  int sign_ = 0;
  std::optional<std::size_t> last_;
  std::optional<std::int64_t> opening_, income_, closing_;
};

double probe(const head& h) {
  if (!h.has("valores em r$") || !h.has("movimentacoes")) return 0;
  if (!h.has("total de entradas") && !h.has("total de saidas")) return 0;
  if (h.has("saldo final do periodo") && h.has("saldo inicial")) return 0.92;
  return 0.6;
}

}  // namespace

const pdf_layout nubank_conta_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<nubank_conta_reader>(o); }};

}  // namespace bankflow::detail::pdf
