// Data keys: the key ring's text, the sealed file format, and a job's files sealed at rest.

#include <bankflow/data_key.hpp>
#include <bankflow/database.hpp>
#include <bankflow/export.hpp>
#include <bankflow/jobs.hpp>
#include <bankflow/parse.hpp>

#include "jobs_test_support.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using bankflow::data_key_ring;
using bankflow::errc;
using bankflow::job_status;
using bankflow::job_store;
namespace fs = std::filesystem;
namespace test = bankflow::test;

namespace {

const fs::path corpus = BANKFLOW_CORPUS_DIR;

// base64 of bytes 0..31 and of bytes 100..131
const std::string key_a = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string key_b = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

data_key_ring ring(const std::string& text) {
  auto r = data_key_ring::parse(text);
  REQUIRE(r);
  return std::move(*r);
}

const std::string statement = "Data;Histórico;Valor\n02/01/2025;PIX RECEBIDO MARIA;1.234,56\n";

}  // namespace

TEST_CASE("a data key ring is parsed from id:base64 entries, the first one sealing", "[jobs][data_key]") {
  const auto r = ring(" k2:" + key_b + " , k1:" + key_a + "\n");
  CHECK(r.sealing_id() == "k2");
  CHECK(r.to_text() == "k2:" + key_b + ",k1:" + key_a);
  CHECK(ring(r.to_text()).to_text() == r.to_text());
}

TEST_CASE("malformed data key text is refused without showing the key", "[jobs][data_key]") {
  const auto text = GENERATE(as<std::string>{}, "", "k1", "k1:", ":" + key_a, "bad id:" + key_a,
                             "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",  // 31 bytes
                             "k1:" + key_a + "x", "k1:" + key_a + ",k1:" + key_b, "k1:" + key_a + ",",
                             std::string(33, 'k') + ":" + key_a);
  INFO(text);
  auto r = data_key_ring::parse(text);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  CHECK(r.error().message.find("data key") != std::string::npos);
  CHECK(r.error().message.find(key_a.substr(0, 20)) == std::string::npos);
  CHECK(r.error().message.find(key_b.substr(0, 20)) == std::string::npos);
}

TEST_CASE("sealed bytes open to the plaintext and do not contain it", "[jobs][data_key]") {
  const auto keys = ring("k1:" + key_a);
  const std::string plaintext = GENERATE(as<std::string>{}, "", "x", statement, std::string(100000, 'z'));
  const std::string sealed = keys.seal(plaintext);
  CHECK(bankflow::is_sealed(sealed));
  // magic 6 + version 1 + id length 1 + "k1" + nonce 12 + ciphertext + tag 16
  CHECK(sealed.size() == 6 + 1 + 1 + 2 + 12 + plaintext.size() + 16);
  if (plaintext.size() > 8) {
    CHECK(sealed.find(plaintext.substr(0, 8)) == std::string::npos);
  }
  CHECK(keys.seal(plaintext) != sealed);  // a fresh nonce every time
  auto opened = keys.open(sealed, "f");
  REQUIRE(opened);
  CHECK(*opened == plaintext);
}

TEST_CASE("a ring with a new key opens files of the old key and seals with the new", "[jobs][data_key]") {
  const auto old_ring = ring("k1:" + key_a);
  const auto new_ring = ring("k2:" + key_b + ",k1:" + key_a);
  auto old_file = new_ring.open(old_ring.seal(statement), "old");
  REQUIRE(old_file);
  CHECK(*old_file == statement);

  const std::string fresh = new_ring.seal(statement);
  CHECK(fresh.find("k2") == 8);  // the header names the key that sealed it
  auto by_old = old_ring.open(fresh, "results/x.csv");
  REQUIRE_FALSE(by_old);
  CHECK(by_old.error().code == errc::io_error);
  CHECK(by_old.error().file == "results/x.csv");
  CHECK(by_old.error().message.find("'k2'") != std::string::npos);
}

TEST_CASE("a sealed file that was changed or is opened with a wrong key is an error", "[jobs][data_key]") {
  const auto keys = ring("k1:" + key_a);
  std::string sealed = keys.seal(statement);
  SECTION("a changed byte anywhere") {
    const auto at = GENERATE(7, 9, 12, 30, -1);  // version, id, nonce, ciphertext, tag
    sealed[at < 0 ? sealed.size() - 1 : static_cast<std::size_t>(at)] ^= 0x01;
    auto opened = keys.open(sealed, "uploads/abc");
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == errc::io_error);
    CHECK(opened.error().file == "uploads/abc");
  }
  SECTION("cut short") {
    sealed.resize(20);
    auto opened = keys.open(sealed, "uploads/abc");
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("cut short") != std::string::npos);
  }
  SECTION("the same id with other key bytes") {
    auto opened = ring("k1:" + key_b).open(sealed, "uploads/abc");
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == errc::io_error);
    CHECK(opened.error().message.find("wrong") != std::string::npos);
    CHECK(opened.error().to_string().find("uploads/abc") != std::string::npos);
  }
}

TEST_CASE("data files: plaintext stays readable, sealed needs a key, writes are 0600", "[jobs][data_key]") {
  test::temp_dir dir;
  const auto keys = ring("k1:" + key_a);
  const fs::path file = dir.path() / "f";

  SECTION("a plaintext file from before encryption reads as it is, empty too") {
    for (const std::string& bytes : {statement, std::string()}) {
      test::spit(file, bytes);
      auto read = bankflow::read_data_file(file, &keys);
      REQUIRE(read);
      CHECK(*read == bytes);
    }
  }
  SECTION("written sealed, read back; without keys it is an error, not ciphertext") {
    REQUIRE(bankflow::write_data_file(file, statement, &keys));
    CHECK(bankflow::is_sealed(test::slurp(file)));
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(test::files_below(dir.path()).size() == 1);  // no temporary file left
    auto read = bankflow::read_data_file(file, &keys);
    REQUIRE(read);
    CHECK(*read == statement);
    auto without = bankflow::read_data_file(file, nullptr);
    REQUIRE_FALSE(without);
    CHECK(without.error().code == errc::io_error);
    CHECK(without.error().file == file.string());
  }
  SECTION("without keys the bytes are written as they are") {
    REQUIRE(bankflow::write_data_file(file, statement, nullptr));
    CHECK(test::slurp(file) == statement);
  }
}

TEST_CASE("with data keys a job's upload and results are sealed on disk and read back in clear",
          "[jobs][data_key]") {
  const auto file = GENERATE(as<std::string>{}, "bb/bb-ofx-2017-two-statements-cp1252.ofx",
                             "nubank/nubank-fatura-pdf-2025-05.pdf");
  INFO(file);
  const std::string bytes = test::slurp(corpus / file);
  REQUIRE_FALSE(bytes.empty());
  test::temp_dir dir;
  auto db = std::move(*bankflow::database::open("sqlite://" + (dir.path() / "jobs.db").string()));
  auto jobs = std::move(*job_store::open(db));
  bankflow::job_paths paths{dir.path() / "data", std::make_shared<const data_key_ring>(ring("k1:" + key_a))};
  REQUIRE(paths.prepare());
  auto queue = bankflow::make_memory_job_queue().value();
  auto events = bankflow::make_memory_job_events().value();

  const bankflow::upload_request up{
      .owner = "o", .client = {}, .filename = file, .data = bytes, .skip_bad_rows = false, .pdf_password = {}};
  auto j = bankflow::submit_upload({jobs, *queue, paths}, up);
  REQUIRE(j);
  const std::string on_disk = test::slurp(paths.upload(j->id));
  CHECK(bankflow::is_sealed(on_disk));
  CHECK(on_disk.find(bytes.substr(0, 64)) == std::string::npos);

  // in this process (the HTTP test covers the PDF reader child, which gets the keys on its stdin)
  auto done = bankflow::process_job(jobs, *events, paths, j->id, bankflow::pdf_limits{.isolate = false});
  REQUIRE(done);
  REQUIRE(done->status == job_status::completed);
  auto expected = bankflow::parse(bytes);
  REQUIRE(expected);
  const std::string csv = bankflow::to_csv(*expected);
  CHECK(bankflow::is_sealed(test::slurp(paths.result(j->id, "csv"))));
  CHECK(bankflow::is_sealed(test::slurp(paths.result(j->id, "json"))));
  CHECK(bankflow::is_sealed(test::slurp(paths.result(j->id, "xlsx"))));
  CHECK(test::slurp(paths.result(j->id, "csv")).find(csv.substr(0, 40)) == std::string::npos);
  CHECK(test::files_below(paths.data_dir).size() == 4);

  auto downloaded = bankflow::download_result(jobs, paths, *done, "csv", false);
  REQUIRE(downloaded);
  CHECK(*downloaded == csv);
  auto workbook = bankflow::download_result(jobs, paths, *done, "xlsx", false);
  REQUIRE(workbook);
  CHECK(*workbook == *bankflow::to_xlsx(*expected));  // opened again: the workbook's own bytes
  auto preview = bankflow::preview_json(paths, j->id, 2);
  REQUIRE(preview);
  CHECK(preview->find("\"transactions\"") != std::string::npos);

  paths.keys.reset();  // the key taken away: a clear error, never ciphertext
  auto without = bankflow::download_result(jobs, paths, *done, "csv", false);
  REQUIRE_FALSE(without);
  CHECK(without.error().code == errc::io_error);
}
