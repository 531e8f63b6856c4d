#include "app/app.h"

#include <chrono>
#include <thread>

#include "latchkey/key_wrap.h"
#include "mail/outbox_mailer.h"
#include "mail/smtp_mailer.h"
#include "metrics/metric_names.h"

namespace latchkey {
namespace {

std::string OwnUrl(const ServerConfig& config) {
  return std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" +
         std::to_string(config.port);
}

// The KEK of --key-encryption-key (already checked by the options), or none.
SecretBytes ParsedKek(const ServerConfig& config) {
  if (config.key_encryption_key.empty()) return SecretBytes();
  Result<SecretBytes> kek = ParseKeyEncryptionKey(config.key_encryption_key);
  return kek.ok() ? std::move(kek).value() : SecretBytes();
}

VerifierOptions AccessTokenVerifier(const ServerConfig& config) {
  VerifierOptions verify;
  verify.algorithms = {Algorithm::kEdDSA};
  verify.issuer = config.issuer;
  verify.audiences = {config.audience};
  verify.type = "at+jwt";
  verify.leeway_seconds = config.leeway;
  verify.required_claims = {"sub", "sid"};
  return verify;
}

}  // namespace

Result<std::unique_ptr<App>> OpenApp(const ServerConfig& config, std::int64_t now, std::FILE* log_stream) {
  auto app = std::make_unique<App>();
  App* raw = app.get();
  app->config = config;
  ServerConfig& cfg = app->config;
  app->logger.set_format(cfg.log_format);
  app->logger.set_stream(log_stream);
  if (cfg.hash_threads <= 0) cfg.hash_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (cfg.issuer.empty()) cfg.issuer = OwnUrl(config);
  if (cfg.public_url.empty() && cfg.port != 0) cfg.public_url = OwnUrl(config);

  // One connection per HTTP thread and hash thread, so nobody waits for a handle.
  Result<std::unique_ptr<StoreSet>> stores =
      OpenStores(cfg.database, cfg.http_threads + cfg.hash_threads + 2, cfg.full_sync);
  if (!stores.ok()) return stores.code();
  app->stores = std::move(stores).value();
  StoreSet& db = *app->stores;

  SecretBytes kek;
  if (!cfg.key_encryption_key.empty()) {
    Result<SecretBytes> parsed = ParseKeyEncryptionKey(cfg.key_encryption_key);
    if (!parsed.ok()) return parsed.code();
    kek = std::move(parsed).value();
  }
  // A retired public key stays published until its last token has expired.
  app->keys = std::make_unique<KeyManager>(db.keys(), SystemRandom(), AccessTokenVerifier(cfg),
                                           cfg.access_ttl + cfg.leeway, std::move(kek));
  LATCHKEY_RETURN_IF_ERROR(app->keys->Reload(now));

  app->hashes = std::make_unique<HashPool>(cfg.hash_threads, cfg.hash_queue);
  for (const MetricInfo& metric : kMetrics) app->metrics.Describe(metric.name, metric.help);
  if (!cfg.redis_url.empty()) {
    std::optional<RedisAddress> address = ParseRedisUrl(cfg.redis_url);
    if (!address) return Code::kInvalidArgument;
    // A connection for each thread that checks limits at once (HTTP workers).
    app->redis = std::make_unique<RedisClient>(std::move(*address), std::chrono::milliseconds(cfg.redis_timeout_ms),
                                               cfg.http_threads, app->logger, app->metrics);
    app->shared_limits = std::make_unique<RedisBuckets>(*app->redis, app->metrics);
    app->limiter.Share(app->shared_limits.get());
  }
  app->audit = std::make_unique<AuditLog>(db.audit(), app->logger);
  app->hashing = std::make_unique<PasswordHashing>(*app->hashes, cfg.argon2);
  LATCHKEY_RETURN_IF_ERROR(app->hashing->Init(SystemRandom()));

  app->mail = std::make_unique<MailQueue>(
      [raw](MailQueue& queue) -> std::unique_ptr<Mailer> {
        if (raw->config.smtp_url.empty()) {
          return std::make_unique<OutboxMailer>(raw->config.outbox_dir, raw->logger, raw->config.dev);
        }
        return std::make_unique<SmtpMailer>(raw->config,
                                            [&queue](std::int64_t ms) { return queue.SleepUnlessStopping(ms); });
      },
      db.mail(),
      MailQueueOptions{
          cfg.mail_queue, cfg.mail_retry_seconds, cfg.mail_attempts,
          // Longer than one delivery with its own retries.
          cfg.smtp_timeout * (cfg.smtp_retries + 1) + cfg.smtp_backoff_ms * (2 << cfg.smtp_retries) / 1000 + 60},
      app->logger, app->metrics, ParsedKek(cfg));

  app->issuer =
      std::make_unique<SessionIssuer>(SessionIssuerDependencies{db.users(), db.sessions(), *app->keys, *app->audit,
                                                                app->limiter, app->metrics, SystemRandom(), db.units()},
                                      cfg);
  app->passwords = std::make_unique<PasswordStrategy>(
      PasswordStrategyDependencies{db.users(), db.credentials(), db.sessions(), *app->issuer, *app->hashing,
                                   *app->audit, app->limiter, app->metrics, *app->mail, SystemRandom(), db.units()},
      cfg);
  app->accounts = std::make_unique<AccountService>(
      AccountServiceDependencies{db.users(), db.sessions(), *app->passwords, *app->audit});
  app->admin = std::make_unique<AdminService>(
      AdminServiceDependencies{db.users(), db.sessions(), db.audit(), *app->keys, *app->audit, db.units()});
  app->recovery = std::make_unique<RecoveryService>(
      RecoveryDependencies{db.users(), db.one_time_tokens(), *app->passwords, *app->accounts, *app->mail, *app->audit,
                           app->limiter, app->metrics, SystemRandom()},
      cfg);
  SecretBytes factor_kek;  // TOTP keys are wrapped under the same KEK as the signing keys
  if (!cfg.key_encryption_key.empty()) factor_kek = std::move(ParseKeyEncryptionKey(cfg.key_encryption_key)).value();
  app->mfa = std::make_unique<MfaService>(
      MfaServiceDependencies{db.users(), db.credentials(), db.one_time_tokens(), *app->issuer, *app->accounts,
                             *app->audit, app->limiter, app->metrics, SystemRandom(), db.units()},
      cfg, std::move(factor_kek));
  app->issuer->SetSecondFactorGate(app->mfa.get());
  std::vector<oauth::ProviderConfig> providers;
  if (!cfg.oauth_providers_file.empty()) {
    std::string why;
    Result<std::vector<oauth::ProviderConfig>> loaded = oauth::LoadProviders(cfg.oauth_providers_file, &why);
    if (!loaded.ok()) {
      app->logger.Error("cannot load the sign-in providers", {{"file", cfg.oauth_providers_file}, {"reason", why}});
      return loaded.code();
    }
    providers = std::move(loaded).value();
  }
  app->oauth = std::make_unique<OAuthStrategy>(
      OAuthStrategyDependencies{db.users(), db.credentials(), db.oauth_flows(), *app->issuer, *app->audit, app->limiter,
                                app->metrics, app->logger, SystemRandom(), db.units()},
      cfg, std::move(providers));
  // The stand-in credential IDs for emails without passkeys stay the same
  // across instances and restarts when there is a KEK to derive them from.
  // From the KEK's bytes, not its text: one key written two ways (padding,
  // alphabet) must give every instance the same stand-ins.
  SecretBytes decoy_key(cfg.key_encryption_key.empty()
                            ? RandomBytes(SystemRandom(), 32)
                            : HmacSha256(ParsedKek(cfg).view(), "latchkey passkey decoy ids"));
  app->passkeys = std::make_unique<PasskeyStrategy>(
      PasskeyStrategyDependencies{db.users(), db.credentials(), db.oauth_flows(), *app->issuer, *app->accounts,
                                  *app->audit, app->limiter, app->metrics, SystemRandom(), db.units()},
      cfg, std::move(decoy_key));
  app->passwords->SetSignupListener(
      [raw](const User& user, RequestContext& ctx) { raw->recovery->SendVerification(user, ctx); });
  return app;
}

void StartKeyWatch(App& app) {
  KeyManager* keys = app.keys.get();
  app.key_watch = app.stores->WatchKeyChanges([keys] {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    (void)keys->Reload(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  });
}

}  // namespace latchkey
