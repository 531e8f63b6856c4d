// RateLimiter with shared buckets (limits/shared_buckets.h): the shared ones
// answer while they can; when they cannot, this instance's own buckets do,
// with the same rule.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "limits/rate_limiter.h"

namespace latchkey {
namespace {

// Answers from a script of results; records what it was asked.
class ScriptedBuckets final : public SharedBuckets {
 public:
  std::optional<std::int64_t> answer;
  std::vector<std::pair<std::string, bool>> asked;
  std::optional<std::int64_t> Take(const std::string& key, const BucketLimit&, bool take) override {
    asked.emplace_back(key, take);
    return answer;
  }
};

constexpr BucketLimit kThreePerMinute{3, 3.0 / 60};

TEST_CASE("rate limiter: shared buckets answer, and the own buckets are not charged meanwhile", "[limits]") {
  RateLimiter limiter;
  ScriptedBuckets shared;
  limiter.Share(&shared);
  shared.answer = 0;
  for (int i = 0; i < 10; ++i) CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 0);
  shared.answer = 42;
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 42);
  CHECK(limiter.Check("login-failures:a", kThreePerMinute, 100.0) == 42);
  REQUIRE(shared.asked.size() == 12);
  CHECK(shared.asked.back() == std::pair<std::string, bool>("login-failures:a", false));
  CHECK(shared.asked.front() == std::pair<std::string, bool>("login:account:a", true));

  // Shared buckets gone quiet: the own buckets answer, full, with their rule.
  shared.answer = std::nullopt;
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 0);
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 0);
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 0);
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 100.0) == 20);  // one token back in 20 s
  CHECK(limiter.Check("login:account:a", kThreePerMinute, 110.0) == 10);
  CHECK(limiter.Take("login:account:a", kThreePerMinute, 120.0) == 0);
}

TEST_CASE("rate limiter: a disabled limit asks nobody", "[limits]") {
  RateLimiter limiter;
  ScriptedBuckets shared;
  limiter.Share(&shared);
  CHECK(limiter.Take("signup:ip:x", BucketLimit{0, 0}, 1.0) == 0);
  CHECK(limiter.Check("signup:ip:x", BucketLimit{0, 0}, 1.0) == 0);
  CHECK(shared.asked.empty());
}

}  // namespace
}  // namespace latchkey
