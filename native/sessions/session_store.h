// Sessions, their refresh tokens, and the storage interface for both.
// Rotation happens inside the store, in one transaction, but what to do is
// decided by the caller (core/refresh.h), given what the store found.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/refresh.h"
#include "latchkey/status.h"

namespace latchkey {

struct Session {
  std::string id;
  std::string user_id;
  std::int64_t created_at = 0;
  std::int64_t last_used_at = 0;
  std::optional<std::int64_t> revoked_at;
  std::string revoked_reason;
  std::string user_agent;
  std::string ip;
  std::vector<std::string> amr;  // how the user signed in (RFC 8176 values: "pwd", "otp", ...)
  std::int64_t auth_time = 0;    // when they last proved who they are (a sign-in), seconds
};

struct RefreshRecord {
  std::string token_hash;
  std::string session_id;
  std::int64_t generation = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> used_at;
  std::string successor_hash;
  std::string successor_sealed;
};

// What the caller wants done with a presented refresh token.
struct RotationPlan {
  RefreshDecision decision;
  RefreshRecord successor;  // for kRotate: the new record (sealed box in the parent's successor_sealed)
  std::string sealed;       // for kRotate: the successor sealed under the presented token
  std::string reason;       // for kRevokeSession: recorded on the session
};

struct RotationOutcome {
  RefreshDecision decision;
  Session session;
  std::string sealed_successor;  // for kRotate and kReturnSuccessor
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status Create(const Session& session, const RefreshRecord& first_token) = 0;
  // kNotFound when absent.
  virtual Result<Session> Find(std::string_view session_id) = 0;
  // Looks up `token_hash` (kRefreshTokenInvalid when unknown), builds its state,
  // asks `plan`, and applies the plan, all in one transaction.
  virtual Result<RotationOutcome> Rotate(
      std::string_view token_hash, std::int64_t now,
      const std::function<RotationPlan(const RefreshTokenState&, const Session&)>& plan) = 0;
  virtual Status Revoke(std::string_view session_id, std::int64_t now, std::string_view reason) = 0;
  // Records a further proof on a live session (e.g. a second factor
  // verified while signed in): its methods become `amr`, its auth_time
  // `now`. kNotFound when absent or revoked.
  virtual Status SetAuthentication(std::string_view session_id, const std::vector<std::string>& amr,
                                   std::int64_t now) = 0;
  // Revokes every active session of the user except `keep` (if given). Returns how many.
  virtual Result<std::int64_t> RevokeAllForUser(std::string_view user_id, std::int64_t now, std::string_view reason,
                                                std::optional<std::string_view> keep) = 0;
  // Active (not revoked) sessions, newest first.
  virtual Result<std::vector<Session>> ListActive(std::string_view user_id) = 0;
};

}  // namespace latchkey
