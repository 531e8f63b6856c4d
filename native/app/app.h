// Wires the server's parts together from a ServerConfig: the database and its
// stores, keys, the hash pool, limits, metrics, audit and the AuthService.
// Used by `latchkey serve` and by the CLI commands that change accounts, so
// both go through the same rules and write the same audit events.
#pragma once

#include <memory>

#include "accounts/auth_service.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "keys/key_manager.h"
#include "limits/hash_pool.h"
#include "limits/rate_limiter.h"
#include "log/logger.h"
#include "mail/mail_queue.h"
#include "metrics/metrics.h"
#include "recovery/recovery_service.h"
#include "storage/sqlite_stores.h"

namespace latchkey {

struct App {
  ServerConfig config;
  Logger logger;
  storage::SqliteStores stores;
  std::unique_ptr<KeyManager> keys;
  std::unique_ptr<HashPool> hashes;
  RateLimiter limiter;
  Metrics metrics;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<AuthService> auth;
  // Declared before the queue, so the queue's worker (whose jobs call into
  // the recovery service) stops first.
  std::unique_ptr<RecoveryService> recovery;
  std::unique_ptr<MailQueue> mail;
};

// Opens the database (migrating it), loads or creates the signing key, and
// prepares the dummy hash. `now` is the current time in seconds.
Result<std::unique_ptr<App>> OpenApp(const ServerConfig& config, std::int64_t now, std::FILE* log_stream = stdout);

}  // namespace latchkey
