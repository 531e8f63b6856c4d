// Sign-in with an email and a password: signup, login, change, reset, and
// accounts made from the CLI. Every path that stores a password goes
// through one SetPassword step (hash outside the transaction, then the
// credential, the sessions it ends and its audit event in one unit of work).
// Sessions come from the SessionIssuer, with amr ["pwd"]. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "config/server_config.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "limits/rate_limiter.h"
#include "mail/mail_queue.h"
#include "metrics/metrics.h"
#include "passwords/password_hashing.h"
#include "sessions/session_issuer.h"
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"

namespace latchkey {

// Why a new password is refused: reason codes such as "too_short", with the
// estimator's score and feedback (no part of the password itself).
struct PasswordVerdict {
  bool acceptable = false;
  std::vector<std::string> reasons;
  Json details = Json::object();  // {reasons, score, feedback}
  std::string normalized;         // NFKC form: what gets hashed
};

struct PasswordStrategyDependencies {
  UserStore& users;
  CredentialStore& credentials;
  SessionStore& sessions;
  SessionIssuer& issuer;
  PasswordHashing& hashing;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  MailQueue& mail;
  RandomSource& random;
  UnitOfWork& units;
};

class PasswordStrategy {
 public:
  PasswordStrategy(PasswordStrategyDependencies deps, const ServerConfig& config) : deps_(deps), config_(config) {}

  // The server's policy, with the account's email and name as context.
  PasswordVerdict CheckNewPassword(std::string_view password, std::string_view email, std::string_view name) const;
  Json PolicyJson() const;

  // A new account and (unless verified email is required) its first session.
  // With --require-verified-email, an address that has an account answers
  // exactly like a new one (a user, no tokens) and its owner is told by mail.
  Result<TokenGrant> Signup(std::string_view email, std::string_view password, std::string_view name,
                            RequestContext& ctx);
  // One answer (kInvalidCredentials), in the same time, for an unknown
  // email, a wrong password and an account without a password.
  Result<TokenGrant> Login(std::string_view email, std::string_view password, RequestContext& ctx);
  // Needs the current password; ends the user's other sessions; mails a notice.
  Status ChangePassword(const Principal& who, std::string_view current, std::string_view next, RequestContext& ctx);
  // Through a mailed link: `consume` (spending the link) runs in the same
  // unit of work; ends every session; mails a notice. `weak` gets the
  // policy's details when the password is refused.
  Status ResetPassword(const User& user, std::string_view next, const std::function<Status()>& consume, Json& weak,
                       RequestContext& ctx);
  // Ok when `password` is the user's current one (failures count against
  // the account's failed-login limit); kInvalidCredentials otherwise.
  Status VerifyCurrentPassword(const User& user, std::string_view password, RequestContext& ctx);
  // Whether the user has a password at all.
  Result<bool> HasPassword(std::string_view user_id);

  // For `latchkey user add`: an account without a session.
  Result<User> CreateUser(std::string_view email, std::string_view password, std::string_view name,
                          std::string_view role, RequestContext& ctx);

  // Called after each new account from signup (e.g. to send the verification mail).
  void SetSignupListener(std::function<void(const User&, RequestContext&)> listener) {
    on_signup_ = std::move(listener);
  }

 private:
  struct SetPasswordStep {
    std::string_view event;                   // audit_event::k*
    std::optional<std::string> keep_session;  // the one session not ended
    std::string_view revoke_reason;           // recorded on ended sessions
    std::function<Status()> also;             // more work in the same unit
  };
  // Stores `hash` as the user's password credential, ends sessions, writes
  // the audit event: one unit of work.
  Status SetPassword(const User& user, std::string hash, const SetPasswordStep& step, RequestContext& ctx);
  // Hashes the policy-normalised password (wiping it) and stores a new user
  // with it; `then` runs in the same unit of work as the insert.
  Result<User> InsertUser(std::string email, std::string_view name, std::string_view role, PasswordVerdict& verdict,
                          RequestContext& ctx, const std::function<Status(const User&)>& then);
  // Replaces an imported or outdated hash while the password is at hand.
  void UpgradeHash(const User& user, const Credential& stored, std::string_view normalized, RequestContext& ctx);
  // Checks `typed` (NFKC form `candidate`) against `stored`, or against the
  // dummy hash when there is none; a mismatch is charged to `failures_key`.
  // Ok, kInvalidCredentials or kServerBusy.
  Status MatchStored(const Result<Credential>& stored, std::string_view typed, const std::string& candidate,
                     const std::string& failures_key, RequestContext& ctx);
  Status Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx);
  std::string FailuresKey(std::string_view email) const { return "login_failed:" + std::string(email); }

  PasswordStrategyDependencies deps_;
  const ServerConfig& config_;
  std::function<void(const User&, RequestContext&)> on_signup_;
};

}  // namespace latchkey
