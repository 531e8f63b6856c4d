#include "recovery/recovery_service.h"

#include "latchkey/account_rules.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "limits/limit.h"
#include "mail/templates.h"

namespace latchkey {
namespace {

constexpr std::size_t kTokenBytes = 32;

}  // namespace

bool RecoveryService::IsWellFormedToken(std::string_view token) {
  if (token.size() != 43) return false;
  Result<std::string> bytes = Base64UrlDecode(token);
  return bytes.ok() && bytes->size() == kTokenBytes;
}

Status RecoveryService::Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx) {
  return TakeLimit(deps_.limiter, deps_.metrics, key, limit, ctx);
}

void RecoveryService::Mail(MailMessage message) { deps_.mail.Enqueue(std::move(message)); }

std::string RecoveryService::Link(std::string_view route, std::string_view token) const {
  // The token rides in the fragment: browsers never send it to a server.
  return config_.public_url + "/#" + std::string(route) + "?token=" + std::string(token);
}

Result<std::string> RecoveryService::IssueToken(const User& user, std::string_view purpose, std::string_view email,
                                                std::int64_t ttl, const RequestContext& ctx) {
  std::string token = Base64UrlEncode(RandomBytes(deps_.random, kTokenBytes));
  OneTimeToken record{OneTimeTokenHash(token), user.id, std::string(purpose), std::string(email), ctx.now,
                      ctx.now + ttl,           ""};
  LATCHKEY_RETURN_IF_ERROR(deps_.tokens.Issue(record));
  (void)deps_.tokens.DeleteExpired(ctx.now);  // keeps the table to live tokens
  return token;
}

Status RecoveryService::ForgotPassword(std::string_view email, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Code::kEmailInvalid;
  LATCHKEY_RETURN_IF_ERROR(Limit("recovery:ip:" + ctx.ip, config_.recovery_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("recovery:email:" + *normalized, config_.recovery_per_email, ctx));
  deps_.mail.EnqueueJob("password_reset",
                        [this, address = std::move(normalized).value(), ctx] { return ResetMailFor(address, ctx); });
  return Status::Ok();
}

std::optional<MailMessage> RecoveryService::ResetMailFor(const std::string& email, const RequestContext& ctx) {
  Result<User> user = deps_.users.FindByEmail(email);
  if (!user.ok() || user->disabled) {
    // The audit line is how an operator sees it; the requester never does.
    deps_.audit.Record(audit_event::kPasswordResetRequested, ctx,
                       {std::nullopt, std::nullopt, std::nullopt, {{"account", false}}});
    return std::nullopt;
  }
  Result<std::string> token = IssueToken(*user, token_purpose::kReset, user->email, config_.reset_ttl, ctx);
  if (!token.ok()) return std::nullopt;
  MailMessage mail = PasswordResetMail(user->email, Link("reset-password", *token), config_.reset_ttl);
  SecureZero(*token);
  deps_.audit.Record(audit_event::kPasswordResetRequested, ctx,
                     {user->id, std::nullopt, std::nullopt, {{"account", true}}});
  return mail;
}

Result<RecoveryService::LiveReset> RecoveryService::FindLiveReset(std::string_view token, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(Limit("token:ip:" + ctx.ip, config_.token_per_ip, ctx));
  if (!IsWellFormedToken(token)) return Code::kResetTokenInvalid;
  Result<OneTimeToken> found = deps_.tokens.Find(OneTimeTokenHash(token), ctx.now);
  if (!found.ok() || found->purpose != token_purpose::kReset) return Code::kResetTokenInvalid;
  Result<User> user = deps_.users.FindById(found->user_id);
  if (!user.ok() || user->disabled || user->email != found->email) return Code::kResetTokenInvalid;
  return LiveReset{std::move(found).value(), std::move(user).value()};
}

Result<std::int64_t> RecoveryService::CheckResetToken(std::string_view token, RequestContext& ctx) {
  Result<LiveReset> live = FindLiveReset(token, ctx);
  if (!live.ok()) return live.code();
  return live->token.expires_at;
}

Status RecoveryService::ResetPassword(std::string_view token, std::string_view new_password, Json& weak,
                                      RequestContext& ctx) {
  // Look first, use last: a weak password or a busy server leaves the link usable.
  Result<LiveReset> live = FindLiveReset(token, ctx);
  if (!live.ok()) return live.code();
  const std::string hash = OneTimeTokenHash(token);

  // The link is spent in the same unit of work as the new password.
  const auto consume = [&]() -> Status {
    // Spent by a concurrent request: this one changes nothing.
    const bool spent = deps_.tokens.Consume(hash, token_purpose::kReset, ctx.now).ok();
    return spent ? Status::Ok() : Status(Code::kResetTokenInvalid);
  };
  return deps_.passwords.ResetPassword(live->user, new_password, consume, weak, ctx);
}

Result<User> RecoveryService::VerifyEmail(std::string_view token, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(Limit("token:ip:" + ctx.ip, config_.token_per_ip, ctx));
  if (!IsWellFormedToken(token)) return Code::kVerificationTokenInvalid;
  const std::string hash = OneTimeTokenHash(token);
  Result<OneTimeToken> found = deps_.tokens.Find(hash, ctx.now);
  if (!found.ok() || (found->purpose != token_purpose::kVerifyEmail && found->purpose != token_purpose::kChangeEmail)) {
    return Code::kVerificationTokenInvalid;
  }
  Result<User> user = deps_.users.FindById(found->user_id);
  if (!user.ok() || user->disabled) return Code::kVerificationTokenInvalid;
  const bool change = found->purpose == token_purpose::kChangeEmail;
  // A link for an address the account no longer has (or no longer wants) is dead.
  if (change ? user->pending_email != found->email : user->email != found->email) {
    return Code::kVerificationTokenInvalid;
  }
  if (change) {
    Result<User> holder = deps_.users.FindByEmail(found->email);
    if (holder.ok() && holder->id != user->id) return Code::kEmailTaken;
  }
  if (!deps_.tokens.Consume(hash, found->purpose, ctx.now).ok()) return Code::kVerificationTokenInvalid;

  if (change) {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.ConfirmEmail(user->id, found->email, ctx.now));
    // Links mailed to the old address must not outlive it.
    (void)deps_.tokens.RevokeAll(user->id, token_purpose::kReset);
    (void)deps_.tokens.RevokeAll(user->id, token_purpose::kVerifyEmail);
    deps_.audit.Record(audit_event::kEmailChanged, ctx, {user->id});
  } else {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.SetEmailVerified(user->id, ctx.now));
    deps_.audit.Record(audit_event::kEmailVerified, ctx, {user->id});
  }
  return deps_.users.FindById(user->id);
}

void RecoveryService::SendVerification(const User& user, RequestContext& ctx) {
  deps_.mail.EnqueueJob("verify_email", [this, user, ctx] { return VerificationMail(user, ctx); });
}

std::optional<MailMessage> RecoveryService::VerificationMail(const User& user, const RequestContext& ctx) {
  Result<std::string> token = IssueToken(user, token_purpose::kVerifyEmail, user.email, config_.verify_ttl, ctx);
  if (!token.ok()) return std::nullopt;
  MailMessage mail = VerifyEmailMail(user.email, Link("verify-email", *token), config_.verify_ttl);
  SecureZero(*token);
  deps_.audit.Record(audit_event::kEmailVerificationRequested, ctx, {user.id});
  return mail;
}

Status RecoveryService::ResendVerification(std::string_view email, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Code::kEmailInvalid;
  LATCHKEY_RETURN_IF_ERROR(Limit("recovery:ip:" + ctx.ip, config_.recovery_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("recovery:email:" + *normalized, config_.recovery_per_email, ctx));
  deps_.mail.EnqueueJob("verify_email", [this, address = std::move(normalized).value(), ctx] {
    return VerificationMailFor(address, ctx);
  });
  return Status::Ok();
}

std::optional<MailMessage> RecoveryService::VerificationMailFor(const std::string& email, const RequestContext& ctx) {
  Result<User> user = deps_.users.FindByEmail(email);
  if (!user.ok() || user->disabled || user->email_verified) return std::nullopt;
  return VerificationMail(*user, ctx);
}

Result<User> RecoveryService::UpdateProfile(const Principal& who, const std::optional<std::string>& name,
                                            const std::optional<std::string>& email,
                                            const std::optional<std::string>& current_password, RequestContext& ctx) {
  std::optional<std::string> wanted;
  if (email) {
    Result<std::string> normalized = NormalizeEmail(*email);
    if (!normalized.ok()) return Code::kEmailInvalid;
    wanted = std::move(normalized).value();
  }
  if (name) LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(*name));
  if (wanted && *wanted != who.user.email) {
    // With only a stolen access token, an attacker could move the account to
    // their own address and then reset its password from there.
    LATCHKEY_RETURN_IF_ERROR(deps_.accounts.ProvePresence(who, current_password, ctx));
    LATCHKEY_RETURN_IF_ERROR(Limit("email_change:user:" + who.user.id, config_.recovery_per_email, ctx));
    Result<User> holder = deps_.users.FindByEmail(*wanted);
    if (holder.ok()) return Code::kEmailTaken;
    if (holder.code() != Code::kNotFound) return holder.code();
  }
  if (name) {
    Result<User> renamed = deps_.accounts.UpdateName(who, *name, ctx);
    if (!renamed.ok()) return renamed.code();
  }
  if (wanted && *wanted == who.user.email && who.user.pending_email) {
    // Asking for the current address again cancels a pending change.
    LATCHKEY_RETURN_IF_ERROR(deps_.users.SetPendingEmail(who.user.id, std::nullopt, ctx.now));
    (void)deps_.tokens.RevokeAll(who.user.id, token_purpose::kChangeEmail);
    deps_.audit.Record(audit_event::kEmailChangeCancelled, ctx, {who.user.id, who.session.id});
  } else if (wanted && *wanted != who.user.email) {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.SetPendingEmail(who.user.id, *wanted, ctx.now));
    Result<std::string> token = IssueToken(who.user, token_purpose::kChangeEmail, *wanted, config_.verify_ttl, ctx);
    if (!token.ok()) return token.code();
    Mail(ConfirmNewEmailMail(*wanted, Link("verify-email", *token), config_.verify_ttl));
    SecureZero(*token);
    Mail(EmailChangeNoticeMail(who.user.email, *wanted, config_.public_url + "/#forgot"));
    deps_.audit.Record(audit_event::kEmailChangeRequested, ctx, {who.user.id, who.session.id});
  }
  return deps_.users.FindById(who.user.id);
}

}  // namespace latchkey
