#include "client_address.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using bankflow::server::address_key;
using bankflow::server::client_address;
using bankflow::server::trusted_proxies;
namespace ip = boost::asio::ip;

namespace {

trusted_proxies proxies(const std::vector<std::string>& items) {
  auto t = trusted_proxies::parse(items);
  REQUIRE(t);
  return *t;
}

std::string client_of(std::string_view peer, std::vector<std::string_view> xff, const trusted_proxies& t) {
  return client_address(ip::make_address(std::string(peer)), xff, t).to_string();
}

}  // namespace

TEST_CASE("trusted proxies are addresses and CIDR networks, and nothing else", "[server][client_address]") {
  const auto t = proxies({"10.0.0.0/8", "192.168.1.7", " ::1 ", "fd00::/8"});
  CHECK(t.contains(ip::make_address("10.200.3.4")));
  CHECK(t.contains(ip::make_address("192.168.1.7")));
  CHECK_FALSE(t.contains(ip::make_address("192.168.1.8")));
  CHECK_FALSE(t.contains(ip::make_address("11.0.0.1")));
  CHECK(t.contains(ip::make_address("::1")));
  CHECK(t.contains(ip::make_address("fd12:3456::9")));
  CHECK_FALSE(t.contains(ip::make_address("fe80::1")));
  CHECK(t.contains(ip::make_address("::ffff:10.1.2.3")));  // IPv4-mapped counts as IPv4
  CHECK(proxies({"0.0.0.0/0"}).contains(ip::make_address("8.8.8.8")));
  CHECK(proxies({}).empty());
  for (const std::string bad : {"10.0.0.0/33", "proxy.local", "10.0.0.0/", "10.0.0.0/8x", "::/129", ""}) {
    CAPTURE(bad);
    const auto r = trusted_proxies::parse({bad});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == bankflow::errc::invalid_argument);
  }
}

TEST_CASE("the client is the peer unless the peer is a trusted proxy", "[server][client_address]") {
  const auto none = proxies({});
  const auto t = proxies({"10.0.0.1", "10.0.0.2"});
  // a client's own X-Forwarded-For changes nothing
  CHECK(client_of("203.0.113.9", {"1.2.3.4"}, none) == "203.0.113.9");
  CHECK(client_of("203.0.113.9", {"1.2.3.4"}, t) == "203.0.113.9");
  CHECK(client_of("::ffff:203.0.113.9", {}, none) == "203.0.113.9");
  // a trusted proxy without the header: the proxy is the client
  CHECK(client_of("10.0.0.1", {}, t) == "10.0.0.1");
}

TEST_CASE("X-Forwarded-For is walked from the right, skipping trusted proxies", "[server][client_address]") {
  const auto t = proxies({"10.0.0.0/24"});
  // rows: the proxy's header(s) -> the client
  const std::vector<std::pair<std::vector<std::string_view>, std::string>> rows = {
      {{"198.51.100.7"}, "198.51.100.7"},
      // what the client wrote on the left is not believed: the first untrusted hop from the right
      {{"1.1.1.1, 198.51.100.7"}, "198.51.100.7"},
      {{"1.1.1.1, 198.51.100.7, 10.0.0.3"}, "198.51.100.7"},
      // several header fields are one list, in order
      {{"1.1.1.1", "198.51.100.7, 10.0.0.4"}, "198.51.100.7"},
      // ports, brackets, spaces and empty items
      {{"198.51.100.7:5432"}, "198.51.100.7"},
      {{"[2001:db8::5]:443"}, "2001:db8::5"},
      {{"2001:db8::5"}, "2001:db8::5"},
      {{" 198.51.100.7 ,, "}, "198.51.100.7"},
      // only trusted hops: the leftmost
      {{"10.0.0.9, 10.0.0.3"}, "10.0.0.9"},
      // an unreadable hop: the trusted hop that reported it
      {{"198.51.100.7, unknown, 10.0.0.3"}, "10.0.0.3"},
      {{"garbage"}, "10.0.0.1"},
      {{""}, "10.0.0.1"},
  };
  for (const auto& [xff, expected] : rows) {
    std::string shown;
    for (const auto field : xff) shown += "[" + std::string(field) + "]";
    INFO(shown << " -> " << expected);
    CHECK(client_of("10.0.0.1", xff, t) == expected);
  }
}

TEST_CASE("limits count IPv4 clients by address and IPv6 clients by /64", "[server][client_address]") {
  CHECK(address_key(ip::make_address("203.0.113.9")) == "203.0.113.9");
  CHECK(address_key(ip::make_address("::ffff:203.0.113.9")) == "203.0.113.9");
  CHECK(address_key(ip::make_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd")) == "2001:db8:1:2::/64");
  CHECK(address_key(ip::make_address("2001:db8:1:2::1")) == address_key(ip::make_address("2001:db8:1:2:ffff::9")));
  CHECK(address_key(ip::make_address("2001:db8:1:3::1")) != address_key(ip::make_address("2001:db8:1:2::1")));
}
