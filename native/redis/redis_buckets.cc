#include "redis/redis_buckets.h"

#include <cstdio>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "metrics/metric_names.h"

namespace latchkey {
namespace {

// limits/rate_limiter.cc's rule in Lua. KEYS[1]: the bucket. ARGV: capacity,
// tokens regained per second, "1" to take a token or "0" only to look.
// Returns 0 when allowed, else the whole seconds until a token is back.
// Looking writes nothing: a bucket's level follows from its last write.
const RedisClient::Script kTokenBucket{R"lua(
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tokens = capacity
local stored = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if stored[1] and stored[2] then
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - tonumber(stored[2])) * rate)
end
if tokens < 1 then
  return math.ceil((1 - tokens) / rate)
end
if ARGV[3] == '1' then
  tokens = tokens - 1
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.6f', now))
  redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil((capacity - tokens) / rate * 1000) + 1000))
end
return 0
)lua"};

std::string Number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

}  // namespace

std::string RedisBuckets::RedisKey(const std::string& key) {
  return "latchkey:rl:" + key.substr(0, key.find(':')) + ":" + Base64UrlEncode(Sha256(key));
}

std::optional<std::int64_t> RedisBuckets::Take(const std::string& key, const BucketLimit& limit, bool take) {
  const std::optional<long long> wait = redis_.EvalInteger(
      kTokenBucket, {RedisKey(key)}, {Number(limit.capacity), Number(limit.per_second), take ? "1" : "0"});
  if (!wait) {
    metrics_.Increment(metric::kRateLimitFallbacks, {{"bucket", key.substr(0, key.find(':'))}});
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*wait);
}

}  // namespace latchkey
