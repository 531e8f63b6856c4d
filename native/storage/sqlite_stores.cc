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

Status SqliteStores::Ping() {
  auto connection = db_->Acquire();
  Statement ping = connection->Prepare("SELECT COUNT(*) FROM schema_migrations");
  const bool answered = ping.Next();
  LATCHKEY_RETURN_IF_ERROR(ping.status());
  return answered ? Status::Ok() : Status(Code::kInternal);
}

Result<std::unique_ptr<SqliteStores>> OpenSqliteStores(const std::string& path, int connections, bool full_sync) {
  Result<std::unique_ptr<Database>> db = Database::Open(path, connections, full_sync);
  if (!db.ok()) return db.code();
  Result<int> version = Migrate(**db);
  if (!version.ok()) return version.code();
  auto stores = std::make_unique<SqliteStores>();
  stores->users_ = NewSqliteUserStore(**db);
  stores->credentials_ = NewSqliteCredentialStore(**db);
  stores->sessions_ = NewSqliteSessionStore(**db);
  stores->keys_ = NewSqliteKeyStore(**db);
  stores->audit_ = NewSqliteAuditStore(**db);
  stores->units_ = NewSqliteUnitOfWork(**db);
  stores->one_time_tokens_ = NewSqliteOneTimeTokenStore(**db);
  stores->oauth_flows_ = NewSqliteOAuthFlowStore(**db);
  stores->mail_ = NewSqliteMailStore(**db);
  stores->db_ = std::move(db).value();
  return stores;
}

}  // namespace latchkey::storage
