#include "app/app.h"

#include <thread>

#include "latchkey/key_wrap.h"
#include "mail/outbox_mailer.h"
#include "mail/smtp_mailer.h"

namespace latchkey {
namespace {

void DescribeMetrics(Metrics& metrics) {
  metrics.Describe("latchkey_http_requests_total", "HTTP requests by route and status.");
  metrics.Describe("latchkey_logins_total", "Login attempts by result.");
  metrics.Describe("latchkey_signups_total", "Accounts created through signup.");
  metrics.Describe("latchkey_refreshes_total", "Refresh token uses by result.");
  metrics.Describe("latchkey_refresh_reuse_detected_total", "Refresh token reuse detected (session revoked).");
  metrics.Describe("latchkey_rate_limited_total", "Requests refused by a rate limit, by bucket.");
  metrics.Describe("latchkey_mail_total", "Mails by kind and result (sent, failed, dropped).");
  metrics.Describe("latchkey_password_resets_total", "Passwords reset through a mailed link.");
}

}  // namespace

Result<std::unique_ptr<App>> OpenApp(const ServerConfig& config, std::int64_t now, std::FILE* log_stream) {
  auto app = std::make_unique<App>();
  app->config = config;
  app->logger.set_format(config.log_format);
  app->logger.set_stream(log_stream);
  if (app->config.hash_threads <= 0) {
    app->config.hash_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (app->config.issuer.empty()) {
    app->config.issuer =
        std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" + std::to_string(config.port);
  }
  // One connection per HTTP thread and hash thread, so nobody waits for a handle.
  Result<storage::SqliteStores> stores = storage::OpenSqliteStores(
      config.database, app->config.http_threads + app->config.hash_threads + 2, config.full_sync);
  if (!stores.ok()) return stores.code();
  app->stores = std::move(stores).value();

  VerifierOptions verify;
  verify.algorithms = {Algorithm::kEdDSA};
  verify.issuer = app->config.issuer;
  verify.audiences = {app->config.audience};
  verify.type = "at+jwt";
  verify.leeway_seconds = app->config.leeway;
  verify.required_claims = {"sub", "sid"};
  // A retired public key stays published until its last token has expired.
  SecretBytes kek;
  if (!app->config.key_encryption_key.empty()) {
    Result<SecretBytes> parsed = ParseKeyEncryptionKey(app->config.key_encryption_key);
    if (!parsed.ok()) return parsed.code();
    kek = std::move(parsed).value();
  }
  app->keys = std::make_unique<KeyManager>(*app->stores.keys, SystemRandom(), verify,
                                           app->config.access_ttl + app->config.leeway, std::move(kek));
  LATCHKEY_RETURN_IF_ERROR(app->keys->Reload(now));

  app->hashes = std::make_unique<HashPool>(app->config.hash_threads, app->config.hash_queue);
  DescribeMetrics(app->metrics);
  app->audit = std::make_unique<AuditLog>(*app->stores.audit, app->logger);
  Dependencies deps{*app->stores.users, *app->stores.sessions, *app->stores.audit, *app->keys,    *app->audit,
                    *app->hashes,       app->limiter,          app->metrics,       SystemRandom(), *app->stores.units};
  app->auth = std::make_unique<AuthService>(deps, app->config);
  LATCHKEY_RETURN_IF_ERROR(app->auth->Init());

  if (app->config.public_url.empty() && app->config.port != 0) {
    app->config.public_url =
        std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" + std::to_string(config.port);
  }
  App* raw = app.get();
  app->mail = std::make_unique<MailQueue>(
      [raw](MailQueue& queue) -> std::unique_ptr<Mailer> {
        if (raw->config.smtp_url.empty()) {
          return std::make_unique<OutboxMailer>(raw->config.outbox_dir, raw->logger, raw->config.dev);
        }
        return std::make_unique<SmtpMailer>(raw->config,
                                            [&queue](std::int64_t ms) { return queue.SleepUnlessStopping(ms); });
      },
      app->config.mail_queue, app->logger, app->metrics);
  app->recovery = std::make_unique<RecoveryService>(
      RecoveryDependencies{*app->stores.users, *app->stores.sessions, *app->stores.one_time_tokens, *app->auth,
                           *app->mail, *app->audit, app->limiter, app->metrics, SystemRandom()},
      app->config);
  app->auth->SetSignupListener(
      [raw](const User& user, RequestContext& ctx) { raw->recovery->SendVerification(user, ctx); });
  return app;
}

}  // namespace latchkey
