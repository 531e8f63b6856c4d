// Where the Redis server is: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], as
// given to --redis-url. TLS (rediss://) and unix sockets are not supported by
// the hiredis Debian ships, so they are refused rather than half-handled.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace latchkey {

struct RedisAddress {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string user;      // Redis 6 ACL user; empty: the default user
  std::string password;  // empty: no AUTH; never logged
};

// nullopt for anything that is not a well-formed redis:// URL.
std::optional<RedisAddress> ParseRedisUrl(std::string_view url);

// "redis://HOST:PORT/DB", without credentials: for log lines and messages.
std::string DescribeRedis(const RedisAddress& address);

}  // namespace latchkey
