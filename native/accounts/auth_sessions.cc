// AuthService: refresh rotation, logout, password change, profile, sessions.
#include "accounts/auth_service.h"
#include "latchkey/account_rules.h"
#include "latchkey/password_policy.h"

namespace latchkey {

Result<TokenGrant> AuthService::Refresh(std::string_view refresh_token, RequestContext& ctx) {
  if (!IsWellFormedRefreshToken(refresh_token)) return Code::kRefreshTokenInvalid;
  LATCHKEY_RETURN_IF_ERROR(Limit("refresh:ip:" + ctx.ip, config_.refresh_per_ip, ctx));
  // The rotation (or the revocation of a stolen session) and its audit event
  // commit together, whatever the answer: a refused refresh may still have
  // revoked a session.
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = RotateRefreshToken(refresh_token, ctx);
    return Status::Ok();
  }));
  return grant;
}

Result<TokenGrant> AuthService::RotateRefreshToken(std::string_view refresh_token, RequestContext& ctx) {

  std::string successor;  // plaintext of a newly issued successor
  Result<RotationOutcome> outcome =
      deps_.sessions.Rotate(HashRefreshToken(refresh_token), ctx.now, [&](const RefreshTokenState& state,
                                                                          const Session& session) {
        RotationPlan plan{DecideRefresh(state, ctx.now, refresh_rules_), {}, "", ""};
        // Per account, so a client stuck in a refresh loop (or many stolen
        // sessions) cannot churn the database from many addresses.
        if (plan.decision.action == RefreshAction::kRotate &&
            !Limit("refresh:account:" + session.user_id, config_.refresh_per_account, ctx).ok()) {
          plan.decision = RefreshDecision{RefreshAction::kReject, Code::kRateLimited};
        }
        if (plan.decision.action == RefreshAction::kRotate) {
          RefreshToken next = NewRefreshToken(deps_.random);
          plan.successor = RefreshRecord{next.hash, "", 0, ctx.now, std::nullopt, "", ""};
          plan.sealed = SealSuccessor(refresh_token, next.token, deps_.random);
          successor = std::move(next.token);
        } else if (plan.decision.action == RefreshAction::kRevokeSession) {
          plan.reason = "refresh_token_reused";
        }
        return plan;
      });
  if (!outcome.ok()) {
    deps_.metrics.Increment("latchkey_refreshes_total", {{"result", "invalid"}});
    return outcome.code();
  }
  const Session& session = outcome->session;
  switch (outcome->decision.action) {
    case RefreshAction::kRevokeSession:
      deps_.metrics.Increment("latchkey_refresh_reuse_detected_total");
      Audit("refresh_reuse_detected", ctx, session.user_id, session.id);
      return outcome->decision.code;
    case RefreshAction::kReject:
      deps_.metrics.Increment("latchkey_refreshes_total", {{"result", "rejected"}});
      return outcome->decision.code;
    case RefreshAction::kReturnSuccessor: {
      Result<std::string> opened = OpenSuccessor(refresh_token, outcome->sealed_successor);
      if (!opened.ok()) return opened.code();
      successor = std::move(opened).value();
      break;
    }
    case RefreshAction::kRotate:
      break;
  }

  Result<User> user = deps_.users.FindById(session.user_id);
  if (!user.ok()) return Code::kSessionRevoked;
  if (user->disabled) return Code::kUserDisabled;
  TokenGrant grant{std::move(user).value(), session.id, "", 0, std::move(successor)};
  Result<std::string> access = IssueAccessToken(grant.user, session.id, ctx.now, grant.expires_at);
  if (!access.ok()) return access.code();
  grant.access_token = std::move(access).value();
  deps_.metrics.Increment("latchkey_refreshes_total", {{"result", "ok"}});
  Audit("token_refreshed", ctx, grant.user.id, session.id);
  return grant;
}

Status AuthService::Logout(const Principal& who, LogoutScope scope, RequestContext& ctx) {
  const char* scope_name = scope == LogoutScope::kLocal ? "local" : scope == LogoutScope::kOthers ? "others" : "global";
  if (scope == LogoutScope::kLocal) {
    LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Revoke(who.session.id, ctx.now, "logout"));
  } else {
    const std::optional<std::string_view> keep =
        scope == LogoutScope::kOthers ? std::optional<std::string_view>(who.session.id) : std::nullopt;
    Result<std::int64_t> revoked = deps_.sessions.RevokeAllForUser(who.user.id, ctx.now, "logout", keep);
    if (!revoked.ok()) return revoked.code();
  }
  Audit("logout", ctx, who.user.id, who.session.id, std::nullopt, Json{{"scope", scope_name}});
  return Status::Ok();
}

Status AuthService::ChangePassword(const Principal& who, std::string_view current, std::string_view next,
                                   RequestContext& ctx) {
  PasswordVerdict verdict = CheckNewPassword(next, who.user.email, who.user.name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  const std::string failures_key = "login_failed:" + who.user.email;
  if (const std::int64_t wait = deps_.limiter.Check(failures_key, config_.failed_logins_per_account, ctx.monotonic)) {
    ctx.retry_after = wait;
    return Code::kRateLimited;
  }
  Result<std::string> typed = NormalizePassword(current);
  const std::string candidate = typed.ok() ? std::move(typed).value() : std::string(current);
  const Status verified = VerifyStored(who.user.password_hash, current, candidate, ctx);
  if (verified.code() == Code::kServerBusy) return verified;
  if (!verified.ok()) {
    deps_.limiter.Take(failures_key, config_.failed_logins_per_account, ctx.monotonic);
    Audit("password_change_failed", ctx, who.user.id, who.session.id);
    return Code::kInvalidCredentials;
  }
  Result<std::string> hash = Hash(verdict.normalized, ctx);
  SecureZero(verdict.normalized);
  if (!hash.ok()) return hash.code();
  LATCHKEY_RETURN_IF_ERROR(deps_.users.UpdatePasswordHash(who.user.id, *hash, ctx.now));
  Result<std::int64_t> revoked =
      deps_.sessions.RevokeAllForUser(who.user.id, ctx.now, "password_changed", who.session.id);
  if (!revoked.ok()) return revoked.code();
  Audit("password_changed", ctx, who.user.id, who.session.id, std::nullopt, Json{{"other_sessions_revoked", *revoked}});
  return Status::Ok();
}

Result<User> AuthService::UpdateName(const Principal& who, std::string_view name, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  LATCHKEY_RETURN_IF_ERROR(deps_.users.UpdateName(who.user.id, name, ctx.now));
  Audit("user_updated", ctx, who.user.id, who.session.id, std::nullopt, Json{{"fields", {"name"}}});
  return deps_.users.FindById(who.user.id);
}

Result<std::vector<Session>> AuthService::ListSessions(const Principal& who) {
  return deps_.sessions.ListActive(who.user.id);
}

Status AuthService::RevokeSession(const Principal& who, std::string_view session_id, RequestContext& ctx) {
  Result<Session> session = deps_.sessions.Find(session_id);
  // Someone else's session is reported as absent, not as forbidden.
  if (!session.ok() || session->user_id != who.user.id || session->revoked_at) return Code::kNotFound;
  LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Revoke(session_id, ctx.now, "revoked_by_user"));
  Audit("session_revoked", ctx, who.user.id, std::string(session_id));
  return Status::Ok();
}

}  // namespace latchkey
