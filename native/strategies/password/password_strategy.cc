#include "strategies/password/password_strategy.h"

#include "identity/ids.h"
#include "latchkey/account_rules.h"
#include "latchkey/password_policy.h"
#include "limits/limit.h"
#include "mail/templates.h"
#include "metrics/metric_names.h"

namespace latchkey {
namespace {

// The NFKC form that hashes are made of; the raw bytes when they are not
// valid UTF-8 (they can then match nothing, yet cost the same to check).
std::string Normalized(std::string_view password) {
  Result<std::string> typed = NormalizePassword(password);
  return typed.ok() ? std::move(typed).value() : std::string(password);
}

}  // namespace

Status PasswordStrategy::Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx) {
  return TakeLimit(deps_.limiter, deps_.metrics, key, limit, ctx);
}

PasswordVerdict PasswordStrategy::CheckNewPassword(std::string_view password, std::string_view email,
                                                   std::string_view name) const {
  PasswordVerdict verdict;
  const std::vector<std::string> context = {std::string(email), std::string(name)};
  Result<PolicyVerdict> checked = CheckPassword(password, config_.password_policy, context);
  if (!checked.ok()) {
    verdict.reasons = {"invalid_utf8"};
  } else {
    verdict.acceptable = checked->acceptable;
    verdict.reasons = checked->reasons;
    verdict.normalized = std::move(checked->normalized);
    if (checked->estimated) {
      const StrengthFeedback& feedback = checked->strength.feedback;
      Json suggestions = Json::array();
      for (const FeedbackItem& item : feedback.suggestions)
        suggestions.push_back({{"code", item.code}, {"text", item.text}});
      verdict.details["score"] = checked->strength.score;
      verdict.details["feedback"] = {
          {"warning",
           feedback.has_warning ? Json{{"code", feedback.warning.code}, {"text", feedback.warning.text}} : Json()},
          {"suggestions", std::move(suggestions)}};
    }
  }
  verdict.details["reasons"] = verdict.reasons;
  return verdict;
}

Json PasswordStrategy::PolicyJson() const { return config_.password_policy.ToJson(); }

Status PasswordStrategy::SetPassword(const User& user, std::string hash, const SetPasswordStep& step,
                                     RequestContext& ctx) {
  Credential credential;
  credential.id = NewUuid(deps_.random);
  credential.user_id = user.id;
  credential.type = std::string(credential_type::kPassword);
  credential.identifier = user.id;  // one password per user
  credential.secret = std::move(hash);
  credential.created_at = credential.updated_at = ctx.now;
  return deps_.units.Run([&]() -> Status {
    if (step.also) LATCHKEY_RETURN_IF_ERROR(step.also());
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(credential));
    std::int64_t revoked = 0;
    if (!step.revoke_reason.empty()) {
      const std::optional<std::string_view> keep =
          step.keep_session ? std::optional<std::string_view>(*step.keep_session) : std::nullopt;
      Result<std::int64_t> ended = deps_.sessions.RevokeAllForUser(user.id, ctx.now, step.revoke_reason, keep);
      if (!ended.ok()) return ended.code();
      revoked = *ended;
    }
    Json detail = Json::object();
    if (!step.revoke_reason.empty())
      detail[step.keep_session ? "other_sessions_revoked" : "sessions_revoked"] = revoked;
    deps_.audit.Record(step.event, ctx, {user.id, step.keep_session, std::nullopt, std::move(detail)});
    return Status::Ok();
  });
}

Result<User> PasswordStrategy::InsertUser(std::string email, std::string_view name, std::string_view role,
                                          PasswordVerdict& verdict, RequestContext& ctx,
                                          const std::function<Status(const User&)>& then) {
  Result<std::string> hash = deps_.hashing.Hash(verdict.normalized, ctx);
  SecureZero(verdict.normalized);
  if (!hash.ok()) return hash.code();
  User user;
  user.id = NewUuid(deps_.random);
  user.email = std::move(email);
  user.name = std::string(name);
  user.role = std::string(role);
  user.created_at = user.updated_at = ctx.now;
  Credential credential{NewUuid(deps_.random),
                        user.id,
                        std::string(credential_type::kPassword),
                        user.id,
                        std::move(hash).value(),
                        ctx.now,
                        ctx.now};
  // The hash is made before the unit starts, so no write lock waits on Argon2.
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.Insert(user));
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(credential));
    return then(user);
  }));
  return user;
}

Result<TokenGrant> PasswordStrategy::Signup(std::string_view email, std::string_view password, std::string_view name,
                                            RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return normalized.code();
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  PasswordVerdict verdict = CheckNewPassword(password, *normalized, name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  LATCHKEY_RETURN_IF_ERROR(Limit("signup:ip:" + ctx.ip, config_.signup_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("signup:email:" + *normalized, config_.signup_per_email, ctx));

  const std::string address = *normalized;
  Result<TokenGrant> grant = Code::kInternal;
  Result<User> user =
      InsertUser(std::move(normalized).value(), name, role::kUser, verdict, ctx, [&](const User& added) -> Status {
        if (config_.require_verified_email) {
          // No session until the address is verified: the grant carries the user only.
          deps_.audit.Record(audit_event::kSignup, ctx, {added.id});
          grant = TokenGrant{added, "", "", 0, "", std::nullopt};
          return Status::Ok();
        }
        grant = deps_.issuer.Start(added, {std::string(amr::kPassword)}, ctx);
        if (!grant.ok()) return Status(grant.code());
        deps_.audit.Record(audit_event::kSignup, ctx, {added.id, grant->session_id});
        return Status::Ok();
      });
  if (user.code() == Code::kEmailTaken && config_.require_verified_email) {
    // Answer as for a new account (the hash already ran, so the time matches
    // too) and tell the owner instead: the answer cannot reveal the account.
    Result<User> owner = deps_.users.FindByEmail(address);
    if (owner.ok()) {
      deps_.mail.Enqueue(SignupAttemptMail(address, config_.public_url + "/#login", config_.public_url + "/#forgot"));
      deps_.audit.Record(audit_event::kSignupExistingEmail, ctx, {owner->id});
    }
    User shown;
    shown.id = NewUuid(deps_.random);
    shown.email = address;
    shown.name = std::string(name);
    shown.created_at = shown.updated_at = ctx.now;
    return TokenGrant{std::move(shown), "", "", 0, "", std::nullopt};
  }
  if (!user.ok()) return user.code();
  deps_.metrics.Increment(metric::kSignups);
  if (on_signup_) on_signup_(*user, ctx);
  return grant;
}

void PasswordStrategy::UpgradeHash(const User& user, const Credential& stored, std::string_view normalized,
                                   RequestContext& ctx) {
  std::string_view scheme;
  if (!deps_.hashing.NeedsUpgrade(stored.secret, &scheme)) return;
  Result<std::string> fresh = deps_.hashing.Hash(normalized, ctx);
  if (!fresh.ok()) return;  // a busy pool only postpones the upgrade
  Credential upgraded = stored;
  upgraded.secret = std::move(fresh).value();
  upgraded.updated_at = ctx.now;
  (void)deps_.units.Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(upgraded));
    if (scheme != "argon2id") {
      deps_.audit.Record(audit_event::kPasswordHashUpgraded, ctx,
                         {user.id, std::nullopt, std::nullopt, Json{{"from", scheme}}});
    }
    return Status::Ok();
  });
}

Result<TokenGrant> PasswordStrategy::Login(std::string_view email, std::string_view password, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Code::kInvalidCredentials;
  LATCHKEY_RETURN_IF_ERROR(Limit("login:ip:" + ctx.ip, config_.login_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("login:account:" + *normalized, config_.login_per_account, ctx));
  const std::string failures_key = FailuresKey(*normalized);
  if (const std::int64_t wait = deps_.limiter.Check(failures_key, config_.failed_logins_per_account, ctx.monotonic)) {
    ctx.retry_after = wait;
    return Code::kRateLimited;
  }

  Result<User> user = deps_.users.FindByEmail(*normalized);
  if (!user.ok() && user.code() != Code::kNotFound) return user.code();
  Result<Credential> stored = Code::kNotFound;
  if (user.ok()) {
    stored = deps_.credentials.FindForUser(user->id, credential_type::kPassword);
    if (!stored.ok() && stored.code() != Code::kNotFound) return stored.code();
  }
  // Hashes are of the NFKC form, so "Å" typed either way matches.
  const std::string candidate = Normalized(password);
  const Status verified = MatchStored(stored, password, candidate, failures_key, ctx);
  if (verified.code() == Code::kServerBusy) return verified;
  if (!verified.ok()) {
    deps_.metrics.Increment(metric::kLogins, {{"result", "failed"}});
    deps_.audit.Record(audit_event::kLoginFailed, ctx,
                       {user.ok() ? std::optional<std::string>(user->id) : std::nullopt});
    return Code::kInvalidCredentials;
  }
  if (user->disabled) {
    deps_.metrics.Increment(metric::kLogins, {{"result", "disabled"}});
    deps_.audit.Record(audit_event::kLoginFailed, ctx,
                       {user->id, std::nullopt, std::nullopt, {{"reason", "disabled"}}});
    return Code::kUserDisabled;
  }
  // Only after the password matched, so this cannot tell anyone whether an account exists.
  if (config_.require_verified_email && !user->email_verified) {
    deps_.metrics.Increment(metric::kLogins, {{"result", "unverified"}});
    deps_.audit.Record(audit_event::kLoginFailed, ctx,
                       {user->id, std::nullopt, std::nullopt, {{"reason", "email_not_verified"}}});
    return Code::kEmailNotVerified;
  }
  UpgradeHash(*user, *stored, candidate, ctx);
  // The session and its audit event: one commit.
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = deps_.issuer.Start(*user, {std::string(amr::kPassword)}, ctx);
    if (!grant.ok()) return Status(grant.code());
    // With a second factor the session starts at the second step (mfa/).
    if (!grant->mfa) deps_.audit.Record(audit_event::kLogin, ctx, {user->id, grant->session_id});
    return Status::Ok();
  }));
  deps_.metrics.Increment(metric::kLogins, {{"result", grant.ok() && grant->mfa ? "mfa_required" : "ok"}});
  return grant;
}

Result<bool> PasswordStrategy::HasPassword(std::string_view user_id) {
  Result<Credential> stored = deps_.credentials.FindForUser(user_id, credential_type::kPassword);
  if (stored.ok()) return true;
  if (stored.code() == Code::kNotFound) return false;
  return stored.code();
}

Status PasswordStrategy::VerifyCurrentPassword(const User& user, std::string_view password, RequestContext& ctx) {
  const std::string failures_key = FailuresKey(user.email);
  if (const std::int64_t wait = deps_.limiter.Check(failures_key, config_.failed_logins_per_account, ctx.monotonic)) {
    ctx.retry_after = wait;
    return Code::kRateLimited;
  }
  Result<Credential> stored = deps_.credentials.FindForUser(user.id, credential_type::kPassword);
  if (!stored.ok() && stored.code() != Code::kNotFound) return stored.code();
  return MatchStored(stored, password, Normalized(password), failures_key, ctx);
}

Status PasswordStrategy::MatchStored(const Result<Credential>& stored, std::string_view typed,
                                     const std::string& candidate, const std::string& failures_key,
                                     RequestContext& ctx) {
  // No password (unknown email, or an account without one): a dummy hash of
  // the same cost, so the answer takes as long as for a wrong password.
  const Status verified = stored.ok() ? deps_.hashing.Verify(stored->secret, typed, candidate, ctx)
                                      : deps_.hashing.VerifyDummy(candidate, ctx);
  if (verified.code() == Code::kServerBusy) return verified;
  if (!stored.ok() || !verified.ok()) {
    deps_.limiter.Take(failures_key, config_.failed_logins_per_account, ctx.monotonic);
    return Code::kInvalidCredentials;
  }
  return Status::Ok();
}

Status PasswordStrategy::ChangePassword(const Principal& who, std::string_view current, std::string_view next,
                                        RequestContext& ctx) {
  PasswordVerdict verdict = CheckNewPassword(next, who.user.email, who.user.name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  const Status present = VerifyCurrentPassword(who.user, current, ctx);
  if (present.code() == Code::kInvalidCredentials) {
    deps_.audit.Record(audit_event::kPasswordChangeFailed, ctx, {who.user.id, who.session.id});
  }
  LATCHKEY_RETURN_IF_ERROR(present);
  Result<std::string> hash = deps_.hashing.Hash(verdict.normalized, ctx);
  SecureZero(verdict.normalized);
  if (!hash.ok()) return hash.code();
  LATCHKEY_RETURN_IF_ERROR(SetPassword(who.user, std::move(hash).value(),
                                       {audit_event::kPasswordChanged, who.session.id, "password_changed", {}}, ctx));
  // ASVS 2.5.5: the owner hears of it, with a way out if it was not them.
  deps_.mail.Enqueue(PasswordChangedMail(who.user.email, config_.public_url + "/#forgot"));
  return Status::Ok();
}

Status PasswordStrategy::ResetPassword(const User& user, std::string_view next, const std::function<Status()>& consume,
                                       Json& weak, RequestContext& ctx) {
  PasswordVerdict verdict = CheckNewPassword(next, user.email, user.name);
  if (!verdict.acceptable) {
    weak = verdict.details;
    return Code::kWeakPassword;
  }
  Result<std::string> hash = deps_.hashing.Hash(verdict.normalized, ctx);
  SecureZero(verdict.normalized);
  if (!hash.ok()) return hash.code();
  const auto also = [&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(consume());
    // The link reached this mailbox, so the address is proven too.
    if (!user.email_verified) LATCHKEY_RETURN_IF_ERROR(deps_.users.SetEmailVerified(user.id, ctx.now));
    return Status::Ok();
  };
  LATCHKEY_RETURN_IF_ERROR(SetPassword(user, std::move(hash).value(),
                                       {audit_event::kPasswordReset, std::nullopt, "password_reset", also}, ctx));
  deps_.mail.Enqueue(PasswordResetNoticeMail(user.email));
  deps_.metrics.Increment(metric::kPasswordResets);
  return Status::Ok();
}

Result<User> PasswordStrategy::CreateUser(std::string_view email, std::string_view password, std::string_view name,
                                          std::string_view role, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return normalized.code();
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  if (!role::IsValidRole(role)) return Code::kValidationFailed;
  PasswordVerdict verdict = CheckNewPassword(password, *normalized, name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  return InsertUser(std::move(normalized).value(), name, role, verdict, ctx, [&](const User& added) -> Status {
    deps_.audit.Record(audit_event::kSignup, ctx,
                       {added.id, std::nullopt, std::nullopt, Json{{"via", "cli"}, {"role", added.role}}});
    return Status::Ok();
  });
}

}  // namespace latchkey
