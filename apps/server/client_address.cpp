#include "client_address.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace bankflow::server {

namespace ip = boost::asio::ip;

namespace {

ip::address unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return unmapped(a);
}

// One X-Forwarded-For entry: an address, "a.b.c.d:port", "[v6]" or "[v6]:port" (some proxies
// write ports and brackets); quotes are tolerated.
std::optional<ip::address> parse_hop(std::string_view hop) {
  hop = trim(hop);
  if (hop.size() >= 2 && hop.front() == '"' && hop.back() == '"') hop = trim(hop.substr(1, hop.size() - 2));
  if (hop.empty()) return std::nullopt;
  if (hop.front() == '[') {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return parse_address(hop.substr(1, close - 1));
  }
  if (auto a = parse_address(hop)) return a;
  const auto colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos)
    return parse_address(hop.substr(0, colon));  // IPv4 with a port
  return std::nullopt;
}

bool same_prefix(const ip::address& a, const ip::address& b, unsigned bits) {
  if (a.is_v4() != b.is_v4()) return false;
  const auto compare = [bits](const auto& x, const auto& y) {
    unsigned left = bits;
    for (std::size_t i = 0; i < x.size() && left > 0; ++i) {
      const unsigned take = std::min(left, 8U);
      const auto mask = static_cast<unsigned char>(0xFF00U >> take);
      if ((x[i] & mask) != (y[i] & mask)) return false;
      left -= take;
    }
    return true;
  };
  if (a.is_v4()) return compare(a.to_v4().to_bytes(), b.to_v4().to_bytes());
  return compare(a.to_v6().to_bytes(), b.to_v6().to_bytes());
}

}  // namespace

result<trusted_proxies> trusted_proxies::parse(const std::vector<std::string>& items) {
  trusted_proxies out;
  for (const auto& item : items) {
    const std::string_view text = trim(item);
    const auto slash = text.find('/');
    auto base = parse_address(text.substr(0, slash));
    const auto bad = [&] {
      return make_error(errc::invalid_argument, "trusted proxy '" + item +
                                                    "' is not an IP address or a network such as 10.0.0.0/8");
    };
    if (!base) return bad();
    const unsigned max = base->is_v4() ? 32 : 128;
    unsigned prefix = max;
    if (slash != std::string_view::npos) {
      const std::string_view bits = text.substr(slash + 1);
      const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (bits.empty() || ec != std::errc{} || end != bits.data() + bits.size() || prefix > max) return bad();
    }
    out.nets_.push_back({*base, prefix});
  }
  return out;
}

bool trusted_proxies::contains(const ip::address& a) const {
  const ip::address x = unmapped(a);
  return std::any_of(nets_.begin(), nets_.end(), [&](const net& n) { return same_prefix(x, n.base, n.prefix); });
}

ip::address client_address(const ip::address& peer, const std::vector<std::string_view>& forwarded_for,
                           const trusted_proxies& trusted) {
  ip::address client = unmapped(peer);
  if (!trusted.contains(client)) return client;
  // every hop, left to right, over all the header's fields
  std::vector<std::string_view> hops;
  for (const std::string_view field : forwarded_for) {
    std::string_view rest = field;
    while (true) {
      const auto comma = rest.find(',');
      hops.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (trim(*it).empty()) continue;  // "a,,b" and a trailing comma say nothing
    const auto hop = parse_hop(*it);
    if (!hop) return client;  // unreadable: the trusted proxy that wrote it is all we know
    client = *hop;
    if (!trusted.contains(client)) return client;
  }
  return client;
}

std::string address_key(const ip::address& a) {
  const ip::address x = unmapped(a);
  if (x.is_v4()) return x.to_string();
  auto bytes = x.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return ip::address_v6(bytes).to_string() + "/64";
}

}  // namespace bankflow::server
