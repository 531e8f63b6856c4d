// Wires the server's parts together from a ServerConfig: the stores (an
// abstract StoreSet: SQLite today), keys, the hash pool, limits, metrics,
// audit, the session issuer, the sign-in strategies and the services. Used
// by `latchkey serve` and by the CLI commands that change accounts, so both
// go through the same rules and write the same audit events.
#pragma once

#include <memory>

#include "accounts/account_service.h"
#include "admin/admin_service.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "keys/key_manager.h"
#include "limits/hash_pool.h"
#include "limits/rate_limiter.h"
#include "log/logger.h"
#include "mail/mail_queue.h"
#include "metrics/metrics.h"
#include "mfa/mfa_service.h"
#include "passwords/password_hashing.h"
#include "recovery/recovery_service.h"
#include "redis/redis_buckets.h"
#include "redis/redis_client.h"
#include "sessions/session_issuer.h"
#include "storage/store_set.h"
#include "strategies/oauth/oauth_strategy.h"
#include "strategies/passkey/passkey_strategy.h"
#include "strategies/password/password_strategy.h"

namespace latchkey {

// What the HTTP routes call: thin routes parse, call one of these, and map the result.
struct Services {
  const ServerConfig& config;
  StoreSet& stores;
  KeyManager& keys;
  Metrics& metrics;
  HashPool& hashes;
  SessionIssuer& issuer;
  PasswordStrategy& passwords;
  AccountService& accounts;
  AdminService& admin;
  RecoveryService& recovery;
  MfaService& mfa;
  OAuthStrategy& oauth;
  PasskeyStrategy& passkeys;
};

struct App {
  ServerConfig config;
  Logger logger;
  std::unique_ptr<StoreSet> stores;
  std::unique_ptr<KeyManager> keys;
  // Follows key changes made by other processes as they commit (PostgreSQL
  // LISTEN/NOTIFY; see StartKeyWatch). Declared after `keys`, stopped before.
  std::unique_ptr<KeyChangeWatch> key_watch;
  std::unique_ptr<HashPool> hashes;
  Metrics metrics;
  // With --redis-url: the buckets the limiter asks first. Declared before
  // the limiter, so they outlive it.
  std::unique_ptr<RedisClient> redis;
  std::unique_ptr<RedisBuckets> shared_limits;
  RateLimiter limiter;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<PasswordHashing> hashing;
  std::unique_ptr<SessionIssuer> issuer;
  std::unique_ptr<PasswordStrategy> passwords;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<AdminService> admin;
  std::unique_ptr<MfaService> mfa;
  std::unique_ptr<OAuthStrategy> oauth;
  std::unique_ptr<PasskeyStrategy> passkeys;
  // Declared before the queue, so the queue's worker (whose jobs call into
  // the recovery service) stops first.
  std::unique_ptr<RecoveryService> recovery;
  std::unique_ptr<MailQueue> mail;

  Services services() {
    return Services{config, *stores, *keys, metrics, *hashes, *issuer, *passwords, *accounts, *admin, *recovery, *mfa, *oauth,
                    *passkeys};
  }
};

// Opens the database (migrating it), loads or creates the signing key, and
// prepares the dummy hash. `now` is the current time in seconds.
Result<std::unique_ptr<App>> OpenApp(const ServerConfig& config, std::int64_t now, std::FILE* log_stream = stdout);

// For `latchkey serve`: reloads the signing keys within moments of a
// rotation committed by another process (an instance, the CLI), where the
// database can tell (PostgreSQL); the periodic reload stays the safety net.
void StartKeyWatch(App& app);

}  // namespace latchkey
