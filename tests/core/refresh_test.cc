// The server's refresh rotation rules (refresh.h) at the edges of the clock:
// cases found by tests/fuzz/refresh_fuzz.cc.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "latchkey/refresh.h"

namespace latchkey {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNow = 1'700'000'000;

RefreshTokenState Live() {
  RefreshTokenState state;
  state.session_created_at = kNow - 100;
  state.session_last_used_at = kNow - 10;
  return state;
}

TEST_CASE("a lifetime too long to add to a timestamp means no expiry, not expired", "[refresh]") {
  RefreshRules forever;
  forever.absolute_seconds = kMax;
  forever.inactivity_seconds = kMax;
  RefreshDecision d = DecideRefresh(Live(), kNow, forever);
  CHECK(d.action == RefreshAction::kRotate);
  CHECK(d.code == Code::kOk);

  RefreshTokenState used = Live();
  used.token_used = true;
  used.token_used_at = kNow - 1;
  used.successor_is_current = true;
  forever.reuse_interval_seconds = kMax;
  CHECK(DecideRefresh(used, kNow, forever).action == RefreshAction::kReturnSuccessor);
}

TEST_CASE("stored times at the ends of the int64 range are decided exactly", "[refresh]") {
  RefreshRules rules;
  RefreshTokenState far_future = Live();
  far_future.session_created_at = kMax - 5;  // created + 30 days does not fit
  far_future.session_last_used_at = kMax - 5;
  CHECK(DecideRefresh(far_future, kNow, rules).action == RefreshAction::kRotate);

  RefreshTokenState ancient = Live();
  ancient.session_created_at = kMin;
  CHECK(DecideRefresh(ancient, kNow, rules).code == Code::kRefreshTokenExpired);

  RefreshRules negative;  // a nonsensical negative lifetime expires at once
  negative.absolute_seconds = kMin;
  CHECK(DecideRefresh(Live(), kNow, negative).code == Code::kRefreshTokenExpired);
}

}  // namespace
}  // namespace latchkey
