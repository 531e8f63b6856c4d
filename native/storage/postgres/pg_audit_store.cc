#include "audit/audit_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

class PostgresAuditStore final : public AuditStore {
 public:
  explicit PostgresAuditStore(Database& db) : db_(db) {}

  Status Append(AuditEvent& e) override {
    auto c = db_.Acquire();
    Statement insert = c->Prepare(
        "INSERT INTO audit_events (at, event, user_id, actor_id, session_id, ip, request_id, detail) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id");
    insert.Bind(e.at).Bind(e.event).Bind(e.user_id).Bind(e.actor_id).Bind(e.session_id);
    insert.Bind(e.ip).Bind(e.request_id).Bind(e.detail);
    if (!insert.Next()) return insert.status().ok() ? Status(Code::kInternal) : insert.status();
    e.id = insert.Int(0);
    return Status::Ok();
  }

  Result<AuditPage> Query(const AuditQuery& q) override {
    auto c = db_.Acquire();
    AuditPage page;
    {
      Statement count = c->Prepare(kCount);
      count.Bind(q.user_id).Bind(q.event).Bind(q.since).Bind(q.until);
      if (count.Next()) page.total = count.Int(0);
      LATCHKEY_RETURN_IF_ERROR(count.status());
    }
    Statement rows = c->Prepare(kSelect);
    rows.Bind(q.user_id).Bind(q.event).Bind(q.since).Bind(q.until).Bind(q.limit).Bind(q.offset);
    while (rows.Next()) {
      page.events.push_back(AuditEvent{rows.Int(0), rows.Int(1), rows.Text(2), rows.OptionalText(3),
                                       rows.OptionalText(4), rows.OptionalText(5), rows.Text(6), rows.Text(7),
                                       rows.Text(8)});
    }
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return page;
  }

 private:
  // One statement for every filter combination: a NULL parameter disables its test.
  static constexpr const char* kCount =
      "SELECT COUNT(*) FROM audit_events WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR event = $2)"
      " AND ($3::bigint IS NULL OR at >= $3) AND ($4::bigint IS NULL OR at < $4)";
  static constexpr const char* kSelect =
      "SELECT id, at, event, user_id, actor_id, session_id, ip, request_id, detail FROM audit_events"
      " WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR event = $2)"
      " AND ($3::bigint IS NULL OR at >= $3) AND ($4::bigint IS NULL OR at < $4)"
      " ORDER BY id DESC LIMIT $5 OFFSET $6";

  Database& db_;
};

}  // namespace

std::unique_ptr<AuditStore> NewAuditStore(Database& db) { return std::make_unique<PostgresAuditStore>(db); }

}  // namespace latchkey::storage::pg
