// Administration: users, the audit log, signing keys. Every call names its
// actor and checks the actor's role here, not in the HTTP layer, so the API
// and the CLI obey the same rule. Changes that could leave the server
// without an administrator count and change in one unit of work, so two
// admins demoting each other at once cannot both succeed. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit/audit_log.h"
#include "audit/audit_store.h"
#include "identity/user_store.h"
#include "keys/key_manager.h"
#include "sessions/session_issuer.h"
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"

namespace latchkey {

// Who asks: a signed-in user (their role decides), or the operator at the
// machine (`latchkey user ...`), who may do everything.
struct Actor {
  std::optional<std::string> user_id;  // none for the operator
  std::string role;
  static Actor Of(const Principal& who) { return Actor{who.user.id, who.user.role}; }
  static Actor Operator() { return Actor{std::nullopt, std::string(role::kAdmin)}; }
};

struct AdminServiceDependencies {
  UserStore& users;
  SessionStore& sessions;
  AuditStore& audit_store;
  KeyManager& keys;
  AuditLog& audit;
  UnitOfWork& units;
};

// A page of the audit log with the current email of each user it names
// (nullopt for a deleted account).
struct AuditListing {
  AuditPage page;
  std::unordered_map<std::string, std::optional<std::string>> emails;
};

class AdminService {
 public:
  explicit AdminService(AdminServiceDependencies deps) : deps_(deps) {}

  // Each returns kForbidden unless the actor is an administrator.
  Result<UserPage> ListUsers(const Actor& actor, std::string_view search, std::int64_t limit, std::int64_t offset);
  Result<User> GetUser(const Actor& actor, std::string_view id);
  // kLastAdmin when it would leave no active administrator.
  Result<User> UpdateUser(const Actor& actor, std::string_view id, const std::optional<std::string>& role,
                          const std::optional<bool>& disabled, RequestContext& ctx);
  Status DeleteUser(const Actor& actor, std::string_view id, RequestContext& ctx);
  Result<std::string> RotateKeys(const Actor& actor, RequestContext& ctx);
  Result<AuditListing> QueryAudit(const Actor& actor, const AuditQuery& query);

 private:
  AdminServiceDependencies deps_;
};

}  // namespace latchkey
