// Webhook verification and signing. Every check works on the raw body bytes and the raw header
// values; MACs are compared in constant time; the signed content is fed to HMAC in pieces, never
// concatenated into a copy of the body.

#include <bankflow/webhook.hpp>

#include "crypto/crypto.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace bankflow {

using detail::digest;

namespace {

constexpr std::string_view whsec_prefix = "whsec_";

constexpr unsigned char ascii_lower(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c | 0x20) : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(static_cast<unsigned char>(a[i])) != ascii_lower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

long long unix_seconds(std::chrono::system_clock::time_point t) noexcept {
  return static_cast<long long>(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Header values in messages: quoted, at most 40 characters, control bytes as '?'.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (s.size() > 40) out += "…";
  out += '"';
  return out;
}

error fail(errc code, std::string_view field, std::string message) {
  auto e = make_error(code, std::move(message));
  e.field = std::string(field);
  return e;
}

struct found_header {
  std::string_view value;
  int count = 0;
};

found_header find_header(std::span<const header_view> headers, std::string_view name) noexcept {
  found_header f;
  for (const header_view& h : headers) {
    if (!iequals(h.name, name)) continue;
    if (f.count++ == 0) f.value = trim(h.value);
  }
  return f;
}

// A header the scheme cannot do without (`alias`: an older name accepted in its place).
result<std::string_view> required_header(std::span<const header_view> headers, std::string_view name,
                                         std::string_view alias = {}) {
  found_header f = find_header(headers, name);
  if (f.count == 0 && !alias.empty()) f = find_header(headers, alias);
  if (f.count == 0) return fail(errc::missing_header, name, "the header is missing");
  if (f.count > 1)
    return fail(errc::malformed_header, name, "the header appears " + std::to_string(f.count) + " times");
  if (f.value.empty()) return fail(errc::malformed_header, name, "the header is empty");
  return f.value;
}

// Unix seconds: 1 to 18 ASCII digits (no sign, no fraction).
result<std::int64_t> parse_timestamp(std::string_view field, std::string_view raw) {
  std::int64_t value = 0;
  const bool digits = !raw.empty() && raw.size() <= 18 &&
                      std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::from_chars(raw.data(), raw.data() + raw.size(), value).ec != std::errc{})
    return fail(errc::bad_timestamp, field, quote(raw) + " is not a Unix time in seconds");
  return value;
}

std::string seconds_text(long long s) { return std::to_string(s) + (s == 1 ? " second" : " seconds"); }

// Scans a list of items split by `sep`, skipping empty ones.
template <class F>
void for_each_item(std::string_view list, char sep, F&& f) {
  while (!list.empty()) {
    const auto cut = list.find(sep);
    const std::string_view item = trim(list.substr(0, cut));
    if (!item.empty()) f(item);
    if (cut == std::string_view::npos) break;
    list.remove_prefix(cut + 1);
  }
}

result<std::string> standard_key(std::string_view secret, std::size_t index, std::size_t count) {
  std::string_view s = secret;
  if (s.substr(0, whsec_prefix.size()) == whsec_prefix) s.remove_prefix(whsec_prefix.size());
  const std::string which =
      count > 1 ? "secret " + std::to_string(index + 1) + " of " + std::to_string(count) : "the secret";
  if (s.empty()) return make_error(errc::malformed_secret, which + " is empty");
  auto key = detail::from_base64(s);
  if (!key) return make_error(errc::malformed_secret, which + " is not whsec_ followed by base64");
  if (key->empty()) return make_error(errc::malformed_secret, which + " decodes to an empty key");
  return std::move(*key);
}

result<std::string> plain_key(std::string_view secret, std::size_t index, std::size_t count) {
  if (secret.empty()) {
    const std::string which =
        count > 1 ? "secret " + std::to_string(index + 1) + " of " + std::to_string(count) : "the secret";
    return make_error(errc::malformed_secret, which + " is empty");
  }
  return std::string(secret);
}

result<std::string> key_for(webhook_scheme scheme, std::string_view secret, std::size_t index, std::size_t count) {
  return scheme == webhook_scheme::standard ? standard_key(secret, index, count)
                                            : plain_key(secret, index, count);
}

}  // namespace

bool is_verification_error(errc code) noexcept {
  switch (code) {
    case errc::missing_header:
    case errc::malformed_header:
    case errc::bad_timestamp:
    case errc::timestamp_too_old:
    case errc::timestamp_in_future:
    case errc::no_matching_signature: return true;
    default: return false;
  }
}

std::string_view to_string(webhook_scheme scheme) noexcept {
  switch (scheme) {
    case webhook_scheme::standard: return "standard";
    case webhook_scheme::stripe: return "stripe";
    case webhook_scheme::github: return "github";
    case webhook_scheme::hmac_sha256: return "hmac-sha256";
  }
  return "unknown";
}

result<webhook_scheme> parse_webhook_scheme(std::string_view name) {
  for (const auto s : {webhook_scheme::standard, webhook_scheme::stripe, webhook_scheme::github,
                       webhook_scheme::hmac_sha256})
    if (name == to_string(s)) return s;
  return make_error(errc::invalid_argument,
                    "unknown webhook scheme " + quote(name) + " (standard, stripe, github, hmac-sha256)");
}

struct webhook_verifier::impl {
  webhook_scheme scheme;
  std::vector<detail::hmac_key> keys;
  long long tolerance;
  hmac_scheme_options hmac;
  clock_fn clock;
  replay_guard* replay;

  // A signature candidate against every key; the index of the key that signed it.
  std::optional<std::size_t> match(std::span<const digest> macs, const digest& candidate) const noexcept {
    std::optional<std::size_t> hit;
    for (std::size_t k = 0; k < macs.size(); ++k)
      if (detail::equal_constant_time(macs[k], candidate) && !hit) hit = k;
    return hit;
  }

  result<webhook_event> verify(std::span<const header_view> headers, std::string_view body) const;
  result<webhook_event> verify_standard(std::span<const header_view> headers, std::string_view body,
                                        digest& matched) const;
  result<webhook_event> verify_stripe(std::span<const header_view> headers, std::string_view body,
                                      digest& matched) const;
  result<webhook_event> verify_single(std::span<const header_view> headers, std::string_view body,
                                      digest& matched) const;
};

result<webhook_event> webhook_verifier::impl::verify_standard(std::span<const header_view> headers,
                                                             std::string_view body, digest& matched) const {
  // svix-* are the names Svix used before the standard; Svix's own libraries accept both.
  auto id = required_header(headers, "webhook-id", "svix-id");
  if (!id) return std::move(id).error();
  auto ts_raw = required_header(headers, "webhook-timestamp", "svix-timestamp");
  if (!ts_raw) return std::move(ts_raw).error();
  auto list = required_header(headers, "webhook-signature", "svix-signature");
  if (!list) return std::move(list).error();
  auto ts = parse_timestamp("webhook-timestamp", *ts_raw);
  if (!ts) return std::move(ts).error();

  std::optional<std::string_view> malformed;
  bool any_v1 = false;
  for_each_item(*list, ' ', [&](std::string_view item) {
    const auto comma = item.find(',');
    if (comma == std::string_view::npos || comma == 0) {
      if (!malformed) malformed = item;
    } else if (item.substr(0, comma) == "v1") {
      any_v1 = true;
    }
  });
  if (malformed)
    return fail(errc::malformed_header, "webhook-signature",
                quote(*malformed) + " is not a version,signature pair");
  if (!any_v1)
    return fail(errc::no_matching_signature, "webhook-signature", "there is no v1 signature");

  digest small[4];
  std::vector<digest> large;
  std::span<digest> macs(small, std::min<std::size_t>(keys.size(), 4));
  if (keys.size() > 4) {
    large.resize(keys.size());
    macs = large;
  }
  for (std::size_t k = 0; k < keys.size(); ++k) macs[k] = keys[k].compute({*id, ".", *ts_raw, ".", body});

  std::optional<std::size_t> hit;
  for_each_item(*list, ' ', [&](std::string_view item) {
    const auto comma = item.find(',');
    if (hit || item.substr(0, comma) != "v1") return;
    digest candidate;
    if (!detail::base64_to(item.substr(comma + 1), candidate)) return;
    hit = match(macs, candidate);
    if (hit) matched = candidate;
  });
  if (!hit)
    return fail(errc::no_matching_signature, "webhook-signature",
                "no v1 signature matches the body under " +
                    (keys.size() == 1 ? std::string("the secret") : "any of the " + std::to_string(keys.size()) + " secrets"));
  webhook_event ev;
  ev.id = std::string(*id);
  ev.timestamp = std::chrono::sys_seconds{std::chrono::seconds{*ts}};
  ev.secret_index = *hit;
  return ev;
}

result<webhook_event> webhook_verifier::impl::verify_stripe(std::span<const header_view> headers,
                                                           std::string_view body, digest& matched) const {
  auto header = required_header(headers, "Stripe-Signature");
  if (!header) return std::move(header).error();
  std::optional<std::string_view> malformed;
  std::optional<std::string_view> t_raw;
  bool twice = false;
  bool any_v1 = false;
  for_each_item(*header, ',', [&](std::string_view item) {
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      if (!malformed) malformed = item;
      return;
    }
    const std::string_view k = item.substr(0, eq);
    if (k == "t") {
      twice = twice || t_raw.has_value();
      t_raw = item.substr(eq + 1);
    } else if (k == "v1") {
      any_v1 = true;
    }
  });
  if (malformed)
    return fail(errc::malformed_header, "Stripe-Signature", quote(*malformed) + " is not a key=value pair");
  if (!t_raw) return fail(errc::malformed_header, "Stripe-Signature", "there is no t= timestamp");
  if (twice) return fail(errc::malformed_header, "Stripe-Signature", "t= appears more than once");
  auto ts = parse_timestamp("Stripe-Signature", *t_raw);
  if (!ts) return std::move(ts).error();
  if (!any_v1) return fail(errc::no_matching_signature, "Stripe-Signature", "there is no v1 signature");

  std::vector<digest> macs;
  macs.reserve(keys.size());
  for (const auto& key : keys) macs.push_back(key.compute({*t_raw, ".", body}));
  std::optional<std::size_t> hit;
  for_each_item(*header, ',', [&](std::string_view item) {
    if (hit || item.substr(0, 3) != "v1=") return;
    digest candidate;
    if (!detail::hex_to(item.substr(3), candidate)) return;
    hit = match(macs, candidate);
    if (hit) matched = candidate;
  });
  if (!hit)
    return fail(errc::no_matching_signature, "Stripe-Signature",
                "no v1 signature matches the body under " +
                    (keys.size() == 1 ? std::string("the secret") : "any of the " + std::to_string(keys.size()) + " secrets"));
  webhook_event ev;
  ev.timestamp = std::chrono::sys_seconds{std::chrono::seconds{*ts}};
  ev.secret_index = *hit;
  return ev;
}

// GitHub and the generic scheme: one signature header over the body alone.
result<webhook_event> webhook_verifier::impl::verify_single(std::span<const header_view> headers,
                                                           std::string_view body, digest& matched) const {
  const bool github = scheme == webhook_scheme::github;
  const std::string_view name = github ? std::string_view("X-Hub-Signature-256") : std::string_view(hmac.header);
  if (github && find_header(headers, name).count == 0 && find_header(headers, "X-Hub-Signature").count != 0)
    return fail(errc::missing_header, name,
                "the header is missing (the SHA-1 X-Hub-Signature is never accepted)");
  auto value = required_header(headers, name);
  if (!value) return std::move(value).error();
  const std::string_view prefix = github ? std::string_view("sha256=") : std::string_view(hmac.prefix);
  const bool hex = github || hmac.encoding == signature_encoding::hex;
  if (value->substr(0, prefix.size()) != prefix)
    return fail(errc::malformed_header, name, quote(*value) + " does not start with " + quote(prefix));
  const std::string_view encoded = value->substr(prefix.size());
  digest candidate;
  const bool decoded = hex ? detail::hex_to(encoded, candidate)
                           : (detail::base64_to(encoded, candidate) || detail::base64_to(encoded, candidate, true));
  if (!decoded)
    return fail(errc::malformed_header, name,
                quote(encoded) + (hex ? " is not 64 hex digits" : " is not the base64 of 32 bytes"));

  std::optional<std::size_t> hit;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const digest mac = keys[k].compute({body});
    if (detail::equal_constant_time(mac, candidate) && !hit) hit = k;
  }
  if (!hit)
    return fail(errc::no_matching_signature, name,
                "the signature does not match the body under " +
                    (keys.size() == 1 ? std::string("the secret") : "any of the " + std::to_string(keys.size()) + " secrets"));
  matched = candidate;
  webhook_event ev;
  ev.secret_index = *hit;
  const std::string_view id_name = github ? std::string_view("X-GitHub-Delivery") : std::string_view(hmac.id_header);
  if (!id_name.empty()) {
    const found_header id = find_header(headers, id_name);
    if (id.count == 1) ev.id = std::string(id.value);
  }
  return ev;
}

result<webhook_event> webhook_verifier::impl::verify(std::span<const header_view> headers,
                                                    std::string_view body) const {
  digest matched{};
  result<webhook_event> ev = scheme == webhook_scheme::standard ? verify_standard(headers, body, matched)
                             : scheme == webhook_scheme::stripe ? verify_stripe(headers, body, matched)
                                                                : verify_single(headers, body, matched);
  if (!ev) return ev;
  const auto now = clock();
  const long long now_s = unix_seconds(now);
  if (ev->timestamp) {
    const std::string_view field = scheme == webhook_scheme::standard ? "webhook-timestamp" : "Stripe-Signature";
    const long long age = now_s - unix_seconds(*ev->timestamp);
    if (age > tolerance)
      return fail(errc::timestamp_too_old, field,
                  "the signature is " + seconds_text(age) + " old; the tolerance is " + seconds_text(tolerance));
    if (-age > tolerance)
      return fail(errc::timestamp_in_future, field,
                  "the signature is " + seconds_text(-age) + " in the future; the tolerance is " +
                      seconds_text(tolerance));
  }
  if (replay != nullptr) {
    std::string key(to_string(scheme));
    key += ':';
    key += ev->id.empty() ? detail::to_hex(matched) : ev->id;
    // A timestamped event stays acceptable until its timestamp leaves the window, so the claim
    // must last that long; without a timestamp, for one tolerance from now.
    const long long until = ev->timestamp ? std::max<long long>(unix_seconds(*ev->timestamp) + tolerance, now_s) + 1
                                          : now_s + std::max<long long>(tolerance, 1);
    const auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(until));
    auto claimed = replay->claim(key, now, expires);
    if (!claimed) return std::move(claimed).error();
    ev->replay_key = key;
    if (!*claimed)
      return fail(errc::replayed, {},
                  (ev->id.empty() ? std::string("this delivery") : "event " + quote(ev->id)) +
                      " was already accepted");
  }
  return ev;
}

webhook_verifier::webhook_verifier(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
webhook_verifier::webhook_verifier(webhook_verifier&& other) noexcept = default;
webhook_verifier& webhook_verifier::operator=(webhook_verifier&& other) noexcept = default;
webhook_verifier::~webhook_verifier() = default;

result<webhook_verifier> webhook_verifier::create(webhook_options options) {
  if (options.secrets.empty()) return make_error(errc::invalid_argument, "no webhook secret given");
  if (options.tolerance.count() < 0) return make_error(errc::invalid_argument, "the tolerance is negative");
  if (options.scheme == webhook_scheme::hmac_sha256 && options.hmac.header.empty())
    return make_error(errc::invalid_argument, "the hmac-sha256 scheme needs a signature header name");
  auto p = std::make_unique<impl>();
  p->scheme = options.scheme;
  p->tolerance = static_cast<long long>(options.tolerance.count());
  p->hmac = std::move(options.hmac);
  p->clock = options.clock ? std::move(options.clock) : system_clock();
  p->replay = options.replay;
  p->keys.reserve(options.secrets.size());
  for (std::size_t i = 0; i < options.secrets.size(); ++i) {
    auto key = key_for(options.scheme, options.secrets[i], i, options.secrets.size());
    if (!key) return std::move(key).error();
    p->keys.emplace_back(*key);
  }
  return webhook_verifier(std::move(p));
}

result<webhook_event> webhook_verifier::verify(std::span<const header_view> headers, std::string_view body) const {
  return impl_->verify(headers, body);
}

result<webhook_event> webhook_verifier::verify(std::span<const header_field> headers, std::string_view body) const {
  // Views on the stack for the usual handful of headers: no allocation on the hot path.
  constexpr std::size_t on_stack = 16;
  if (headers.size() <= on_stack) {
    std::array<header_view, on_stack> views;
    for (std::size_t i = 0; i < headers.size(); ++i) views[i] = {headers[i].name, headers[i].value};
    return impl_->verify(std::span<const header_view>(views.data(), headers.size()), body);
  }
  std::vector<header_view> views;
  views.reserve(headers.size());
  for (const auto& h : headers) views.push_back({h.name, h.value});
  return impl_->verify(views, body);
}

std::array<unsigned char, 32> hmac_sha256(std::string_view key, std::string_view message) {
  return detail::hmac_key(key).compute({message});
}

result<std::string> sign_standard_webhook(std::string_view secret, std::string_view id,
                                          std::chrono::sys_seconds signed_at, std::string_view body) {
  auto key = standard_key(secret, 0, 1);
  if (!key) return std::move(key).error();
  const std::string ts = std::to_string(signed_at.time_since_epoch().count());
  return "v1," + detail::to_base64(detail::hmac_key(*key).compute({id, ".", ts, ".", body}));
}

result<std::string> sign_stripe_webhook(std::string_view secret, std::chrono::sys_seconds signed_at,
                                        std::string_view body) {
  auto key = plain_key(secret, 0, 1);
  if (!key) return std::move(key).error();
  const std::string ts = std::to_string(signed_at.time_since_epoch().count());
  return "t=" + ts + ",v1=" + detail::to_hex(detail::hmac_key(*key).compute({ts, ".", body}));
}

result<std::string> sign_github_webhook(std::string_view secret, std::string_view body) {
  auto key = plain_key(secret, 0, 1);
  if (!key) return std::move(key).error();
  return "sha256=" + detail::to_hex(detail::hmac_key(*key).compute({body}));
}

result<std::string> sign_hmac_webhook(std::string_view secret, std::string_view body, signature_encoding encoding,
                                      std::string_view prefix) {
  auto key = plain_key(secret, 0, 1);
  if (!key) return std::move(key).error();
  const digest mac = detail::hmac_key(*key).compute({body});
  return std::string(prefix) + (encoding == signature_encoding::hex ? detail::to_hex(mac) : detail::to_base64(mac));
}

result<std::vector<header_field>> sign_webhook(const webhook_options& options, std::string_view body,
                                               std::string_view id, std::chrono::sys_seconds signed_at) {
  if (options.secrets.empty()) return make_error(errc::invalid_argument, "no webhook secret given");
  if (signed_at.time_since_epoch().count() < 0) return make_error(errc::invalid_argument, "the timestamp is negative");
  const std::size_t n = options.secrets.size();
  const bool single = options.scheme == webhook_scheme::github || options.scheme == webhook_scheme::hmac_sha256;
  if (single && n != 1)
    return make_error(errc::invalid_argument,
                      "the " + std::string(to_string(options.scheme)) + " scheme carries one signature: give one secret");
  std::vector<header_field> out;
  const std::string ts = std::to_string(signed_at.time_since_epoch().count());
  switch (options.scheme) {
    case webhook_scheme::standard: {
      if (id.empty()) return make_error(errc::invalid_argument, "Standard Webhooks need a webhook-id");
      std::string list;
      for (std::size_t i = 0; i < n; ++i) {
        auto key = standard_key(options.secrets[i], i, n);
        if (!key) return std::move(key).error();
        if (!list.empty()) list += ' ';
        list += "v1," + detail::to_base64(detail::hmac_key(*key).compute({id, ".", ts, ".", body}));
      }
      out.push_back({"webhook-id", std::string(id)});
      out.push_back({"webhook-timestamp", ts});
      out.push_back({"webhook-signature", std::move(list)});
      break;
    }
    case webhook_scheme::stripe: {
      std::string value = "t=" + ts;
      for (std::size_t i = 0; i < n; ++i) {
        auto key = plain_key(options.secrets[i], i, n);
        if (!key) return std::move(key).error();
        value += ",v1=" + detail::to_hex(detail::hmac_key(*key).compute({ts, ".", body}));
      }
      out.push_back({"Stripe-Signature", std::move(value)});
      break;
    }
    case webhook_scheme::github: {
      auto sig = sign_github_webhook(options.secrets[0], body);
      if (!sig) return std::move(sig).error();
      out.push_back({"X-Hub-Signature-256", std::move(*sig)});
      if (!id.empty()) out.push_back({"X-GitHub-Delivery", std::string(id)});
      break;
    }
    case webhook_scheme::hmac_sha256: {
      if (options.hmac.header.empty())
        return make_error(errc::invalid_argument, "the hmac-sha256 scheme needs a signature header name");
      auto sig = sign_hmac_webhook(options.secrets[0], body, options.hmac.encoding, options.hmac.prefix);
      if (!sig) return std::move(sig).error();
      out.push_back({options.hmac.header, std::move(*sig)});
      if (!id.empty() && !options.hmac.id_header.empty()) out.push_back({options.hmac.id_header, std::string(id)});
      break;
    }
  }
  return out;
}

}  // namespace bankflow
