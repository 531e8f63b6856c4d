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

void AuditLog::Record(std::string_view event, const RequestContext& ctx, Facts facts) {
  AuditEvent record;
  record.at = ctx.now;
  record.event = std::string(event);
  record.user_id = std::move(facts.user_id);
  record.session_id = std::move(facts.session_id);
  record.actor_id = std::move(facts.actor_id);
  record.ip = ctx.ip;
  record.request_id = ctx.request_id;
  record.detail = facts.detail.dump(-1, ' ', false, Json::error_handler_t::replace);
  Record(std::move(record));
}

}  // namespace latchkey
