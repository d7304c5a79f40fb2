#include <bankflow/webhook.hpp>

#include "crypto/crypto.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using bankflow::errc;
using bankflow::header_field;
using bankflow::webhook_options;
using bankflow::webhook_scheme;
using bankflow::webhook_verifier;
namespace detail = bankflow::detail;

namespace {

using time_point = std::chrono::system_clock::time_point;

time_point at(std::int64_t unix_seconds) { return time_point(std::chrono::seconds(unix_seconds)); }

std::string hex(const std::array<unsigned char, 32>& d) { return detail::to_hex(d); }

// The Standard Webhooks reference vector (standard-webhooks spec and libraries).
constexpr const char* std_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* std_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t std_ts = 1614265330;

std::chrono::sys_seconds unix_time(std::int64_t seconds) { return std::chrono::sys_seconds{std::chrono::seconds{seconds}}; }
constexpr const char* std_body = R"({"test": 2432232314})";
constexpr const char* std_sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// GitHub's documented example ("Validating webhook deliveries").
constexpr const char* gh_secret = "It's a Secret to Everybody";
constexpr const char* gh_body = "Hello, World!";
constexpr const char* gh_sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

webhook_verifier make(webhook_scheme scheme, std::vector<std::string> secrets, std::int64_t now,
                      bankflow::replay_guard* replay = nullptr) {
  webhook_options o;
  o.scheme = scheme;
  o.secrets = std::move(secrets);
  o.clock = [t = at(now)] { return t; };
  o.replay = replay;
  auto v = webhook_verifier::create(std::move(o));
  REQUIRE(v);
  return std::move(*v);
}

std::vector<header_field> std_headers(std::string sig = std_sig, std::string ts = std::to_string(std_ts),
                                      std::string id = std_id) {
  return {{"webhook-id", std::move(id)}, {"webhook-timestamp", std::move(ts)}, {"webhook-signature", std::move(sig)}};
}

errc code_of(const bankflow::result<bankflow::webhook_event>& r) { return r ? errc::ok : r.error().code; }

}  // namespace

TEST_CASE("HMAC-SHA256 matches the RFC 4231 test cases", "[webhook][hmac]") {
  struct row {
    std::string key;
    std::string data;
    std::string mac;  // hex; case 5 is truncated to 128 bits
  };
  const std::string aa131(131, '\xaa');
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4 += c;
  const row rows[] = {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {key4, std::string(50, '\xcd'), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {std::string(20, '\x0c'), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {aa131, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {aa131,
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
       "be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  int n = 0;
  for (const auto& r : rows) {
    CAPTURE(++n);
    CHECK(hex(bankflow::hmac_sha256(r.key, r.data)).substr(0, r.mac.size()) == r.mac);
    // fed in pieces through the precomputed key schedule
    const detail::hmac_key key(r.key);
    const std::string_view d = r.data;
    CHECK(hex(key.compute({d.substr(0, 3), d.substr(3, 5), d.substr(8)})).substr(0, r.mac.size()) == r.mac);
  }
}

TEST_CASE("the published vectors of Standard Webhooks and GitHub verify and sign", "[webhook]") {
  SECTION("Standard Webhooks reference vector") {
    const auto v = make(webhook_scheme::standard, {std_secret}, std_ts);
    auto ev = v.verify(std_headers(), std_body);
    REQUIRE(ev);
    CHECK(ev->id == std_id);
    CHECK(ev->timestamp == unix_time(std_ts));
    CHECK(ev->secret_index == 0);
    auto sig = bankflow::sign_standard_webhook(std_secret, std_id, unix_time(std_ts), std_body);
    REQUIRE(sig);
    CHECK(*sig == std_sig);
    // the whsec_ prefix is optional
    CHECK(make(webhook_scheme::standard, {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, std_ts).verify(std_headers(), std_body));
    // Svix's older header names are accepted too
    const std::vector<header_field> svix = {
        {"svix-id", std_id}, {"svix-timestamp", std::to_string(std_ts)}, {"svix-signature", std_sig}};
    CHECK(v.verify(svix, std_body));
  }
  SECTION("GitHub's documented example") {
    const auto v = make(webhook_scheme::github, {gh_secret}, 0);
    const std::vector<header_field> h = {{"X-Hub-Signature-256", gh_sig}, {"X-GitHub-Delivery", "72d3162e-cc78"}};
    auto ev = v.verify(h, gh_body);
    REQUIRE(ev);
    CHECK(ev->id == "72d3162e-cc78");
    CHECK_FALSE(ev->timestamp);
    auto sig = bankflow::sign_github_webhook(gh_secret, gh_body);
    REQUIRE(sig);
    CHECK(*sig == gh_sig);
  }
}

TEST_CASE("Stripe signatures use the whole secret string as the key and only v1 counts", "[webhook]") {
  // Computed with Python's hmac module, independently of this code.
  const std::string secret = "whsec_test_secret_7a9b3c";
  const std::string body = "{\n  \"id\": \"evt_1NxTest\",\n  \"object\": \"event\",\n  \"type\": \"payment_intent.succeeded\"\n}\n";
  const std::string v1 = "a34ba9fd1085ce63c4e4a0c996c47af0a7145be852729a839171cb8a17ca487f";
  auto sig = bankflow::sign_stripe_webhook(secret, unix_time(1700000000), body);
  REQUIRE(sig);
  CHECK(*sig == "t=1700000000,v1=" + v1);

  const auto v = make(webhook_scheme::stripe, {secret}, 1700000010);
  const auto verify = [&](std::string header) {
    return v.verify(std::vector<header_field>{{"Stripe-Signature", std::move(header)}}, body);
  };
  CHECK(verify("t=1700000000,v1=" + v1));
  CHECK(verify("t=1700000000, v1=" + std::string(64, '0') + ", v1=" + v1 + ", v0=" + std::string(64, 'f')));
  CHECK(verify("v1=" + v1 + ",t=1700000000"));
  CHECK(code_of(verify("t=1700000000,v0=" + v1)) == errc::no_matching_signature);
  CHECK(code_of(verify("t=1700000001,v1=" + v1)) == errc::no_matching_signature);
  CHECK(code_of(verify("t=1700000000,v1=" + v1.substr(1))) == errc::no_matching_signature);
  CHECK(code_of(verify("v1=" + v1)) == errc::malformed_header);
  CHECK(code_of(verify("t=1700000000,t=1700000000,v1=" + v1)) == errc::malformed_header);
  CHECK(code_of(verify("t=1700000000,garbage,v1=" + v1)) == errc::malformed_header);
  CHECK(code_of(verify("t=17e8,v1=" + v1)) == errc::bad_timestamp);
  // the secret is not base64-decoded: its decoded form is a different key
  CHECK(code_of(make(webhook_scheme::stripe, {"test_secret_7a9b3c"}, 1700000000)
                    .verify(std::vector<header_field>{{"stripe-signature", "t=1700000000,v1=" + v1}}, body)) ==
        errc::no_matching_signature);
}

TEST_CASE("every verification failure has its own code", "[webhook]") {
  const auto v = make(webhook_scheme::standard, {std_secret}, std_ts);
  struct row {
    const char* what;
    std::vector<header_field> headers;
    std::string body;
    errc code;
  };
  const row rows[] = {
      {"no webhook-id", {{"webhook-timestamp", "1614265330"}, {"webhook-signature", std_sig}}, std_body,
       errc::missing_header},
      {"no webhook-timestamp", {{"webhook-id", std_id}, {"webhook-signature", std_sig}}, std_body, errc::missing_header},
      {"no webhook-signature", {{"webhook-id", std_id}, {"webhook-timestamp", "1614265330"}}, std_body,
       errc::missing_header},
      {"no headers at all", {}, std_body, errc::missing_header},
      {"empty signature header", std_headers("  "), std_body, errc::malformed_header},
      {"signature without version", std_headers("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), std_body,
       errc::malformed_header},
      {"duplicate id header", [] { auto h = std_headers(); h.push_back({"Webhook-Id", "msg_other"}); return h; }(),
       std_body, errc::malformed_header},
      {"timestamp with a fraction", std_headers(std_sig, "1614265330.0"), std_body, errc::bad_timestamp},
      {"negative timestamp", std_headers(std_sig, "-1614265330"), std_body, errc::bad_timestamp},
      {"timestamp too long", std_headers(std_sig, "9999999999999999999"), std_body, errc::bad_timestamp},
      {"ISO timestamp", std_headers(std_sig, "2021-02-26T00:22:10Z"), std_body, errc::bad_timestamp},
      {"tampered body", std_headers(), R"({"test": 2432232315})", errc::no_matching_signature},
      {"body with a trailing newline", std_headers(), std::string(std_body) + "\n", errc::no_matching_signature},
      {"other id", std_headers(std_sig, "1614265330", "msg_p5jXN8AQM9LWM0D4loKWxJeK"), std_body,
       errc::no_matching_signature},
      {"other timestamp", std_headers(std_sig, "1614265331"), std_body, errc::no_matching_signature},
      {"only other versions", std_headers("v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), std_body,
       errc::no_matching_signature},
      {"v1 that is not base64", std_headers("v1,not*base64"), std_body, errc::no_matching_signature},
      {"v1 without its base64 padding", std_headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE"), std_body, errc::ok},
      {"v1 of a wrong length", std_headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ"), std_body,
       errc::no_matching_signature},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    const auto got = v.verify(r.headers, r.body);
    CHECK(code_of(got) == r.code);
    if (!got) CHECK_FALSE(got.error().message.empty());
  }
  SECTION("the timestamp window: exactly the tolerance passes, one second more does not") {
    CHECK(code_of(make(webhook_scheme::standard, {std_secret}, std_ts + 300).verify(std_headers(), std_body)) == errc::ok);
    CHECK(code_of(make(webhook_scheme::standard, {std_secret}, std_ts - 300).verify(std_headers(), std_body)) == errc::ok);
    CHECK(code_of(make(webhook_scheme::standard, {std_secret}, std_ts + 301).verify(std_headers(), std_body)) ==
          errc::timestamp_too_old);
    CHECK(code_of(make(webhook_scheme::standard, {std_secret}, std_ts - 301).verify(std_headers(), std_body)) ==
          errc::timestamp_in_future);
    webhook_options o;
    o.secrets = {std_secret};
    o.tolerance = std::chrono::seconds(0);
    o.clock = [] { return at(std_ts) + std::chrono::milliseconds(999); };  // same second
    CHECK(code_of(webhook_verifier::create(o)->verify(std_headers(), std_body)) == errc::ok);
    o.clock = [] { return at(std_ts + 1); };
    CHECK(code_of(webhook_verifier::create(o)->verify(std_headers(), std_body)) == errc::timestamp_too_old);
  }
  SECTION("a forged message is no_matching_signature whatever its timestamp") {
    const auto late = make(webhook_scheme::standard, {std_secret}, std_ts + 100000);
    CHECK(code_of(late.verify(std_headers(), "forged")) == errc::no_matching_signature);
  }
  SECTION("replayed") {
    auto guard = bankflow::make_memory_replay_guard().value();
    const auto guarded = make(webhook_scheme::standard, {std_secret}, std_ts, guard.get());
    CHECK(code_of(guarded.verify(std_headers(), std_body)) == errc::ok);
    const auto again = guarded.verify(std_headers(), std_body);
    CHECK(code_of(again) == errc::replayed);
    CHECK(again.error().message.find(std_id) != std::string::npos);
  }
}

TEST_CASE("secrets are checked when the verifier is created", "[webhook]") {
  const auto create = [](webhook_scheme scheme, std::vector<std::string> secrets) {
    webhook_options o;
    o.scheme = scheme;
    o.secrets = std::move(secrets);
    return webhook_verifier::create(std::move(o));
  };
  for (const char* bad : {"whsec_", "", "whsec_not*base64", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
                          "whsec_ MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_====", "whsec_QQ==="}) {
    CAPTURE(bad);
    auto v = create(webhook_scheme::standard, {std_secret, bad});
    REQUIRE_FALSE(v);
    CHECK(v.error().code == errc::malformed_secret);
    CHECK(v.error().message.find("secret 2 of 2") != std::string::npos);
    auto signed_ = bankflow::sign_standard_webhook(bad, "id", unix_time(1), "body");
    REQUIRE_FALSE(signed_);
    CHECK(signed_.error().code == errc::malformed_secret);
  }
  for (const auto scheme : {webhook_scheme::stripe, webhook_scheme::github, webhook_scheme::hmac_sha256}) {
    auto v = create(scheme, {""});
    REQUIRE_FALSE(v);
    CHECK(v.error().code == errc::malformed_secret);
  }
  CHECK(create(webhook_scheme::standard, {}).error().code == errc::invalid_argument);
  webhook_options negative;
  negative.secrets = {std_secret};
  negative.tolerance = std::chrono::seconds(-1);
  CHECK(webhook_verifier::create(negative).error().code == errc::invalid_argument);
  CHECK(bankflow::sign_stripe_webhook("", unix_time(1), "x").error().code == errc::malformed_secret);
  CHECK(bankflow::sign_github_webhook("", "x").error().code == errc::malformed_secret);
}

TEST_CASE("several secrets verify during a rotation and report which one matched", "[webhook]") {
  const std::string other = "whsec_cm90YXRlZC1zZWNyZXQtYnl0ZXMtMDEyMzQ1Njc4OQ==";
  const auto v = make(webhook_scheme::standard, {other, std_secret}, std_ts);
  auto ev = v.verify(std_headers(), std_body);
  REQUIRE(ev);
  CHECK(ev->secret_index == 1);
  // a sender signing with both during the rotation
  webhook_options o;
  o.secrets = {other, std_secret};
  auto headers = bankflow::sign_webhook(o, std_body, std_id, unix_time(std_ts));
  REQUIRE(headers);
  REQUIRE(headers->size() == 3);
  CHECK((*headers)[2].value.find(' ') != std::string::npos);
  CHECK(make(webhook_scheme::standard, {std_secret}, std_ts).verify(*headers, std_body));
  CHECK(make(webhook_scheme::standard, {other}, std_ts).verify(*headers, std_body));
  const auto neither = make(webhook_scheme::standard, {"whsec_" + std::string("QUJDREVGR0hJSktMTU5PUA==")}, std_ts);
  CHECK(code_of(neither.verify(*headers, std_body)) == errc::no_matching_signature);
}

TEST_CASE("header names are case-insensitive and values are trimmed", "[webhook]") {
  const auto v = make(webhook_scheme::standard, {std_secret}, std_ts);
  const std::vector<header_field> h = {{"WEBHOOK-ID", std_id},
                                       {"Webhook-Timestamp", " 1614265330\t"},
                                       {"wEbHoOk-SiGnAtUrE", std::string("  v2,abc ") + std_sig + "  "}};
  CHECK(v.verify(h, std_body));
  const std::vector<bankflow::header_view> views = {
      {"webhook-id", std_id}, {"webhook-timestamp", "1614265330"}, {"webhook-signature", std_sig}};
  CHECK(v.verify(std::span<const bankflow::header_view>(views), std_body));
}

TEST_CASE("the generic HMAC-SHA256 scheme reads its header, encoding and prefix", "[webhook]") {
  const std::string body = "amount=1000&currency=BRL&status=paid";
  const std::string secret = "generic-shared-secret";
  const std::string mac_hex = "fdd376b560fdc38965681d1b1e000df5d9fa20ede00e8401f498e786fd3768f6";
  const std::string mac_b64 = "/dN2tWD9w4llaB0bHgAN9dn6IO3gDoQB9Jjnhv03aPY=";
  const auto verifier = [&](bankflow::signature_encoding enc, std::string prefix) {
    webhook_options o;
    o.scheme = webhook_scheme::hmac_sha256;
    o.secrets = {secret};
    o.hmac.header = "X-Signature";
    o.hmac.encoding = enc;
    o.hmac.prefix = std::move(prefix);
    o.hmac.id_header = "X-Delivery";
    auto v = webhook_verifier::create(std::move(o));
    REQUIRE(v);
    return std::move(*v);
  };
  const auto hexv = verifier(bankflow::signature_encoding::hex, "sha256=");
  auto ev = hexv.verify(std::vector<header_field>{{"x-signature", "sha256=" + mac_hex}, {"X-Delivery", "d-1"}}, body);
  REQUIRE(ev);
  CHECK(ev->id == "d-1");
  CHECK(hexv.verify(std::vector<header_field>{{"X-Signature", "sha256=" + std::string("FDD376B560FDC38965681D1B1E000DF5D9FA20EDE00E8401F498E786FD3768F6")}}, body));
  CHECK(code_of(hexv.verify(std::vector<header_field>{{"X-Signature", mac_hex}}, body)) == errc::malformed_header);
  CHECK(code_of(hexv.verify(std::vector<header_field>{{"X-Signature", "sha256=" + mac_hex + "00"}}, body)) ==
        errc::malformed_header);
  CHECK(code_of(hexv.verify(std::vector<header_field>{{"X-Other", "sha256=" + mac_hex}}, body)) == errc::missing_header);
  CHECK(code_of(hexv.verify(std::vector<header_field>{{"X-Signature", "sha256=" + mac_hex}}, body + " ")) ==
        errc::no_matching_signature);

  const auto b64 = verifier(bankflow::signature_encoding::base64, "");
  CHECK(b64.verify(std::vector<header_field>{{"X-Signature", mac_b64}}, body));
  CHECK(b64.verify(std::vector<header_field>{{"X-Signature", "_dN2tWD9w4llaB0bHgAN9dn6IO3gDoQB9Jjnhv03aPY"}}, body));
  CHECK(code_of(b64.verify(std::vector<header_field>{{"X-Signature", mac_hex}}, body)) == errc::malformed_header);

  auto sig = bankflow::sign_hmac_webhook(secret, body, bankflow::signature_encoding::hex, "sha256=");
  REQUIRE(sig);
  CHECK(*sig == "sha256=" + mac_hex);
  CHECK(*bankflow::sign_hmac_webhook(secret, body, bankflow::signature_encoding::base64) == mac_b64);
}

TEST_CASE("GitHub deliveries need X-Hub-Signature-256; the SHA-1 header never counts", "[webhook]") {
  const auto v = make(webhook_scheme::github, {gh_secret}, 0);
  const auto sha1_only = v.verify(std::vector<header_field>{{"X-Hub-Signature", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"}}, gh_body);
  CHECK(code_of(sha1_only) == errc::missing_header);
  CHECK(sha1_only.error().message.find("SHA-1") != std::string::npos);
  CHECK(code_of(v.verify(std::vector<header_field>{{"X-Hub-Signature-256", "sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}}, gh_body)) ==
        errc::malformed_header);
  CHECK(code_of(v.verify(std::vector<header_field>{{"X-Hub-Signature-256", "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"}}, gh_body)) ==
        errc::malformed_header);
  CHECK(code_of(v.verify(std::vector<header_field>{{"X-Hub-Signature-256", gh_sig}, {"X-Hub-Signature-256", gh_sig}}, gh_body)) ==
        errc::malformed_header);
  // GitHub carries no timestamp: any clock is fine
  CHECK(make(webhook_scheme::github, {gh_secret}, 4102444800).verify(std::vector<header_field>{{"X-Hub-Signature-256", gh_sig}}, gh_body));
}

TEST_CASE("signing then verifying round-trips for every scheme", "[webhook]") {
  const std::string body(70000, 'x');
  for (const auto scheme : {webhook_scheme::standard, webhook_scheme::stripe, webhook_scheme::github,
                            webhook_scheme::hmac_sha256}) {
    CAPTURE(bankflow::to_string(scheme));
    webhook_options o;
    o.scheme = scheme;
    o.secrets = {scheme == webhook_scheme::standard ? std_secret : "a sender's secret"};
    o.hmac.header = "X-Sig";
    o.hmac.encoding = bankflow::signature_encoding::base64;
    o.clock = [] { return at(1700000000); };
    auto headers = bankflow::sign_webhook(o, body, "evt_42", unix_time(1700000000));
    REQUIRE(headers);
    auto v = webhook_verifier::create(o);
    REQUIRE(v);
    CHECK(v->verify(*headers, body));
    CHECK(code_of(v->verify(*headers, body.substr(1))) == errc::no_matching_signature);
    CHECK(*bankflow::parse_webhook_scheme(bankflow::to_string(scheme)) == scheme);
  }
  CHECK(bankflow::parse_webhook_scheme("paypal").error().code == errc::invalid_argument);
  webhook_options two;
  two.scheme = webhook_scheme::github;
  two.secrets = {"a", "b"};
  CHECK(bankflow::sign_webhook(two, "x", "", unix_time(1)).error().code == errc::invalid_argument);
  webhook_options no_id;
  no_id.secrets = {std_secret};
  CHECK(bankflow::sign_webhook(no_id, "x", "", unix_time(1)).error().code == errc::invalid_argument);
}

TEST_CASE("the codecs reject malformed input instead of decoding part of it", "[webhook][codec]") {
  std::array<unsigned char, 3> three{};
  CHECK(detail::base64_to("QUJD", three));
  CHECK(std::string(three.begin(), three.end()) == "ABC");
  CHECK_FALSE(detail::base64_to("QUJ", three));
  CHECK_FALSE(detail::base64_to("QUJD=", three));
  CHECK_FALSE(detail::base64_to("QU D", three));
  CHECK(*detail::from_base64("QQ==") == "A");
  CHECK(*detail::from_base64("QQ") == "A");
  CHECK_FALSE(detail::from_base64("QR=="));  // non-zero unused bits: not a canonical encoding
  CHECK_FALSE(detail::from_base64("Q"));
  CHECK_FALSE(detail::from_base64("Q==="));
  CHECK_FALSE(detail::from_base64("QQ=A"));
  CHECK(detail::from_base64("")->empty());
  CHECK(*detail::from_base64("-_8", true) == "\xfb\xff");
  CHECK_FALSE(detail::from_base64("-_8"));
  std::array<unsigned char, 2> two{};
  CHECK(detail::hex_to("aBcD", two));
  CHECK(two == std::array<unsigned char, 2>{0xab, 0xcd});
  CHECK_FALSE(detail::hex_to("abc", two));
  CHECK_FALSE(detail::hex_to("abcg", two));
  const unsigned char bytes[] = {0, 1, 0xfe, 0xff, 'a'};
  CHECK(detail::to_hex(bytes) == "0001feff61");
  CHECK(detail::to_base64(bytes) == "AAH+/2E=");
  CHECK(detail::to_base64url(bytes) == "AAH-_2E");
  CHECK(detail::equal_constant_time(bytes, bytes));
  const unsigned char other[] = {0, 1, 0xfe, 0xff, 'b'};
  CHECK_FALSE(detail::equal_constant_time(bytes, other));
}
