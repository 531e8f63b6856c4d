#include "limits/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace latchkey {

RateLimiter::Bucket& RateLimiter::Refill(const std::string& key, const BucketLimit& limit, double now) {
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{limit.capacity, now}, limit);
  Bucket& bucket = it->second.first;
  if (!inserted) {
    bucket.tokens = std::min(limit.capacity, bucket.tokens + (now - bucket.updated) * limit.per_second);
    bucket.updated = now;
  }
  return bucket;
}

std::int64_t RateLimiter::Take(const std::string& key, const BucketLimit& limit, double now) {
  if (!limit.enabled()) return 0;
  if (shared_) {
    if (const std::optional<std::int64_t> wait = shared_->Take(key, limit, /*take=*/true)) return *wait;
  }
  std::lock_guard lock(mutex_);
  Sweep(now);
  Bucket& bucket = Refill(key, limit, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return static_cast<std::int64_t>(std::ceil((1 - bucket.tokens) / limit.per_second));
}

std::int64_t RateLimiter::Check(const std::string& key, const BucketLimit& limit, double now) {
  if (!limit.enabled()) return 0;
  if (shared_) {
    if (const std::optional<std::int64_t> wait = shared_->Take(key, limit, /*take=*/false)) return *wait;
  }
  std::lock_guard lock(mutex_);
  Bucket& bucket = Refill(key, limit, now);
  if (bucket.tokens >= 1) return 0;
  return static_cast<std::int64_t>(std::ceil((1 - bucket.tokens) / limit.per_second));
}

void RateLimiter::Sweep(double now) {
  if (now - last_sweep_ < 60 || buckets_.size() < 10000) return;
  last_sweep_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const auto& [bucket, limit] = it->second;
    const bool full = bucket.tokens + (now - bucket.updated) * limit.per_second >= limit.capacity;
    it = full ? buckets_.erase(it) : std::next(it);
  }
}

}  // namespace latchkey
