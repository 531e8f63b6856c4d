// Everything `latchkey serve` can be told, with the defaults of a working
// local demo. Filled from flags and LATCHKEY_* environment variables by
// config/options.cc, which also writes the --help text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "latchkey/password.h"
#include "latchkey/password_policy.h"
#include "limits/rate_limiter.h"
#include "log/logger.h"

namespace latchkey {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed at start)
  std::string database = "latchkey.db";
  bool full_sync = true;  // --sync full|normal
  std::string issuer;     // default: http://HOST:PORT
  std::string audience = "latchkey";
  std::int64_t access_ttl = 900;         // seconds
  std::int64_t refresh_ttl = 7 * 86400;  // inactivity limit of a session
  std::int64_t session_max_age = 30 * 86400;
  std::int64_t reuse_interval = 10;
  std::int64_t leeway = 60;
  std::int64_t key_reload_interval = 30;  // seconds between re-reads of the key store
  Argon2Params argon2;
  int hash_threads = 0;  // 0: the number of cores
  int hash_queue = 64;
  int http_threads = 64;  // workers running handlers; connections wait in the event loop, not here
  std::size_t max_body_bytes = 64 * 1024;
  // The front's bounds per request and per client (native/http/front.h).
  std::size_t max_request_line = 8 * 1024;   // 414 beyond
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers; 431 beyond
  std::size_t max_headers = 100;             // 431 beyond
  int header_timeout = 10;                   // seconds for the whole head; 408 after
  int body_timeout = 10;                     // seconds for the whole body; 408 after
  int keep_alive_timeout = 5;                // seconds an idle connection stays open
  int max_connections = 4096;
  int max_connections_per_ip = 64;  // trusted proxies exempt
  std::vector<std::string> cors_origins;
  std::vector<std::string> trusted_proxies;
  std::string key_encryption_key;  // base64url of 32 bytes; empty: signing keys stored plain  // X-Forwarded-For
                                   // believed only from these
  std::string tls_cert;
  std::string tls_key;
  Logger::Format log_format = Logger::Format::kJson;
  std::string web_root = "web-demo";
  std::string package_root = "wasm";         // the npm package's wasm/ folder, served at /latchkey/
  std::string docs_root = "native/docs-ui";  // the /docs page and its npm renderer; empty: no /docs
  bool dev = false;                          // only with a loopback host (config/options.cc)
  std::string metrics_token;                 // empty: no /metrics; never logged
  bool access_log = true;
  PasswordPolicy password_policy = [] {  // published at /auth/password-policy
    PasswordPolicy policy;
    policy.service_words = {"latchkey"};
    return policy;
  }();

  // Recovery, verification and mail.
  std::string public_url;  // base of links in mail; default http://HOST:PORT
  std::int64_t reset_ttl = 3600;
  std::int64_t verify_ttl = 86400;
  bool require_verified_email = false;
  std::string smtp_url;                    // empty: the development outbox
  std::string smtp_starttls = "required";  // required | try | none
  std::string smtp_user;
  std::string smtp_password;  // never logged
  std::string mail_from = "Latchkey <no-reply@localhost>";
  std::int64_t smtp_timeout = 10;  // seconds, per attempt
  int smtp_retries = 3;            // attempts after the first
  std::int64_t smtp_backoff_ms = 1000;
  std::string outbox_dir = "latchkey-outbox";
  std::size_t mail_queue = 1000;         // mail jobs waiting for the worker before new ones are dropped
  std::int64_t mail_retry_seconds = 30;  // a failed mail is tried again after this, doubled each time (max 1 h)
  int mail_attempts = 8;                 // failed deliveries before a mail is dropped

  // Several instances: rate limit buckets shared through Redis (redis/).
  std::string redis_url;                // empty: each instance counts alone; never logged (may hold a password)
  std::int64_t redis_timeout_ms = 250;  // connect and each command; beyond it, per-instance buckets answer

  // Token buckets: capacity and refill. 0 capacity disables one.
  BucketLimit signup_per_ip{10, 10.0 / 3600};
  BucketLimit signup_per_email{3, 3.0 / 3600};  // repeated signups for one address
  BucketLimit login_per_ip{30, 30.0 / 60};
  BucketLimit login_per_account{10, 10.0 / 60};
  BucketLimit failed_logins_per_account{100, 100.0 / 3600};  // NIST: at most 100 failures
  BucketLimit refresh_per_ip{120, 2};
  BucketLimit refresh_per_account{30, 0.5};
  BucketLimit recovery_per_ip{20, 20.0 / 3600};   // forgot-password, resend-verification
  BucketLimit recovery_per_email{5, 5.0 / 3600};  // the same, per address (known or not)
  BucketLimit token_per_ip{60, 1};                // reset-password, verify-email attempts
  // Second-factor attempts (each try, right or wrong): a six-digit code
  // with one step of skew either side has 3 chances in a million per try.
  BucketLimit mfa_per_factor{5, 1.0 / 60};
  BucketLimit mfa_per_account{20, 20.0 / 3600};

  // Second factors.
  std::string totp_issuer = "Latchkey";  // the name authenticator apps show
  // Route groups (password, email, admin) that need aal2 from users who have
  // a verified second factor (mfa/mfa_service.h RequireAssurance).
  std::vector<std::string> require_aal2_for;

  // Social sign-in (strategies/oauth/).
  std::string oauth_providers_file;         // JSON, strategies/oauth/provider_config.h; empty: none
  std::vector<std::string> redirect_allow;  // prefixes redirect_to may start with; empty: PUBLIC_URL/
  BucketLimit oauth_per_ip{30, 30.0 / 60};  // authorize, callback and code exchange, each
  long oauth_timeout_ms = 10000;            // a whole request to a provider
  // Passkeys (strategies/passkey/): the relying party. Empty: derived from
  // the public URL (passkey_strategy.h, RelyingPartyFor).
  std::string webauthn_rp_id;
  std::vector<std::string> webauthn_origins;
  std::string webauthn_rp_name = "Latchkey";  // shown by the browser when a passkey is made
};

}  // namespace latchkey
