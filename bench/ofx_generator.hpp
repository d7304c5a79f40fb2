#pragma once
/// @file A deterministic generator of realistic Brazilian OFX 1.0.2 (SGML) bank statements, for
/// benchmarks. It knows the expected parse of what it writes, so a benchmark can check the
/// parser's output before timing it. Standalone: it does not depend on the library.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankflow::bench {

/// Which bank's OFX dialect to imitate (FORMATS.md §3.1.c, §3.6.c, §3.8.c).
enum class ofx_bank {
  itau,    ///< BANKID 0341, unclosed leaves, `100000[-03:EST]`, 24-character padded MEMO
  nubank,  ///< BANKID 0260, closed leaves, `000000[-3:BRT]`, UUID FITIDs, long mixed-case MEMO
  c6,      ///< BANKID 336, `KEY: VALUE` header, indented closed leaves, real times, ULID FITIDs
};

/// Whether leaf elements carry a closing tag (`<TRNAMT>-1.00` vs `<TRNAMT>-1.00</TRNAMT>`).
enum class ofx_leaf_style { unclosed, closed };

struct ofx_options {
  std::size_t transactions = 100000;
  std::uint64_t seed = 1;
  ofx_bank bank = ofx_bank::itau;
  std::optional<ofx_leaf_style> style;  ///< empty: the bank's own style
};

/// What a correct parser must report for one generated STMTTRN.
struct expected_transaction {
  std::chrono::year_month_day posted{};
  std::int64_t amount = 0;  ///< centavos
  std::string fitid;
  std::string description;  ///< MEMO with entities decoded, trimmed, blanks collapsed
};

struct generated_ofx {
  std::string bytes;                  ///< the whole file, CRLF line endings, UTF-8
  std::int64_t opening_balance = 0;   ///< centavos; not in the file (OFX has no opening balance)
  std::int64_t closing_balance = 0;   ///< centavos; the LEDGERBAL BALAMT
  std::int64_t sum = 0;               ///< sum of all TRNAMT; == closing_balance - opening_balance
  std::size_t credits = 0;
  std::size_t debits = 0;
  std::string_view bank_id;           ///< bankflow's id for the bank: "itau", "nubank", "c6"
  std::vector<expected_transaction> expected;  ///< one per STMTTRN, in file order
};

/// Writes a statement with options.transactions entries; the same options give the same bytes.
[[nodiscard]] generated_ofx generate_ofx(const ofx_options& options);

/// Parses "itau", "nubank", "c6"; nullopt otherwise.
[[nodiscard]] std::optional<ofx_bank> parse_ofx_bank(std::string_view name);

/// Parses "unclosed", "closed"; nullopt otherwise.
[[nodiscard]] std::optional<ofx_leaf_style> parse_ofx_leaf_style(std::string_view name);

[[nodiscard]] std::string_view to_string(ofx_bank bank);
[[nodiscard]] std::string_view to_string(ofx_leaf_style style);

/// The leaf style a bank writes.
[[nodiscard]] ofx_leaf_style default_style(ofx_bank bank);

/// Centavos as a plain decimal with two places: -123456 -> "-1234.56". Integer-only.
[[nodiscard]] std::string format_centavos(std::int64_t minor);

}  // namespace bankflow::bench
