// A job keeps the client's file name as well-formed UTF-8 cut on a character boundary (issue 15,
// item 11): the JSON job list then always parses, and PostgreSQL accepts the row.
#include <bankflow/database.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/text.hpp>

#include "../store/test_support.hpp"
#include "jobs_test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <string>

using bankflow::job_filename;
using bankflow::job_store;
namespace test = bankflow::test;

TEST_CASE("job_filename keeps valid names and replaces ill-formed bytes with U+FFFD", "[jobs][filename]") {
  struct row {
    std::string in;
    std::string out;
  };
  const auto [in, out] = GENERATE(values<row>({
      {"extrato março.csv", "extrato março.csv"},
      {"", ""},
      {"a\xFF" "b.csv", "a\xEF\xBF\xBD" "b.csv"},                // a byte that never occurs
      {"\xE7" "a.csv", "\xEF\xBF\xBD" "a.csv"},                   // Latin-1 ç
      {"mar\xC3.csv", "mar\xEF\xBF\xBD.csv"},                     // a truncated sequence
      {"\xE2\x82.txt", "\xEF\xBF\xBD.txt"},                       // € cut short: one U+FFFD
      {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},                   // overlong '/'
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},   // a surrogate
      {"tab\there\x7f.csv", "tabhere.csv"},                       // control characters go
  }));
  const std::string got = job_filename(in);
  CHECK(got == out);
  CHECK(bankflow::is_valid_utf8(got));
}

TEST_CASE("job_filename cuts at 255 bytes on a character boundary", "[jobs][filename]") {
  SECTION("two-byte characters: 127 fit, the one across byte 255 goes whole") {
    std::string name;
    for (int i = 0; i < 200; ++i) name += "ç";
    const std::string got = job_filename(name);
    CHECK(got.size() == 254);
    CHECK(bankflow::is_valid_utf8(got));
  }
  SECTION("an ASCII byte then four-byte characters") {
    std::string name = "x";
    for (int i = 0; i < 100; ++i) name += "\xF0\x9F\x98\x80";  // U+1F600
    const std::string got = job_filename(name);
    CHECK(got.size() == 253);  // 1 + 63 × 4
    CHECK(bankflow::is_valid_utf8(got));
  }
  SECTION("a replacement character near the end is not split either") {
    std::string name(253, 'a');
    name += "\xFF\xFF";  // becomes 2 × 3 bytes: only whole characters remain
    const std::string got = job_filename(name);
    CHECK(got == std::string(253, 'a'));
  }
  SECTION("exactly 255 ASCII bytes stay") {
    CHECK(job_filename(std::string(300, 'b')) == std::string(255, 'b'));
  }
}

TEST_CASE("the job store keeps only the repaired file name and its JSON parses", "[jobs][filename]") {
  test::sql_targets targets;
  for (const auto& target : targets.all()) {
    SECTION(target.name) {
      auto db = bankflow::database::open(target.url);
      REQUIRE(db);
      test::manual_clock clock;
      auto jobs = job_store::open(*db, {.clock = clock.fn()});
      REQUIRE(jobs);
      std::string name = "extrato-\xE7\xE3o-";
      for (int i = 0; i < 150; ++i) name += "é";
      const std::string id = job_store::new_job_id();
      auto created = jobs->create(id, "owner-a", name, 10);
      REQUIRE(created);  // PostgreSQL refused the raw bytes before
      CHECK(created->filename == job_filename(name));
      auto got = jobs->get(id);
      REQUIRE(got);
      CHECK(got->filename == created->filename);
      CHECK(got->filename.size() <= bankflow::max_job_filename_bytes);
      CHECK(bankflow::is_valid_utf8(got->filename));
      const auto v = boost::json::parse(bankflow::to_json(*got)).as_object();
      CHECK(v.at("filename").as_string() == got->filename);
    }
  }
}

TEST_CASE("to_json repairs a file name stored before job_filename existed", "[jobs][filename]") {
  bankflow::job j;
  j.id = "0123456789abcdef0123456789abcdef";
  j.filename = "old\xFFname.csv";
  const auto v = boost::json::parse(bankflow::to_json(j)).as_object();
  CHECK(v.at("filename").as_string() == "old\xEF\xBF\xBDname.csv");
}
