// Audit event names as constants, from the one table in audit_events.def.
#pragma once

#include <string_view>

namespace latchkey {
namespace audit_event {
#define LATCHKEY_AUDIT_EVENT(constant, wire, description) inline constexpr std::string_view constant = wire;
#include "audit/audit_events.def"
#undef LATCHKEY_AUDIT_EVENT
}  // namespace audit_event

struct AuditEventInfo {
  std::string_view name;
  std::string_view description;
};

inline constexpr AuditEventInfo kAuditEvents[] = {
#define LATCHKEY_AUDIT_EVENT(constant, wire, description) {wire, description},
#include "audit/audit_events.def"
#undef LATCHKEY_AUDIT_EVENT
};

}  // namespace latchkey
