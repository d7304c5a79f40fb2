#pragma once
/// @file A user's category rules as a JSON file (`bankflow convert --rules regras.json`, `bankflow
/// rules test`, the C ABI's bf_rules_*, the server's upload field `rules`): the file's rules first,
/// then (unless it says `"defaults": false`) the shipped ones; first match wins (enrich.hpp).
///
/// ```json
/// {"rules": [
///    {"id": "academia", "category": "Saúde", "description": "SMART FIT"},
///    {"category": "Moradia", "kind": ["pix", "ted"], "description": "ALUGUEL", "sign": "debit"},
///    {"category": "Mercado", "merchant": "Assaí"}],
///  "defaults": true}
/// ```
/// A bare array of rules is the same as `{"rules": [...]}`. Each rule needs a `category`; the
/// conditions it sets must all hold: `kind` (one kind or a list, FORMATS-OUT.md), `merchant` and
/// `description` (words, compared without case or accents as whole words), `sign` (`credit`,
/// `debit` or `any`). `id` names the rule in `rules test` (default `#<n>`, its 1-based place).

#include <bankflow/enrich.hpp>
#include <bankflow/error.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <span>
#include <string_view>
#include <vector>

namespace bankflow {

/// The largest rules file read (1 MiB) and the most rules in one (10,000).
inline constexpr std::size_t max_rules_file_bytes = 1 << 20;
inline constexpr std::size_t max_rules_in_file = 10000;  ///< see max_rules_file_bytes

/// A rules file, read: the rule set to enrich with and how many of its rules came from the file.
struct rules_file {
  rule_set rules;              ///< the file's rules, then the shipped ones unless "defaults": false
  std::size_t from_file = 0;   ///< rules()[0, from_file) are the file's; the rest are shipped
  /// Whether rule `index` of rules() is one of the file's.
  [[nodiscard]] bool is_users(std::size_t index) const noexcept { return index < from_file; }
};

/// Reads a rules document. `name` (the file's name) starts every error message. Errors:
/// invalid_argument naming the rule (1-based) and field: not JSON, not an object or array, an
/// unknown key (a typo would otherwise silently match everything), a missing or empty category,
/// an unknown kind or sign, a value of the wrong type, too many rules or bytes.
[[nodiscard]] result<rules_file> parse_rules(std::string_view json, std::string_view name = "rules");

/// Reads a rules file from disk (at most max_rules_file_bytes). Errors: io_error, as parse_rules.
[[nodiscard]] result<rules_file> load_rules(const std::filesystem::path& path);

/// Which rule gives each row of `st` its category under `rules` (one entry per transaction, in
/// order): what `bankflow rules test` shows. The rows' kind and merchant are the statement's
/// (run enrich() first, as parse() does).
[[nodiscard]] std::vector<category_match> trace_rules(const statement& st, const rules_file& rules);

/// What `bankflow rules test --json` prints: `{"file_rules": N, "rows": [{"line", "date",
/// "amount", "description", "kind", "merchant", "category", "rule": {"index", "id", "source":
/// "file"|"shipped"} or null}], "unused": [ids of the file's rules no row matched]}`.
[[nodiscard]] std::string rules_test_to_json(const statement& st, const rules_file& rules,
                                             std::span<const category_match> matches);

/// The ids of the file's rules that no row matched, in the file's order.
[[nodiscard]] std::vector<std::string_view> unused_rules(const rules_file& rules,
                                                         std::span<const category_match> matches);

}  // namespace bankflow
