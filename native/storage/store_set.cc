// Chooses the backend from the --database value.
#include "storage/store_set.h"

#include "storage/sqlite_stores.h"

namespace latchkey {

Result<std::unique_ptr<StoreSet>> OpenStores(const std::string& database, int connections, bool full_sync) {
  Result<std::unique_ptr<storage::SqliteStores>> sqlite = storage::OpenSqliteStores(database, connections, full_sync);
  if (!sqlite.ok()) return sqlite.code();
  return std::unique_ptr<StoreSet>(std::move(sqlite).value());
}

}  // namespace latchkey
