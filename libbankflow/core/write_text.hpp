#pragma once
// Writing output text through a pointer, for writers that make room for a whole row at once
// (export.cpp): no bounds check or library call per piece. The public append_* functions
// (append_amount, append_date, append_json_string) write through these too. Not public API.

#include <bankflow/date.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bankflow::detail {

/// The most bytes write_amount and write_date write.
inline constexpr std::size_t amount_room = 24, date_room = 32;

/// Writes append_amount(minor, decimal_separator)'s text at p (amount_room bytes of room);
/// returns where it ends.
char* write_amount(char* p, std::int64_t minor, char decimal_separator) noexcept;

/// Writes format_date(d)'s text at p (date_room bytes of room); returns where it ends.
char* write_date(char* p, date d) noexcept;

/// Where the first byte of s[from, …) that a JSON string must escape is (a control character,
/// `"`, `\`); s.size() when none is.
[[nodiscard]] std::size_t next_json_escape(std::string_view s, std::size_t from) noexcept;

/// The most bytes write_json_string writes for s: its quotes and every byte as `\u00XX`.
[[nodiscard]] constexpr std::size_t json_string_room(std::string_view s) noexcept { return 2 + 6 * s.size(); }

/// Writes s as a JSON string literal (quotes included, as append_json_string) at p; returns
/// where it ends. p must have json_string_room(s) bytes of room.
char* write_json_string(char* p, std::string_view s) noexcept;

}  // namespace bankflow::detail
