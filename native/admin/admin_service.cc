#include "admin/admin_service.h"

namespace latchkey {
namespace {

Status RequireAdmin(const Actor& actor) { return actor.role == role::kAdmin ? Status::Ok() : Status(Code::kForbidden); }

// Whether taking `user` out of the active admins would leave none.
// Called inside the unit that makes the change.
Status KeepOneAdmin(UserStore& users, const User& user) {
  if (user.role != role::kAdmin || user.disabled) return Status::Ok();
  Result<std::int64_t> admins = users.CountActiveWithRole(role::kAdmin);
  if (!admins.ok()) return admins.code();
  return *admins <= 1 ? Status(Code::kLastAdmin) : Status::Ok();
}

}  // namespace

Result<UserPage> AdminService::ListUsers(const Actor& actor, std::string_view search, std::int64_t limit,
                                         std::int64_t offset) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  return deps_.users.List(search, limit, offset);
}

Result<User> AdminService::GetUser(const Actor& actor, std::string_view id) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  return deps_.users.FindById(id);
}

Result<AuditListing> AdminService::QueryAudit(const Actor& actor, const AuditQuery& query) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  Result<AuditPage> page = deps_.audit_store.Query(query);
  if (!page.ok()) return page.code();
  AuditListing listing{std::move(page).value(), {}};
  // The join with the users, here rather than in SQL: the audit store stays
  // one table, and a page names few distinct people (at most 2 per event).
  const auto look_up = [&](const std::optional<std::string>& id) {
    if (!id || listing.emails.count(*id) != 0) return;
    Result<User> user = deps_.users.FindById(*id);
    listing.emails.emplace(*id, user.ok() ? std::optional<std::string>(user->email) : std::nullopt);
  };
  for (const AuditEvent& event : listing.page.events) {
    look_up(event.user_id);
    look_up(event.actor_id);
  }
  return listing;
}

Result<User> AdminService::UpdateUser(const Actor& actor, std::string_view id, const std::optional<std::string>& role,
                                      const std::optional<bool>& disabled, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  if (role && !role::IsValidRole(*role)) return Code::kValidationFailed;
  // Read, count and write in one unit: its write lock is taken first, so a
  // concurrent demotion waits and then counts what this one left.
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    Result<User> user = deps_.users.FindById(id);
    if (!user.ok()) return user.code();
    if ((role && *role != role::kAdmin) || (disabled && *disabled)) {
      LATCHKEY_RETURN_IF_ERROR(KeepOneAdmin(deps_.users, *user));
    }
    if (role && *role != user->role) {
      LATCHKEY_RETURN_IF_ERROR(deps_.users.SetRole(id, *role, ctx.now));
      deps_.audit.Record(audit_event::kRoleChanged, ctx,
                         {user->id, std::nullopt, actor.user_id, Json{{"from", user->role}, {"to", *role}}});
    }
    if (disabled && *disabled != user->disabled) {
      LATCHKEY_RETURN_IF_ERROR(deps_.users.SetDisabled(id, *disabled, ctx.now));
      if (*disabled) {
        Result<std::int64_t> revoked = deps_.sessions.RevokeAllForUser(id, ctx.now, "user_disabled", std::nullopt);
        if (!revoked.ok()) return revoked.code();
      }
      deps_.audit.Record(*disabled ? audit_event::kUserDisabled : audit_event::kUserEnabled, ctx,
                         {user->id, std::nullopt, actor.user_id});
    }
    return Status::Ok();
  }));
  return deps_.users.FindById(id);
}

Status AdminService::DeleteUser(const Actor& actor, std::string_view id, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  return deps_.units.Run([&]() -> Status {
    Result<User> user = deps_.users.FindById(id);
    if (!user.ok()) return user.code();
    LATCHKEY_RETURN_IF_ERROR(KeepOneAdmin(deps_.users, *user));
    LATCHKEY_RETURN_IF_ERROR(deps_.users.Delete(id));
    deps_.audit.Record(audit_event::kUserDeleted, ctx,
                       {user->id, std::nullopt, actor.user_id, Json{{"email", user->email}}});
    return Status::Ok();
  });
}

Result<std::string> AdminService::RotateKeys(const Actor& actor, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(RequireAdmin(actor));
  Result<std::string> kid = deps_.keys.Rotate(ctx.now);
  if (kid.ok())
    deps_.audit.Record(audit_event::kKeyRotated, ctx, {std::nullopt, std::nullopt, actor.user_id, {{"kid", *kid}}});
  return kid;
}

}  // namespace latchkey
