// Token buckets keyed by strings such as "login:ip:203.0.113.9". A bucket
// holds up to `capacity` tokens and regains `per_second`; a request takes
// one. With shared buckets (Share: Redis, for several instances) those
// answer; whenever they cannot (Redis down), this instance's own in-process
// buckets do, so limits still hold per instance. Own buckets that have
// refilled completely are forgotten, so memory stays bounded by the keys
// active within one refill period. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "limits/bucket_limit.h"
#include "limits/shared_buckets.h"

namespace latchkey {

class RateLimiter {
 public:
  // Takes a token. 0 when allowed, else the whole seconds until one is back.
  std::int64_t Take(const std::string& key, const BucketLimit& limit, double now);
  // Like Take, but only looks: for limits charged on failure (failed logins).
  std::int64_t Check(const std::string& key, const BucketLimit& limit, double now);
  // Buckets shared with other instances, asked first; set before serving.
  // `shared` must outlive the limiter.
  void Share(SharedBuckets* shared) { shared_ = shared; }

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  Bucket& Refill(const std::string& key, const BucketLimit& limit, double now);
  void Sweep(double now);

  SharedBuckets* shared_ = nullptr;
  std::mutex mutex_;
  std::unordered_map<std::string, std::pair<Bucket, BucketLimit>> buckets_;
  double last_sweep_ = 0;
};

}  // namespace latchkey
