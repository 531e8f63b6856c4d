// Every domain's store over one database, as the rest of the server sees
// them: App and the services are wired against this interface, so a second
// backend is a new folder implementing it (and passing the conformance
// suite in tests/native/storage_conformance_test.cc), not edits across app/
// and http/. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "audit/audit_store.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "keys/key_store.h"
#include "latchkey/status.h"
#include "mail/mail_store.h"
#include "recovery/one_time_token_store.h"
#include "sessions/session_store.h"
#include "storage/unit_of_work.h"
#include "strategies/oauth/flow_store.h"

namespace latchkey {

class StoreSet {
 public:
  virtual ~StoreSet() = default;
  virtual UserStore& users() = 0;
  virtual CredentialStore& credentials() = 0;
  virtual SessionStore& sessions() = 0;
  virtual KeyStore& keys() = 0;
  virtual AuditStore& audit() = 0;
  virtual OneTimeTokenStore& one_time_tokens() = 0;
  virtual OAuthFlowStore& oauth_flows() = 0;
  virtual MailStore& mail() = 0;
  // A unit of work spanning all of the above.
  virtual UnitOfWork& units() = 0;
  // Ok when the database answers (for /healthz).
  virtual Status Ping() = 0;
  // Calls `changed` on a thread of its own soon after any process commits a
  // signing key change (KeyStore::InstallCurrent) to this database, and once
  // after a lost watch is re-established (changes may have been missed).
  // nullptr when the backend cannot tell (SQLite: one process serves it;
  // the periodic reload covers the CLI's rotations).
  virtual std::unique_ptr<KeyChangeWatch> WatchKeyChanges(std::function<void()> changed) {
    (void)changed;
    return nullptr;
  }
};

// Opens (and migrates) the stores named by `database`: a postgres:// or
// postgresql:// URL is PostgreSQL (storage/postgres/), a file path SQLite.
// `connections` bounds the pool.
Result<std::unique_ptr<StoreSet>> OpenStores(const std::string& database, int connections, bool full_sync = true);

// `database` fit for a log or an error message: a URL's password is masked.
std::string DescribeDatabase(const std::string& database);

}  // namespace latchkey
