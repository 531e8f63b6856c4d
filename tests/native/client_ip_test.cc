#include <catch2/catch.hpp>

#include "http/client_ip.h"

namespace latchkey::http {
namespace {

TrustedProxies Trust(std::vector<std::string> networks) {
  Result<TrustedProxies> parsed = TrustedProxies::Parse(networks);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

TEST_CASE("trusted proxy networks parse IPv4, IPv6 and prefixes, and refuse the rest") {
  for (const char* good : {"10.0.0.0/8", "127.0.0.1", "::1", "2001:db8::/32", "0.0.0.0/0", "192.0.2.7/32"}) {
    INFO(good);
    CHECK(TrustedProxies::Parse({good}).ok());
  }
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "example.com", "10.0.0.1:80",
                          "[::1]", "1.2.3", "10.0.0.0/8/8"}) {
    INFO(bad);
    CHECK(TrustedProxies::Parse({bad}).code() == Code::kInvalidArgument);
  }
}

TEST_CASE("membership follows the prefix bit by bit") {
  const TrustedProxies trusted = Trust({"10.0.0.0/8", "192.168.1.128/25", "2001:db8::/32"});
  CHECK(trusted.Contains("10.255.1.2"));
  CHECK_FALSE(trusted.Contains("11.0.0.1"));
  CHECK(trusted.Contains("192.168.1.200"));
  CHECK_FALSE(trusted.Contains("192.168.1.127"));
  CHECK(trusted.Contains("::ffff:10.1.2.3"));  // IPv4-mapped peers, as dual-stack sockets report them
  CHECK(trusted.Contains("2001:db8:ffff::1"));
  CHECK_FALSE(trusted.Contains("2001:db9::1"));
  CHECK_FALSE(trusted.Contains("not an address"));
}

TEST_CASE("without trusted proxies the header is ignored") {
  const TrustedProxies none = Trust({});
  CHECK(ResolveClientIp(none, "203.0.113.9", "198.51.100.1") == "203.0.113.9");
}

TEST_CASE("an untrusted peer cannot choose its address") {
  const TrustedProxies trusted = Trust({"127.0.0.1"});
  CHECK(ResolveClientIp(trusted, "203.0.113.9", "198.51.100.1") == "203.0.113.9");
}

TEST_CASE("behind trusted proxies the right-most untrusted hop is the client") {
  const TrustedProxies trusted = Trust({"127.0.0.1", "10.0.0.0/8"});
  CHECK(ResolveClientIp(trusted, "127.0.0.1", "198.51.100.1") == "198.51.100.1");
  // The client wrote a fake first entry; the proxies appended the real one.
  CHECK(ResolveClientIp(trusted, "127.0.0.1", "1.1.1.1, 198.51.100.1, 10.0.0.5") == "198.51.100.1");
  CHECK(ResolveClientIp(trusted, "127.0.0.1", " 198.51.100.1:4711 ") == "198.51.100.1");
  CHECK(ResolveClientIp(trusted, "127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7");
  CHECK(ResolveClientIp(trusted, "127.0.0.1", "10.0.0.9, 10.0.0.5") == "10.0.0.9");  // all proxies: left-most
}

TEST_CASE("a malformed header falls back to the peer") {
  const TrustedProxies trusted = Trust({"127.0.0.1"});
  for (const char* bad : {"unknown", "198.51.100.1, garbage", ",", "198.51.100.1,", "[::1", "1.2.3.4.5"}) {
    INFO(bad);
    CHECK(ResolveClientIp(trusted, "127.0.0.1", bad) == "127.0.0.1");
  }
}

}  // namespace
}  // namespace latchkey::http
