// What a signed-in user does to their own account, besides passwords
// (strategies/password) and addresses (recovery/): their name, their
// sessions, and the proof of presence that sensitive changes require.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "config/server_config.h"
#include "identity/user_store.h"
#include "sessions/session_issuer.h"
#include "sessions/session_store.h"
#include "strategies/password/password_strategy.h"

namespace latchkey {

enum class LogoutScope { kLocal, kOthers, kGlobal };

// A sign-in this recent proves presence for an account without a password.
inline constexpr std::int64_t kRecentSignInSeconds = 5 * 60;

struct AccountServiceDependencies {
  UserStore& users;
  SessionStore& sessions;
  PasswordStrategy& passwords;
  AuditLog& audit;
};

class AccountService {
 public:
  explicit AccountService(AccountServiceDependencies deps) : deps_(deps) {}

  Result<User> UpdateName(const Principal& who, std::string_view name, RequestContext& ctx);
  Status Logout(const Principal& who, LogoutScope scope, RequestContext& ctx);
  Result<std::vector<Session>> ListSessions(const Principal& who);
  Status RevokeSession(const Principal& who, std::string_view session_id, RequestContext& ctx);

  // A stolen access token alone must not change an email (and later MFA
  // factors or linked identities). Ok when the request proves the user is
  // present: their current password when the account has one, else a
  // sign-in within kRecentSignInSeconds. kReauthenticationRequired when the
  // proof is missing or too old, kInvalidCredentials for a wrong password.
  Status ProvePresence(const Principal& who, const std::optional<std::string>& current_password, RequestContext& ctx);

 private:
  AccountServiceDependencies deps_;
};

}  // namespace latchkey
