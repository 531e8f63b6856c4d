#include "storage/sqlite_stores.h"

namespace latchkey::storage {

Result<SqliteStores> OpenSqliteStores(const std::string& path, int connections, bool full_sync) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, connections, full_sync);
  if (!db.ok()) return db.code();
  Result<int> version = Migrate(**db);
  if (!version.ok()) return version.code();
  SqliteStores stores;
  stores.users = NewSqliteUserStore(**db);
  stores.sessions = NewSqliteSessionStore(**db);
  stores.keys = NewSqliteKeyStore(**db);
  stores.audit = NewSqliteAuditStore(**db);
  stores.one_time_tokens = NewSqliteOneTimeTokenStore(**db);
  stores.db = std::move(db).value();
  return stores;
}

}  // namespace latchkey::storage
