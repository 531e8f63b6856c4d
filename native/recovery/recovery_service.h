// Password recovery, email verification and email change (design §3), with
// one-time tokens sent by mail. Requests never wait for delivery: mails go
// to the MailQueue. Forgot-password and resend-verification answer the same
// whether or not the address has an account, and in the same time: on the
// request path they only validate and rate-limit; the account lookup, the
// token and the mail happen in a queued job. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "accounts/account_service.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "limits/rate_limiter.h"
#include "mail/mail_queue.h"
#include "metrics/metrics.h"
#include "recovery/one_time_token_store.h"
#include "strategies/password/password_strategy.h"

namespace latchkey {

struct RecoveryDependencies {
  UserStore& users;
  OneTimeTokenStore& tokens;
  PasswordStrategy& passwords;
  AccountService& accounts;
  MailQueue& mail;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  RandomSource& random;
};

class RecoveryService {
 public:
  RecoveryService(RecoveryDependencies deps, const ServerConfig& config) : deps_(deps), config_(config) {}

  // Ok (202) whether or not the address has an account; kEmailInvalid for a
  // malformed address, kRateLimited.
  Status ForgotPassword(std::string_view email, RequestContext& ctx);
  // Sets a new password (policy, Argon2id) and ends every session.
  // kResetTokenInvalid, kWeakPassword (with `weak` filled), kServerBusy.
  Status ResetPassword(std::string_view token, std::string_view new_password, Json& weak, RequestContext& ctx);
  // Whether a reset link would be accepted now, without using it (the demo
  // refuses a dead link before the user types a password): its expiry (Unix
  // seconds), or the code ResetPassword would give. Same rate limit.
  Result<std::int64_t> CheckResetToken(std::string_view token, RequestContext& ctx);
  // Confirms the account's address or a pending new one. kVerificationTokenInvalid, kEmailTaken.
  Result<User> VerifyEmail(std::string_view token, RequestContext& ctx);
  // Like ForgotPassword: Ok whether or not a mail goes out.
  Status ResendVerification(std::string_view email, RequestContext& ctx);
  // PATCH /auth/me: a new name takes effect at once; a new email needs the
  // proof of presence (AccountService::ProvePresence), then waits for its
  // verification link, and the old address is told with a way to report
  // it. kEmailTaken, kEmailInvalid, kReauthenticationRequired, kInvalidCredentials.
  Result<User> UpdateProfile(const Principal& who, const std::optional<std::string>& name,
                             const std::optional<std::string>& email,
                             const std::optional<std::string>& current_password, RequestContext& ctx);
  // Sends a verification link to the account's address (after signup).
  void SendVerification(const User& user, RequestContext& ctx);

  // A token as mailed: 256 random bits, base64url (43 characters).
  static bool IsWellFormedToken(std::string_view token);

 private:
  // A reset token that is well formed, live and still matches its account.
  struct LiveReset {
    OneTimeToken token;
    User user;
  };
  Result<LiveReset> FindLiveReset(std::string_view token, RequestContext& ctx);
  // Stores the token's hash (superseding older ones) and returns the token.
  Result<std::string> IssueToken(const User& user, std::string_view purpose, std::string_view email, std::int64_t ttl,
                                 const RequestContext& ctx);
  std::string Link(std::string_view route, std::string_view token) const;
  Status Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx);
  // The queued halves of ForgotPassword and ResendVerification.
  std::optional<MailMessage> ResetMailFor(const std::string& email, const RequestContext& ctx);
  std::optional<MailMessage> VerificationMailFor(const std::string& email, const RequestContext& ctx);
  std::optional<MailMessage> VerificationMail(const User& user, const RequestContext& ctx);
  void Mail(MailMessage message);

  RecoveryDependencies deps_;
  const ServerConfig& config_;
};

}  // namespace latchkey
