#include "webhook.hpp"

#include "output.hpp"

#include <bankflow/text.hpp>
#include <bankflow/webhook.hpp>

#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace bankflow::cli {
namespace {

std::optional<std::int64_t> parse_seconds(std::string_view s) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

int usage(const std::string& message) {
  print_error(message);
  return exit_usage;
}

// The scheme-independent part of the options; nullopt after printing a usage error.
std::optional<webhook_options> make_options(const std::string& scheme_name, const std::vector<std::string>& secrets,
                                            const std::string& signature_header, const std::string& encoding,
                                            const std::string& prefix, int& status) {
  status = exit_usage;
  auto scheme = parse_webhook_scheme(scheme_name);
  if (!scheme) {
    print_error(scheme.error().message);
    return std::nullopt;
  }
  webhook_options o;
  o.scheme = *scheme;
  o.secrets = secrets;
  if (o.scheme == webhook_scheme::hmac_sha256) {
    if (signature_header.empty()) {
      print_error("--scheme hmac-sha256 needs --signature-header NAME");
      return std::nullopt;
    }
    o.hmac.header = signature_header;
    o.hmac.prefix = prefix;
    if (encoding.empty() || encoding == "hex") {
      o.hmac.encoding = signature_encoding::hex;
    } else if (encoding == "base64") {
      o.hmac.encoding = signature_encoding::base64;
    } else {
      print_error("--encoding must be hex or base64");
      return std::nullopt;
    }
  } else if (!signature_header.empty() || !encoding.empty() || !prefix.empty()) {
    print_error("--signature-header, --encoding and --prefix apply to --scheme hmac-sha256 only");
    return std::nullopt;
  }
  status = exit_ok;
  return o;
}

// A webhook-id for senders who did not choose one (ids need to be unique, not secret).
std::string generate_id() {
  static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device rd;
  std::string id = "msg_";
  for (int i = 0; i < 24; ++i) id += alphabet[rd() % 62];
  return id;
}

// The body to verify or sign; nullopt after printing why it cannot be read.
std::optional<std::string> read_body(const std::string& path) {
  auto body = read_input(path);
  if (body) return std::move(*body);
  auto e = body.error();
  if (e.file.empty()) e.file = display_name(path);
  print_error(e);
  return std::nullopt;
}

// --scheme and the hmac-sha256 options, which verify and sign share.
void add_scheme_options(CLI::App& cmd, std::string& scheme, std::string& signature_header,
                        std::string& encoding, std::string& prefix) {
  cmd.add_option("--scheme", scheme, "standard, stripe, github or hmac-sha256")
      ->required()
      ->check(CLI::IsMember({"standard", "stripe", "github", "hmac-sha256"}));
  cmd.add_option("--signature-header", signature_header, "hmac-sha256: the signature header");
  cmd.add_option("--encoding", encoding, "hmac-sha256: hex (default) or base64")
      ->check(CLI::IsMember({"hex", "base64"}));
  cmd.add_option("--prefix", prefix, "hmac-sha256: text before the signature, e.g. sha256=");
}

CLI::App* setup_verify(CLI::App& webhook, webhook_verify_options& v) {
  auto* verify = webhook.add_subcommand(
      "verify", "Check a delivery: prints `valid` (exit 0) or `invalid: CODE: FIELD: MESSAGE` (exit 1)");
  add_scheme_options(*verify, v.scheme, v.signature_header, v.encoding, v.prefix);
  verify->add_option("--secret", v.secrets, "A signing secret; repeat it for rotation")->required();
  verify->add_option("--header", v.headers, "A received header, 'Name: value'; repeat it");
  verify->add_option("--body-file", v.body_file, "The raw body as received; - reads standard input")
      ->required();
  verify->add_option("--now", v.now, "Verify as of this Unix time (default: the clock)");
  verify->add_option("--tolerance", v.tolerance, "Accepted clock difference in seconds (default 300)");
  return verify;
}

void setup_sign(CLI::App& webhook, webhook_sign_options& s) {
  auto* sign = webhook.add_subcommand("sign", "Print the headers a sender would send with this body");
  add_scheme_options(*sign, s.scheme, s.signature_header, s.encoding, s.prefix);
  sign->add_option("--secret", s.secrets, "The signing secret (standard and stripe: repeat to sign with several)")
      ->required();
  sign->add_option("--body-file", s.body_file, "The body to send; - reads standard input")->required();
  sign->add_option("--id", s.id, "webhook-id (generated when absent) or X-GitHub-Delivery");
  sign->add_option("--timestamp", s.timestamp, "Unix time of the signature (default: now)");
}

}  // namespace

command setup_webhook(CLI::App& app) {
  auto* cmd = app.add_subcommand("webhook", "Verify or sign provider webhooks (Standard Webhooks, Stripe, GitHub, HMAC)");
  cmd->require_subcommand(1);
  auto v = std::make_shared<webhook_verify_options>();
  auto s = std::make_shared<webhook_sign_options>();
  CLI::App* verify = setup_verify(*cmd, *v);
  setup_sign(*cmd, *s);
  return {cmd, [v, s, verify] { return verify->parsed() ? run_webhook_verify(*v) : run_webhook_sign(*s); }};
}

int run_webhook_verify(const webhook_verify_options& o) {
  int status = exit_ok;
  auto options = make_options(o.scheme, o.secrets, o.signature_header, o.encoding, o.prefix, status);
  if (!options) return status;

  std::vector<header_field> headers;
  for (const std::string& h : o.headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos || trim(std::string_view(h).substr(0, colon)).empty())
      return usage("--header \"" + h + "\" is not 'Name: value'");
    headers.push_back({std::string(trim(std::string_view(h).substr(0, colon))),
                       std::string(trim(std::string_view(h).substr(colon + 1)))});
  }
  if (!o.tolerance.empty()) {
    const auto t = parse_seconds(o.tolerance);
    if (!t) return usage("--tolerance \"" + o.tolerance + "\" is not a number of seconds");
    options->tolerance = std::chrono::seconds(*t);
  }
  if (!o.now.empty()) {
    const auto now = parse_seconds(o.now);
    if (!now) return usage("--now \"" + o.now + "\" is not a Unix time in seconds");
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(*now));
    options->clock = [at] { return at; };
  }

  auto body = read_body(o.body_file);
  if (!body) return exit_data_error;

  auto verifier = webhook_verifier::create(std::move(*options));
  if (!verifier) {
    if (verifier.error().code == errc::invalid_argument) return usage(verifier.error().message);
    std::printf("invalid: %s\n", describe(verifier.error()).c_str());
    return exit_data_error;
  }
  auto event = verifier->verify(std::span<const header_field>(headers), *body);
  if (!event) {
    std::printf("invalid: %s\n", describe(event.error()).c_str());
    return exit_data_error;
  }
  std::printf("valid\n");
  return exit_ok;
}

int run_webhook_sign(const webhook_sign_options& o) {
  int status = exit_ok;
  auto options = make_options(o.scheme, o.secrets, o.signature_header, o.encoding, o.prefix, status);
  if (!options) return status;
  std::chrono::sys_seconds timestamp{};
  if (o.timestamp.empty()) {
    timestamp = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  } else if (const auto t = parse_seconds(o.timestamp)) {
    timestamp = std::chrono::sys_seconds{std::chrono::seconds{*t}};
  } else {
    return usage("--timestamp \"" + o.timestamp + "\" is not a Unix time in seconds");
  }
  const std::string id = o.id.empty() && options->scheme == webhook_scheme::standard ? generate_id() : o.id;

  auto body = read_body(o.body_file);
  if (!body) return exit_data_error;
  auto headers = sign_webhook(*options, *body, id, timestamp);
  if (!headers) {
    print_error(headers.error());
    return headers.error().code == errc::invalid_argument ? exit_usage : exit_data_error;
  }
  for (const auto& h : *headers) std::printf("%s: %s\n", h.name.c_str(), h.value.c_str());
  return exit_ok;
}

}  // namespace bankflow::cli
