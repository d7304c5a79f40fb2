#pragma once
/// @file Calendar dates as banks write them. A date is a calendar date, never an instant.

#include <bankflow/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace bankflow {

/// A calendar date (no time, no zone).
using date = std::chrono::year_month_day;

/// The shapes of date cells. `automatic` tries dd/mm/yyyy, dd/mm/yy, ISO, yyyymmdd, dd.mm.yyyy.
enum class date_style {
  automatic,
  dmy,          ///< dd/mm/yyyy or dd/mm/yy (also d/m/yyyy)
  dmy_dots,     ///< dd.mm.yyyy
  iso,          ///< yyyy-mm-dd, optionally followed by a time ("2026-07-31 04:08:37.908000")
  ymd_compact,  ///< yyyymmdd
  ofx,          ///< yyyymmdd[hhmmss[.xxx]][[-3:BRT]]: the first 8 digits, time and zone ignored
};

/// Parses one date cell. The `00/00/0000` sentinel (and an all-zero date in any style, such as
/// the OFX `00000000000000`) means "no date" and yields std::nullopt. Two-digit years: 00–69 are
/// 20xx, 70–99 are 19xx. Errors: bad_date (with the text quoted in the message; also for an
/// empty cell).
[[nodiscard]] result<std::optional<date>> parse_date(std::string_view text,
                                                     date_style style = date_style::automatic);

/// Parses a day/month without a year ("28/10") and gives it the year that puts it on or before
/// `reference` (a bill's date): installments keep their purchase date, so "28/10" on an August
/// bill is October of the previous year. Errors: bad_date.
[[nodiscard]] result<date> parse_day_month(std::string_view text, date reference);

/// "2025-04-01".
[[nodiscard]] std::string format_date(date d);

/// Appends format_date(d) to out (writers call it once a row: no string of its own).
void append_date(std::string& out, date d);

/// An instant as ISO-8601 UTC with milliseconds, "2026-11-22T08:04:05.123Z" (how the server's
/// JSON and logs write times).
[[nodiscard]] std::string format_timestamp(std::chrono::system_clock::time_point t);

}  // namespace bankflow
