// Security events and their storage interface. Events never hold a password,
// a token or an Authorization header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latchkey/status.h"

namespace latchkey {

struct AuditEvent {
  std::int64_t id = 0;  // assigned by the store, increasing
  std::int64_t at = 0;
  std::string event;                    // e.g. "login_failed", see audit/audit_log.h
  std::optional<std::string> user_id;   // whom it concerns
  std::optional<std::string> actor_id;  // who did it, when not the user
  std::optional<std::string> session_id;
  std::string ip;
  std::string request_id;
  std::string detail = "{}";  // JSON object
};

struct AuditQuery {
  std::optional<std::string> user_id;
  std::optional<std::string> event;
  std::optional<std::int64_t> since;  // at >= since
  std::optional<std::int64_t> until;  // at < until
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct AuditPage {
  std::vector<AuditEvent> events;  // newest first
  std::int64_t total = 0;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  virtual Status Append(AuditEvent& event) = 0;  // sets event.id
  virtual Result<AuditPage> Query(const AuditQuery& query) = 0;
};

}  // namespace latchkey
