#pragma once
// Internal: statement import as transfers, planned without a database.

#include <bankflow/ledger.hpp>
#include <bankflow/statement.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace bankflow::detail {

/// The transfers that import a statement's transactions of one account.
struct import_plan {
  std::vector<transfer_request> requests;
  std::vector<std::size_t> lines;  ///< the source line of each request
  std::size_t skipped = 0;         ///< zero or unrepresentable amounts, other accounts of the file
};

/// Plans ledger::import_statement: one transfer per transaction of `account_index` (already
/// resolved; the statement's dedupe keys already computed).
[[nodiscard]] import_plan plan_import(const statement& st, std::string_view account,
                                      std::string_view external_account, std::size_t account_index);

/// The metadata of an imported transaction: {"date","fitid","document","dedupe_key"}, compact,
/// and for an enriched statement also "kind", "category" and, when the row names them,
/// "counterparty" {"name","document","bank"} and "merchant".
[[nodiscard]] std::string import_metadata(const statement& st, const transaction& t);

}  // namespace bankflow::detail
