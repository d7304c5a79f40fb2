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
