#pragma once
/// @file Money as int64 minor units (centavos): parsing every form the banks write, and formatting.

#include <bankflow/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bankflow {

/// How a layout writes its numbers; decides what a lone '.' means.
enum class number_style {
  automatic,  ///< OFX and unknown layouts: a lone '.' or ',' is the decimal separator
  pt_br,      ///< "1.234,56": ',' decimal; a '.' followed by exactly three digits groups thousands
  en,         ///< "1,234.56": '.' decimal; a ',' followed by exactly three digits groups thousands
};

/// Parses one amount cell into minor units (2 decimals).
///
/// Accepts blanks around, `R$`, `-R$`, `- 625,29`, `(1.234,56)` (negative), `+`, any number of
/// decimals as long as digits past the second are zero (`50.0000`). A cell that is empty or only
/// blanks and a lone '.' has no amount: the result holds std::nullopt (FORMATS.md §2.4 step 2).
/// Errors: bad_amount, amount_overflow, amount_precision, ambiguous_amount (automatic style
/// only: one separator followed by three digits that are not zero, "1.234", could be either).
[[nodiscard]] result<std::optional<std::int64_t>> parse_amount(
    std::string_view text, number_style style = number_style::automatic);

/// Like parse_amount, but an empty cell is an error (bad_amount).
[[nodiscard]] result<std::int64_t> parse_amount_required(
    std::string_view text, number_style style = number_style::automatic);

/// Strict decimal amounts for APIs: digits with an optional '.' and one or two decimals
/// ("100", "40.5", "0.01"); no sign, grouping or exponent. Errors: bad_amount, amount_overflow.
[[nodiscard]] result<std::int64_t> parse_api_amount(std::string_view text);

/// Formats minor units as a plain decimal string: -123456 -> "-1234.56".
[[nodiscard]] std::string format_amount(std::int64_t minor);

/// Formats minor units with a decimal comma and no grouping: -123456 -> "-1234,56" (Excel pt-BR).
[[nodiscard]] std::string format_amount_br(std::int64_t minor);

/// Appends format_amount(minor) to out without a temporary string.
void append_amount(std::string& out, std::int64_t minor, char decimal_separator = '.');

}  // namespace bankflow
