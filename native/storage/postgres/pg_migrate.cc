// PostgreSQL's side of the one migration list (storage/migration_list.h).
#include <iostream>

#include "storage/migration_list.h"
#include "storage/postgres/pg.h"

namespace latchkey::storage::pg {

Result<int> Migrate(Database& db) {
  auto c = db.Acquire();
  Transaction transaction(*c);
  LATCHKEY_RETURN_IF_ERROR(transaction.status());
  // Held until this transaction ends: an instance starting at the same moment
  // waits here, then finds every version applied. Everything, the
  // bookkeeping table too, is created under the lock (CREATE TABLE IF NOT
  // EXISTS alone races).
  LATCHKEY_RETURN_IF_ERROR(c->Exec("SELECT pg_advisory_xact_lock(7418305214112026)"));
  LATCHKEY_RETURN_IF_ERROR(c->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"));
  int current = 0;
  {
    Statement query = c->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (query.Next()) current = static_cast<int>(query.Int(0));
    LATCHKEY_RETURN_IF_ERROR(query.status());
  }
  if (current > LatestSchemaVersion()) {
    std::cerr << R"({"level":"error","msg":"postgres: the database has schema version )" << current
              << " but this latchkey knows only " << LatestSchemaVersion() << ": upgrade latchkey\"}\n";
    return Code::kInternal;
  }
  for (const Migration& migration : SchemaMigrations()) {
    if (migration.version <= current) continue;
    LATCHKEY_RETURN_IF_ERROR(c->Exec(migration.postgres));
    Statement record = c->Prepare(
        "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::integer, extract(epoch FROM now())::bigint)");
    LATCHKEY_RETURN_IF_ERROR(record.Bind(std::int64_t{migration.version}).Run());
    current = migration.version;
  }
  LATCHKEY_RETURN_IF_ERROR(transaction.Commit());
  return current;
}

}  // namespace latchkey::storage::pg
