// A token bucket's size and refill: `capacity` tokens, `per_second` back.
#pragma once

namespace latchkey {

struct BucketLimit {
  double capacity;
  double per_second;
  bool enabled() const { return capacity > 0; }
};

}  // namespace latchkey
