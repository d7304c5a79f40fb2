#pragma once
// The statement period a file declares in its own words, for parsers to record on the statement
// (finish_statement keeps it instead of the transactions' first and last dates).

#include <bankflow/date.hpp>

#include <optional>
#include <string_view>

namespace bankflow::detail {

struct date_range {
  date start;
  date end;
};

/// The period a preamble line states, in any of the banks' phrasings: "Período: 01/03/2026 a
/// 31/03/2026" (Sicredi, Inter's "Período ;01/04/26 a 30/04/26"), "Entre 01/01/2026 e 31/01/2026"
/// and "Movimentação entre: … e …" (Bradesco); two- or four-digit years. nullopt when the line
/// states none, or a range that ends before it starts.
[[nodiscard]] std::optional<date_range> find_declared_period(std::string_view line);

}  // namespace bankflow::detail
