#include <bankflow/json.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

using namespace bankflow;

TEST_CASE("json strings escape quotes, backslashes and control characters, and keep UTF-8") {
  CHECK(json_string("plain") == R"("plain")");
  CHECK(json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_string("l1\nl2\r\t") == R"("l1\nl2\r\t")");
  CHECK(json_string(std::string_view("\x01\x1f\0", 3)) == R"("\u0001\u001f\u0000")");
  CHECK(json_string("Pagamento Itaú – ok") == "\"Pagamento Itaú – ok\"");
  CHECK(json_string("") == R"("")");
}

TEST_CASE("json strings: escapes anywhere in long text, across and at the ends of 16-byte blocks, parse back") {
  // the escaped bytes and a few that are not (0x20, 0x7F, UTF-8), at random places in long text
  const std::string pieces[] = {"\"", "\\", "\n", "\x01", "\x1f", std::string(1, '\0'), " ", "\x7f", "é", "a",
                                "0123456789abcdef"};
  std::uint32_t seed = 20261207;
  auto next = [&] { return seed = seed * 1664525U + 1013904223U; };
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::uint32_t n = next() % 70;
    for (std::uint32_t i = 0; i < n; ++i) text += pieces[(next() >> 8) % std::size(pieces)];
    const std::string literal = json_string(text);
    INFO("round " << round);
    REQUIRE(boost::json::parse(literal).as_string() == text);
    // nothing but what must be escaped is: no control character or lone quote is left
    for (std::size_t i = 1; i + 1 < literal.size(); ++i) CHECK(static_cast<unsigned char>(literal[i]) >= 0x20);
  }
}

TEST_CASE("the json writer puts separators between members and elements, at every depth") {
  std::string out;
  json_writer w(out);
  w.begin_object().field("id", "j1").field("rows", 3).field("ok", true);
  w.key("bank").null().key("tags").begin_array().string("a").number(-2).begin_object().end_object();
  w.begin_array().end_array().end_array();
  w.key("n").begin_object().field("x", std::int64_t{-9223372036854775807 - 1}).end_object();
  w.key("raw").raw("1.50").key("empty").string_or_null("").key("full").string_or_null("v");
  w.end_object();
  CHECK(out == R"({"id":"j1","rows":3,"ok":true,"bank":null,"tags":["a",-2,{},[]],)"
               R"("n":{"x":-9223372036854775808},"raw":1.50,"empty":null,"full":"v"})");
  // and it is JSON
  const auto v = boost::json::parse(out);
  CHECK(v.at("tags").as_array().size() == 4);
}

TEST_CASE("the spaced json style is the statement JSON's") {
  std::string out = "prefix ";
  json_writer w(out, json_writer::style::spaced);
  w.begin_object().field("a", std::uint64_t{18446744073709551615u}).key("b");
  w.begin_array().number(1).number(2).end_array().end_object();
  CHECK(out == R"(prefix {"a": 18446744073709551615, "b": [1, 2]})");
}

TEST_CASE("top-level json values need no container") {
  std::string out;
  json_writer(out).string("x");
  CHECK(out == R"("x")");
  out.clear();
  json_writer w(out);
  w.begin_array();
  for (int i = 0; i < 3; ++i) w.begin_array().number(i).end_array();
  w.end_array();
  CHECK(out == "[[0],[1],[2]]");
}
