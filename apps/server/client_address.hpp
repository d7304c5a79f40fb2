#pragma once
// Who a request comes from: the peer, or, behind trusted reverse proxies, the first hop of
// X-Forwarded-For that no trusted proxy vouches for. Limits per client address count this.

#include <bankflow/error.hpp>

#include <boost/asio/ip/address.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bankflow::server {

/// The proxies (--trusted-proxy) whose X-Forwarded-For is believed: addresses and CIDR networks.
class trusted_proxies {
 public:
  /// Parses items such as "10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8". Error: invalid_argument
  /// naming the item that is neither.
  [[nodiscard]] static result<trusted_proxies> parse(const std::vector<std::string>& items);

  /// True when `a` (IPv4-mapped IPv6 counts as IPv4) is one of the addresses or in one of the networks.
  [[nodiscard]] bool contains(const boost::asio::ip::address& a) const;
  [[nodiscard]] bool empty() const noexcept { return nets_.empty(); }

 private:
  struct net {
    boost::asio::ip::address base;
    unsigned prefix = 0;  ///< bits that must match
  };
  std::vector<net> nets_;
};

/// The client of a request. Unless `peer` is a trusted proxy, the peer itself (a client's own
/// X-Forwarded-For is never believed). Otherwise the X-Forwarded-For values (every header of that
/// name, in order, as one comma-separated list) are walked from the right, skipping trusted
/// proxies: the first hop that is not one is the client. When every hop is trusted, the leftmost;
/// when a hop cannot be read as an address (garbage, "unknown"), the trusted hop that reported it;
/// with no X-Forwarded-For, the peer. Entries may carry a port ("1.2.3.4:5", "[::1]:5").
[[nodiscard]] boost::asio::ip::address client_address(const boost::asio::ip::address& peer,
                                                      const std::vector<std::string_view>& forwarded_for,
                                                      const trusted_proxies& trusted);

/// The text that limits count a client under: an IPv4 address as is (also when IPv4-mapped),
/// an IPv6 address by its /64 ("2001:db8:1:2::/64"), since one host usually holds a whole /64.
[[nodiscard]] std::string address_key(const boost::asio::ip::address& a);

}  // namespace bankflow::server
