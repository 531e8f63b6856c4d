// Records security events: to the audit table (for the admin API) and as a
// structured log line. A failure to store is logged, never shown to the
// requester, and never fails the request that caused the event.
//
// Event names: signup, login, login_failed, logout, token_refreshed,
// refresh_reuse_detected, password_changed, password_change_failed,
// session_revoked, role_changed, user_disabled, user_enabled, user_deleted,
// user_updated, key_rotated, password_reset_requested, password_reset,
// email_verification_requested, email_verified, email_change_requested,
// email_change_cancelled, email_changed, password_hash_upgraded, users_imported.
#pragma once

#include "audit/audit_store.h"
#include "log/logger.h"

namespace latchkey {

class AuditLog {
 public:
  AuditLog(AuditStore& store, Logger& logger) : store_(store), logger_(logger) {}
  void Record(AuditEvent event);

 private:
  AuditStore& store_;
  Logger& logger_;
};

}  // namespace latchkey
