// The server's refresh rotation rules (core/refresh.h) against
// tests/vectors/refresh-decisions.json, and the sealed successor.
#include <catch2/catch.hpp>

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

}  // namespace
}  // namespace latchkey
