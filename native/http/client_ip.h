// Which address a request comes from. Behind a reverse proxy every peer is
// the proxy, so rate limits and the audit log would lump all users together;
// X-Forwarded-For is honoured only when the peer is a proxy the operator
// listed (--trusted-proxy), because anyone else can write that header.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/status.h"

namespace latchkey::http {

// A set of IPv4/IPv6 networks ("10.0.0.0/8", "::1", "192.0.2.7").
class TrustedProxies {
 public:
  // kInvalidArgument for anything that is not an address or a network.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& networks);
  bool empty() const { return networks_.empty(); }
  bool Contains(std::string_view address) const;

 private:
  struct Network {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix_bits = 0;
  };
  std::vector<Network> networks_;
};

// The client address: the peer, unless the peer is trusted; then the
// right-most X-Forwarded-For entry that is not a trusted proxy (entries to
// its left were written by the client and prove nothing). Falls back to the
// peer when the header is missing or malformed.
std::string ResolveClientIp(const TrustedProxies& trusted, std::string_view peer, std::string_view forwarded_for);

}  // namespace latchkey::http
