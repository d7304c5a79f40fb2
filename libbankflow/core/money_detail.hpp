#pragma once
// Amount reading for parsers that can report a repair as a warning.

#include <bankflow/money.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace bankflow::detail {

/// parse_amount, and also a cell whose thousands groups are malformed while its decimal
/// separator is certain: both '.' and ',' occur and the last one occurs once ("6000.000,00" is
/// 6000000.00). Such a cell is read and `irregular_grouping` set, for the caller's warning. A
/// shape that could be read two ways ("6000.000", "1.234.56") stays bad_amount.
[[nodiscard]] result<std::optional<std::int64_t>> parse_amount_regrouped(std::string_view text, number_style style,
                                                                         bool& irregular_grouping);

}  // namespace bankflow::detail
