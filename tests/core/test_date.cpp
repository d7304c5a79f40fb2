#include <bankflow/date.hpp>

#include "core/fast_paths.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

using bankflow::date_style;
using bankflow::errc;
using namespace std::chrono_literals;

namespace {

bankflow::date ymd(int y, unsigned m, unsigned d) {
  return bankflow::date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

std::string style_name(date_style s) {
  switch (s) {
    case date_style::automatic: return "automatic";
    case date_style::dmy: return "dmy";
    case date_style::dmy_dots: return "dmy_dots";
    case date_style::iso: return "iso";
    case date_style::ymd_compact: return "ymd_compact";
    case date_style::ofx: return "ofx";
  }
  return "?";
}

struct date_case {
  std::string_view text;
  date_style style;
  bankflow::date want;
};

struct bad_case {
  std::string_view text;
  date_style style;
};

void check_dates(std::initializer_list<date_case> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.text, style_name(c.style));
    const auto r = bankflow::parse_date(c.text, c.style);
    REQUIRE(r.has_value());
    REQUIRE(r->has_value());
    CHECK(bankflow::format_date(**r) == bankflow::format_date(c.want));
    CHECK(**r == c.want);
  }
}

void check_bad(std::initializer_list<bad_case> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.text, style_name(c.style));
    const auto r = bankflow::parse_date(c.text, c.style);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_date);
    CHECK(r.error().message.find('"') != std::string::npos);
  }
}

}  // namespace

TEST_CASE("dd/mm/yyyy, dd/mm/yy and d/m/yyyy dates", "[date]") {
  for (const auto style : {date_style::dmy, date_style::automatic}) {
    check_dates({
        {"01/04/2025", style, ymd(2025, 4, 1)},
        {"31/12/1999", style, ymd(1999, 12, 31)},
        {"1/4/2025", style, ymd(2025, 4, 1)},
        {"01/4/2025", style, ymd(2025, 4, 1)},
        {"1/04/2025", style, ymd(2025, 4, 1)},
        {"01/04/25", style, ymd(2025, 4, 1)},
        {"1/4/25", style, ymd(2025, 4, 1)},
        {" 02/06/2026 ", style, ymd(2026, 6, 2)},
    });
  }
}

TEST_CASE("two-digit years 00-69 are 20xx and 70-99 are 19xx", "[date]") {
  check_dates({
      {"01/01/00", date_style::dmy, ymd(2000, 1, 1)},
      {"01/01/69", date_style::dmy, ymd(2069, 1, 1)},
      {"01/01/70", date_style::dmy, ymd(1970, 1, 1)},
      {"31/12/99", date_style::dmy, ymd(1999, 12, 31)},
      {"15.03.12", date_style::dmy_dots, ymd(2012, 3, 15)},
  });
}

TEST_CASE("calendar dates are validated, with leap years", "[date]") {
  check_dates({
      {"29/02/2024", date_style::dmy, ymd(2024, 2, 29)},
      {"29/02/2000", date_style::dmy, ymd(2000, 2, 29)},  // divisible by 400
      {"29/02/00", date_style::dmy, ymd(2000, 2, 29)},
      {"20240229", date_style::ymd_compact, ymd(2024, 2, 29)},
      {"2024-02-29", date_style::iso, ymd(2024, 2, 29)},
      {"31/01/2025", date_style::dmy, ymd(2025, 1, 31)},
      {"30/04/2025", date_style::dmy, ymd(2025, 4, 30)},
  });
  check_bad({
      {"29/02/2023", date_style::dmy},
      {"29/02/1900", date_style::dmy},  // divisible by 100, not by 400
      {"29/02/2100", date_style::dmy},
      {"31/02/2025", date_style::dmy},
      {"30/02/2024", date_style::dmy},
      {"31/04/2025", date_style::dmy},
      {"31/06/2025", date_style::automatic},
      {"00/01/2025", date_style::dmy},
      {"01/00/2025", date_style::dmy},
      {"32/01/2025", date_style::dmy},
      {"01/13/2025", date_style::dmy},
      {"12/31/2025", date_style::dmy},  // mm/dd is not dd/mm
      {"01/01/0000", date_style::dmy},
      {"20230229", date_style::ymd_compact},
      {"2025-02-30", date_style::iso},
      {"20251301", date_style::ofx},
      {"31.09.2025", date_style::dmy_dots},
  });
}

TEST_CASE("the 00/00/0000 sentinel and all-zero dates mean no date", "[date]") {
  const bad_case zeros[] = {
      {"00/00/0000", date_style::dmy},
      {"00/00/0000", date_style::automatic},
      {" 00/00/0000 ", date_style::automatic},
      {"00/00/00", date_style::dmy},
      {"00000000", date_style::ymd_compact},
      {"00000000", date_style::automatic},
      {"00000000", date_style::ofx},
      {"00000000000000", date_style::ofx},
      {"00000000000000[-3:BRT]", date_style::ofx},
      {"0000-00-00", date_style::iso},
      {"00.00.0000", date_style::dmy_dots},
  };
  for (const auto& z : zeros) {
    CAPTURE(z.text, style_name(z.style));
    const auto r = bankflow::parse_date(z.text, z.style);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->has_value());
  }
}

TEST_CASE("OFX dates take the first eight digits and ignore time, fraction and zone", "[date]") {
  check_dates({
      {"20250401", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000", date_style::ofx, ymd(2025, 4, 1)},
      {"202504011200", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000.000", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000[-3:BRT]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000.000[-03:EST]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401000000[0:GMT]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401235959[+5.30:IST]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401[-3]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000 [-3:BRT]", date_style::ofx, ymd(2025, 4, 1)},
      {"20250401120000[-3:BRT]  ", date_style::ofx, ymd(2025, 4, 1)},
      {"  20250401  ", date_style::ofx, ymd(2025, 4, 1)},
  });
  SECTION("never through UTC: midnight at -3 stays on its calendar day") {
    check_dates({
        {"20260701000000[-3:BRT]", date_style::ofx, ymd(2026, 7, 1)},
        {"20261231230000[+14:LINT]", date_style::ofx, ymd(2026, 12, 31)},
    });
  }
  SECTION("junk after the date is bad_date") {
    check_bad({
        {"2025040", date_style::ofx},
        {"20250401x", date_style::ofx},
        {"20250401120000[-3:BRT", date_style::ofx},
        {"20250401120000-3", date_style::ofx},
        {"20250401120000.", date_style::ofx},
        {"20250401120000[]", date_style::ofx},
        {"20250401120000[-3:BRT]x", date_style::ofx},
        {"202504011200001", date_style::ofx},
        {"2025-04-01", date_style::ofx},
        {"", date_style::ofx},
    });
  }
}

TEST_CASE("ISO dates, optionally followed by a time", "[date]") {
  for (const auto style : {date_style::iso, date_style::automatic}) {
    check_dates({
        {"2025-04-01", style, ymd(2025, 4, 1)},
        {"2026-07-31 04:08:37.908000", style, ymd(2026, 7, 31)},
        {"2026-07-31T04:08:37", style, ymd(2026, 7, 31)},
        {"2026-07-31T04:08", style, ymd(2026, 7, 31)},
        {"2026-07-31T23:59:59Z", style, ymd(2026, 7, 31)},
        {"2026-07-31T23:59:59-03:00", style, ymd(2026, 7, 31)},
        {"2026-07-31T23:59:59.5+0000", style, ymd(2026, 7, 31)},
    });
    check_bad({
        {"2025-4-1", style},
        {"2025-04-01 junk", style},
        {"2025-04-01 25:00", style},
        {"2025-04-01 12:60", style},
        {"2025-04-01T", style},
        {"2025-04-01 12", style},
        {"25-04-01", style},
    });
  }
}

TEST_CASE("yyyymmdd dates have exactly eight digits", "[date]") {
  for (const auto style : {date_style::ymd_compact, date_style::automatic}) {
    check_dates({{"20250331", style, ymd(2025, 3, 31)}, {"19991231", style, ymd(1999, 12, 31)}});
    check_bad({{"2025033", style}, {"202503311", style}, {"2025033a", style}});
  }
  check_bad({{"20250331120000", date_style::ymd_compact}});
}

TEST_CASE("dd.mm.yyyy dates", "[date]") {
  for (const auto style : {date_style::dmy_dots, date_style::automatic}) {
    check_dates({{"01.04.2025", style, ymd(2025, 4, 1)}, {"1.4.2025", style, ymd(2025, 4, 1)}});
  }
  check_bad({{"01/04/2025", date_style::dmy_dots}, {"01.04", date_style::dmy_dots}});
}

TEST_CASE("each fixed style rejects the other styles' shapes", "[date]") {
  check_bad({
      {"2025-04-01", date_style::dmy},
      {"20250401", date_style::dmy},
      {"01.04.2025", date_style::dmy},
      {"01/04/2025", date_style::iso},
      {"20250401", date_style::iso},
      {"01/04/2025", date_style::ymd_compact},
      {"01/04/2025", date_style::ofx},
  });
}

TEST_CASE("text that is not a date is bad_date with the cell quoted", "[date]") {
  const std::string_view junk[] = {
      "",           " ",           "abc",        "Saldo a partir 04/05/12:", "01-04-2025",
      "2025/04/01", "01/04/202",   "01/04/20255", "1/4",       "01/04/2025 10:30",
      "001/04/2025", "01/004/2025", "//",        "01/04/",    "20250401120000",
      "-01/04/2025", "01/04/2025.", "S A L D O", "1.4",       "١/٤/٢٠٢٥",
  };
  for (const auto text : junk) {
    CAPTURE(text);
    const auto r = bankflow::parse_date(text);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::bad_date);
  }
  const auto r = bankflow::parse_date("  31/02/2025 ");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("\"31/02/2025\"") != std::string::npos);
}

TEST_CASE("a day/month without a year takes the year that puts it on or before the bill",
          "[date]") {
  struct row {
    std::string_view text;
    bankflow::date reference;
    bankflow::date want;
  };
  const row rows[] = {
      {"28/10", ymd(2026, 8, 7), ymd(2025, 10, 28)},  // installment from last year
      {"04/08", ymd(2026, 8, 7), ymd(2026, 8, 4)},
      {"07/08", ymd(2026, 8, 7), ymd(2026, 8, 7)},  // the bill's own day stays
      {"08/08", ymd(2026, 8, 7), ymd(2025, 8, 8)},  // one day later is last year
      {"1/1", ymd(2026, 8, 7), ymd(2026, 1, 1)},
      {"31/12", ymd(2026, 1, 5), ymd(2025, 12, 31)},
      {"01/01", ymd(2026, 1, 1), ymd(2026, 1, 1)},
      {" 15/07 ", ymd(2026, 8, 7), ymd(2026, 7, 15)},
      {"29/02", ymd(2024, 3, 1), ymd(2024, 2, 29)},
      {"29/02", ymd(2025, 3, 10), ymd(2024, 2, 29)},  // 2025 has no 29/02
      {"29/02", ymd(2026, 8, 7), ymd(2024, 2, 29)},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text, bankflow::format_date(r.reference));
    const auto got = bankflow::parse_day_month(r.text, r.reference);
    REQUIRE(got.has_value());
    CHECK(bankflow::format_date(*got) == bankflow::format_date(r.want));
  }
  SECTION("impossible or malformed day/months are bad_date") {
    for (const std::string_view text :
         {"30/02", "31/04", "32/01", "00/00", "00/10", "10/00", "13/13", "28/10/2025", "abc", "",
          "28-10", "28/", "/10", "281/0"}) {
      CAPTURE(text);
      const auto got = bankflow::parse_day_month(text, ymd(2026, 8, 7));
      REQUIRE_FALSE(got.has_value());
      CHECK(got.error().code == errc::bad_date);
    }
  }
  SECTION("an invalid reference date is invalid_argument") {
    const auto got = bankflow::parse_day_month("01/01", ymd(2026, 2, 30));
    REQUIRE_FALSE(got.has_value());
    CHECK(got.error().code == errc::invalid_argument);
  }
}

TEST_CASE("format_date writes yyyy-mm-dd with zero padding", "[date]") {
  CHECK(bankflow::format_date(ymd(2025, 4, 1)) == "2025-04-01");
  CHECK(bankflow::format_date(ymd(1999, 12, 31)) == "1999-12-31");
  CHECK(bankflow::format_date(ymd(999, 1, 9)) == "0999-01-09");
  CHECK(bankflow::format_date(2026y / std::chrono::July / 31d) == "2026-07-31");
}

TEST_CASE("every day of 1999-2001 and 2023-2025 survives format and parse in every style",
          "[date]") {
  auto check_range = [](bankflow::date from, bankflow::date to) {
    for (auto day = std::chrono::sys_days{from}; day <= std::chrono::sys_days{to};
         day += std::chrono::days{1}) {
      const bankflow::date d{day};
      const std::string iso = bankflow::format_date(d);
      const std::string compact = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
      const std::string dmy = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
      const std::string dmy2 = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(2, 2);
      const std::string dots = iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
      const std::string ofx = compact + "120000[-3:BRT]";
      const std::pair<std::string, date_style> forms[] = {
          {iso, date_style::iso},          {compact, date_style::ymd_compact},
          {dmy, date_style::dmy},          {dmy2, date_style::dmy},
          {dots, date_style::dmy_dots},    {ofx, date_style::ofx},
          {iso, date_style::automatic},    {dmy, date_style::automatic},
          {compact, date_style::automatic}};
      for (const auto& [text, style] : forms) {
        const auto r = bankflow::parse_date(text, style);
        if (!r.has_value() || !r->has_value() || **r != d)
          FAIL("round trip failed for " << text << " in " << style_name(style));
      }
    }
  };
  check_range(ymd(1999, 1, 1), ymd(2001, 12, 31));
  check_range(ymd(2023, 1, 1), ymd(2025, 12, 31));
  SUCCEED();
}

TEST_CASE("every day and non-day of some years, in each ten-character shape", "[date]") {
  // dd/mm/yyyy, dd.mm.yyyy and yyyy-mm-dd take a fast path; check it against the calendar
  for (const int y : {1900, 1999, 2000, 2023, 2024, 2100}) {
    for (unsigned m = 0; m <= 13; ++m) {
      for (unsigned d = 0; d <= 32; ++d) {
        const bankflow::date want = ymd(y, m, d);
        char dmy[16], dots[16], iso[16];
        std::snprintf(dmy, sizeof dmy, "%02u/%02u/%04d", d, m, y);
        std::snprintf(dots, sizeof dots, "%02u.%02u.%04d", d, m, y);
        std::snprintf(iso, sizeof iso, "%04d-%02u-%02u", y, m, d);
        const std::pair<std::string_view, date_style> rows[] = {
            {dmy, date_style::dmy},       {dmy, date_style::automatic}, {dots, date_style::dmy_dots},
            {dots, date_style::automatic}, {iso, date_style::iso},      {iso, date_style::automatic},
        };
        for (const auto& [text, style] : rows) {
          CAPTURE(text, style_name(style));
          const auto r = bankflow::parse_date(text, style);
          REQUIRE(r.has_value() == want.ok());
          if (want.ok()) CHECK(**r == want);
          else CHECK(r.error().code == errc::bad_date);
        }
        // a shape of another style is never read as a date
        CHECK_FALSE(bankflow::parse_date(iso, date_style::dmy).has_value());
        CHECK_FALSE(bankflow::parse_date(dmy, date_style::iso).has_value());
        CHECK_FALSE(bankflow::parse_date(dots, date_style::dmy).has_value());
      }
    }
  }
}

TEST_CASE("the dd/mm fast path gives parse_day_month's date or leaves the cell to it") {
  using namespace std::chrono;
  const bankflow::date references[] = {year{2026} / 8 / 7, year{2024} / 2 / 29, year{2025} / 1 / 1,
                             year{2023} / 12 / 31, year{2028} / 3 / 1};
  int fast = 0;
  for (const bankflow::date ref : references) {
    for (int m = 0; m <= 13; ++m) {
      for (int d = 0; d <= 32; ++d) {
        char text[8];
        std::snprintf(text, sizeof text, "%02d/%02d", d, m);
        bankflow::date got{};
        const bool took = bankflow::detail::fast_day_month(text, ref, got);
        const auto want = bankflow::parse_day_month(text, ref);
        if (took) {
          ++fast;
          REQUIRE(want);
          CHECK(got == *want);
        } else {
          // only what the full reader rejects, or 29/02, is left to it
          CHECK((!want || (d == 29 && m == 2)));
        }
      }
    }
  }
  CHECK(fast == 5 * 365);  // every real day but 29/02, for each reference
  bankflow::date unused{};
  CHECK_FALSE(bankflow::detail::fast_day_month("7/8", references[0], unused));
  CHECK_FALSE(bankflow::detail::fast_day_month("07-08", references[0], unused));
}

TEST_CASE("format_date and append_date write four-digit years, zero-padded, and any other year as it is") {
  CHECK(bankflow::format_date(ymd(2025, 4, 1)) == "2025-04-01");
  CHECK(bankflow::format_date(ymd(999, 12, 31)) == "0999-12-31");
  CHECK(bankflow::format_date(ymd(9999, 1, 9)) == "9999-01-09");
  CHECK(bankflow::format_date(ymd(10000, 1, 1)) == "10000-01-01");
  CHECK(bankflow::format_date(ymd(-1, 1, 1)) == "-0001-01-01");
  std::string out = "x";
  bankflow::append_date(out, ymd(2026, 12, 7));
  CHECK(out == "x2026-12-07");
}
