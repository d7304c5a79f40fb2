#pragma once
/// @file Enrichment: what each row means — its kind, the other side of a transfer, the instalment,
/// the foreign amount, a clean merchant name and a category — from the text the bank put in it.
/// parse() runs it (parse_options::enrich); a field is set only when the row's text holds it.

#include <bankflow/statement.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow {

/// Which amounts a category rule applies to.
enum class amount_sign : std::uint8_t {
  any,     ///< every amount
  credit,  ///< money in (amount > 0)
  debit    ///< money out (amount < 0)
};

/// The bit of one kind in category_rule::kinds.
[[nodiscard]] constexpr std::uint32_t kind_bit(transaction_kind k) noexcept {
  return std::uint32_t{1} << static_cast<unsigned>(k);
}

/// One category rule. A row matches when every condition it sets holds; in a rule list the first
/// match wins. `merchant` and `description` are compared with the row's text upper-cased with
/// accents removed ("Alimentação" → "ALIMENTACAO"), as a run of whole words ("POSTO" matches
/// "AUTO POSTO X", not "POSTOS"); rule_set::add folds them so a rules file may write them as it
/// likes.
struct category_rule {
  std::string_view category;             ///< what a matching row gets: "Alimentação"
  std::uint32_t kinds = 0;               ///< kind_bit()s of the kinds it applies to; 0 = any kind
  std::string_view merchant{};           ///< words in the merchant; empty = any (rows without one too)
  std::string_view description{};        ///< words in the description; empty = any
  amount_sign sign = amount_sign::any;   ///< credits, debits or both
  std::string_view id{};                 ///< a name for the rule, shown by `rules test`
};

/// The rules shipped with the library (pt-BR categories), in order; the last matches every row
/// ("Outros").
[[nodiscard]] std::span<const category_rule> default_category_rules() noexcept;

/// An ordered list of category rules that owns its text: a user's rules first, then (with
/// add_defaults) the shipped ones. First match wins.
class rule_set {
 public:
  rule_set() = default;  ///< no rules: every row's category stays empty
  rule_set(rule_set&&) noexcept = default;             ///< movable
  rule_set& operator=(rule_set&&) noexcept = default;  ///< movable
  rule_set(const rule_set&) = delete;
  rule_set& operator=(const rule_set&) = delete;
  ~rule_set() = default;

  /// Appends a rule; its text is copied in and its patterns folded (upper case, no accents).
  void add(const category_rule& rule);
  /// Appends the shipped rules (default_category_rules()).
  void add_defaults();
  /// The rules, in order.
  [[nodiscard]] std::span<const category_rule> rules() const noexcept { return rules_; }

 private:
  std::deque<std::string> text_;  // a deque: its strings never move, so the views stay valid
  std::vector<category_rule> rules_;
};

/// Which rule gave a row its category.
struct category_match {
  std::string_view category;  ///< empty when no rule matched
  std::size_t rule = npos;    ///< index of the rule in its list; npos when none matched
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);  ///< no rule
};

/// The first rule of `rules` that matches a row of this kind, merchant, description and amount.
[[nodiscard]] category_match match_category(std::span<const category_rule> rules, transaction_kind kind,
                                            std::string_view merchant, std::string_view description,
                                            std::int64_t amount);

/// One row as enrichment sees it: what parse() passes for each transaction.
struct enrich_row_input {
  std::string_view bank_id{};    ///< "itau", …; empty or "unknown" when the bank is unknown
  std::string_view format{};     ///< the format id ("ofx", "itau-extrato-csv" …); no table depends on it yet
  bool card_bill = false;        ///< the row is on a card bill (its account is a credit card)
  std::string_view description{};  ///< as parse() writes it (OFX: MEMO, plus " - NAME")
  std::int64_t amount = 0;       ///< minor units, signed as in the statement
  ofx_trntype trntype = ofx_trntype::none;  ///< the OFX TRNTYPE when the row came from an OFX
};

/// What enrichment finds in one row. The views point into the input's description or at static
/// text.
struct row_enrichment {
  transaction_kind kind = transaction_kind::other;  ///< what the movement is
  kind_source source = kind_source::none;           ///< what decided `kind`
  std::optional<bankflow::counterparty> counterparty;  ///< the other side, when the text names it
  std::optional<bankflow::installment> installment;    ///< n of N, when the text says so
  std::string_view merchant;        ///< card and debit-card rows: the clean name; else empty
  category_match category;          ///< the category and the rule that gave it
};

/// Enriches one row exactly as parse() does, with `rules` (the shipped rules when null).
[[nodiscard]] row_enrichment enrich_row(const enrich_row_input& row, const rule_set* rules = nullptr);

/// How enrich() works.
struct enrich_options {
  /// Category rules; null = the shipped ones. Needed only during the call: the statement keeps
  /// the categories it takes from them.
  const rule_set* rules = nullptr;
};

/// Sets every row's kind, kind_from and category and its details (counterparty, installment,
/// merchant; a foreign amount the parser found is kept, and an IOF row that names its purchase
/// is linked to it). Runs in parse() unless parse_options::enrich is false; running it again
/// redoes it.
void enrich(statement& st, const enrich_options& options = {});

}  // namespace bankflow
