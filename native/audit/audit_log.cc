#include "audit/audit_log.h"

namespace latchkey {

void AuditLog::Record(AuditEvent event) {
  const Status stored = store_.Append(event);
  Json fields = {{"event", event.event}, {"request_id", event.request_id}, {"ip", event.ip}};
  if (event.user_id) fields["user_id"] = *event.user_id;
  if (event.actor_id) fields["actor_id"] = *event.actor_id;
  if (event.session_id) fields["session_id"] = *event.session_id;
  if (Result<Json> detail = ParseJson(event.detail); detail.ok() && !detail->empty()) fields["detail"] = *detail;
  if (!stored.ok()) {
    fields["store_error"] = stored.wire();
    logger_.Error("audit event not stored", fields);
    return;
  }
  fields["audit_id"] = event.id;
  logger_.Info("audit", fields);
}

}  // namespace latchkey
