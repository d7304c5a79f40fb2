// Santander extrato PJ re-printed from Excel (FORMATS-PDF.md §2.9): rows `DD/MM/YYYY HISTÓRICO
// [DOCUMENTO] VALOR [SALDO]` with signed values. Overflowing cells: the document glued to the
// value (`1234/0001234561.036,00`, `REDE-CABAL DEB28,93`, `CP 099-4.865,82`), the value alone on
// the next line, or the Histórico continued on a line of its own. `SALDO ANTERIOR` is the opening
// balance; the last printed saldo the closing one.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail::pdf {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// A strict pt-BR number: no leading zero before another digit ("0,50" yes, "0001,00" no).
bool plain_number(std::string_view s) {
  if (s.size() > 1 && s[0] == '0' && digit(s[1])) return false;
  return money_word(s).has_value();
}

struct glued {
  std::string prefix;     ///< the text glued before the value (the document's end)
  std::int64_t value = 0;
  bool guessed = false;   ///< digits glued to digits: where the document ends was inferred
};

// Splits a word ending in a pt-BR number that has text glued before it.
std::optional<glued> split_glued(std::string_view w) {
  const std::size_t comma = w.rfind(',');
  if (comma == std::string_view::npos || w.size() - comma != 3 || !digit(w[comma + 1]) || !digit(w[comma + 2]))
    return std::nullopt;
  std::size_t s = comma;  // start of the run of digits and dots before the comma
  while (s > 0 && (digit(w[s - 1]) || w[s - 1] == '.')) --s;
  if (s == 0) return std::nullopt;  // nothing glued
  const std::string_view run = w.substr(s, w.size() - s);
  glued out;
  if (w[s - 1] == '-') {
    // a CNPJ or CPF glued to the value: its two check digits after the '-' are the document's
    const std::string_view before = w.substr(0, s - 1);
    const bool cnpj = before.size() >= 5 && before[before.size() - 5] == '/';
    const bool cpf = before.size() >= 11 && before[before.size() - 4] == '.' && before[before.size() - 8] == '.';
    if ((cnpj || cpf) && comma > s + 2 && plain_number(w.substr(s + 2))) {
      out.prefix = std::string(w.substr(0, s + 2));
      out.value = *money_word(w.substr(s + 2));
      return out;
    }
    // `CP 099-4.865,82`: the minus starts the value
    if (!plain_number(run)) return std::nullopt;
    out.prefix = std::string(w.substr(0, s - 1));
    out.value = -*money_word(run);
    return out;
  }
  if (!digit(w[s]) && w[s] != '.') return std::nullopt;
  if (!digit(w[s - 1]) && w[s - 1] != '/' && plain_number(run)) {  // `DEB28,93`
    out.prefix = std::string(w.substr(0, s));
    out.value = *money_word(run);
    return out;
  }
  // digits glued to digits (`1234/0001234561.036,00`): an agency/account document is 4/9 digits;
  // otherwise the shortest number that reads
  if (w[s - 1] == '/' && s >= 5) {
    const std::size_t cut = s + 9;
    if (cut < comma && plain_number(w.substr(cut))) {
      out.prefix = std::string(w.substr(0, cut));
      out.value = *money_word(w.substr(cut));
      return out;
    }
  }
  for (std::size_t cut = comma; cut-- > s;) {
    if (!digit(w[cut])) continue;
    if (plain_number(w.substr(cut))) {
      out.prefix = std::string(w.substr(0, cut));
      out.value = *money_word(w.substr(cut));
      out.guessed = true;
      return out;
    }
  }
  return std::nullopt;
}

struct value_found {
  std::int64_t value = 0;
  std::optional<std::int64_t> saldo;
  std::size_t first = 0;   ///< index of the first word of the value (the glued word included)
  std::string prefix;      ///< glued document text, to append to the description
  bool guessed = false;
};

// The value (and saldo) at the end of words [first, size) of a line.
std::optional<value_found> values(const line& l, std::size_t first) {
  const std::size_t n = l.words.size();
  if (first >= n) return std::nullopt;
  auto one = [&](std::size_t end) -> std::optional<value_found> {
    if (end <= first) return std::nullopt;
    const std::string_view w = l.words[end - 1].text;
    if (plain_number(w) || ((w.front() == '-' || w.front() == '+') && plain_number(w.substr(1)))) {
      value_found v;
      v.value = *money_word(w);
      v.first = end - 1;
      return v;
    }
    if (auto g = split_glued(w)) {
      value_found v;
      v.value = g->value;
      v.first = end - 1;
      v.prefix = g->prefix;
      v.guessed = g->guessed;
      return v;
    }
    return std::nullopt;
  };
  auto last = one(n);
  if (!last) return std::nullopt;
  if (last->prefix.empty()) {
    if (auto before = one(last->first)) {
      before->saldo = last->value;
      return before;
    }
  }
  return last;
}

class santander_reader final : public reader {
 public:
  explicit santander_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        const std::string f = fold(l.text());
        if (f.starts_with("agencia") && f.find("conta") != std::string::npos) {
          for (std::size_t i = 0; i + 1 < l.words.size(); ++i)
            if (fold(l.words[i].text) == "conta") st.accounts[0].number = l.words[i + 1].text;
            else if (fold(l.words[i].text) == "agencia") st.accounts[0].branch = l.words[i + 1].text;
          return;
        }
      }
  }

  result<void> page(const pdf::page& p) override {
    for (const auto& l : p.lines) {
      if (l.words.empty()) continue;
      const std::string f = fold(l.text());
      const auto posted = dmy(l.words[0].text);
      if (!posted) {
        if (!open_ || f.starts_with("agencia") || (f.starts_with("data") && f.find("historico") != std::string::npos))
          continue;
        // a continuation of the open row: its value alone, or its Histórico
        auto v = values(l, 0);
        if (v && pending_value_) {
          std::string extra = l.text(0, v->first);
          if (!v->prefix.empty()) extra += (extra.empty() ? "" : " ") + v->prefix;
          complete(*v, extra, line_number(p, l));
        } else if (!v) {
          pending_description_ += " " + l.text();
          if (!pending_value_) st.transactions.back().description = st.keep(collapse_blanks(pending_description_));
        } else {
          open_ = false;
        }
        continue;
      }
      if (!flush()) return *failure;
      if (f.find("saldo anterior") != std::string::npos) {
        if (auto v = values(l, 1)) opening_ = v->saldo ? *v->saldo : v->value;
        warn(line_number(p, l), "balance row \"" + l.text() + "\" is not a transaction");
        open_ = false;
        continue;
      }
      auto v = values(l, 1);
      pending_date_ = *posted;
      pending_line_ = l;
      pending_page_ = p.number;
      pending_at_ = line_number(p, l);
      open_ = true;
      if (!v || (v->first <= 1 && v->prefix.empty())) {
        pending_description_ = l.text(1, l.words.size());
        pending_value_ = true;
        continue;
      }
      pending_description_ = l.text(1, v->first);
      pending_value_ = true;
      complete(*v, {}, line_number(p, l));
    }
    return {};
  }

  result<void> finish() override {
    if (!flush()) return *failure;
    reconcile_balances(st, opening_, closing_);
    return {};
  }

 private:
  void complete(const value_found& v, const std::string& extra, std::size_t at) {
    std::string d = pending_description_;
    if (!v.prefix.empty() && extra.empty()) d += " " + v.prefix;
    if (!extra.empty()) d += " " + extra;
    transaction& t = add(pending_date_, d, v.value, at);
    (void)at;
    t.line = pending_at_;
    // the closing balance is the saldo of the last row (the saldos printed every ~500 rows do
    // not always chain with the print order)
    closing_ = v.saldo;
    if (v.saldo) t.balance = v.saldo;
    if (v.guessed)
      warn(t.line, "the document and the value are glued together (\"" + v.prefix + "…\"); the split was inferred");
    pending_description_ = d;
    pending_value_ = false;
  }

  // A dated row whose value never came: a bad row.
  bool flush() {
    if (!pending_value_) return true;
    pending_value_ = false;
    pdf::page where;  // the row's page may be gone: a copy of its line
    where.number = pending_page_;
    where.lines.push_back(pending_line_);
    return bad_row(where, where.lines.back(), errc::bad_amount, "a dated row without an amount", "valor");
  }

  bool open_ = false;
  bool pending_value_ = false;
  date pending_date_{};
  std::string pending_description_;
  line pending_line_;
  unsigned pending_page_ = 0;
  std::size_t pending_at_ = 0;
  std::optional<std::int64_t> opening_, closing_;
};

double probe(const head& h) {
  if (!h.has("agencia") || !h.has("conta")) return 0;
  if (!h.has("valor (r$)") || !h.has("saldo (r$)") || !h.has("historico")) return 0;
  // Santander's own export: its rows and SALDO ANTERIOR; no other bank's labels
  if (h.has("saldo anterior") && (h.has("santander") || h.producer.find("Excel") != std::string::npos ||
                                  h.creator.find("Excel") != std::string::npos))
    return 0.9;
  return 0;
}

}  // namespace

const pdf_layout santander_extrato_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<santander_reader>(o); }};

}  // namespace bankflow::detail::pdf
