// The golden corpus: every statement file under tests/corpus/<bank>/ has NAME.expected.json, the
// exact normalized JSON (compared as JSON values). Negative files n_NAME.* expect
// {"error": "<code>"}: they must fail with that named error. BANKFLOW_UPDATE_GOLDEN=1 rewrites
// the expectations from the current output (review the diff before committing!).

#include <bankflow/bankflow.hpp>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace bankflow;
namespace fs = std::filesystem;

namespace {

bool is_input(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.ends_with(".expected.json") && !name.ends_with(".facts.json") && !name.ends_with(".md") && !name.starts_with("LICENSE") &&
         !name.ends_with(".cpp") && !name.ends_with(".py") && !name.starts_with(".");
}

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(BANKFLOW_CORPUS_DIR))
    if (e.is_regular_file() && is_input(e.path()) && e.path().parent_path().filename() != "real-sources")
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path expected_path(const fs::path& input) {
  fs::path p = input;
  p.replace_extension();
  p += ".expected.json";
  return p;
}

}  // namespace

TEST_CASE("every corpus file converts to exactly its expected JSON, or fails as expected") {
  const auto files = corpus_files();
  REQUIRE(files.size() >= 6);
  const bool update = std::getenv("BANKFLOW_UPDATE_GOLDEN") != nullptr;
  for (const auto& input : files) {
    const std::string rel = fs::relative(input, BANKFLOW_CORPUS_DIR).string();
    INFO("corpus file: " << rel);
    const bool negative = input.filename().string().starts_with("n_");
    // a password-protected PDF: its generator's facts hold the password
    std::string password;
    if (fs::path facts = fs::path(input).replace_extension(".facts.json"); fs::exists(facts)) {
      auto text = read_file(facts);
      REQUIRE(text);
      const boost::json::value parsed = boost::json::parse(*text);  // outlives p below
      if (const auto* p = parsed.as_object().if_contains("password"))
        password = std::string(p->as_string());
    }
    auto result = parse_file(input, {.file_name = rel, .password = password});
    const fs::path exp = expected_path(input);
    std::string actual;
    if (negative) {
      REQUIRE_FALSE(result);
      // the message names the file, and is one line
      CHECK(result.error().to_string().find(rel) != std::string::npos);
      CHECK(result.error().to_string().find('\n') == std::string::npos);
      actual = "{\"error\": \"" + std::string(to_string(result.error().code)) + "\"}\n";
    } else {
      if (!result) FAIL(result.error().to_string());
      actual = to_json(*result);
    }
    if (update) {
      std::ofstream(exp, std::ios::binary) << actual;
      continue;
    }
    auto expected_text = read_file(exp);
    if (!expected_text) FAIL("missing " << exp.string() << " (run with BANKFLOW_UPDATE_GOLDEN=1 and review)");
    const auto want = boost::json::parse(*expected_text);
    const auto got = boost::json::parse(actual);
    if (want != got) {
      CHECK(boost::json::serialize(got) == boost::json::serialize(want));
    }
  }
}
