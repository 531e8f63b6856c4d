// The server's refresh rotation (refresh.h): the shape check and the sealed
// successor on arbitrary presented strings, and the rotation decision on any
// stored state, clock and rules.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_check.h"
#include "latchkey/refresh.h"

namespace {

// Deterministic "randomness" from the input, so a finding replays exactly.
class InputRandom : public latchkey::RandomSource {
 public:
  explicit InputRandom(FuzzedDataProvider& input) : input_(input) {}
  void Fill(char* out, std::size_t size) override {
    const std::string bytes = input_.ConsumeBytesAsString(size);
    std::memset(out, 0x5A, size);
    std::memcpy(out, bytes.data(), bytes.size());
  }

 private:
  FuzzedDataProvider& input_;
};

using latchkey::Code;
using latchkey::RefreshAction;

// Exact arithmetic for the reference: start + duration may not fit in 64 bits.
__extension__ using Wide = __int128;
bool Reached(std::int64_t now, std::int64_t start, std::int64_t duration) {
  return Wide{now} >= Wide{start} + Wide{duration};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);

  // What a client presents, and what the store holds for it.
  const std::string presented = input.ConsumeRandomLengthString(128);
  const std::string sealed = input.ConsumeRandomLengthString(256);
  if (latchkey::IsWellFormedRefreshToken(presented)) FUZZ_CHECK(presented.size() == 43);
  latchkey::Result<std::string> opened = latchkey::OpenSuccessor(presented, sealed);
  FUZZ_CHECK(opened.ok() || opened.code() == Code::kRefreshTokenInvalid);

  // A successor sealed for a parent opens with that parent only.
  InputRandom random(input);
  const latchkey::RefreshToken successor = latchkey::NewRefreshToken(random);
  FUZZ_CHECK(latchkey::IsWellFormedRefreshToken(successor.token));
  FUZZ_CHECK(successor.hash == latchkey::HashRefreshToken(successor.token));
  const std::string box = latchkey::SealSuccessor(presented, successor.token, random);
  latchkey::Result<std::string> reopened = latchkey::OpenSuccessor(presented, box);
  FUZZ_CHECK(reopened.ok() && *reopened == successor.token);
  FUZZ_CHECK(!latchkey::OpenSuccessor(presented + "x", box).ok());

  latchkey::RefreshTokenState state;
  state.session_revoked = input.ConsumeBool();
  state.session_created_at = input.ConsumeIntegral<std::int64_t>();
  state.session_last_used_at = input.ConsumeIntegral<std::int64_t>();
  state.token_used = input.ConsumeBool();
  state.token_used_at = input.ConsumeIntegral<std::int64_t>();
  state.successor_is_current = input.ConsumeBool();
  latchkey::RefreshRules rules;
  if (input.ConsumeBool()) {
    rules.reuse_interval_seconds = input.ConsumeIntegral<std::int64_t>();
    rules.inactivity_seconds = input.ConsumeIntegral<std::int64_t>();
    rules.absolute_seconds = input.ConsumeIntegral<std::int64_t>();
  }
  const std::int64_t now = input.ConsumeIntegral<std::int64_t>();

  const latchkey::RefreshDecision decision = latchkey::DecideRefresh(state, now, rules);
  switch (decision.action) {
    case RefreshAction::kRotate:
      FUZZ_CHECK(decision.code == Code::kOk && !state.session_revoked && !state.token_used);
      break;
    case RefreshAction::kReturnSuccessor:
      FUZZ_CHECK(decision.code == Code::kOk && state.token_used && state.successor_is_current);
      break;
    case RefreshAction::kRevokeSession:
      FUZZ_CHECK(decision.code == Code::kRefreshTokenReused && state.token_used);
      break;
    case RefreshAction::kReject:
      FUZZ_CHECK(decision.code == (state.session_revoked ? Code::kSessionRevoked : Code::kRefreshTokenExpired));
      break;
  }
  // A revoked session never yields tokens, an expired one neither, and a live
  // one is never refused as expired: the lifetimes hold at any clock value.
  if (state.session_revoked) FUZZ_CHECK(decision.action == RefreshAction::kReject);
  const bool expired = Reached(now, state.session_created_at, rules.absolute_seconds) ||
                       Reached(now, state.session_last_used_at, rules.inactivity_seconds);
  if (!state.session_revoked) FUZZ_CHECK((decision.action == RefreshAction::kReject) == expired);
  if (!state.session_revoked && !expired && state.token_used) {
    const bool within = state.successor_is_current && !Reached(now, state.token_used_at, rules.reuse_interval_seconds);
    FUZZ_CHECK(decision.action == (within ? RefreshAction::kReturnSuccessor : RefreshAction::kRevokeSession));
  }
  return 0;
}
