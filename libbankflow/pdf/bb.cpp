// Banco do Brasil extrato PJ `Extrato de conta corrente - Autorizável` (FORMATS-PDF.md §2.6.a).
// Rows `DD/MM/YYYY [DD/MM/YYYY] 0000 LOTE Histórico Documento valor C|D [saldo C|D]`. A value too
// wide for its cell prints its number on the line above the row and its C/D on the line below; if
// the row has no inline value that number is the amount, else it is the day-end saldo. A Histórico
// too long splits the same way (`ORPAG ORIGEM <value>` above, `EXTERIOR C` below). Later pages have
// no header and other offsets, so rows are read by their words' shapes, not by columns.
// `Saldo Anterior` is the opening balance, the letter-spaced `S A L D O` the closing one;
// `Lançamentos futuros` and what follows are not rows. The compiled public-sector printouts
// (§2.6.b): one printout per account (`Extrato conta corrente`, `Conta corrente NNNNN-N NAME`),
// rows `DD/MM/YYYY [DD/MM/YYYY] [+] Histórico Documento valor C|D [saldo C|D]`, each account's
// rows with its account and its own Saldo Anterior / SALDO check.

#include "pdf/layout.hpp"

#include <bankflow/text.hpp>

namespace bankflow::detail::pdf {

namespace {

bool all_digits(std::string_view w) {
  if (w.empty()) return false;
  for (const char c : w)
    if (c < '0' || c > '9') return false;
  return true;
}

// A document number: digits with dot groups ("88.000.001", "512").
bool document_word(std::string_view w) {
  if (w.empty() || w.front() < '0' || w.front() > '9') return false;
  for (const char c : w)
    if ((c < '0' || c > '9') && c != '.') return false;
  return true;
}

bool cd_word(std::string_view w) { return w == "C" || w == "D"; }

std::string compact_fold(std::string_view s) {
  std::string f = fold(s);
  std::erase(f, ' ');
  return f;
}

// A line above a row holding a wrapped number: an unsigned amount at its end, no date.
std::optional<amount_found> wrapped_number(const line& l) {
  if (l.words.empty() || dmy(l.words[0].text)) return std::nullopt;
  if (!money_word(l.words.back().text)) return std::nullopt;
  auto a = trailing_amount(l);
  if (!a || a->sign_printed) return std::nullopt;
  return a;
}

// A line below a row holding the wrapped C/D: its last word, no date.
bool wrapped_sign(const line& l) {
  if (l.words.empty() || dmy(l.words[0].text)) return false;
  if (!cd_word(l.words.back().text)) return false;
  return !(l.words.size() >= 2 && money_word(l.words[l.words.size() - 2].text));
}

class bb_reader final : public reader {
 public:
  explicit bb_reader(const reader_options& o) : reader(o) { st.accounts.emplace_back().kind = account_kind::checking; }

  void begin(const head& h) override {
    compiled_ = !h.has("autorizavel");
    if (compiled_) return;  // each printout names its own account
    for (const auto& p : h.pages)
      for (const auto& l : p.lines) {
        const std::string f = fold(l.text());
        if (f.starts_with("agencia") && l.words.size() == 2 && st.accounts[0].branch.empty())
          st.accounts[0].branch = l.words[1].text;
        if (f.starts_with("conta corrente") && l.words.size() >= 3) {
          // `Conta corrente NNNNNN-N<COMPANY>` (glued)
          std::string w = l.words[2].text, number;
          for (const char c : w) {
            if ((c >= '0' && c <= '9') || c == '-' || c == 'X' || c == 'x') number += c;
            else break;
          }
          st.accounts[0].number = number;
          return;
        }
      }
  }

  result<void> page(const pdf::page& p) override {
    if (done_) return {};
    // the page's lines with words (a wrapped part is the neighbouring one of these)
    std::vector<const line*> ls;
    for (const auto& l : p.lines)
      if (!l.words.empty()) ls.push_back(&l);
    std::size_t from = 0;
    if (deferred_) {
      // the row that ended the previous page: its C/D may be this page's first line
      const bool below = !ls.empty() && wrapped_sign(*ls.front());
      pdf::page where;
      where.number = deferred_page_;
      where.lines.push_back(deferred_row_);
      const line* above = deferred_above_.empty() ? nullptr : &deferred_above_;
      deferred_ = false;
      if (!row(where, where.lines.back(), deferred_at_, above, below ? ls.front() : nullptr)) return *failure;
      if (below) from = 1;
    }
    for (std::size_t i = from; i < ls.size(); ++i) {
      const line& l = *ls[i];
      const std::string f = fold(l.text());
      if (f.starts_with("lancamentos futuros")) {
        done_ = true;
        break;
      }
      if (compiled_) {
        if (!compiled_line(p, l, f)) return *failure;
        continue;
      }
      if (!is_row(l)) continue;
      const line* above = i > 0 ? ls[i - 1] : (carried_.empty() ? nullptr : &carried_);
      if (i + 1 == ls.size()) {
        // the last line of the page: its C/D, if wrapped, is on the next page
        deferred_ = true;
        deferred_row_ = l;
        deferred_above_ = above ? *above : line{};
        deferred_page_ = p.number;
        deferred_at_ = line_number(p, l);
        continue;
      }
      if (!row(p, l, line_number(p, l), above, ls[i + 1])) return *failure;
    }
    carried_ = ls.empty() ? line{} : *ls.back();
    return {};
  }

  // A row line: `DD/MM/YYYY [DD/MM/YYYY] 0000 LOTE …` (not the page-1 timestamp).
  static bool is_row(const line& l) {
    if (!dmy(l.words[0].text)) return false;
    std::size_t first = 1;
    if (first < l.words.size() && dmy(l.words[first].text)) ++first;
    return first < l.words.size() && all_digits(l.words[first].text);
  }

  bool row(const pdf::page& p, const line& l, std::size_t at, const line* above_line, const line* below_line) {
    const auto posted = dmy(l.words[0].text);
    std::size_t first = 1;
    if (first < l.words.size() && dmy(l.words[first].text)) ++first;  // Dt. movimento
    if (compiled_) {
      if (first < l.words.size() && l.words[first].text == "+") ++first;  // `+ Transferência enviada`
    } else {
      for (int k = 0; k < 2 && first < l.words.size() && all_digits(l.words[first].text); ++k) ++first;
    }

    // inline amounts: value and saldo, each with C/D
    std::optional<amount_found> value, saldo;
    std::size_t end = l.words.size();
    if (auto a = trailing_amount(l, first, end); a && a->sign_printed) {
      value = a;
      end = a->first;
      if (auto b = trailing_amount(l, first, end); b && b->sign_printed) {
        saldo = value;
        value = b;
        end = b->first;
      }
    }
    std::string_view document;
    if (end > first && document_word(l.words[end - 1].text)) document = l.words[--end].text;
    std::string history = l.text(first, end);

    // the wrapped parts: a number above, the C/D below
    std::optional<amount_found> above;
    std::string above_text, below_text;
    bool below_sign = false;
    std::int64_t below_value_sign = 1;
    if (above_line) {
      if (auto a = wrapped_number(*above_line)) {
        above = a;
        above_text = above_line->text(0, a->first);
      }
    }
    if (below_line && wrapped_sign(*below_line)) {
      below_sign = true;
      below_value_sign = below_line->words.back().text == "D" ? -1 : 1;
      below_text = below_line->text(0, below_line->words.size() - 1);
    }
    std::string description = above_text;
    for (const std::string* part : {&history, &below_text})
      if (!part->empty()) description += (description.empty() ? "" : " ") + *part;
    if (above && below_sign) {
      amount_found w = *above;
      w.value = below_value_sign * (above->value < 0 ? -above->value : above->value);
      w.sign_printed = true;
      if (!value) value = w;
      else if (!saldo) saldo = w;
    }

    const std::string c = compact_fold(description);
    if (c == "saldoanterior" || c == "saldo") {
      const auto& bal = saldo ? saldo : value;
      if (bal) {
        if (compiled_) {
          if (c == "saldo") st.accounts[account_].closing_balance = bal->value;
          else if (!st.accounts[account_].opening_balance) st.accounts[account_].opening_balance = bal->value;
        } else if (c == "saldo") {
          closing_ = bal->value;
        } else if (!opening_) {
          opening_ = bal->value;
        }
      }
      warn(at, "balance row \"" + (description.empty() ? l.text() : description) + "\" is not a transaction");
      return true;
    }
    if (!value) return bad_row(p, l, errc::bad_amount, "a dated row without an amount", "valor");
    transaction& t = add(*posted, description, value->value, at, account_);
    if (!document.empty()) t.document = st.keep(document);
    if (saldo) t.balance = saldo->value;
    return true;
  }

  result<void> finish() override {
    if (deferred_) {
      deferred_ = false;
      pdf::page where;
      where.number = deferred_page_;
      where.lines.push_back(deferred_row_);
      const line* above = deferred_above_.empty() ? nullptr : &deferred_above_;
      if (!done_ && !row(where, where.lines.back(), deferred_at_, above, nullptr)) return *failure;
    }
    if (compiled_) return finish_compiled();
    reconcile_balances(st, opening_, closing_);
    return {};
  }

  // ---- the compiled public-sector printouts (§2.6.b): one printout per account ----

  // One line of a compiled file: a printout's title, account, column header, rows and end.
  bool compiled_line(const pdf::page& p, const line& l, const std::string& f) {
    if (f.starts_with("extrato conta corrente") || f.starts_with("extrato de conta corrente")) {
      // a new printout: a new account unless the current one is still unnamed and empty
      if (!st.accounts[account_].number.empty() || rows_in_account_ > 0) {
        st.accounts.emplace_back().kind = account_kind::checking;
        account_ = st.accounts.size() - 1;
        rows_in_account_ = 0;
      }
      in_printout_ = true;
      in_rows_ = false;
      return true;
    }
    if (!in_printout_) return true;  // the cover page
    if (f.starts_with("conta corrente") && l.words.size() >= 3 && st.accounts[account_].number.empty()) {
      std::string number;
      for (const char c : l.words[2].text) {
        if ((c >= '0' && c <= '9') || c == '-' || c == 'X' || c == 'x') number += c;
        else break;
      }
      st.accounts[account_].number = number;
      return true;
    }
    if (f.starts_with("agencia") && l.words.size() >= 2 && st.accounts[account_].branch.empty()) {
      st.accounts[account_].branch = l.words.back().text;
      return true;
    }
    if (f.starts_with("dt. movimento") || (f.starts_with("dt.") && f.find("historico") != std::string::npos)) {
      in_rows_ = true;
      return true;
    }
    if (f.starts_with("transacao efetuada com sucesso")) {
      in_printout_ = false;
      in_rows_ = false;
      return true;
    }
    if (!in_rows_ || !dmy(l.words[0].text)) return true;
    const std::size_t before = st.transactions.size();
    if (!row(p, l, line_number(p, l), nullptr, nullptr)) return false;
    if (st.transactions.size() > before) ++rows_in_account_;
    return true;
  }

  result<void> finish_compiled() {
    // each account: its SALDO against Saldo Anterior + its rows; the file: all of them
    if (!st.reconciliation) st.reconciliation.emplace();
    std::int64_t printed = 0, computed = 0;
    bool all = true;
    for (std::size_t i = 0; i < st.accounts.size(); ++i) {
      const account& a = st.accounts[i];
      const auto& c = reconcile_card(st, i, a.opening_balance ? a.closing_balance : std::nullopt,
                                     a.opening_balance.value_or(0) + sum_amounts(st, i),
                                     "SALDO = Saldo Anterior + Σ rows of the account");
      if (c.printed) printed += *c.printed;
      else all = false;
      computed += c.computed;
    }
    if (all) reconcile(st, printed, computed, "Σ SALDO of the accounts = Σ (Saldo Anterior + rows)");
    else reconcile_balances(st, std::nullopt, std::nullopt);
    return {};
  }

 private:
  bool done_ = false;
  bool compiled_ = false;      ///< §2.6.b: printouts of several accounts
  bool in_printout_ = false, in_rows_ = false;
  std::size_t account_ = 0, rows_in_account_ = 0;
  line carried_;          ///< the previous page's last line (a wrapped number above this page's first row)
  bool deferred_ = false;  ///< the previous page ended on a row: its C/D may open this page
  line deferred_row_, deferred_above_;
  unsigned deferred_page_ = 0;
  std::size_t deferred_at_ = 0;
  std::optional<std::int64_t> opening_, closing_;
};

double probe(const head& h) {
  if (!h.has("dt. balancete") || !h.has("historico")) return 0;
  if (h.has("extrato de conta corrente") && h.has("autorizavel")) return 0.92;
  // the compiled printouts (§2.6.b): `Extrato conta corrente`, `Período do extrato MM/YYYY`
  if (h.has("extrato conta corrente") && h.has("dt. movimento") && h.has("periodo do extrato")) return 0.85;
  return 0;
}

}  // namespace

const pdf_layout bb_extrato_pdf{probe,
    [](const reader_options& o) -> std::unique_ptr<reader> { return std::make_unique<bb_reader>(o); }};

}  // namespace bankflow::detail::pdf
