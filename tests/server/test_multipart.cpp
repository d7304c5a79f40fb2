// The server's multipart/form-data parser (apps/server/multipart.hpp).

#include "multipart.hpp"

#include <catch2/catch.hpp>

#include <string>

using bankflow::errc;
using namespace bankflow::server;

namespace {

std::string form(std::string_view eol) {
  std::string b;
  b += "preamble to ignore";
  b += eol;
  b += "--XyZ";
  b += eol;
  b += "Content-Disposition: form-data; name=\"note\"";
  b += eol;
  b += eol;
  b += "hello";
  b += eol;
  b += "--XyZ";
  b += eol;
  b += "Content-Disposition: form-data; name=\"file\"; filename=\"extrato.ofx\"";
  b += eol;
  b += "Content-Type: application/x-ofx";
  b += eol;
  b += eol;
  b += "line 1\r\nline 2 --XyZ not a delimiter\r\n";
  b += eol;
  b += "--XyZ--";
  b += eol;
  b += "epilogue";
  return b;
}

}  // namespace

TEST_CASE("multipart: fields and files with CRLF or bare LF delimiters", "[server][multipart]") {
  const std::string eol = GENERATE(std::string("\r\n"), std::string("\n"));
  const std::string body = form(eol);
  auto parts = parse_multipart(body, "XyZ");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].name == "note");
  CHECK((*parts)[0].data == "hello");
  CHECK_FALSE((*parts)[0].filename);
  CHECK((*parts)[1].name == "file");
  CHECK((*parts)[1].filename == "extrato.ofx");
  CHECK((*parts)[1].content_type == "application/x-ofx");
  CHECK((*parts)[1].data == "line 1\r\nline 2 --XyZ not a delimiter\r\n");
}

TEST_CASE("multipart: an empty part and binary content", "[server][multipart]") {
  std::string data("a\0b\r\n--Xy\r", 10);
  std::string body = "--B\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--B\r\n"
                     "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n" + data +
                     "\r\n--B--\r\n";
  auto parts = parse_multipart(body, "B");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);
  CHECK((*parts)[0].data.empty());
  CHECK((*parts)[1].data == data);
}

TEST_CASE("multipart: file names", "[server][multipart]") {
  struct row {
    std::string disposition;
    std::string expected;
  };
  const auto r = GENERATE(
      row{R"(form-data; name="file"; filename="a b.csv")", "a b.csv"},
      row{R"(form-data; name="file"; filename="say \"hi\".csv")", "say \"hi\".csv"},
      row{R"(form-data; name="file"; filename="C:\\Users\\ana\\extrato.ofx")", "extrato.ofx"},
      row{R"(form-data; name="file"; filename="../../etc/passwd")", "passwd"},
      row{R"(form-data; name="file"; filename="plain.csv"; filename*=UTF-8''extrato%20mar%C3%A7o.csv)",
          "extrato março.csv"},
      row{R"(form-data; name="file"; filename*=iso-8859-1'pt'mar%E7o.csv)", "março.csv"},
      row{R"(form-data; name=file; filename=unquoted.txt)", "unquoted.txt"},
      row{R"(FORM-DATA; NAME="file"; FILENAME="upper.csv")", "upper.csv"});
  const std::string body = "--b\r\nContent-Disposition: " + r.disposition + "\r\n\r\nx\r\n--b--";
  auto parts = parse_multipart(body, "b");
  REQUIRE(parts);
  REQUIRE(parts->size() == 1);
  CHECK((*parts)[0].name == "file");
  CHECK((*parts)[0].filename == r.expected);
}

TEST_CASE("multipart: the boundary from Content-Type", "[server][multipart]") {
  CHECK(*multipart_boundary("multipart/form-data; boundary=abc") == "abc");
  CHECK(*multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"") == "a b;c");
  CHECK(*multipart_boundary("multipart/form-data;boundary=----WebKitFormBoundary7MA4") ==
        "----WebKitFormBoundary7MA4");
  for (const char* bad : {"multipart/form-data", "multipart/form-data; boundary=", "application/json",
                          "multipart/form-data; boundary=\"unterminated", ""}) {
    INFO(bad);
    auto b = multipart_boundary(bad);
    REQUIRE_FALSE(b);
    CHECK(b.error().code == errc::invalid_argument);
  }
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
}

TEST_CASE("multipart: malformed bodies are errors with a reason", "[server][multipart]") {
  struct row {
    std::string body;
    std::string reason;
  };
  const auto r = GENERATE(
      row{"", "no multipart delimiter"},
      row{"no delimiter at all", "no multipart delimiter"},
      row{"--bX\r\n", "not followed by a line break"},
      row{"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\ndata without end", "never ends"},
      row{"--b\r\nContent-Disposition: form-data; name=\"f\"", "headers never end"},
      row{"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "without Content-Disposition"},
      row{"--b\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--b--", "not form-data"},
      row{"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "without a field name"},
      row{"--b\r\nno colon here\r\n\r\nx\r\n--b--", "without ':'"},
      row{"--b\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--b--", "unterminated quoted"});
  auto parts = parse_multipart(r.body, "b");
  REQUIRE_FALSE(parts);
  CHECK(parts.error().code == errc::invalid_argument);
  CHECK_THAT(parts.error().message, Catch::Contains(r.reason));
}

TEST_CASE("multipart: limits on parts and header size", "[server][multipart]") {
  std::string many;
  for (int i = 0; i < 20; ++i) many += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  many += "--b--";
  auto parts = parse_multipart(many, "b", {.max_parts = 16, .max_header_bytes = 8192});
  REQUIRE_FALSE(parts);
  CHECK_THAT(parts.error().message, Catch::Contains("more than 16 parts"));

  const std::string big = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Pad: " + std::string(10000, 'p') +
                          "\r\n\r\nx\r\n--b--";
  parts = parse_multipart(big, "b");
  REQUIRE_FALSE(parts);
  CHECK_THAT(parts.error().message, Catch::Contains("longer than 8192 bytes"));
}

TEST_CASE("multipart: arbitrary bytes never crash the parser", "[server][multipart]") {
  // every prefix of a valid body, and every single-byte corruption of it, parses or fails cleanly
  const std::string body = form("\r\n");
  for (std::size_t n = 0; n <= body.size(); ++n) (void)parse_multipart(std::string_view(body).substr(0, n), "XyZ");
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string b = body;
    b[i] = static_cast<char>(b[i] ^ 0x5a);
    auto parts = parse_multipart(b, "XyZ");
    if (parts)
      for (const auto& p : *parts) CHECK(p.data.data() >= b.data());
  }
  SUCCEED("no crash, no read outside the body (run under ASan in the sanitizer stage)");
}
