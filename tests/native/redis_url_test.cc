// --redis-url parsing (native/redis/redis_url.h): what is accepted, what is
// refused, and that the description never carries the credentials.
#include <catch2/catch.hpp>

#include "redis/redis_url.h"

namespace latchkey {
namespace {

TEST_CASE("redis url: host, port and database, with defaults", "[redis]") {
  std::optional<RedisAddress> plain = ParseRedisUrl("redis://127.0.0.1");
  REQUIRE(plain);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == 6379);
  CHECK(plain->db == 0);
  CHECK(plain->password.empty());

  std::optional<RedisAddress> full = ParseRedisUrl("redis://cache.internal:6380/3");
  REQUIRE(full);
  CHECK(full->host == "cache.internal");
  CHECK(full->port == 6380);
  CHECK(full->db == 3);
  CHECK(DescribeRedis(*full) == "redis://cache.internal:6380/3");

  std::optional<RedisAddress> v6 = ParseRedisUrl("redis://[::1]:7000/");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == 7000);
  CHECK(DescribeRedis(*v6) == "redis://[::1]:7000/0");
}

TEST_CASE("redis url: credentials are parsed, unescaped and never described", "[redis]") {
  std::optional<RedisAddress> both = ParseRedisUrl("redis://app:s%40cr%3At@127.0.0.1:6379/1");
  REQUIRE(both);
  CHECK(both->user == "app");
  CHECK(both->password == "s@cr:t");
  CHECK(DescribeRedis(*both) == "redis://127.0.0.1:6379/1");

  std::optional<RedisAddress> password_only = ParseRedisUrl("redis://:hunter2@localhost");
  REQUIRE(password_only);
  CHECK(password_only->user.empty());
  CHECK(password_only->password == "hunter2");

  std::optional<RedisAddress> lone_word = ParseRedisUrl("redis://hunter2@localhost");
  REQUIRE(lone_word);
  CHECK(lone_word->user.empty());
  CHECK(lone_word->password == "hunter2");
}

TEST_CASE("redis url: anything else is refused", "[redis]") {
  for (const char* bad :
       {"", "redis://", "redis://:6379", "rediss://127.0.0.1", "http://127.0.0.1:6379", "redis://127.0.0.1:0",
        "redis://127.0.0.1:65536", "redis://127.0.0.1:port", "redis://127.0.0.1/x", "redis://127.0.0.1/-1",
        "redis://127.0.0.1/99999", "redis://[::1", "redis://[::1]x", "redis://u:p%4@host", "redis://u:p%zz@host",
        "redis://ho st", "redis://127.0.0.1:6379?db=1", "127.0.0.1:6379"}) {
    INFO(bad);
    CHECK_FALSE(ParseRedisUrl(bad));
  }
}

}  // namespace
}  // namespace latchkey
