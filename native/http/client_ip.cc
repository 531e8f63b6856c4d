#include "http/client_ip.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

namespace latchkey::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An address as 16 bytes (IPv4 mapped into IPv6) and whether it was IPv4.
// Accepts what proxies write: "[v6]", "[v6]:port", "v4:port".
std::optional<std::array<std::uint8_t, 16>> ParseAddress(std::string_view text, bool* was_v4 = nullptr) {
  text = Trim(text);
  if (text.size() > 2 && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    text = text.substr(0, colon);  // IPv4 with a port
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buffer[INET6_ADDRSTRLEN] = {};
  std::memcpy(buffer, text.data(), text.size());
  std::array<std::uint8_t, 16> bytes{};
  in_addr v4{};
  if (::inet_pton(AF_INET, buffer, &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    if (was_v4) *was_v4 = true;
    return bytes;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, buffer, &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    if (was_v4) *was_v4 = false;
    return bytes;
  }
  return std::nullopt;
}

std::string Canonical(const std::array<std::uint8_t, 16>& bytes) {
  char buffer[INET6_ADDRSTRLEN] = {};
  static const std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes.data(), kMapped, 12) == 0) {
    ::inet_ntop(AF_INET, bytes.data() + 12, buffer, sizeof buffer);
  } else {
    ::inet_ntop(AF_INET6, bytes.data(), buffer, sizeof buffer);
  }
  return buffer;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& networks) {
  TrustedProxies proxies;
  for (const std::string& entry : networks) {
    std::string_view text = Trim(entry);
    const auto slash = text.find('/');
    const std::string_view address = text.substr(0, slash);
    bool v4 = false;
    if (address.find('[') != std::string_view::npos) return Code::kInvalidArgument;
    const auto bytes = ParseAddress(address, &v4);
    if (!bytes || (v4 && address.find(':') != std::string_view::npos)) return Code::kInvalidArgument;
    int bits = 128;
    if (slash != std::string_view::npos) {
      const std::string_view digits = text.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) return Code::kInvalidArgument;
      int n = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return Code::kInvalidArgument;
        n = n * 10 + (c - '0');
      }
      if (n > (v4 ? 32 : 128)) return Code::kInvalidArgument;
      bits = v4 ? n + 96 : n;
    }
    proxies.networks_.push_back(Network{*bytes, bits});
  }
  return proxies;
}

bool TrustedProxies::Contains(std::string_view address) const {
  const auto bytes = ParseAddress(address);
  if (!bytes) return false;
  for (const Network& network : networks_) {
    bool match = true;
    for (int bit = 0; bit < network.prefix_bits && match; ++bit) {
      const int mask = 0x80 >> (bit % 8);
      match = ((*bytes)[bit / 8] & mask) == (network.bytes[bit / 8] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string ResolveClientIp(const TrustedProxies& trusted, std::string_view peer, std::string_view forwarded_for) {
  if (trusted.empty() || !trusted.Contains(peer) || forwarded_for.empty()) return std::string(peer);
  // Walk from the right: each hop appended the address it saw.
  std::string_view rest = forwarded_for;
  while (true) {
    const auto comma = rest.rfind(',');
    const std::string_view hop = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    const auto bytes = ParseAddress(hop);
    if (!bytes) return std::string(peer);
    const std::string address = Canonical(*bytes);
    if (!trusted.Contains(address) || comma == std::string_view::npos) return address;
    rest = rest.substr(0, comma);
  }
}

}  // namespace latchkey::http
