#pragma once
// What a spreadsheet program leaves in a bank's CSV that a user opened and saved again: dates
// shown as "02/jan" or "13/mai/2025", trailing empty cells, and whole records wrapped in one pair
// of quotes with their own quotes doubled ("01/02/2025;""PIX ENVIADO"";-10,00"). The parsers
// read these, and say once per file that the file was re-saved.

#include <bankflow/date.hpp>
#include <bankflow/error.hpp>
#include <bankflow/statement.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bankflow::detail {

/// Adds the one warning that the file was re-saved by a spreadsheet program, naming the sign
/// seen (`what`); when the statement has it already, adds the sign to it. Call it once per sign.
void warn_resaved(statement& st, std::size_t line, std::string_view what);

/// A date cell whose month is a name: d/mmm, d/mmm/yy or d/mmm/yyyy ('/', '-' or '.' between,
/// pt-BR or English abbreviations, any case, an optional '.' after the month).
[[nodiscard]] bool has_month_name(std::string_view cell) noexcept;

/// Reads a has_month_name() cell. Without a year it takes the one that puts it on or before
/// `reference`, as parse_day_month does; no reference is an error then. Errors: bad_date.
[[nodiscard]] result<date> parse_month_name_date(std::string_view cell, std::optional<date> reference);

/// The latest dd/mm/yyyy date written in a line of text ("Período ;01/09/2025 a 30/09/2025"
/// gives 30/09/2025): a preamble's dates give dates without a year their year.
[[nodiscard]] std::optional<date> latest_date_in(std::string_view line);

/// True when one of the first 100 lines of `head` is a whole record wrapped in quotes: it begins
/// and ends with '"', every quote between is doubled, and what is between holds a ';' or ','.
[[nodiscard]] bool has_wrapped_records(std::string_view head) noexcept;

/// `text` with every wrapped record unwrapped (the outer quotes dropped, "" made "), line breaks
/// kept so that line numbers hold. Returns the line of the first record unwrapped, 0 for none.
std::size_t unwrap_records(std::string_view text, std::string& out);

}  // namespace bankflow::detail
