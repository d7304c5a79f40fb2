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
#include <stdexcept>
#include <string>

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

// A password-protected PDF: its generator's facts hold the password.
std::string password_for(const fs::path& input) {
  const fs::path facts = fs::path(input).replace_extension(".facts.json");
  if (!fs::exists(facts)) return {};
  auto text = read_file(facts);
  if (!text) throw std::runtime_error(text.error().to_string());
  const boost::json::value parsed = boost::json::parse(*text);  // outlives p below
  if (const auto* p = parsed.as_object().if_contains("password")) return std::string(p->as_string());
  return {};
}

// What the file converts to: the normalized JSON, or for a negative file {"error": "<code>"}.
// Sets `problem` when the outcome itself is wrong (a negative file that parses, a message that
// does not name the file or spans lines, a positive file that fails).
std::string actual_output(const fs::path& input, const std::string& rel, std::string& problem) {
  const bool negative = input.filename().string().starts_with("n_");
  auto result = parse_file(input, {.file_name = rel, .password = password_for(input)});
  if (!negative) {
    if (!result) problem = "fails: " + result.error().to_string();
    return result ? to_json(*result) : std::string();
  }
  if (result) {
    problem = "a negative file parses";
    return {};
  }
  const std::string message = result.error().to_string();
  if (message.find(rel) == std::string::npos) problem = "the error does not name the file: " + message;
  if (message.find('\n') != std::string::npos) problem = "the error spans lines: " + message;
  return "{\"error\": \"" + std::string(to_string(result.error().code)) + "\"}\n";
}

// Why the file does not match its golden, empty when it does (or when `update` rewrote it).
std::string corpus_problem(const fs::path& input, const std::string& rel, bool update) {
  std::string problem;
  const std::string actual = actual_output(input, rel, problem);
  if (!problem.empty()) return problem;
  const fs::path exp = expected_path(input);
  if (update) {
    std::ofstream(exp, std::ios::binary) << actual;
    return {};
  }
  auto expected_text = read_file(exp);
  if (!expected_text) return "missing " + exp.string() + " (run with BANKFLOW_UPDATE_GOLDEN=1 and review)";
  const auto want = boost::json::parse(*expected_text);
  const auto got = boost::json::parse(actual);
  if (want == got) return {};
  return "differs from its golden\n  got:  " + boost::json::serialize(got) + "\n  want: " +
         boost::json::serialize(want);
}

}  // namespace

// Every file is checked and every failing one reported, each on its own, with why.
TEST_CASE("every corpus file converts to exactly its expected JSON, or fails as expected") {
  const auto files = corpus_files();
  REQUIRE(files.size() >= 6);
  const bool update = std::getenv("BANKFLOW_UPDATE_GOLDEN") != nullptr;
  std::size_t failing = 0;
  for (const auto& input : files) {
    const std::string rel = fs::relative(input, BANKFLOW_CORPUS_DIR).string();
    std::string problem;
    try {
      problem = corpus_problem(input, rel, update);
    } catch (const std::exception& e) {
      problem = std::string("throws: ") + e.what();
    }
    INFO("corpus file: " << rel << ": " << problem);
    CHECK(problem.empty());
    if (!problem.empty()) ++failing;
  }
  INFO(failing << " of " << files.size() << " corpus files fail");
  CHECK(failing == 0);
}
