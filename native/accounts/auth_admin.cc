// AuthService: administration and account creation from the CLI.
#include "accounts/auth_service.h"
#include "latchkey/account_rules.h"

namespace latchkey {
namespace {

constexpr std::string_view kAdmin = "admin";

// Roles are short lowercase names: "user", "admin", or an application's own.
bool IsValidRole(std::string_view role) {
  if (role.empty() || role.size() > 32 || role[0] < 'a' || role[0] > 'z') return false;
  for (const char c : role) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

}  // namespace

Result<UserPage> AuthService::ListUsers(std::string_view search, std::int64_t limit, std::int64_t offset) {
  return deps_.users.List(search, limit, offset);
}

Result<User> AuthService::GetUser(std::string_view id) { return deps_.users.FindById(id); }

Result<AuditPage> AuthService::QueryAudit(const AuditQuery& query) { return deps_.audit_store.Query(query); }

Result<User> AuthService::UpdateUser(const std::optional<std::string>& actor_id, std::string_view id,
                                     const std::optional<std::string>& role, const std::optional<bool>& disabled,
                                     RequestContext& ctx) {
  if (role && !IsValidRole(*role)) return Code::kValidationFailed;
  Result<User> user = deps_.users.FindById(id);
  if (!user.ok()) return user.code();
  // Never leave the server without an administrator who can sign in.
  const bool loses_admin =
      user->role == kAdmin && !user->disabled && ((role && *role != kAdmin) || (disabled && *disabled));
  if (loses_admin) {
    Result<std::int64_t> admins = deps_.users.CountActiveWithRole(kAdmin);
    if (!admins.ok()) return admins.code();
    if (*admins <= 1) return Code::kLastAdmin;
  }
  if (role && *role != user->role) {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.SetRole(id, *role, ctx.now));
    Audit("role_changed", ctx, user->id, std::nullopt, actor_id, Json{{"from", user->role}, {"to", *role}});
  }
  if (disabled && *disabled != user->disabled) {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.SetDisabled(id, *disabled, ctx.now));
    if (*disabled) {
      Result<std::int64_t> revoked = deps_.sessions.RevokeAllForUser(id, ctx.now, "user_disabled", std::nullopt);
      if (!revoked.ok()) return revoked.code();
    }
    Audit(*disabled ? "user_disabled" : "user_enabled", ctx, user->id, std::nullopt, actor_id);
  }
  return deps_.users.FindById(id);
}

Status AuthService::DeleteUser(const std::optional<std::string>& actor_id, std::string_view id, RequestContext& ctx) {
  Result<User> user = deps_.users.FindById(id);
  if (!user.ok()) return user.code();
  if (user->role == kAdmin && !user->disabled) {
    Result<std::int64_t> admins = deps_.users.CountActiveWithRole(kAdmin);
    if (!admins.ok()) return admins.code();
    if (*admins <= 1) return Code::kLastAdmin;
  }
  LATCHKEY_RETURN_IF_ERROR(deps_.users.Delete(id));
  Audit("user_deleted", ctx, user->id, std::nullopt, actor_id, Json{{"email", user->email}});
  return Status::Ok();
}

Result<std::string> AuthService::RotateKeys(const std::optional<std::string>& actor_id, RequestContext& ctx) {
  Result<std::string> kid = deps_.keys.Rotate(ctx.now);
  if (kid.ok()) Audit("key_rotated", ctx, std::nullopt, std::nullopt, actor_id, Json{{"kid", *kid}});
  return kid;
}

Result<User> AuthService::CreateUser(std::string_view email, std::string_view password, std::string_view name,
                                     std::string_view role, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return normalized.code();
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  if (!IsValidRole(role)) return Code::kValidationFailed;
  PasswordVerdict verdict = CheckNewPassword(password, *normalized, name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  return InsertUser(std::move(normalized).value(), name, role, verdict, ctx, [&](const User& added) -> Status {
    Audit("signup", ctx, added.id, std::nullopt, std::nullopt, Json{{"via", "cli"}, {"role", added.role}});
    return Status::Ok();
  });
}

}  // namespace latchkey
