#include "limits/limit.h"

#include "metrics/metric_names.h"

namespace latchkey {

Status TakeLimit(RateLimiter& limiter, Metrics& metrics, const std::string& key, const BucketLimit& limit,
                 RequestContext& ctx) {
  const std::int64_t wait = limiter.Take(key, limit, ctx.monotonic);
  if (wait == 0) return Status::Ok();
  ctx.retry_after = wait;
  metrics.Increment(metric::kRateLimited, {{"bucket", key.substr(0, key.find(':'))}});
  return Code::kRateLimited;
}

}  // namespace latchkey
