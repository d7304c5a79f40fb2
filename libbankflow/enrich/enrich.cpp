// The enrichment pass: each row's text folded once, then kind, counterparty, instalment,
// merchant and category from the tables.

#include "enrich/row.hpp"

#include <bankflow/enrich.hpp>

#include <optional>
#include <vector>

namespace bankflow {

namespace {

using detail::folded_text;

bool transfer_like(transaction_kind k) noexcept {
  return k == transaction_kind::pix || k == transaction_kind::ted || k == transaction_kind::doc ||
         k == transaction_kind::tef || k == transaction_kind::refund;
}

// Everything enrich_row and enrich() share, built once per statement (or per enrich_row call).
class enricher {
 public:
  enricher(std::string_view bank_id, const rule_set* rules)
      : own_compe_(bank_id.empty() ? std::string_view{} : bank_compe(bank_id)),
        parties_(detail::shipped_party_matcher(bank_id)),
        brands_(detail::shipped_brand_matcher()),
        account_(detail::shipped_kind_matcher(bank_id, false)),
        card_(detail::shipped_kind_matcher(bank_id, true)) {
    if (rules != nullptr) users_.emplace(rules->rules());
    categories_ = users_ ? &*users_ : &detail::shipped_category_matcher();
  }
  // users_ is pointed at: neither copied nor moved
  enricher(const enricher&) = delete;
  enricher& operator=(const enricher&) = delete;

  row_enrichment row(const folded_text& f, bool card_bill, std::int64_t amount, ofx_trntype trntype) const {
    row_enrichment out;
    const detail::kind_found k = (card_bill ? card_ : account_).classify(f, amount, trntype);
    out.kind = k.kind;
    out.source = k.source;
    if (transfer_like(out.kind)) {
      out.counterparty = parties_.find(f, amount);
      // a transfer to another bank is not a transfer inside the bank
      if (out.kind == transaction_kind::tef && out.counterparty && !out.counterparty->bank.compe.empty() &&
          !own_compe_.empty() && out.counterparty->bank.compe != own_compe_)
        out.kind = transaction_kind::ted;
    }
    // A `PARC 2/5` is an instalment on any row (a boleto's, a refund's). A bill's purchases and
    // charges may end in a bare `02/10`, its interest and tax too when they name a plan
    // (`JUROS PARCELAMENTO FATURA 1/6`); a loan's rows as well, or hold it before a contract number.
    using detail::installment_search;
    const bool charge = out.kind == transaction_kind::card_purchase || out.kind == transaction_kind::debit_card ||
                        out.kind == transaction_kind::fee ||
                        ((out.kind == transaction_kind::interest || out.kind == transaction_kind::tax) &&
                         f.has_parc_word());
    const installment_search where = out.kind == transaction_kind::loan ? installment_search::anywhere
                                     : charge && card_bill              ? installment_search::trailing
                                                                        : installment_search::marked;
    const std::optional<detail::installment_found> mark = detail::find_installment(f, where);
    if (mark) out.installment = mark->value;
    const detail::merchant_found m = detail::find_merchant(f, out.kind, mark, brands_);
    out.merchant = m.name;
    // the merchant is folded already: part of the description, or a brand's name
    out.category = categories_->match(out.kind, categories_->uses_merchants() ? m.folded : std::string_view{}, f, amount);
    return out;
  }

 private:
  static std::string_view bank_compe(std::string_view id) noexcept {
    const bank_info* b = find_bank(id);
    return b ? b->compe : std::string_view{};
  }
  std::string_view own_compe_;
  const detail::party_matcher& parties_;
  const detail::brand_matcher& brands_;
  const detail::kind_matcher &account_, &card_;
  std::optional<detail::category_matcher> users_;  // a user's rules, indexed for this run
  const detail::category_matcher* categories_;     // users_, or the shipped rules
};

// `IOF de "Zoom.Com 888-799-9666"` (Nubank): the purchase row it taxes, when one has exactly that
// description.
std::optional<std::size_t> taxed_purchase(const statement& st, const transaction& iof) {
  const std::string_view d = iof.description;
  const std::size_t open = d.find('"');
  if (!d.starts_with("IOF") || open == std::string_view::npos || d.back() != '"' || d.size() < open + 3)
    return std::nullopt;
  const std::string_view name = d.substr(open + 1, d.size() - open - 2);
  for (std::size_t i = 0; i < st.transactions.size(); ++i) {
    const transaction& t = st.transactions[i];
    if (&t != &iof && t.kind == transaction_kind::card_purchase && t.description == name) return i;
  }
  return std::nullopt;
}

// Layouts whose row date is the purchase's own, also on instalment 5 of 10 (FORMATS.md: Itaú's
// bill CSV [REAL], Bradesco's [DERIVED], C6's `Data de Compra` column): there the instalment's
// purchase date is the row's date. Elsewhere the bill does not say it, and nothing is invented.
bool dated_by_purchase(std::string_view format) noexcept {
  return format == "itau-fatura-csv" || format == "bradesco-fatura-csv" || format == "c6-fatura-csv";
}

void store(statement& st, transaction& t, const row_enrichment& e, std::string_view category) {
  t.kind = e.kind;
  t.kind_from = e.source;
  t.category = category;
  if (!e.counterparty && !e.installment && e.merchant.empty() && t.details == 0) return;
  // on a rerun this drops what an earlier run found and keeps the parser's foreign amount
  if (e.counterparty) st.counterparty_for(t) = *e.counterparty;
  row_details& d = st.details_for(t);
  if (!e.counterparty) d.counterparty = 0;
  d.installment = e.installment;
  if (d.installment && dated_by_purchase(st.format)) d.installment->purchase_date = t.posted;
  d.merchant = e.merchant;
}

}  // namespace

row_enrichment enrich_row(const enrich_row_input& row, const rule_set* rules) {
  const enricher en(row.bank_id, rules);
  folded_text f;
  f.assign(row.description);
  return en.row(f, row.card_bill, row.amount, row.trntype);
}

void enrich(statement& st, const enrich_options& options) {
  const enricher en(st.bank ? st.bank->id : std::string_view{}, options.rules);
  // A user's rule set may go before the statement does: its categories are kept in the
  // statement, once per rule (the shipped rules' text is static).
  std::vector<std::string_view> kept(options.rules != nullptr ? options.rules->rules().size() : 0);
  auto category_of = [&](const category_match& m) {
    if (m.rule >= kept.size()) return m.category;
    if (kept[m.rule].empty()) kept[m.rule] = st.keep(m.category);
    return kept[m.rule];
  };
  // room for a row in every row: pages never written are never faulted in
  st.details.reserve(st.details.size() + st.transactions.size());
  folded_text f;
  std::vector<std::size_t> taxes;  // the tax rows, so linking IOF rows needs no second pass over all
  for (std::size_t i = 0; i < st.transactions.size(); ++i) {
    transaction& t = st.transactions[i];
    const bool card = t.account_index < st.accounts.size() &&
                      st.accounts[t.account_index].kind == account_kind::credit_card;
    f.assign(t.description);
    const row_enrichment e = en.row(f, card, t.amount, t.trntype);
    store(st, t, e, category_of(e.category));
    if (t.kind == transaction_kind::tax) taxes.push_back(i);
  }
  for (const std::size_t i : taxes) {
    transaction& t = st.transactions[i];
    if (auto of = taxed_purchase(st, t)) st.foreign_for(t).iof_of = of;
  }
  st.enriched = true;
}

}  // namespace bankflow

namespace bankflow::detail {

const kind_matcher& shipped_kind_matcher(std::string_view bank_id, bool card_bill) {
  struct all {
    kind_matcher card{{}, true}, account{{}, false};
    std::vector<std::pair<std::string_view, kind_matcher>> banks;
    all() {
      for (const bank_kind_table& t : bank_kind_tables()) banks.emplace_back(t.bank_id, kind_matcher(t.bank_id, false));
    }
  };
  static const all matchers;
  if (card_bill) return matchers.card;  // a bill's rows are the same at every bank
  for (const auto& [id, m] : matchers.banks)
    if (id == bank_id) return m;
  return matchers.account;
}

const party_matcher& shipped_party_matcher(std::string_view bank_id) {
  struct all {
    party_matcher any{{}};
    std::vector<std::pair<std::string_view, party_matcher>> banks;
    all() {
      for (const party_rule& r : party_rules()) {
        if (r.bank_id.empty()) continue;
        bool seen = false;
        for (const auto& b : banks) seen = seen || b.first == r.bank_id;
        if (!seen) banks.emplace_back(r.bank_id, party_matcher(r.bank_id));
      }
    }
  };
  static const all matchers;
  for (const auto& [id, m] : matchers.banks)
    if (id == bank_id) return m;
  return matchers.any;
}

const brand_matcher& shipped_brand_matcher() {
  static const brand_matcher brands;
  return brands;
}

const category_matcher& shipped_category_matcher() {
  static const category_matcher categories(default_category_rules());
  return categories;
}

}  // namespace bankflow::detail
