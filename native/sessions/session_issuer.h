// The one place that mints sessions: any sign-in method (strategies/), once
// it has authenticated a user, calls Start with the methods it used (`amr`),
// and gets a session with its first refresh token and an access token.
// Refresh rotates refresh tokens (core/refresh.h decides), Authenticate turns
// an access token back into the live user and session. Thread-safe.
#pragma once

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
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"

namespace latchkey {

// What a sign-in or a refresh hands to the client.
struct TokenGrant {
  User user;
  std::string session_id;
  std::string access_token;
  std::int64_t expires_at = 0;
  std::string refresh_token;
};

// The caller of an authenticated request.
struct Principal {
  User user;
  Session session;
  Json claims;
};

// Authentication method references (RFC 8176) the server records.
namespace amr {
inline constexpr std::string_view kPassword = "pwd";
}  // namespace amr

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

  // A new session for `user`, authenticated just now by `methods`. Joins the
  // caller's unit of work (the caller writes its audit event in the same one).
  Result<TokenGrant> Start(const User& user, const std::vector<std::string>& methods, RequestContext& ctx);
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
};

}  // namespace latchkey
