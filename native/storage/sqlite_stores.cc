#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

class SqliteUnitOfWork final : public UnitOfWork {
 public:
  explicit SqliteUnitOfWork(Database& db) : db_(db) {}
  Status Run(const std::function<Status()>& work) override { return db_.RunInTransaction(work); }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<UnitOfWork> NewSqliteUnitOfWork(Database& db) { return std::make_unique<SqliteUnitOfWork>(db); }

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
  stores.units = NewSqliteUnitOfWork(**db);
  stores.one_time_tokens = NewSqliteOneTimeTokenStore(**db);
  stores.db = std::move(db).value();
  return stores;
}

}  // namespace latchkey::storage
