// The SQLite implementations of every domain's store, opened together on one
// database file (migrated on open).
#pragma once

#include <memory>
#include <string>

#include "accounts/user_store.h"
#include "audit/audit_store.h"
#include "keys/key_store.h"
#include "recovery/one_time_token_store.h"
#include "sessions/session_store.h"
#include "storage/sqlite.h"
#include "storage/unit_of_work.h"

namespace latchkey::storage {

struct SqliteStores {
  std::unique_ptr<Database> db;
  std::unique_ptr<UserStore> users;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<KeyStore> keys;
  std::unique_ptr<AuditStore> audit;
  std::unique_ptr<UnitOfWork> units;  // spans all of the above
  std::unique_ptr<OneTimeTokenStore> one_time_tokens;
};

Result<SqliteStores> OpenSqliteStores(const std::string& path, int connections, bool full_sync = true);

std::unique_ptr<UserStore> NewSqliteUserStore(Database& db);
std::unique_ptr<SessionStore> NewSqliteSessionStore(Database& db);
std::unique_ptr<KeyStore> NewSqliteKeyStore(Database& db);
std::unique_ptr<AuditStore> NewSqliteAuditStore(Database& db);
std::unique_ptr<UnitOfWork> NewSqliteUnitOfWork(Database& db);
std::unique_ptr<OneTimeTokenStore> NewSqliteOneTimeTokenStore(Database& db);

}  // namespace latchkey::storage
