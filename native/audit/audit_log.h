// Records security events: to the audit table (for the admin API) and as a
// structured log line. A failure to store is logged, never shown to the
// requester, and never fails the request that caused the event.
//
// Event names come from the one table in audit/audit_events.def.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_events.h"
#include "audit/audit_store.h"
#include "context/request_context.h"
#include "latchkey/json.h"
#include "log/logger.h"

namespace latchkey {

class AuditLog {
 public:
  AuditLog(AuditStore& store, Logger& logger) : store_(store), logger_(logger) {}
  void Record(AuditEvent event);

  // Who and what an event concerns, besides the request it came from.
  struct Facts {
    Facts(std::optional<std::string> user = std::nullopt, std::optional<std::string> session = std::nullopt,
          std::optional<std::string> actor = std::nullopt, Json details = Json::object())
        : user_id(std::move(user)),
          session_id(std::move(session)),
          actor_id(std::move(actor)),
          detail(std::move(details)) {}
    std::optional<std::string> user_id;
    std::optional<std::string> session_id;
    std::optional<std::string> actor_id;  // who did it, when not the user
    Json detail;
  };
  // `event` is an audit_event::k* name.
  void Record(std::string_view event, const RequestContext& ctx, Facts facts);

 private:
  AuditStore& store_;
  Logger& logger_;
};

}  // namespace latchkey
