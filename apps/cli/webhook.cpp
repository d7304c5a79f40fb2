// bankflow webhook verify --scheme S --secret K… --header 'Name: value'… --body-file F [--now T]
//                         [--tolerance S] [--signature-header H --encoding hex|base64 --prefix P]
// bankflow webhook sign   --scheme S --secret K… --body-file F [--id ID] [--timestamp T] […]

#include "commands.hpp"
#include "output.hpp"

#include <bankflow/webhook.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace bankflow::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

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

std::string describe(const error& e) {
  std::string out(to_string(e.code));
  out += ": ";
  if (!e.field.empty()) {
    out += e.field;
    out += ": ";
  }
  out += e.message;
  return out;
}

// A webhook-id for senders who did not choose one (ids need to be unique, not secret).
std::string generate_id() {
  static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device rd;
  std::string id = "msg_";
  for (int i = 0; i < 24; ++i) id += alphabet[rd() % 62];
  return id;
}

}  // namespace

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

  auto body = read_input(o.body_file);
  if (!body) {
    auto e = body.error();
    if (e.file.empty()) e.file = display_name(o.body_file);
    print_error(e);
    return exit_data_error;
  }

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
  std::int64_t timestamp = 0;
  if (o.timestamp.empty()) {
    timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  } else if (const auto t = parse_seconds(o.timestamp)) {
    timestamp = *t;
  } else {
    return usage("--timestamp \"" + o.timestamp + "\" is not a Unix time in seconds");
  }
  const std::string id = o.id.empty() && options->scheme == webhook_scheme::standard ? generate_id() : o.id;

  auto body = read_input(o.body_file);
  if (!body) {
    auto e = body.error();
    if (e.file.empty()) e.file = display_name(o.body_file);
    print_error(e);
    return exit_data_error;
  }
  auto headers = sign_webhook(*options, *body, id, timestamp);
  if (!headers) {
    print_error(headers.error());
    return headers.error().code == errc::invalid_argument ? exit_usage : exit_data_error;
  }
  for (const auto& h : *headers) std::printf("%s: %s\n", h.name.c_str(), h.value.c_str());
  return exit_ok;
}

}  // namespace bankflow::cli
