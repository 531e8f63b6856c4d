// The account and session flows of design §3, independent of HTTP: routes
// parse a request, call one method, and map the result. Every method takes a
// RequestContext (who asks, from where, when) and reports a wait in
// ctx.retry_after when it refuses for load or rate. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounts/user_store.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "keys/key_manager.h"
#include "keys/verified_token_cache.h"
#include "limits/hash_pool.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"

namespace latchkey {

struct RequestContext {
  std::string ip;
  std::string user_agent;
  std::string request_id;
  std::int64_t now = 0;
  double monotonic = 0;          // seconds, for rate limits
  std::int64_t retry_after = 0;  // out: seconds to wait when refused for load or rate
};

struct TokenGrant {
  User user;
  std::string session_id;
  std::string access_token;
  std::int64_t expires_at = 0;
  std::string refresh_token;
};

struct Principal {
  User user;
  Session session;
  Json claims;
};

enum class LogoutScope { kLocal, kOthers, kGlobal };

// Why a new password is refused: reason codes such as "too_short", with the
// estimator's score and feedback (no part of the password itself).
struct PasswordVerdict {
  bool acceptable = false;
  std::vector<std::string> reasons;
  Json details = Json::object();  // {reasons, score, feedback}
  std::string normalized;         // NFKC form: what gets hashed
};

struct Dependencies {
  UserStore& users;
  SessionStore& sessions;
  AuditStore& audit_store;
  KeyManager& keys;
  AuditLog& audit;
  HashPool& hashes;
  RateLimiter& limiter;
  Metrics& metrics;
  RandomSource& random;
  UnitOfWork& units;  // commits a change and its audit event together
};

class AuthService {
 public:
  AuthService(Dependencies deps, const ServerConfig& config);
  // Prepares the dummy hash that unknown emails are checked against.
  Status Init();

  // The server's policy, with the account's email and name as context.
  PasswordVerdict CheckNewPassword(std::string_view password, std::string_view email, std::string_view name) const;
  Json PasswordPolicyJson() const;

  Result<TokenGrant> Signup(std::string_view email, std::string_view password, std::string_view name,
                            RequestContext& ctx);
  Result<TokenGrant> Login(std::string_view email, std::string_view password, RequestContext& ctx);
  Result<TokenGrant> Refresh(std::string_view refresh_token, RequestContext& ctx);
  Result<Principal> Authenticate(std::string_view access_token, RequestContext& ctx);
  Status Logout(const Principal& who, LogoutScope scope, RequestContext& ctx);
  Status ChangePassword(const Principal& who, std::string_view current, std::string_view next, RequestContext& ctx);
  Result<User> UpdateName(const Principal& who, std::string_view name, RequestContext& ctx);
  Result<std::vector<Session>> ListSessions(const Principal& who);
  Status RevokeSession(const Principal& who, std::string_view session_id, RequestContext& ctx);

  // Administration (callers check the admin role; these check the rest).
  Result<UserPage> ListUsers(std::string_view search, std::int64_t limit, std::int64_t offset);
  Result<User> GetUser(std::string_view id);
  Result<User> UpdateUser(const std::optional<std::string>& actor_id, std::string_view id,
                          const std::optional<std::string>& role, const std::optional<bool>& disabled,
                          RequestContext& ctx);
  Status DeleteUser(const std::optional<std::string>& actor_id, std::string_view id, RequestContext& ctx);
  Result<std::string> RotateKeys(const std::optional<std::string>& actor_id, RequestContext& ctx);
  Result<AuditPage> QueryAudit(const AuditQuery& query);
  // For `latchkey user add`: an account without a session.
  Result<User> CreateUser(std::string_view email, std::string_view password, std::string_view name,
                          std::string_view role, RequestContext& ctx);

  const ServerConfig& config() const { return config_; }

  // Argon2id with the server's parameters, in the hash pool (503 when full).
  Result<std::string> Hash(std::string_view password, RequestContext& ctx);
  // Called after each signup (e.g. to send the verification mail).
  void SetSignupListener(std::function<void(const User&, RequestContext&)> listener) {
    on_signup_ = std::move(listener);
  }

 private:
  // Checks a password against a stored hash in the hash pool: Argon2id
  // against the NFKC form, imported bcrypt against the raw input.
  Status VerifyStored(const std::string& stored, std::string_view raw, const std::string& normalized,
                      RequestContext& ctx);
  // Hashes the policy-normalised password (wiping it) and stores a new user.
  // `then` runs in the same unit of work as the insert (a session, the audit event).
  Result<User> InsertUser(std::string email, std::string_view name, std::string_view role, PasswordVerdict& verdict,
                          RequestContext& ctx, const std::function<Status(const User&)>& then);
  Result<TokenGrant> StartSession(const User& user, RequestContext& ctx);
  Result<TokenGrant> RotateRefreshToken(std::string_view refresh_token, RequestContext& ctx);
  Result<std::string> IssueAccessToken(const User& user, const std::string& session_id, std::int64_t now,
                                       std::int64_t& expires_at);
  std::string NewId();
  Status Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx);
  void Audit(std::string event, const RequestContext& ctx, std::optional<std::string> user_id,
             std::optional<std::string> session_id = std::nullopt, std::optional<std::string> actor_id = std::nullopt,
             Json detail = Json::object());

  Dependencies deps_;
  const ServerConfig& config_;
  RefreshRules refresh_rules_;
  std::string dummy_hash_;
  VerifiedTokenCache token_cache_;
  std::function<void(const User&, RequestContext&)> on_signup_;
};

}  // namespace latchkey
