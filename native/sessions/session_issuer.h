// The one place that mints sessions: any sign-in method (strategies/), once
// it has authenticated a user, calls Start with the methods it used (`amr`),
// and gets a session with its first refresh token and an access token.
// Refresh rotates refresh tokens (core/refresh.h decides), Authenticate turns
// an access token back into the live user and session. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "config/server_config.h"
#include "context/request_context.h"
#include "identity/user_store.h"
#include "keys/key_manager.h"
#include "keys/verified_token_cache.h"
#include "latchkey/refresh.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "sessions/assurance.h"
#include "sessions/second_factor_gate.h"
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"

namespace latchkey {

// What a sign-in or a refresh hands to the client: tokens, or (for a user
// with a second factor) the challenge to answer first.
struct TokenGrant {
  User user;
  std::string session_id;
  std::string access_token;
  std::int64_t expires_at = 0;
  std::string refresh_token;
  std::optional<MfaChallenge> mfa;  // set instead of the tokens
};

// The caller of an authenticated request.
struct Principal {
  User user;
  Session session;
  Json claims;
};

struct SessionIssuerDependencies {
  UserStore& users;
  SessionStore& sessions;
  KeyManager& keys;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  RandomSource& random;
  UnitOfWork& units;
};

class SessionIssuer {
 public:
  SessionIssuer(SessionIssuerDependencies deps, const ServerConfig& config);

  // Set once at start-up (mfa/MfaService); without one, one step is enough.
  void SetSecondFactorGate(SecondFactorGate* gate) { gate_ = gate; }

  // A new session for `user`, authenticated just now by `methods`: or, when
  // those are a single factor and the user has a second one, no session
  // but the challenge (grant.mfa). Joins the caller's unit of work (the
  // caller writes its audit event in the same one).
  Result<TokenGrant> Start(const User& user, const std::vector<std::string>& methods, RequestContext& ctx);
  // Records a further proof (`method`, e.g. a second factor) on the
  // caller's session and returns a new access token with the raised level;
  // the refresh token stays (its refreshes keep the level).
  Result<TokenGrant> StepUp(const Principal& who, std::string_view method, RequestContext& ctx);
  // Rotates a refresh token (or returns the same successor within the reuse
  // interval, or revokes the session on reuse), in one unit with its audit event.
  Result<TokenGrant> Refresh(std::string_view refresh_token, RequestContext& ctx);
  // The live user and session behind an access token: logout and disabling
  // take effect at once, not only when the token expires.
  Result<Principal> Authenticate(std::string_view access_token, RequestContext& ctx);

 private:
  Result<TokenGrant> Rotate(std::string_view refresh_token, RequestContext& ctx);
  Result<std::string> IssueAccessToken(const User& user, const Session& session, std::int64_t now,
                                       std::int64_t& expires_at);

  SessionIssuerDependencies deps_;
  const ServerConfig& config_;
  RefreshRules refresh_rules_;
  VerifiedTokenCache token_cache_;
  SecondFactorGate* gate_ = nullptr;
};

}  // namespace latchkey
