#pragma once
// Enrichment's knowledge as data: which words make which kind (per bank where banks abbreviate,
// then for every bank), how each bank words the other side of a transfer, bank codes, the
// acquirer marks around merchant names and the brands people know.

#include <bankflow/enrich.hpp>
#include <bankflow/statement.hpp>

#include <span>
#include <string_view>

namespace bankflow::detail {

/// Where a kind pattern may occur.
enum class where : std::uint8_t { anywhere, at_start };

/// One kind rule: `pattern` (folded, whole words) gives `kind`.
struct kind_rule {
  std::string_view pattern;
  transaction_kind kind;
  amount_sign sign = amount_sign::any;
  detail::where at = where::anywhere;
};

/// A bank's own mnemonics, tried before the generic rules.
struct bank_kind_table {
  std::string_view bank_id;
  std::span<const kind_rule> rules;
};

/// Every bank's mnemonic table.
[[nodiscard]] std::span<const bank_kind_table> bank_kind_tables() noexcept;
/// Generic rules for account statements, in priority order.
[[nodiscard]] std::span<const kind_rule> account_kind_rules() noexcept;
/// Rules for card bills, in priority order; a row none matches is a card_purchase.
[[nodiscard]] std::span<const kind_rule> card_kind_rules() noexcept;

/// How a memo introduces the other side of a transfer.
enum class party_style : std::uint8_t {
  plain,         ///< the rest of the text is the name (dates, documents, tails trimmed)
  plain_semicolons,  ///< the same, but `;` is part of the name (C6 writes a name's commas so)
  nubank,        ///< NAME - DOCUMENT - BANK (COMPE) Agência: A Conta: C
  inter,         ///< "Cp :ISPB-NAME"
  bank_branch,   ///< Itaú TED/DOC: COMPE.BRANCHNAME (`TED 237.4471MARIA C LIMA`)
  branch_account ///< BB / Itaú: [dd/mm] BRANCH ACCOUNT NAME, or BRANCH.ACCOUNT
};

/// A memo's wording that precedes the other side of a transfer.
struct party_rule {
  std::string_view bank_id;  ///< empty: every bank
  std::string_view prefix;   ///< folded words the memo starts with (or holds, for `nubank`)
  party_style style;
  amount_sign sign = amount_sign::any;  ///< credits only, when the wording means something else on debits
};

/// Every party rule, bank-specific ones first.
[[nodiscard]] std::span<const party_rule> party_rules() noexcept;

/// A bank's display name by COMPE code ("260" → "Nubank"); empty when unknown.
[[nodiscard]] std::string_view bank_name_by_compe(std::string_view compe) noexcept;
/// The COMPE code of a bank by its ISPB ("18236120" → "260"); empty when unknown.
[[nodiscard]] std::string_view compe_by_ispb(std::string_view ispb) noexcept;

/// A brand: folded words in the merchant text → the name people know.
struct brand_alias {
  std::string_view pattern;
  std::string_view name;
};

/// The shipped brand table, most specific first.
[[nodiscard]] std::span<const brand_alias> brand_aliases() noexcept;
/// Acquirer and wallet prefixes (folded: "IFD*", "PAG*", "MP *", …).
[[nodiscard]] std::span<const std::string_view> merchant_prefixes() noexcept;
/// Words a debit-card memo starts with before the merchant (folded).
[[nodiscard]] std::span<const std::string_view> debit_card_lead_ins() noexcept;
/// Card-bill rows that buy no merchant's goods though they are purchases (`PIX CRED A VISTA`).
[[nodiscard]] std::span<const std::string_view> merchantless_leads() noexcept;
/// City and country tails dropped from a merchant (folded, whole words at the end).
[[nodiscard]] std::span<const std::string_view> place_tails() noexcept;

}  // namespace bankflow::detail
