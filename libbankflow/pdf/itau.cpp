// Itaú Unibanco PDF layouts (FORMATS-PDF.md §2.2):
//  a. fatura (eStatements and its PDFium re-print): summary box on page 1, rows from page 2 in two
//     columns; `bill total = Total da fatura anterior − Pagamento efetuado + E − Σ rows`
//     (charges negative, credits positive; the payment and the encargos exist only in the box).
//  b. extrato PF (openhtmltopdf): `DD/MM/YYYY description valor [saldo]`.
//  c. Itaú Empresas extrato (`Componente WDPDF`): `DD/MM description [Ag./Origem] valor | saldo`.
//  d. Itaú Empresas `Lançamentos` (openhtmltopdf): newest first, wrapped Razão Social / Lançamentos.
//  e. `extrato mensal` PJ (eStatements): the date only on a day's first row, entradas / saídas
//     (trailing minus) / saldo columns, a legend in page 1's left margin.

#include "pdf/layout.hpp"

#include <bankflow/money.hpp>
#include <bankflow/text.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace bankflow::detail::pdf {

namespace {

// ---- small shared pieces ----

std::string fold_word(const word& w) { return fold(w.text); }

// The first money value after the words that make up `folded_label` on a line: "Total da fatura
// anterior   3.210,55   R$ 7.416,72" → 321055. A lone "-" before the number makes it negative.
std::optional<std::int64_t> value_after(const line& l, std::string_view folded_label) {
  std::string acc;
  std::size_t i = 0;
  for (; i < l.words.size(); ++i) {
    if (!acc.empty()) acc += ' ';
    acc += fold_word(l.words[i]);
    if (acc.find(folded_label) != std::string::npos) break;
  }
  if (i >= l.words.size()) return std::nullopt;
  for (std::size_t k = i + 1; k < l.words.size(); ++k) {
    const std::string& t = l.words[k].text;
    if (t == "-" || t == "+" || t == "R$") continue;
    auto v = money_word(t);
    if (!v) continue;  // "Pagamento efetuado em 12/09/2024  - 3.210,55", "(financiamento + moratório)"

    std::size_t j = k;
    if (j > i + 1 && l.words[j - 1].text == "R$") --j;
    if (j > i + 1 && ascii_signs(l.words[j - 1].text) == "-") v = -*v;
    return v;
  }
  return std::nullopt;
}

// The first DD/MM/YYYY after a folded label on a folded line.
std::optional<date> date_after(std::string_view folded_line, std::string_view label) {
  std::string_view rest = after(folded_line, label);
  if (rest.empty()) return std::nullopt;
  const std::size_t end = rest.find(' ');
  return dmy(rest.substr(0, end));
}

// The words of a line at or right of x (a margin cut).
line words_from(const line& l, double x) {
  line out;
  out.top = l.top;
  out.bottom = l.bottom;
  for (const auto& w : l.words)
    if ((w.x0 + w.x1) / 2 >= x) out.words.push_back(w);
  if (!out.words.empty()) {
    out.top = out.words.front().top;
    out.bottom = out.words.front().bottom;
  }
  return out;
}

// The page line a word of a rebuilt (column) line comes from, for line numbers and messages.
const line& origin_of(const pdf::page& p, const line& cl) {
  if (!cl.words.empty())
    for (const auto& l : p.lines)
      for (const auto& w : l.words)
        if (w.x0 == cl.words.front().x0 && w.top == cl.words.front().top && w.text == cl.words.front().text) return l;
  return cl;
}

// Index of the first word whose fold starts with `prefix` (words.size() when none).
std::size_t find_word(const line& l, std::string_view prefix, std::size_t from = 0) {
  for (std::size_t i = from; i < l.words.size(); ++i)
    if (fold_word(l.words[i]).starts_with(prefix)) return i;
  return l.words.size();
}

// The right edge of a column whose header is `name` optionally followed by "(R$)" or "R$".
double header_right(const line& l, std::size_t i) {
  double x = l.words[i].x1;
  if (i + 1 < l.words.size()) {
    const std::string& n = l.words[i + 1].text;
    if (n == "(R$)" || n == "R$") x = l.words[i + 1].x1;
  }
  return x;
}

// "agência: 1234 conta: 56789-0", "Agência 1234 Conta 1234567-8", "Agência/Conta: 1234/12345-6",
// "ag 1234 cc 12345-6": the branch and the account number as written.
void note_account(account& a, const line& l) {
  if (!a.number.empty()) return;
  for (std::size_t i = 0; i + 1 < l.words.size(); ++i) {
    const std::string f = fold_word(l.words[i]);
    const std::string& next = l.words[i + 1].text;
    if (f == "agencia/conta:") {
      const std::size_t slash = next.find('/');
      if (slash != std::string::npos) {
        a.branch = next.substr(0, slash);
        a.number = next.substr(slash + 1);
      }
      return;
    }
    if ((f == "agencia:" || f == "agencia" || f == "ag") && !next.empty() &&
        next.find_first_not_of("0123456789-") == std::string::npos)
      a.branch = next;
    if ((f == "conta:" || f == "conta" || f == "cc") && !a.branch.empty() && !next.empty() &&
        next.find_first_not_of("0123456789-") == std::string::npos) {
      a.number = next;
      return;
    }
  }
}

// "... de 01/10/2025 até 10/10/2025": the period's two dates after a label.
std::optional<std::pair<date, date>> period_after(std::string_view folded_line, std::string_view label) {
  std::string_view rest = after(folded_line, label);
  if (rest.empty()) return std::nullopt;
  std::optional<date> first, second;
  for (std::size_t i = 0; i < rest.size();) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    const std::size_t b = i;
    while (i < rest.size() && rest[i] != ' ') ++i;
    if (auto d = dmy(rest.substr(b, i - b))) {
      if (!first)
        first = d;
      else {
        second = d;
        break;
      }
    }
  }
  if (!first || !second) return std::nullopt;
  return std::pair{*first, *second};
}

// The year of a DD/MM row in a statement whose period ends in `end`: the end's year, or the year
// before for a month after the end's month (a December row in a January statement).
std::optional<date> in_period(day_month d, date end) {
  int year = static_cast<int>(end.year());
  if (d.month > static_cast<unsigned>(end.month())) --year;
  const date out{std::chrono::year{year}, std::chrono::month{d.month}, std::chrono::day{d.day}};
  if (!out.ok()) return std::nullopt;
  return out;
}

bool nearer(double x, double a, double b) { return std::abs(x - a) <= std::abs(x - b); }

// =====================================================================================
// a. Fatura
// =====================================================================================

class fatura_reader final : public reader {
 public:
  explicit fatura_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::credit_card; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        note(l);
        // the summary box on page 1: every payment line (usually one)
        if (p.number == 1 && fold(l.text()).find("pagamento efetuado") != std::string::npos)
          if (auto v = value_after(l, "pagamento efetuado")) payment_ = payment_.value_or(0) + std::abs(*v);
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) note(l);
    const double split = split_of(p);
    if (split <= 0) {
      for (const auto& l : p.lines)
        if (!read(p, l, l)) return *failure;
      return {};
    }
    for (const auto& cl : column(p.lines, 0, split))
      if (!read(p, origin_of(p, cl), cl)) return *failure;
    for (const auto& cl : column(p.lines, split, p.width + 1))
      if (!read(p, origin_of(p, cl), cl)) return *failure;
    return {};
  }

  result<void> finish() override {
    if (due_) st.due_date = due_;
    if (!usd_rate_.empty())
      for (foreign_amount& f : st.foreign_amounts)
        if (f.currency == "USD") f.rate = usd_rate_;
    const std::int64_t rows = sum_amounts(st);
    const std::int64_t computed = previous_.value_or(0) - payment_.value_or(0) + encargos_.value_or(0) - rows;
    reconcile(st, total_, computed,
              "bill total = Total da fatura anterior − Pagamento efetuado + E (encargos, summary box only) − Σ rows");
    if (launched_ && *launched_ != -rows)
      warn(0, "the rows add up to " + format_amount_br(-rows) + " of charges, the bill prints L Lançamentos atuais " +
                  format_amount_br(*launched_));
    for (const auto& [account_index, check] : card_checks_)
      reconcile_card(st, account_index, check.printed, -check.sum,
                     "Lançamentos no cartão (final " + st.accounts[account_index].number + ") = −Σ the card's rows");
    return {};
  }

 private:
  enum class section { none, national, international, products };
  struct card_check {
    std::optional<std::int64_t> printed;
    std::int64_t sum = 0;
  };

  void note(const line& l) {
    const std::string f = fold(l.text());
    if (!due_)
      if (auto d = date_after(f, "vencimento:")) due_ = d;
    if (!issued_)
      if (auto d = date_after(f, "emissao:")) issued_ = d;
    if (!previous_ && f.find("total da fatura anterior") != std::string::npos)
      previous_ = value_after(l, "total da fatura anterior");
    if (!encargos_ && f.find("encargos (financiamento") != std::string::npos)
      encargos_ = value_after(l, "encargos (financiamento");
    if (!launched_ && f.find("lancamentos atuais") != std::string::npos && f.find("total dos") == std::string::npos)
      launched_ = value_after(l, "lancamentos atuais");
    if (!total_ && f.find("total desta fatura") != std::string::npos) total_ = value_after(l, "total desta fatura");
  }

  // Where the right column starts: the leftmost section title, column header, card line or row
  // date that stands apart in the right part of the page. 0 when the page has one column.
  static double split_of(const pdf::page& p) {
    double best = 0;
    const double from = p.width * 0.4;
    for (const auto& l : p.lines)
      for (std::size_t i = 0; i < l.words.size(); ++i) {
        const word& w = l.words[i];
        if (w.x0 < from) continue;
        if (i > 0 && w.x0 - l.words[i - 1].x1 < 12) continue;  // inside a text, not a column start
        const std::string f = fold_word(w);
        const bool start = dm(w.text) || f == "lancamentos" || f == "lancamentos:" || f == "data" || f == "compras";
        if (start && (best == 0 || w.x0 < best)) best = w.x0;
      }
    return best > 0 ? best - 1 : 0;
  }

  std::size_t card_account(const std::string& number, const std::string& holder) {
    for (std::size_t i = 0; i < st.accounts.size(); ++i)
      if (st.accounts[i].number == number) return i;
    if (st.accounts.size() == 1 && st.accounts[0].number.empty()) {
      st.accounts[0].number = number;
      st.accounts[0].holder = holder;
      return 0;
    }
    account& a = st.accounts.emplace_back();
    a.kind = account_kind::credit_card;
    a.number = number;
    a.holder = holder;
    return st.accounts.size() - 1;
  }

  // One line of one column; false on a bad row without skip_bad_rows.
  bool read(const pdf::page& p, const line& origin, const line& l) {
    if (l.words.empty()) return true;
    const std::size_t intl_row = std::exchange(intl_row_, 0);  // only the very next line is its detail
    if (intl_row != 0 && foreign_detail(l, st.transactions[intl_row - 1])) return true;
    const std::string f = fold(l.text());
    if (f.starts_with("lancamentos: compras e saques")) {
      in_ = section::national;
      return true;
    }
    if (f.starts_with("lancamentos internacionais")) {
      in_ = section::international;
      return true;
    }
    if (f.starts_with("lancamentos: produtos e servicos")) {
      in_ = section::products;
      return true;
    }
    if (f.starts_with("compras parceladas") || f.find("total dos lancamentos atuais") != std::string::npos ||
        f.starts_with("proxima fatura") || f.starts_with("limites de credito") ||
        f.starts_with("encargos cobrados") || f.starts_with("fique atento") || f.starts_with("simulacao")) {
      in_ = section::none;
      return true;
    }
    if (in_ == section::none) return true;

    // per-card subtotal and card lines
    if (f.starts_with("lancamentos no cartao")) {
      const std::size_t at = f.find("(final ");
      if (at != std::string::npos) {
        const std::string number = card_number(f, at);
        const std::size_t a = card_account(number, {});
        card_checks_[a].printed = value_after(l, ")");
      }
      return true;
    }
    if (const std::size_t at = f.find("(final "); at != std::string::npos && f.back() == ')' && !dm(l.words[0].text)) {
      const std::string number = card_number(f, at);
      std::string holder;
      for (const auto& w : l.words) {
        if (fold_word(w).starts_with("(final")) break;
        if (!holder.empty()) holder += ' ';
        holder += w.text;
      }
      card_ = card_account(number, holder);
      card_checks_[card_];
      return true;
    }

    if (in_ == section::international && f.starts_with("dolar de conversao")) {
      dollar_rate(l);
      return true;
    }
    if (in_ == section::international && f.starts_with("repasse de iof")) {
      auto amount = trailing_amount(l);
      if (!amount) return bad_row(p, origin, errc::bad_amount, "the IOF line has no amount", "valor");
      const date when = issued_ ? *issued_ : (due_ ? *due_ : date{});
      if (!issued_ && !due_)
        return bad_row(p, origin, errc::bad_date, "the bill's Emissão date was not found before its rows", "data");
      std::size_t end = l.words.size() - 1;  // the description keeps its "em R$"
      add(when, l.text(0, end), -amount->value, line_number(p, origin), 0);
      warn(line_number(p, origin), "\"" + l.text(0, end) + "\" is undated: dated with the bill's Emissão");
      return true;
    }

    const auto d = dm(l.words[0].text);
    if (!d) return true;  // category/city and detail lines, column headers, totals
    auto amount = l.words.size() > 2 ? trailing_amount(l, 1, l.words.size()) : std::nullopt;
    if (!amount || amount->first <= 1)
      return bad_row(p, origin, errc::bad_amount, "a dated row without an amount", "valor");
    std::size_t desc_end = amount->first;
    // international rows: a US$ value printed on the row line is the US$ column, not description
    while (in_ == section::international && desc_end > 2 && money_word(l.words[desc_end - 1].text)) --desc_end;
    const std::string description = l.text(1, desc_end);
    const std::optional<std::chrono::year_month> bill =
        issued_ ? std::optional{std::chrono::year_month{issued_->year(), issued_->month()}}
                : (due_ ? std::optional{std::chrono::year_month{due_->year(), due_->month()}} : std::nullopt);
    if (!bill) return bad_row(p, origin, errc::bad_date, "the bill's Emissão date was not found before its rows", "data");
    const auto posted = date_on_bill(d->day, d->month, *bill, installment_in(description));
    if (!posted) return bad_row(p, origin, errc::bad_date, "\"" + l.words[0].text + "\" is not a date", "data");
    const std::size_t account = in_ == section::national ? card_ : 0;
    add(*posted, description, -amount->value, line_number(p, origin), account);
    if (in_ == section::national) card_checks_[account].sum += -amount->value;
    if (in_ == section::international) intl_row_ = st.transactions.size();
    return true;
  }

  // The detail line under an international row (§2.2.a): `SAN FRANCISCO 20,00  USD 20,00`, the
  // amount in the original currency, its ISO code, then the US$ value. Kept as the row's foreign
  // amount (enrichment's `foreign`); true when `l` was one.
  bool foreign_detail(const line& l, transaction& t) {
    for (std::size_t i = 1; i + 1 < l.words.size(); ++i) {
      if (!currency_code(l.words[i].text)) continue;
      const auto amount = money_word(l.words[i - 1].text);
      if (!amount || !*amount || !money_word(l.words[i + 1].text)) return false;
      keep_foreign(st, t, l.words[i].text, *amount);
      return true;
    }
    return false;
  }

  // `Dólar de Conversão R$ 5,76`, printed once after the international rows: the dollar's rate,
  // as printed, for the USD rows (finish()).
  void dollar_rate(const line& l) {
    std::string_view rate = l.words.back().text;
    if (rate.starts_with("R$")) rate.remove_prefix(2);
    if (money_word(rate) && rate.find_first_not_of("0123456789.,") == std::string_view::npos) usd_rate_ = st.keep(rate);
  }

  static std::string card_number(const std::string& f, std::size_t at) {
    std::string n;
    for (std::size_t i = at + 7; i < f.size() && f[i] >= '0' && f[i] <= '9'; ++i) n += f[i];
    return n;
  }

  section in_ = section::none;
  std::size_t intl_row_ = 0;   // 1 + index of the international row the last line read was; 0: none
  std::string_view usd_rate_;  // `Dólar de Conversão`, kept in st
  std::size_t card_ = 0;
  std::map<std::size_t, card_check> card_checks_;
  std::optional<date> due_, issued_;
  std::optional<std::int64_t> previous_, payment_, encargos_, launched_, total_;
};

double probe_fatura(const head& h) {
  if (!h.has("total desta fatura")) return 0;
  // labels of this layout (a PDFium re-print may lose the logo's "Itaú")
  int labels = 0;
  for (std::string_view label : {"resumo da fatura em r$", "lancamentos: compras e saques", "lancamentos no cartao (final",
                                 "lancamentos atuais"})
    if (h.has(label)) ++labels;
  if (labels < 2) return 0;
  double s = 0.6 + 0.1 * std::min(labels, 3);
  if (h.has("itau")) s += 0.05;
  return s;
}

// =====================================================================================
// b. Extrato PF
// =====================================================================================

class extrato_reader final : public reader {
 public:
  explicit extrato_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) note_account(st.accounts[0], l);
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      if (done_ || l.words.empty()) continue;
      const std::string f = fold(l.text());
      if ((f.starts_with("lancamentos futuros") || f.starts_with("saidas futuras") ||
           f.starts_with("posicao consolidada")) &&
          (opening_ || !st.transactions.empty())) {
        done_ = true;
        continue;
      }
      const auto posted = dmy(l.words[0].text);
      if (!posted) continue;
      auto last = trailing_amount(l, 1, l.words.size());
      if (!last || last->first <= 1) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      std::optional<amount_found> before = trailing_amount(l, 1, last->first);
      if (before && before->first <= 1) before.reset();
      const std::size_t desc_end = before ? before->first : last->first;
      const std::string description = l.text(1, desc_end);
      const std::string fd = fold(description);
      if (fd.starts_with("saldo")) {
        if (fd.starts_with("saldo anterior")) {
          if (!opening_) opening_ = last->value;
        } else {
          closing_ = last->value;
          closing_date_ = posted;
        }
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      transaction& t = add(*posted, description, before ? before->value : last->value, line_number(p, l));
      if (before) t.balance = last->value;
    }
    return {};
  }

  result<void> finish() override {
    reconcile_balances(st, opening_, closing_, closing_date_);
    return {};
  }

 private:
  bool done_ = false;
  std::optional<std::int64_t> opening_, closing_;
  std::optional<date> closing_date_;
};

double probe_extrato(const head& h) {
  if (!h.has("extrato conta corrente") || !h.has("periodo de visualizacao")) return 0;
  double s = 0.7;
  if (h.has("itau")) s += 0.15;
  if (h.has("saldo (r$)") && h.has("valor (r$)")) s += 0.05;
  return s;
}

// =====================================================================================
// c. Itaú Empresas extrato (WDPDF)
// =====================================================================================

class empresas_reader final : public reader {
 public:
  explicit empresas_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        note_account(st.accounts[0], l);
        if (!period_)
          if (auto per = period_after(fold(l.text()), "extrato de")) period_ = per;
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      if (l.words.empty()) continue;
      const std::size_t ag = find_word(l, "ag./origem");
      const std::size_t valor = find_word(l, "valor");
      const std::size_t saldo = find_word(l, "saldo");
      if (ag < l.words.size() && valor < l.words.size() && saldo < l.words.size() && find_word(l, "data") == 0) {
        origin_x_ = l.words[ag].x0;
        valor_x_ = header_right(l, valor);
        saldo_x_ = header_right(l, saldo);
        continue;
      }
      const auto d = dm(l.words[0].text);
      if (!d) continue;
      auto amount = trailing_amount(l, 1, l.words.size());
      if (!amount || amount->first <= 1) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      if (!period_) {
        if (!bad_row(p, l, errc::bad_date, "the statement's period (Extrato de … até …) was not found", "data"))
          return *failure;
        continue;
      }
      const auto posted = in_period(*d, period_->second);
      if (!posted) {
        if (!bad_row(p, l, errc::bad_date, "\"" + l.words[0].text + "\" is not a date", "data")) return *failure;
        continue;
      }
      std::string description;
      for (std::size_t i = 1; i < amount->first; ++i) {
        const word& w = l.words[i];
        if (origin_x_ && (w.x0 + w.x1) / 2 >= *origin_x_ - 2) continue;  // the Ag./Origem column
        if (!description.empty()) description += ' ';
        description += w.text;
      }
      const std::string fd = fold(description);
      if (fd.starts_with("saldo")) {
        if (fd.starts_with("saldo anterior")) {
          if (!opening_) opening_ = amount->value;
        } else {
          closing_ = amount->value;
          closing_date_ = posted;
        }
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      if (valor_x_ && saldo_x_ && !nearer(amount->x1, *valor_x_, *saldo_x_)) {
        // a value in the Saldo column of a row that is not a balance row
        if (!bad_row(p, l, errc::bad_amount, "the row has a balance but no value", "valor")) return *failure;
        continue;
      }
      add(*posted, description, amount->value, line_number(p, l));
    }
    return {};
  }

  result<void> finish() override {
    reconcile_balances(st, opening_, closing_, closing_date_);
    return {};
  }

 private:
  std::optional<std::pair<date, date>> period_;
  std::optional<double> origin_x_, valor_x_, saldo_x_;
  std::optional<std::int64_t> opening_, closing_;
  std::optional<date> closing_date_;
};

double probe_empresas(const head& h) {
  if (!h.has_compact("itauempresas")) return 0;
  if (!h.has("extrato de") || !h.has("ag./origem")) return 0;
  return 0.9;
}

// =====================================================================================
// d. Itaú Empresas `Lançamentos`
// =====================================================================================

class lancamentos_reader final : public reader {
 public:
  explicit lancamentos_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) note_account(st.accounts[0], l);
  }

  result<void> page(const pdf::page& p) override {
    // the table's header on this page (else the last page's)
    std::size_t first = 0;
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
      const line& l = p.lines[i];
      const std::size_t razao = find_word(l, "razao");
      const std::size_t valor = find_word(l, "valor");
      const std::size_t saldo = find_word(l, "saldo");
      if (razao < l.words.size() && valor < l.words.size() && saldo < l.words.size() && find_word(l, "data") == 0) {
        razao_x_ = l.words[razao].x0;
        valor_x_ = header_right(l, valor);
        saldo_x_ = header_right(l, saldo);
        first = i + 1;
        break;
      }
    }
    if (!razao_x_) return {};  // no table yet

    // rows, and the wrapped lines that belong to the nearest row
    std::vector<std::size_t> rows;
    for (std::size_t i = first; i < p.lines.size(); ++i)
      if (!p.lines[i].words.empty() && dmy(p.lines[i].words[0].text)) rows.push_back(i);
    std::vector<std::vector<std::size_t>> wraps(rows.size());
    for (std::size_t i = first; i < p.lines.size(); ++i) {
      const line& l = p.lines[i];
      if (l.words.empty() || dmy(l.words[0].text)) continue;
      std::size_t best = rows.size();
      double best_dy = 0;
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const line& row = p.lines[rows[r]];
        const double dy = std::abs(l.top - row.top);
        const double height = std::max(row.bottom - row.top, 1.0);
        if (dy <= 1.6 * height && (best == rows.size() || dy < best_dy)) {
          best = r;
          best_dy = dy;
        }
      }
      if (best < rows.size()) wraps[best].push_back(i);
    }

    for (std::size_t r = 0; r < rows.size(); ++r) {
      const line& l = p.lines[rows[r]];
      const auto posted = dmy(l.words[0].text);
      auto amount = trailing_amount(l, 1, l.words.size());
      if (!amount || amount->first < 1) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor")) return *failure;
        continue;
      }
      // the Lançamentos text: wrapped lines above, the row's own words, wrapped lines below
      std::string description;
      auto take = [&](const line& from, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const word& w = from.words[i];
          if ((w.x0 + w.x1) / 2 >= *razao_x_ - 2) continue;  // Razão Social, CNPJ/CPF
          if (!description.empty()) description += ' ';
          description += w.text;
        }
      };
      for (std::size_t w : wraps[r])
        if (p.lines[w].top < l.top) take(p.lines[w], 0, p.lines[w].words.size());
      take(l, 1, amount->first);
      for (std::size_t w : wraps[r])
        if (p.lines[w].top > l.top) take(p.lines[w], 0, p.lines[w].words.size());
      const std::string fd = fold(description);
      const bool in_saldo = !nearer(amount->x1, *valor_x_, *saldo_x_);
      if (fd.starts_with("saldo") || (in_saldo && fd.empty())) {
        if (fd.starts_with("saldo anterior"))
          opening_ = amount->value;
        else if (fd.starts_with("saldo em conta") && !closing_) {
          closing_ = amount->value;
          closing_date_ = posted;
        }
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      if (in_saldo) {
        if (!bad_row(p, l, errc::bad_amount, "the row has a balance but no value", "valor")) return *failure;
        continue;
      }
      if (description.empty()) {
        if (!bad_row(p, l, errc::bad_amount, "a dated row without a description", "lancamentos")) return *failure;
        continue;
      }
      add(*posted, description, amount->value, line_number(p, l));
    }
    return {};
  }

  result<void> finish() override {
    reconcile_balances(st, opening_, closing_, closing_date_);
    return {};
  }

 private:
  std::optional<double> razao_x_, valor_x_, saldo_x_;
  std::optional<std::int64_t> opening_, closing_;
  std::optional<date> closing_date_;
};

double probe_lancamentos(const head& h) {
  if (!h.has("lancamentos do periodo:") || !h.has("razao social") || !h.has("cnpj/cpf")) return 0;
  double s = 0.8;
  if (h.has("saldo total disponivel dia") || h.has("saldo em conta corrente")) s += 0.1;
  return s;
}

// =====================================================================================
// e. extrato mensal PJ
// =====================================================================================

class mensal_reader final : public reader {
 public:
  explicit mensal_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        note_account(st.accounts[0], l);
        if (!month_ && fold(l.text()).starts_with("extrato mensal"))
          for (std::size_t i = 0; i + 1 < l.words.size(); ++i) {
            const unsigned m = month_of(l.words[i].text);
            const std::string& y = l.words[i + 1].text;
            if (m && y.size() == 4 && y.find_first_not_of("0123456789") == std::string::npos) {
              month_ = date{std::chrono::year{std::stoi(y)}, std::chrono::month{m}, std::chrono::day{1}};
              break;
            }
          }
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& raw : p.lines) {
      if (done_ || raw.words.empty()) continue;
      // the table header (two lines: the first has data, descrição, entradas, saídas, saldo)
      {
        const std::size_t data = find_word(raw, "data");
        const std::size_t desc = find_word(raw, "descricao");
        const std::size_t in = find_word(raw, "entradas");
        const std::size_t out = find_word(raw, "saidas");
        const std::size_t bal = find_word(raw, "saldo");
        const std::size_t n = raw.words.size();
        if (data < n && desc < n && in < n && out < n && bal < n && data < desc) {
          cut_x_ = raw.words[data].x0 - 2;
          desc_x_ = raw.words[desc].x0;
          in_x_ = header_right(raw, in);
          out_x_ = header_right(raw, out);
          bal_x_ = header_right(raw, bal);
          in_table_ = true;
          continue;
        }
      }
      if (!in_table_) continue;
      if (fold(raw.text()).starts_with("extrato mensal")) continue;  // the page header
      const line l = words_from(raw, *cut_x_);  // drops page 1's legend in the left margin
      if (l.words.empty()) continue;
      if (fold(l.text()).starts_with("(creditos)")) continue;
      std::size_t i = 0;
      bool dated = false;
      if (auto d = dm(l.words[0].text); d && l.words[0].x1 < *desc_x_) {
        day_ = d;
        dated = true;
        i = 1;
      }
      std::string description;
      std::optional<std::int64_t> credit, debit, balance;
      for (; i < l.words.size(); ++i) {
        const word& w = l.words[i];
        auto v = w.x1 > (*desc_x_ + *in_x_) / 2 ? money_word(w.text) : std::nullopt;
        if (!v) {
          if (!description.empty()) description += ' ';
          description += w.text;
          continue;
        }
        const double dx_in = std::abs(w.x1 - *in_x_), dx_out = std::abs(w.x1 - *out_x_), dx_bal = std::abs(w.x1 - *bal_x_);
        if (dx_bal < dx_in && dx_bal < dx_out)
          balance = v;
        else if (dx_out < dx_in || *v < 0)
          debit = -std::llabs(*v);
        else
          credit = v;
      }
      const std::string fd = fold(description);
      if (fd.starts_with("saldo")) {
        if (fd.starts_with("saldo anterior")) opening_ = balance;
        if (fd.starts_with("saldo final")) {
          closing_ = balance;
          done_ = true;
        }
        warn(line_number(p, raw), "balance row \"" + l.text() + "\" is not a transaction");
        continue;
      }
      if (!credit && !debit) {
        if (dated && !description.empty() &&
            !bad_row(p, raw, errc::bad_amount, "a dated row without an amount", "valor"))
          return *failure;
        continue;
      }
      if (credit && debit) {
        if (!bad_row(p, raw, errc::bad_amount, "a row with both an entrada and a saída", "valor")) return *failure;
        continue;
      }
      if (!day_ || !month_) {
        if (!bad_row(p, raw, errc::bad_date, "a row before any date (or the statement's month was not found)", "data"))
          return *failure;
        continue;
      }
      const auto posted = in_period(*day_, *month_);
      if (!posted) {
        if (!bad_row(p, raw, errc::bad_date, "not a date", "data")) return *failure;
        continue;
      }
      transaction& t = add(*posted, description, credit ? *credit : *debit, line_number(p, raw));
      t.balance = balance;
    }
    return {};
  }

  result<void> finish() override {
    reconcile_balances(st, opening_, closing_);
    return {};
  }

 private:
  bool in_table_ = false, done_ = false;
  std::optional<double> cut_x_, desc_x_, in_x_, out_x_, bal_x_;
  std::optional<day_month> day_;
  std::optional<date> month_;
  std::optional<std::int64_t> opening_, closing_;
};

double probe_mensal(const head& h) {
  if (!h.has("extrato mensal")) return 0;
  if (!h.has("entradas r$") || !h.has("saidas r$")) return 0;
  double s = 0.75;
  if (h.has("conta corrente | movimentacao")) s += 0.15;
  return s;
}

}  // namespace

const pdf_layout itau_fatura_pdf{probe_fatura,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<fatura_reader>(o); }};

const pdf_layout itau_extrato_pdf{probe_extrato,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<extrato_reader>(o); }};

const pdf_layout itau_empresas_pdf{probe_empresas,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<empresas_reader>(o); }};

const pdf_layout itau_lancamentos_pdf{probe_lancamentos,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<lancamentos_reader>(o); }};

const pdf_layout itau_extrato_mensal_pdf{probe_mensal,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<mensal_reader>(o); }};

}  // namespace bankflow::detail::pdf
