// The PostgreSQL implementations of every domain's store, opened together on
// one database (migrated on open), selected by a postgres:// URL.
#pragma once

#include <memory>
#include <string>

#include "storage/postgres/pg.h"
#include "storage/store_set.h"

namespace latchkey::storage::pg {

class PostgresStores final : public StoreSet {
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
  // LISTEN/NOTIFY on a connection of its own (pg_key_watch.cc).
  std::unique_ptr<KeyChangeWatch> WatchKeyChanges(std::function<void()> changed) override;
  // The database itself, for PostgreSQL-only tools and tests.
  Database& db() { return *db_; }

 private:
  friend Result<std::unique_ptr<PostgresStores>> OpenPostgresStores(const std::string&, int);
  std::unique_ptr<Database> db_;  // declared first: closed after every store
  std::string url_;               // for the key watch's own connection; never logged
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

// `url`: a postgres:// or postgresql:// URL (libpq's syntax). `connections`
// bounds the pool.
Result<std::unique_ptr<PostgresStores>> OpenPostgresStores(const std::string& url, int connections);

std::unique_ptr<UserStore> NewUserStore(Database& db);
std::unique_ptr<CredentialStore> NewCredentialStore(Database& db);
std::unique_ptr<SessionStore> NewSessionStore(Database& db);
std::unique_ptr<KeyStore> NewKeyStore(Database& db);
std::unique_ptr<AuditStore> NewAuditStore(Database& db);
std::unique_ptr<OneTimeTokenStore> NewOneTimeTokenStore(Database& db);
std::unique_ptr<OAuthFlowStore> NewOAuthFlowStore(Database& db);
std::unique_ptr<MailStore> NewMailStore(Database& db);
// Calls `changed` on its own thread after each committed key change (and once
// whenever it starts listening); stops when destroyed.
std::unique_ptr<KeyChangeWatch> NewKeyWatch(const std::string& url, const std::string& description,
                                            std::function<void()> changed);

}  // namespace latchkey::storage::pg
