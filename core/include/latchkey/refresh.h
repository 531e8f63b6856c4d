// Refresh tokens and the rules of their rotation (design §2).
//
// A refresh token is 256 random bits, base64url, and is stored only as its
// SHA-256 hash. Each use rotates it. A reuse of the immediate parent within
// the reuse interval (concurrent tabs) gets the same successor back; any other
// reuse is theft and ends the session. So that the server can hand out the
// same successor without ever storing a usable token, the successor is kept
// sealed under a key derived from its parent: only a holder of the parent
// token can open it. Pure functions; randomness is injected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "latchkey/crypto.h"
#include "latchkey/status.h"

namespace latchkey {

struct RefreshToken {
  std::string token;  // give to the client, never store
  std::string hash;   // store and look up by this
};

RefreshToken NewRefreshToken(RandomSource& random);
std::string HashRefreshToken(std::string_view token);
// Cheap shape check (43 canonical base64url characters) before any lookup.
bool IsWellFormedRefreshToken(std::string_view token);

// Seals `successor` so that only `parent` opens it. Output is base64url text.
std::string SealSuccessor(std::string_view parent, std::string_view successor, RandomSource& random);
// kRefreshTokenInvalid if `sealed` was not made for this parent.
Result<std::string> OpenSuccessor(std::string_view parent, std::string_view sealed);

struct RefreshRules {
  std::int64_t reuse_interval_seconds = 10;
  std::int64_t inactivity_seconds = 7 * 86400;  // the refresh token lifetime
  std::int64_t absolute_seconds = 30 * 86400;   // a session never outlives this
};

// What the store knows about a presented token and its session.
struct RefreshTokenState {
  bool session_revoked = false;
  std::int64_t session_created_at = 0;
  std::int64_t session_last_used_at = 0;
  bool token_used = false;              // already rotated
  std::int64_t token_used_at = 0;
  bool successor_is_current = false;    // its successor has not been rotated in turn
};

enum class RefreshAction {
  kRotate,           // issue a successor
  kReturnSuccessor,  // concurrent use: hand back the successor already issued
  kRevokeSession,    // reuse: theft; revoke the whole session (code says why)
  kReject,           // revoked or expired (code says which)
};

struct RefreshDecision {
  RefreshAction action;
  Code code = Code::kOk;
};

RefreshDecision DecideRefresh(const RefreshTokenState& state, std::int64_t now, const RefreshRules& rules);

}  // namespace latchkey
