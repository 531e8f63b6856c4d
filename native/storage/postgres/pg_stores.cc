#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

class PostgresUnitOfWork final : public UnitOfWork {
 public:
  explicit PostgresUnitOfWork(Database& db) : db_(db) {}
  Status Run(const std::function<Status()>& work) override { return db_.RunInTransaction(work); }

 private:
  Database& db_;
};

}  // namespace

Status PostgresStores::Ping() {
  auto connection = db_->Acquire();
  Statement ping = connection->Prepare("SELECT COUNT(*) FROM schema_migrations");
  const bool answered = ping.Next();
  LATCHKEY_RETURN_IF_ERROR(ping.status());
  return answered ? Status::Ok() : Status(Code::kInternal);
}

std::unique_ptr<KeyChangeWatch> PostgresStores::WatchKeyChanges(std::function<void()> changed) {
  return NewKeyWatch(url_, db_->description(), std::move(changed));
}

Result<std::unique_ptr<PostgresStores>> OpenPostgresStores(const std::string& url, int connections) {
  Result<std::unique_ptr<Database>> db = Database::Open(url, connections);
  if (!db.ok()) return db.code();
  Result<int> version = Migrate(**db);
  if (!version.ok()) return version.code();
  auto stores = std::make_unique<PostgresStores>();
  stores->users_ = NewUserStore(**db);
  stores->credentials_ = NewCredentialStore(**db);
  stores->sessions_ = NewSessionStore(**db);
  stores->keys_ = NewKeyStore(**db);
  stores->audit_ = NewAuditStore(**db);
  stores->units_ = std::make_unique<PostgresUnitOfWork>(**db);
  stores->one_time_tokens_ = NewOneTimeTokenStore(**db);
  stores->oauth_flows_ = NewOAuthFlowStore(**db);
  stores->mail_ = NewMailStore(**db);
  stores->url_ = url;
  stores->db_ = std::move(db).value();
  return stores;
}

}  // namespace latchkey::storage::pg
