// Rate limit buckets in Redis, shared by every instance that names the same
// server: one round trip per check (a Lua script run atomically by Redis,
// on Redis's clock so instances need not agree on the time), the same rule
// as limits/rate_limiter.cc. Keys are "latchkey:rl:<bucket>:<hash>" (the
// SHA-256 of the whole key, so no email address is stored in Redis) and
// expire once the bucket would be full again: an absent bucket is full.
// When Redis cannot answer, Take says so (nullopt), counts
// latchkey_rate_limit_fallbacks_total{bucket}, and the caller's own buckets
// answer. Thread-safe.
#pragma once

#include "limits/shared_buckets.h"
#include "metrics/metrics.h"
#include "redis/redis_client.h"

namespace latchkey {

class RedisBuckets final : public SharedBuckets {
 public:
  RedisBuckets(RedisClient& redis, Metrics& metrics) : redis_(redis), metrics_(metrics) {}
  std::optional<std::int64_t> Take(const std::string& key, const BucketLimit& limit, bool take) override;

  // The Redis key of a bucket key such as "login:account:ada@example.com".
  static std::string RedisKey(const std::string& key);

 private:
  RedisClient& redis_;
  Metrics& metrics_;
};

}  // namespace latchkey
