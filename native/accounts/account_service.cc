#include "accounts/account_service.h"

#include "latchkey/account_rules.h"

namespace latchkey {

Result<User> AccountService::UpdateName(const Principal& who, std::string_view name, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  LATCHKEY_RETURN_IF_ERROR(deps_.users.UpdateName(who.user.id, name, ctx.now));
  deps_.audit.Record(audit_event::kUserUpdated, ctx,
                     {who.user.id, who.session.id, std::nullopt, Json{{"fields", {"name"}}}});
  return deps_.users.FindById(who.user.id);
}

Status AccountService::Logout(const Principal& who, LogoutScope scope, RequestContext& ctx) {
  const char* scope_name = scope == LogoutScope::kLocal ? "local" : scope == LogoutScope::kOthers ? "others" : "global";
  if (scope == LogoutScope::kLocal) {
    LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Revoke(who.session.id, ctx.now, "logout"));
  } else {
    const std::optional<std::string_view> keep =
        scope == LogoutScope::kOthers ? std::optional<std::string_view>(who.session.id) : std::nullopt;
    Result<std::int64_t> revoked = deps_.sessions.RevokeAllForUser(who.user.id, ctx.now, "logout", keep);
    if (!revoked.ok()) return revoked.code();
  }
  deps_.audit.Record(audit_event::kLogout, ctx, {who.user.id, who.session.id, std::nullopt, {{"scope", scope_name}}});
  return Status::Ok();
}

Result<std::vector<Session>> AccountService::ListSessions(const Principal& who) {
  return deps_.sessions.ListActive(who.user.id);
}

Status AccountService::RevokeSession(const Principal& who, std::string_view session_id, RequestContext& ctx) {
  Result<Session> session = deps_.sessions.Find(session_id);
  // Someone else's session is reported as absent, not as forbidden.
  if (!session.ok() || session->user_id != who.user.id || session->revoked_at) return Code::kNotFound;
  LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Revoke(session_id, ctx.now, "revoked_by_user"));
  deps_.audit.Record(audit_event::kSessionRevoked, ctx, {who.user.id, std::string(session_id)});
  return Status::Ok();
}

Status AccountService::ProvePresence(const Principal& who, const std::optional<std::string>& current_password,
                                     RequestContext& ctx) {
  Result<bool> has_password = deps_.passwords.HasPassword(who.user.id);
  if (!has_password.ok()) return has_password.code();
  Status proof = Status::Ok();
  const char* reason = "";
  if (*has_password) {
    if (!current_password) {
      proof = Code::kReauthenticationRequired;
      reason = "current_password_missing";
    } else {
      proof = deps_.passwords.VerifyCurrentPassword(who.user, *current_password, ctx);
      reason = "current_password_wrong";
    }
  } else if (who.session.auth_time < ctx.now - kRecentSignInSeconds) {
    proof = Code::kReauthenticationRequired;
    reason = "sign_in_too_old";
  }
  if (!proof.ok() && proof.code() != Code::kServerBusy && proof.code() != Code::kRateLimited) {
    deps_.audit.Record(audit_event::kReauthenticationFailed, ctx,
                       {who.user.id, who.session.id, std::nullopt, Json{{"reason", reason}}});
  }
  return proof;
}

}  // namespace latchkey
