#pragma once
// The steps of enriching one row, each over the row's folded text (enrich/text.hpp).

#include "enrich/tables.hpp"
#include "enrich/text.hpp"

#include <bankflow/enrich.hpp>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// A row's kind and what decided it.
struct kind_found {
  transaction_kind kind = transaction_kind::other;
  kind_source source = kind_source::none;
};

/// The kind rules for one bank and document kind (its mnemonic table, then the generic rules),
/// indexed once and used for every row of a statement.
class kind_matcher {
 public:
  kind_matcher(std::string_view bank_id, bool card_bill);
  /// The kind of a row with this folded description, amount and OFX TRNTYPE.
  [[nodiscard]] kind_found classify(const folded_text& f, std::int64_t amount, ofx_trntype trntype) const;

 private:
  std::vector<const kind_rule*> rules_;  // priority order
  std::size_t bank_rules_ = 0;           // how many of rules_ come from the bank's table
  word_index index_;
  bool card_bill_;
};

/// The memo wordings of one bank (and every bank's), indexed once per statement.
class party_matcher {
 public:
  explicit party_matcher(std::string_view bank_id);
  /// The other side of a transfer, when the memo names it (views into f.original()).
  [[nodiscard]] std::optional<counterparty> find(const folded_text& f, std::int64_t amount) const;

 private:
  std::vector<const party_rule*> rules_;  // priority order
  word_index index_;
};

/// The instalment mark and where it starts in the folded text.
struct installment_found {
  installment value;
  std::size_t at = 0;   ///< where the mark starts (its `PARC`, `(` or first digit)
  std::size_t end = 0;  ///< where its fraction ends
};

/// Where an instalment is looked for: only after a `PARC…` word or in parentheses; also as a
/// trailing `02/10` or `2 DE 10` (card bills, loans); also anywhere before a blank (loans).
enum class installment_search { marked, trailing, anywhere };

/// `PARC 02/10`, `Parcela 3 de 12`, `Compra parcelada 2/5`, `(2/6)`, and as `where` says. Never
/// a date, nor a month after `VAL`, `VENC`, `REF` or `COMPETENCIA`.
[[nodiscard]] std::optional<installment_found> find_installment(const folded_text& f,
                                                               installment_search where) noexcept;

/// The brand table (tables.hpp), indexed once per statement.
class brand_matcher {
 public:
  brand_matcher();
  /// The first brand whose words occur in folded[b, e): its name and its name folded; empty
  /// when none does.
  [[nodiscard]] std::pair<std::string_view, std::string_view> find(const folded_text& f, std::size_t b,
                                                                   std::size_t e) const;

 private:
  word_index index_;
  std::vector<std::string> folded_names_;
};

/// A merchant as found: its display name and, when it is part of the description, its folded form.
struct merchant_found {
  std::string_view name;    ///< a brand's name, or a view into f.original(); empty when none
  std::string_view folded;  ///< the name's folded text (a view into f.view(), or the brand table's)
};

/// A card or debit-card row's merchant: a brand's name, or the part of the description that names
/// the shop; empty when none is left.
[[nodiscard]] merchant_found find_merchant(const folded_text& f, transaction_kind kind,
                                           const std::optional<installment_found>& mark,
                                           const brand_matcher& brands);

/// Category rules indexed for one enrich() run.
class category_matcher {
 public:
  explicit category_matcher(std::span<const category_rule> rules);
  /// The first rule that matches (merchant and description folded).
  [[nodiscard]] category_match match(transaction_kind kind, std::string_view merchant,
                                     const folded_text& description, std::int64_t amount) const;
  /// Whether some rule looks at the merchant (else match() needs no folded merchant).
  [[nodiscard]] bool uses_merchants() const noexcept { return uses_merchants_; }

 private:
  [[nodiscard]] bool applies(std::uint16_t id, transaction_kind kind, std::string_view merchant,
                             std::int64_t amount) const;
  std::span<const category_rule> rules_;
  word_index by_description_, by_merchant_;
  std::array<std::vector<std::uint16_t>, 32> unconditional_;  // per kind: rules without a pattern that take it
  bool uses_merchants_ = false;
  // per kind: the first rule without a pattern that takes any amount of it, and the first rule
  // with a pattern that may; when the former comes first, no text needs looking at
  std::array<std::uint16_t, 32> first_plain_{}, first_pattern_{};
};

/// The matchers of the shipped tables, indexed once per process (thread-safe).
[[nodiscard]] const kind_matcher& shipped_kind_matcher(std::string_view bank_id, bool card_bill);
[[nodiscard]] const party_matcher& shipped_party_matcher(std::string_view bank_id);
[[nodiscard]] const brand_matcher& shipped_brand_matcher();
[[nodiscard]] const category_matcher& shipped_category_matcher();

}  // namespace bankflow::detail
