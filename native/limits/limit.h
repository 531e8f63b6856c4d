// Takes a token from a rate limit bucket for a service call: on refusal,
// sets ctx.retry_after, counts the refusal by bucket (the key's first part)
// and returns kRateLimited.
#pragma once

#include <string>

#include "context/request_context.h"
#include "latchkey/status.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"

namespace latchkey {

Status TakeLimit(RateLimiter& limiter, Metrics& metrics, const std::string& key, const BucketLimit& limit,
                 RequestContext& ctx);

}  // namespace latchkey
