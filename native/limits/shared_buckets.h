// Token buckets kept outside this process, so that several instances count
// one client together (redis/redis_buckets.h). Same semantics as
// RateLimiter's own buckets. An implementation that cannot answer right now
// says so, and RateLimiter answers from its own buckets instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "limits/bucket_limit.h"

namespace latchkey {

class SharedBuckets {
 public:
  virtual ~SharedBuckets() = default;
  // Takes a token (`take`) or only looks. 0 when allowed, else the whole
  // seconds until a token is back; nullopt when the shared store cannot answer.
  virtual std::optional<std::int64_t> Take(const std::string& key, const BucketLimit& limit, bool take) = 0;
};

}  // namespace latchkey
