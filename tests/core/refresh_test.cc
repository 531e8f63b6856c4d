// The server's refresh rotation rules (core/refresh.h) against
// tests/vectors/refresh-decisions.json, the sealed successor, and the edges of
// the clock found by tests/fuzz/refresh_fuzz.cc.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "latchkey/refresh.h"
#include "vector_runner.h"

namespace latchkey {
namespace {

const char* ActionName(RefreshAction action) {
  switch (action) {
    case RefreshAction::kRotate:
      return "rotate";
    case RefreshAction::kReturnSuccessor:
      return "return_successor";
    case RefreshAction::kRevokeSession:
      return "revoke_session";
    case RefreshAction::kReject:
      return "reject";
  }
  return "?";
}

RefreshRules Rules(const Json& defaults, const Json& override_rules) {
  RefreshRules rules;
  for (const Json* source : {&defaults, &override_rules}) {
    if (!source->is_object()) continue;
    if (source->contains("reuse_interval_seconds")) rules.reuse_interval_seconds = (*source)["reuse_interval_seconds"];
    if (source->contains("inactivity_seconds")) rules.inactivity_seconds = (*source)["inactivity_seconds"];
    if (source->contains("absolute_seconds")) rules.absolute_seconds = (*source)["absolute_seconds"];
  }
  return rules;
}

TEST_CASE("refresh decisions vectors", "[refresh]") {
  const Json file = testing::LoadVectorFile(std::string(LATCHKEY_VECTORS_DIR) + "/refresh-decisions.json");
  REQUIRE(file["cases"].size() >= 10);
  for (const Json& c : file["cases"]) {
    INFO("case " << c["id"].get<std::string>());
    const Json& s = c["state"];
    RefreshTokenState state;
    state.session_revoked = s.value("session_revoked", false);
    state.session_created_at = s.value("session_created_at", std::int64_t{0});
    state.session_last_used_at = s.value("session_last_used_at", std::int64_t{0});
    state.token_used = s.value("token_used", false);
    state.token_used_at = s.value("token_used_at", std::int64_t{0});
    state.successor_is_current = s.value("successor_is_current", false);
    const RefreshDecision decision =
        DecideRefresh(state, c["now"].get<std::int64_t>(), Rules(file["rules"], c.value("rules", Json())));
    CHECK(std::string(ActionName(decision.action)) == c["action"].get<std::string>());
    CHECK(std::string(Describe(decision.code).wire) == c["code"].get<std::string>());
  }
}

class CountingRandom final : public RandomSource {
 public:
  void Fill(char* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>(next_++);
  }

 private:
  unsigned char next_ = 1;
};

TEST_CASE("refresh tokens: shape, hash, sealed successor", "[refresh]") {
  CountingRandom random;
  const RefreshToken parent = NewRefreshToken(random);
  const RefreshToken child = NewRefreshToken(random);
  CHECK(IsWellFormedRefreshToken(parent.token));
  CHECK(parent.token.size() == 43);
  CHECK(parent.hash == HashRefreshToken(parent.token));
  CHECK(parent.hash != parent.token);
  CHECK_FALSE(IsWellFormedRefreshToken(parent.token.substr(1)));
  CHECK_FALSE(IsWellFormedRefreshToken(parent.token + "A"));
  CHECK_FALSE(IsWellFormedRefreshToken(std::string(43, '*')));

  const std::string sealed = SealSuccessor(parent.token, child.token, random);
  const Result<std::string> opened = OpenSuccessor(parent.token, sealed);
  REQUIRE(opened.ok());
  CHECK(*opened == child.token);
  // Only the parent opens it: another token, or a tampered box, gets nothing.
  CHECK(OpenSuccessor(child.token, sealed).code() == Code::kRefreshTokenInvalid);
  std::string tampered = sealed;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(OpenSuccessor(parent.token, tampered).code() == Code::kRefreshTokenInvalid);
  CHECK(OpenSuccessor(parent.token, "").code() == Code::kRefreshTokenInvalid);
}

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
