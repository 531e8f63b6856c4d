// Second factors: TOTP (RFC 6238) with recovery codes. Enrolment and removal
// for the signed-in user, the second step of a sign-in (after any first
// step: the SessionIssuer asks this gate), the step-up of a signed-in
// session, the assurance rule for sensitive routes (--require-aal2-for),
// and the administrator's view. Every check takes from the per-factor and
// per-account attempt budgets first, and every code is single use across
// threads and instances (the credential's secret is swapped only if no one
// changed it first). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.h"
#include "admin/admin_service.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "latchkey/crypto.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "mfa/totp_factor.h"
#include "recovery/one_time_token_store.h"
#include "sessions/second_factor_gate.h"
#include "sessions/session_issuer.h"
#include "storage/unit_of_work.h"

namespace latchkey {

inline constexpr std::int64_t kMfaTokenSeconds = 300;  // time to open the app and type a code

// A second-factor answer: a code from the app, or a recovery code.
struct SecondFactorAnswer {
  std::optional<std::string> code;
  std::optional<std::string> recovery_code;
  std::optional<std::string> factor_id;  // which TOTP factor (default: the verified one)
};

// What POST /auth/mfa/totp/enroll answers: everything an authenticator app
// needs, shown once.
struct TotpEnrollment {
  Json factor;
  std::string secret;  // base32
  std::string otpauth_uri;
  std::string qr_svg;
};

// What the first verified code answers: the recovery codes (shown once) and
// the caller's session raised to aal2.
struct VerifiedFactor {
  Json factor;
  std::vector<std::string> recovery_codes;
  TokenGrant grant;
};

struct MfaServiceDependencies {
  UserStore& users;
  CredentialStore& credentials;
  OneTimeTokenStore& flows;
  SessionIssuer& issuer;
  AccountService& accounts;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  RandomSource& random;
  UnitOfWork& units;
};

class MfaService final : public SecondFactorGate {
 public:
  MfaService(MfaServiceDependencies deps, const ServerConfig& config, SecretBytes kek)
      : deps_(deps), config_(config), kek_(std::move(kek)) {}

  // SecondFactorGate: a challenge for users with a verified factor.
  Result<std::optional<MfaChallenge>> ChallengeIfEnrolled(const User& user, const std::vector<std::string>& methods,
                                                          RequestContext& ctx) override;

  // A new, unverified TOTP factor (replacing an unverified one); needs the
  // recent-auth proof. kFactorExists when a verified one is there already.
  Result<TotpEnrollment> EnrollTotp(const Principal& who, const std::optional<std::string>& current_password,
                                    std::string_view friendly_name, RequestContext& ctx);
  // The first code proves the enrolment: recovery codes, and the caller's
  // session at aal2.
  Result<VerifiedFactor> VerifyTotp(const Principal& who, std::string_view factor_id, std::string_view code,
                                    RequestContext& ctx);
  // The second step of a sign-in: the mfa_token from the first and an answer.
  Result<TokenGrant> Challenge(std::string_view mfa_token, const SecondFactorAnswer& answer, RequestContext& ctx);
  // Raises a signed-in aal1 session of a user with a factor to aal2.
  Result<TokenGrant> StepUp(const Principal& who, const SecondFactorAnswer& answer, RequestContext& ctx);

  // {factors:[...], recovery_codes_remaining}
  Result<Json> ListFactors(std::string_view user_id);
  // Removing a verified factor needs aal2; the last one takes the recovery codes with it.
  Status RemoveFactor(const Principal& who, std::string_view factor_id, RequestContext& ctx);
  // New recovery codes (aal2 only); the old ones stop working.
  Result<std::vector<std::string>> RegenerateRecoveryCodes(const Principal& who, RequestContext& ctx);

  // kInsufficientAal when `route_group` is listed in --require-aal2-for and
  // the caller has a verified factor but did not use it in this session
  // (Kratos' "highest available": users without a factor are not locked out).
  Status RequireAssurance(const Principal& who, std::string_view route_group, RequestContext& ctx);

  // Administrators: a user's factors, and removing all of them (a lost phone
  // and no recovery codes left).
  Result<Json> ListFactorsFor(const Actor& actor, std::string_view user_id);
  Status ResetFactorsFor(const Actor& actor, std::string_view user_id, RequestContext& ctx);

 private:
  Result<std::vector<TotpFactor>> TotpFactors(std::string_view user_id);
  Result<bool> HasVerifiedFactor(std::string_view user_id);
  // Checks an answer for `user` and spends it: Ok, or a typed refusal.
  Status Spend(const User& user, const SecondFactorAnswer& answer, RequestContext& ctx, std::string& method);
  // The factor `factor_id` names (default: the user's verified one) and its
  // stored row, whose secret the swap compares. kFactorNotFound otherwise.
  Status LoadTotp(std::string_view user_id, const std::optional<std::string>& factor_id, Credential& row,
                  TotpFactor& factor);
  Status SpendTotp(const User& user, const std::optional<std::string>& factor_id, std::string_view code, bool enrolling,
                   RequestContext& ctx);
  Status SpendRecoveryCode(const User& user, std::string_view code, RequestContext& ctx);
  Status TakeAttempt(const User& user, const std::string& factor_key, RequestContext& ctx);
  Status RemoveAll(const User& user, RequestContext& ctx, const std::optional<std::string>& actor);

  MfaServiceDependencies deps_;
  const ServerConfig& config_;
  SecretBytes kek_;
};

}  // namespace latchkey
