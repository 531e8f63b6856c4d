// The SQLite implementations of every domain's store, opened together on one
// database file (migrated on open).
#pragma once

#include <memory>
#include <string>

#include "storage/sqlite.h"
#include "storage/store_set.h"

namespace latchkey::storage {

class SqliteStores final : public StoreSet {
 public:
  UserStore& users() override { return *users_; }
  CredentialStore& credentials() override { return *credentials_; }
  SessionStore& sessions() override { return *sessions_; }
  KeyStore& keys() override { return *keys_; }
  AuditStore& audit() override { return *audit_; }
  OneTimeTokenStore& one_time_tokens() override { return *one_time_tokens_; }
  OAuthFlowStore& oauth_flows() override { return *oauth_flows_; }
  MailStore& mail() override { return *mail_; }
  UnitOfWork& units() override { return *units_; }
  Status Ping() override;
  // The SQLite database itself, for SQLite-only tools and tests.
  Database& db() { return *db_; }

 private:
  friend Result<std::unique_ptr<SqliteStores>> OpenSqliteStores(const std::string&, int, bool);
  std::unique_ptr<Database> db_;  // declared first: closed after every store
  std::unique_ptr<UserStore> users_;
  std::unique_ptr<CredentialStore> credentials_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<KeyStore> keys_;
  std::unique_ptr<AuditStore> audit_;
  std::unique_ptr<UnitOfWork> units_;
  std::unique_ptr<OneTimeTokenStore> one_time_tokens_;
  std::unique_ptr<OAuthFlowStore> oauth_flows_;
  std::unique_ptr<MailStore> mail_;
};

Result<std::unique_ptr<SqliteStores>> OpenSqliteStores(const std::string& path, int connections, bool full_sync = true);

std::unique_ptr<UserStore> NewSqliteUserStore(Database& db);
std::unique_ptr<CredentialStore> NewSqliteCredentialStore(Database& db);
std::unique_ptr<SessionStore> NewSqliteSessionStore(Database& db);
std::unique_ptr<KeyStore> NewSqliteKeyStore(Database& db);
std::unique_ptr<AuditStore> NewSqliteAuditStore(Database& db);
std::unique_ptr<UnitOfWork> NewSqliteUnitOfWork(Database& db);
std::unique_ptr<OneTimeTokenStore> NewSqliteOneTimeTokenStore(Database& db);
std::unique_ptr<OAuthFlowStore> NewSqliteOAuthFlowStore(Database& db);
std::unique_ptr<MailStore> NewSqliteMailStore(Database& db);

}  // namespace latchkey::storage
