#pragma once
// Allocation-free readers for the shapes nearly every cell has. The public functions
// (parse_amount, parse_date, append_fold) try these first and fall back to their full readers;
// a parser's per-row loop may call them directly and call the public function only when they
// return false, for the rarer shapes and for the error message.

#include <bankflow/date.hpp>
#include <bankflow/money.hpp>

#include <cstdint>
#include <string_view>

namespace bankflow::detail {

/// A trimmed amount cell of the shape [-]int[sep d[d]], int being digits or (pt_br, en) digits
/// grouped by threes with the style's thousands separator: true with `v` in centavos. False,
/// `v` untouched, for anything else, which parse_amount then reads (or rejects).
[[nodiscard]] bool fast_amount(std::string_view cell, number_style style, std::int64_t& v) noexcept;

/// A trimmed date cell dd/mm/yyyy, dd.mm.yyyy or yyyy-mm-dd (as `style` allows) that is a real
/// calendar date: true with `d` set. False for anything else, the 00/00/0000 sentinel included.
[[nodiscard]] bool fast_date(std::string_view cell, date_style style, date& d) noexcept;

/// fold(s) written at `out`, which must have room for s.size() + 16 bytes (the vector path
/// stores whole 16-byte blocks); returns the end of what was written.
char* fold_to(char* out, std::string_view s) noexcept;

}  // namespace bankflow::detail
