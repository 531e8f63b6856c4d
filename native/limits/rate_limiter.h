// In-process token buckets keyed by strings such as "login:ip:203.0.113.9".
// A bucket holds up to `capacity` tokens and regains `per_second`; a request
// takes one. Buckets that have refilled completely are forgotten, so memory
// stays bounded by the keys active within one refill period. Thread-safe.
// (Several instances share limits through Redis; see the scale-out issue.)
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace latchkey {

struct BucketLimit {
  double capacity;
  double per_second;
  bool enabled() const { return capacity > 0; }
};

class RateLimiter {
 public:
  // Takes a token. 0 when allowed, else the whole seconds until one is back.
  std::int64_t Take(const std::string& key, const BucketLimit& limit, double now);
  // Like Take, but only looks: for limits charged on failure (failed logins).
  std::int64_t Check(const std::string& key, const BucketLimit& limit, double now);

 private:
  struct Bucket {
    double tokens;
    double updated;
  };
  Bucket& Refill(const std::string& key, const BucketLimit& limit, double now);
  void Sweep(double now);

  std::mutex mutex_;
  std::unordered_map<std::string, std::pair<Bucket, BucketLimit>> buckets_;
  double last_sweep_ = 0;
};

}  // namespace latchkey
