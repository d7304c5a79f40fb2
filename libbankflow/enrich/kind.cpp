// A row's kind: a specific OFX TRNTYPE, else the bank's mnemonics, else the generic rules.

#include "enrich/row.hpp"

namespace bankflow::detail {

namespace {

bool sign_fits(amount_sign s, std::int64_t amount) noexcept {
  return s == amount_sign::any || (s == amount_sign::credit ? amount > 0 : amount < 0);
}

// The TRNTYPEs that say what a row is. CREDIT, DEBIT, OTHER, XFER, DEP, PAYMENT, CHECK … do not:
// banks send them for every kind of row (Santander OTHER for all, Inter PAYMENT for debits, BB
// DEP for any credit), so the text decides those.
std::optional<transaction_kind> kind_of(ofx_trntype t, std::int64_t amount, bool card_bill) noexcept {
  using k = transaction_kind;
  switch (t) {
    case ofx_trntype::fee:
    case ofx_trntype::srvchg: return k::fee;
    case ofx_trntype::int_: return amount < 0 ? k::interest : k::yield;
    case ofx_trntype::div: return k::yield;
    case ofx_trntype::atm:
    case ofx_trntype::cash:
      if (amount < 0) return k::withdrawal;
      return std::nullopt;
    case ofx_trntype::pos: return card_bill ? k::card_purchase : k::debit_card;
    case ofx_trntype::directdebit: return k::direct_debit;
    default: return std::nullopt;
  }
}

}  // namespace

kind_matcher::kind_matcher(std::string_view bank_id, bool card_bill) : card_bill_(card_bill) {
  for (const bank_kind_table& t : bank_kind_tables())
    if (t.bank_id == bank_id && !card_bill)
      for (const kind_rule& r : t.rules) rules_.push_back(&r);
  bank_rules_ = rules_.size();
  for (const kind_rule& r : card_bill ? card_kind_rules() : account_kind_rules()) rules_.push_back(&r);
  for (std::size_t i = 0; i < rules_.size(); ++i)
    index_.add(rules_[i]->pattern, static_cast<std::uint16_t>(i), rules_[i]->at == where::at_start);
  index_.finish();
}

kind_found kind_matcher::classify(const folded_text& f, std::int64_t amount, ofx_trntype trntype) const {
  if (auto k = kind_of(trntype, amount, card_bill_)) return {*k, kind_source::ofx_trntype};
  const std::uint16_t best =
      index_.best(f, [&](std::uint16_t id) { return sign_fits(rules_[id]->sign, amount); });
  if (best != word_index::none)
    return {rules_[best]->kind, best < bank_rules_ ? kind_source::bank_table : kind_source::rule};
  if (card_bill_) return {transaction_kind::card_purchase, kind_source::rule};
  return {};
}

}  // namespace bankflow::detail
