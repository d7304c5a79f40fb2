#include <bankflow/money.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

using bankflow::errc;
using bankflow::number_style;

namespace {

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

struct amount_case {
  std::string_view text;
  number_style style;
  std::int64_t centavos;
};

struct error_case {
  std::string_view text;
  number_style style;
  errc code;
};

constexpr number_style all_styles[] = {number_style::automatic, number_style::pt_br,
                                       number_style::en};

std::string style_name(number_style s) {
  switch (s) {
    case number_style::automatic: return "automatic";
    case number_style::pt_br: return "pt_br";
    case number_style::en: return "en";
  }
  return "?";
}

void check_amounts(std::initializer_list<amount_case> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.text, style_name(c.style));
    const auto r = bankflow::parse_amount(c.text, c.style);
    REQUIRE(r.has_value());
    REQUIRE(r->has_value());
    CHECK(**r == c.centavos);
  }
}

void check_errors(std::initializer_list<error_case> cases) {
  for (const auto& c : cases) {
    CAPTURE(c.text, style_name(c.style));
    const auto r = bankflow::parse_amount(c.text, c.style);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == c.code);
    CHECK(bankflow::to_string(r.error().code) == bankflow::to_string(c.code));
  }
}

}  // namespace

TEST_CASE("pt-BR amounts with a thousands dot and a decimal comma", "[money]") {
  for (const auto style : all_styles) {
    check_amounts({
        {"1.234,56", style, 123456},
        {"-1.234,56", style, -123456},
        {"1.234.567,89", style, 123456789},
        {"0,01", style, 1},
        {"12.345.678.901,23", style, 1234567890123},
    });
  }
}

TEST_CASE("a comma alone is the decimal separator in automatic and pt-BR styles", "[money]") {
  for (const auto style : {number_style::automatic, number_style::pt_br}) {
    check_amounts({
        {"1234,56", style, 123456},
        {"-1290,00", style, -129000},
        {"29732,78", style, 2973278},
        {"12,5", style, 1250},
        {"1,000", style, 100},  // decimals that are zero are fine
    });
  }
}

TEST_CASE("en amounts and amounts with their trailing zeros stripped", "[money]") {
  for (const auto style : {number_style::automatic, number_style::en}) {
    check_amounts({
        {"-1234.56", style, -123456},
        {"1234.56", style, 123456},
        {"139.8", style, 13980},
        {"-800.0", style, -80000},
        {"-313", style, -31300},
        {"190", style, 19000},
        {"0", style, 0},
    });
  }
  check_amounts({{"-313", number_style::pt_br, -31300}, {"190", number_style::pt_br, 19000}});
}

TEST_CASE("currency prefixes, signs and parentheses", "[money]") {
  for (const auto style : all_styles) {
    check_amounts({
        {"R$ 1.234,56", style, 123456},
        {"R$698,00", style, 69800},
        {"-R$ 10,00", style, -1000},
        {"-R$ 318,19", style, -31819},
        {"R$ -10,00", style, -1000},
        {"- R$ 10,00", style, -1000},
        {"- 625,29", style, -62529},  // "- 625,29" once the CSV reader removed the quotes
        {"(1.234,56)", style, -123456},
        {"( 1.234,56 )", style, -123456},
        {"(R$ 5,00)", style, -500},
        {"+12,00", style, 1200},
        {"+R$ 12,00", style, 1200},
        {"R$\xC2\xA0" "1.234,56", style, 123456},  // Excel's pt-BR currency format uses an NBSP
        {"-0,00", style, 0},
    });
  }
}

TEST_CASE("blank padding and a trailing blank around the amount are ignored", "[money]") {
  check_amounts({
      {"           1690,70", number_style::automatic, 169070},  // Santander pads to 18
      {"-836.30 ", number_style::automatic, -83630},            // BB old adds a trailing blank
      {"\t12,00\t", number_style::automatic, 1200},
      {"\xC2\xA0" "12,00\xC2\xA0", number_style::automatic, 1200},
      {" 12,00\r\n", number_style::automatic, 1200},
  });
}

TEST_CASE("an empty cell, blanks, or a lone dot has no amount", "[money]") {
  for (const auto style : all_styles) {
    for (const std::string_view text : {"", " ", "   ", "\t", "            .  ", ".", " . "}) {
      CAPTURE(text, style_name(style));
      const auto r = bankflow::parse_amount(text, style);
      REQUIRE(r.has_value());
      CHECK_FALSE(r->has_value());
    }
  }
}

TEST_CASE("a dot followed by three digits groups thousands in a pt-BR column", "[money]") {
  check_amounts({
      {"1.000", number_style::pt_br, 100000},
      {"-1.000", number_style::pt_br, -100000},
      {"R$ 2.500", number_style::pt_br, 250000},
      {"1.234.567", number_style::pt_br, 123456700},
      {"1.000,5", number_style::pt_br, 100050},
  });
  SECTION("a dot followed by other than three digits is still a decimal point") {
    check_amounts({
        {"139.8", number_style::pt_br, 13980},
        {"1.50", number_style::pt_br, 150},
        {"50.0000", number_style::pt_br, 5000},
    });
  }
}

TEST_CASE("a lone dot is the decimal separator in automatic and en styles", "[money]") {
  check_amounts({
      {"1.000", number_style::automatic, 100},
      {"1.000", number_style::en, 100},
      {"1.230", number_style::automatic, 123},
  });
}

TEST_CASE("a comma followed by three digits groups thousands in an en column", "[money]") {
  check_amounts({
      {"1,000", number_style::en, 100000},
      {"-12,345", number_style::en, -1234500},
      {"1,234.56", number_style::en, 123456},
      {"12,5", number_style::en, 1250},  // not three digits: a decimal comma
  });
}

TEST_CASE("when both separators occur the last one is the decimal separator", "[money]") {
  for (const auto style : all_styles) {
    check_amounts({
        {"1,234.56", style, 123456},
        {"1.234,56", style, 123456},
        {"1,234,567.8", style, 123456780},
        {"1.234.567,8", style, 123456780},
    });
  }
}

TEST_CASE("the same separator twice with no other only groups thousands, in every style",
          "[money]") {
  for (const auto style : all_styles) {
    check_amounts({
        {"1.234.567", style, 123456700},
        {"1,234,567", style, 123456700},
        {"-1.000.000", style, -100000000},
    });
  }
}

TEST_CASE("thousands groups that are not three digits are bad_amount", "[money]") {
  for (const auto style : all_styles) {
    check_errors({
        {"1.000.5", style, errc::bad_amount},
        {"1,2,3", style, errc::bad_amount},
        {"12.34,56", style, errc::bad_amount},
        {"1234.567,89", style, errc::bad_amount},
        {"1.23.456", style, errc::bad_amount},
        {"1,234,5678", style, errc::bad_amount},
        {"1.234,56,78", style, errc::bad_amount},  // two decimal commas
        {"1..5", style, errc::bad_amount},
        {"1.,5", style, errc::bad_amount},
    });
  }
  check_errors({{"1234.567", number_style::pt_br, errc::bad_amount},
                {"1234,567", number_style::en, errc::bad_amount}});
}

TEST_CASE("any number of decimals is accepted when the digits past the centavos are zero",
          "[money]") {
  check_amounts({
      {"50.0000", number_style::automatic, 5000},  // old BB PJ OFX
      {"-50.0000", number_style::automatic, -5000},
      {"0,10000000000", number_style::automatic, 10},
      {"1,500", number_style::pt_br, 150},
      {"7.1", number_style::en, 710},
  });
}

TEST_CASE("non-zero digits past the centavos are amount_precision, never rounded", "[money]") {
  check_errors({
      {"0.001", number_style::automatic, errc::amount_precision},
      {"12.3456", number_style::automatic, errc::amount_precision},
      {"1,2345", number_style::automatic, errc::amount_precision},
      {"0,125", number_style::automatic, errc::amount_precision},
      {"1234,567", number_style::automatic, errc::amount_precision},
      {"1,234", number_style::pt_br, errc::amount_precision},
      {"1.234", number_style::en, errc::amount_precision},
      {"1,005", number_style::pt_br, errc::amount_precision},
      {"1.234,567", number_style::automatic, errc::amount_precision},
  });
}

TEST_CASE("with no layout style a lone separator before three non-zero digits is ambiguous_amount",
          "[money]") {
  check_errors({
      {"1.234", number_style::automatic, errc::ambiguous_amount},
      {"1,234", number_style::automatic, errc::ambiguous_amount},
      {"-999,001", number_style::automatic, errc::ambiguous_amount},
      {"R$ 12.345", number_style::automatic, errc::ambiguous_amount},
  });
  SECTION("the layout style settles it") {
    check_amounts({{"1.234", number_style::pt_br, 123400}, {"1,234", number_style::en, 123400}});
  }
}

TEST_CASE("text that is not a number is bad_amount with the cell quoted", "[money]") {
  const std::string_view garbage[] = {
      "abc",  "12a",  "--5",    "1,2,3", "R$",    "-",       "-R$",      "+",     "5.",
      ",50",  ".5",   "(5",     "5)",    "()",    "(-5)",    "-(5)",     "+-5",   "R$ R$ 5",
      "1e5",  "0x10", "1 234,56", "12,90D", "12-", "$ 5,00", "r$ 5,00",  "5,00 R$", "1_000",
      "١٢٣",  "12;34", "--",   "-.",
  };
  for (const auto style : all_styles) {
    for (const std::string_view text : garbage) {
      CAPTURE(text, style_name(style));
      const auto r = bankflow::parse_amount(text, style);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == errc::bad_amount);
      CHECK(r.error().message.find("\"" + std::string(text) + "\"") != std::string::npos);
    }
  }
}

TEST_CASE("an error message quotes the trimmed cell and names no place", "[money]") {
  const auto r = bankflow::parse_amount("   12a  ");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("\"12a\"") != std::string::npos);
  CHECK(r.error().line == 0);
  CHECK(r.error().field.empty());
  CHECK(r.error().file.empty());
}

TEST_CASE("amounts at the int64 bounds parse and one centavo beyond overflows", "[money]") {
  check_amounts({
      {"92233720368547758.07", number_style::automatic, i64_max},
      {"-92233720368547758.08", number_style::automatic, i64_min},
      {"92.233.720.368.547.758,07", number_style::pt_br, i64_max},
      {"-92,233,720,368,547,758.08", number_style::en, i64_min},
      {"(92233720368547758,08)", number_style::automatic, i64_min},
      {"0000000000000000000000000001,00", number_style::automatic, 100},  // leading zeros
  });
  check_errors({
      {"92233720368547758.08", number_style::automatic, errc::amount_overflow},
      {"-92233720368547758.09", number_style::automatic, errc::amount_overflow},
      {"99999999999999999999", number_style::automatic, errc::amount_overflow},
      {"92233720368547759", number_style::automatic, errc::amount_overflow},
      {"1.000.000.000.000.000.000,00", number_style::pt_br, errc::amount_overflow},
      {"184467440737095516,16", number_style::automatic, errc::amount_overflow},  // 2^64
  });
}

TEST_CASE("parse_amount_required turns an empty cell into bad_amount", "[money]") {
  SECTION("a value passes through") {
    const auto r = bankflow::parse_amount_required("R$ 1.234,56", number_style::pt_br);
    REQUIRE(r.has_value());
    CHECK(*r == 123456);
  }
  SECTION("empty, blank and a lone dot are bad_amount") {
    for (const std::string_view text : {"", "   ", " . "}) {
      CAPTURE(text);
      const auto r = bankflow::parse_amount_required(text);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == errc::bad_amount);
    }
  }
  SECTION("other errors keep their code") {
    const auto r = bankflow::parse_amount_required("0.001");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::amount_precision);
  }
}

TEST_CASE("format_amount writes a plain decimal with two places", "[money]") {
  struct row {
    std::int64_t minor;
    std::string_view dot;
    std::string_view comma;
  };
  const row rows[] = {
      {0, "0.00", "0,00"},
      {5, "0.05", "0,05"},
      {-5, "-0.05", "-0,05"},
      {10, "0.10", "0,10"},
      {100, "1.00", "1,00"},
      {-100, "-1.00", "-1,00"},
      {123456, "1234.56", "1234,56"},
      {-123456, "-1234.56", "-1234,56"},
      {100000000, "1000000.00", "1000000,00"},
      {i64_max, "92233720368547758.07", "92233720368547758,07"},
      {i64_min, "-92233720368547758.08", "-92233720368547758,08"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.minor);
    CHECK(bankflow::format_amount(r.minor) == r.dot);
    CHECK(bankflow::format_amount_br(r.minor) == r.comma);
  }
}

TEST_CASE("append_amount appends after existing text with the chosen separator", "[money]") {
  std::string out = "Valor;";
  bankflow::append_amount(out, -123456);
  out += ';';
  bankflow::append_amount(out, 5, ',');
  CHECK(out == "Valor;-1234.56;0,05");
}

TEST_CASE("formatted amounts parse back to the same centavos", "[money]") {
  const std::int64_t samples[] = {0, 1, -1, 99, -99, 100, 12345, -987654321, i64_max, i64_min,
                                  i64_max - 1, i64_min + 1};
  for (const auto v : samples) {
    CAPTURE(v);
    const auto a = bankflow::parse_amount_required(bankflow::format_amount(v), number_style::en);
    REQUIRE(a.has_value());
    CHECK(*a == v);
    const auto b =
        bankflow::parse_amount_required(bankflow::format_amount_br(v), number_style::pt_br);
    REQUIRE(b.has_value());
    CHECK(*b == v);
  }
  for (std::int64_t v = -200000; v <= 200000; v += 7) {
    const auto a = bankflow::parse_amount_required(bankflow::format_amount(v));
    if (!a.has_value() || *a != v) FAIL("round trip failed for " << v);
  }
  SUCCEED();
}

TEST_CASE("the fast path for common shapes agrees with the full reader", "[money]") {
  // parse_amount reads "1.234,56" through a fast path; "+1.234,56" and "(1.234,56)" always go
  // through the full reader, and must mean the same (or fail the same way).
  const std::string_view alphabet = "0123456789012345678901234567890123456789..,,";
  std::uint32_t state = 2024;
  auto next = [&] {
    state = state * 1664525U + 1013904223U;
    return state >> 8;
  };
  for (int round = 0; round < 30000; ++round) {
    std::string s;
    const std::size_t len = 1 + next() % 20;
    for (std::size_t k = 0; k < len; ++k) s += alphabet[next() % alphabet.size()];
    if (s == ".") continue;  // "." alone is an empty cell
    for (const auto style : all_styles) {
      CAPTURE(s, style_name(style));
      const auto plain = bankflow::parse_amount(s, style);
      const auto full = bankflow::parse_amount("+" + s, style);
      REQUIRE(plain.has_value() == full.has_value());
      if (plain) CHECK(**plain == **full);
      else CHECK(plain.error().code == full.error().code);
      const auto negative = bankflow::parse_amount("-" + s, style);
      const auto parens = bankflow::parse_amount("(" + s + ")", style);
      REQUIRE(negative.has_value() == parens.has_value());
      if (negative) CHECK(**negative == **parens);
      else CHECK(negative.error().code == parens.error().code);
    }
  }
}

TEST_CASE("api amounts are strict decimals", "[money]") {
  using row = std::pair<const char*, std::int64_t>;
  auto [text, minor] = GENERATE(row{"100.00", 10000}, row{"100", 10000}, row{"40.5", 4050}, row{"0.01", 1},
                                row{"92233720368547758.07", -1}, row{"-1.00", -1}, row{"1,00", -1},
                                row{"1.234", -1}, row{"", -1}, row{".5", -1}, row{"1e3", -1}, row{"1.", -1},
                                row{" 1.00", -1});
  auto r = bankflow::parse_api_amount(text);
  INFO(text);
  if (minor >= 0) {
    REQUIRE(r);
    CHECK(*r == minor);
  } else {
    REQUIRE_FALSE(r);
    CHECK((r.error().code == errc::bad_amount || r.error().code == errc::amount_overflow));
    CHECK(r.error().field == "amount");
  }
}
