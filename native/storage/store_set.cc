// Chooses the backend from the --database value: a postgres:// or
// postgresql:// URL is PostgreSQL, anything else a SQLite file path.
#include "storage/store_set.h"

#include "storage/postgres/pg_stores.h"
#include "storage/sqlite_stores.h"

namespace latchkey {

Result<std::unique_ptr<StoreSet>> OpenStores(const std::string& database, int connections, bool full_sync) {
  if (storage::pg::IsPostgresUrl(database)) {
    // Durability is the server's setting there (synchronous_commit), not --sync.
    Result<std::unique_ptr<storage::pg::PostgresStores>> pg = storage::pg::OpenPostgresStores(database, connections);
    if (!pg.ok()) return pg.code();
    return std::unique_ptr<StoreSet>(std::move(pg).value());
  }
  Result<std::unique_ptr<storage::SqliteStores>> sqlite = storage::OpenSqliteStores(database, connections, full_sync);
  if (!sqlite.ok()) return sqlite.code();
  return std::unique_ptr<StoreSet>(std::move(sqlite).value());
}

std::string DescribeDatabase(const std::string& database) {
  return storage::pg::IsPostgresUrl(database) ? storage::pg::RedactUrl(database) : database;
}

}  // namespace latchkey
