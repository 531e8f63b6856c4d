#include "config/options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>

#include "http/client_ip.h"
#include "http/cors.h"
#include "latchkey/encoding.h"
#include "latchkey/key_wrap.h"
#include "redis/redis_url.h"

namespace latchkey {
namespace {

struct Option {
  const char* flag;      // without the leading --
  const char* env;       // LATCHKEY_...
  const char* argument;  // shown in --help; nullptr for a switch
  const char* help;
  std::function<bool(ServerConfig&, const std::string&)> apply;
  bool secret = false;  // never echoed in an error
};

bool ToInt(const std::string& text, long long min, long long max, long long& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= min && out <= max;
}

template <typename T>
std::function<bool(ServerConfig&, const std::string&)> Integer(T ServerConfig::*field, long long min, long long max) {
  return [field, min, max](ServerConfig& c, const std::string& v) {
    long long n = 0;
    if (!ToInt(v, min, max, n)) return false;
    c.*field = static_cast<T>(n);
    return true;
  };
}

std::function<bool(ServerConfig&, const std::string&)> Text(std::string ServerConfig::*field) {
  return [field](ServerConfig& c, const std::string& v) {
    c.*field = v;
    return true;
  };
}

// "COUNT/SECONDS" (e.g. 30/60), or "off".
std::function<bool(ServerConfig&, const std::string&)> Rate(BucketLimit ServerConfig::*field) {
  return [field](ServerConfig& c, const std::string& v) {
    if (v == "off") {
      c.*field = BucketLimit{0, 0};
      return true;
    }
    const auto slash = v.find('/');
    long long count = 0, seconds = 0;
    if (slash == std::string::npos || !ToInt(v.substr(0, slash), 1, 1'000'000, count) ||
        !ToInt(v.substr(slash + 1), 1, 86400 * 7, seconds)) {
      return false;
    }
    c.*field = BucketLimit{static_cast<double>(count), static_cast<double>(count) / static_cast<double>(seconds)};
    return true;
  };
}

// A repeatable flag whose variable is a comma-separated list; each entry checked.
std::function<bool(ServerConfig&, const std::string&)> List(std::vector<std::string> ServerConfig::*field,
                                                            bool (*valid)(const std::string&)) {
  return [field, valid](ServerConfig& c, const std::string& v) {
    std::size_t start = 0;
    while (start <= v.size()) {
      const std::size_t comma = v.find(',', start);
      const std::string entry = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!entry.empty()) {
        if (!valid(entry)) return false;
        (c.*field).push_back(entry);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return true;
  };
}

const std::vector<Option>& Options() {
  static const std::vector<Option> options = {
      {"host", "LATCHKEY_HOST", "ADDR", "address to listen on (default 127.0.0.1)", Text(&ServerConfig::host)},
      {"port", "LATCHKEY_PORT", "N", "port (default 8080; 0 picks a free one and prints it)",
       Integer(&ServerConfig::port, 0, 65535)},
      {"database", "LATCHKEY_DATABASE", "FILE|URL",
       "SQLite database file (default ./latchkey.db), or a postgres:// URL (docs/postgres.md)",
       Text(&ServerConfig::database)},
      {"sync", "LATCHKEY_SYNC", "full|normal",
       "full (default): each commit is on disk before the answer; normal: survives a crash of the process, "
       "not of the machine",
       [](ServerConfig& c, const std::string& v) {
         if (v != "full" && v != "normal") return false;
         c.full_sync = v == "full";
         return true;
       }},
      {"issuer", "LATCHKEY_ISSUER", "URL", "token issuer (default http://HOST:PORT)", Text(&ServerConfig::issuer)},
      {"audience", "LATCHKEY_AUDIENCE", "NAME", "token audience (default latchkey)", Text(&ServerConfig::audience)},
      {"access-ttl", "LATCHKEY_ACCESS_TTL", "SECONDS", "access token lifetime (default 900)",
       Integer(&ServerConfig::access_ttl, 5, 86400)},
      {"refresh-ttl", "LATCHKEY_REFRESH_TTL", "SECONDS", "session inactivity limit (default 604800)",
       Integer(&ServerConfig::refresh_ttl, 10, 365LL * 86400)},
      {"session-max-age", "LATCHKEY_SESSION_MAX_AGE", "SECONDS", "absolute session limit (default 2592000)",
       Integer(&ServerConfig::session_max_age, 10, 3650LL * 86400)},
      {"reuse-interval", "LATCHKEY_REUSE_INTERVAL", "SECONDS",
       "a refresh token used again within this time returns the same successor (default 10)",
       Integer(&ServerConfig::reuse_interval, 0, 300)},
      {"leeway", "LATCHKEY_LEEWAY", "SECONDS", "clock skew allowed when verifying tokens (default 60)",
       Integer(&ServerConfig::leeway, 0, 300)},
      {"key-reload-interval", "LATCHKEY_KEY_RELOAD_INTERVAL", "SECONDS",
       "how often to re-read signing keys rotated by another process (default 30)",
       Integer(&ServerConfig::key_reload_interval, 1, 3600)},
      {"argon2-iterations", "LATCHKEY_ARGON2_ITERATIONS", "T", "Argon2id iterations (default 2)",
       [](ServerConfig& c, const std::string& v) {
         long long n = 0;
         if (!ToInt(v, 1, static_cast<long long>(kMaxArgon2Iterations), n)) return false;
         c.argon2.iterations = static_cast<std::uint64_t>(n);
         return true;
       }},
      {"argon2-memory-kib", "LATCHKEY_ARGON2_MEMORY_KIB", "KIB", "Argon2id memory (default 19456)",
       [](ServerConfig& c, const std::string& v) {
         long long n = 0;
         if (!ToInt(v, static_cast<long long>(kMinArgon2MemoryKib), static_cast<long long>(kMaxArgon2MemoryKib), n)) {
           return false;
         }
         c.argon2.memory_kib = static_cast<std::size_t>(n);
         return true;
       }},
      {"hash-threads", "LATCHKEY_HASH_THREADS", "N", "password hashing threads (default: cores)",
       Integer(&ServerConfig::hash_threads, 1, 256)},
      {"hash-queue", "LATCHKEY_HASH_QUEUE", "N", "hashes that may wait before 503 (default 64)",
       Integer(&ServerConfig::hash_queue, 1, 100000)},
      {"http-threads", "LATCHKEY_HTTP_THREADS", "N",
       "HTTP worker threads running requests; waiting connections hold none (default 64)",
       Integer(&ServerConfig::http_threads, 1, 1024)},
      {"max-body", "LATCHKEY_MAX_BODY", "BYTES", "largest request body, any framing; 413 beyond (default 65536)",
       Integer(&ServerConfig::max_body_bytes, 1024, 16 << 20)},
      {"max-request-line", "LATCHKEY_MAX_REQUEST_LINE", "BYTES", "longest request line; 414 beyond (default 8192)",
       Integer(&ServerConfig::max_request_line, 256, 1 << 20)},
      {"max-header-bytes", "LATCHKEY_MAX_HEADER_BYTES", "BYTES",
       "largest request head (request line and headers); 431 beyond (default 16384)",
       Integer(&ServerConfig::max_header_bytes, 1024, 1 << 20)},
      {"max-headers", "LATCHKEY_MAX_HEADERS", "N", "most header lines in a request; 431 beyond (default 100)",
       Integer(&ServerConfig::max_headers, 8, 10000)},
      {"header-timeout", "LATCHKEY_HEADER_TIMEOUT", "SECONDS",
       "time for a whole request head, from its first byte; 408 after (default 10)",
       Integer(&ServerConfig::header_timeout, 1, 3600)},
      {"body-timeout", "LATCHKEY_BODY_TIMEOUT", "SECONDS",
       "time for a whole request body, from the end of the head; 408 after (default 10)",
       Integer(&ServerConfig::body_timeout, 1, 3600)},
      {"keep-alive-timeout", "LATCHKEY_KEEP_ALIVE_TIMEOUT", "SECONDS",
       "how long an idle connection is kept open (default 5)", Integer(&ServerConfig::keep_alive_timeout, 1, 3600)},
      {"max-connections", "LATCHKEY_MAX_CONNECTIONS", "N",
       "open connections in all; new ones beyond are closed at once (default 4096)",
       Integer(&ServerConfig::max_connections, 16, 1 << 20)},
      {"max-connections-per-ip", "LATCHKEY_MAX_CONNECTIONS_PER_IP", "N",
       "open connections from one client address; 429 and close beyond; trusted proxies exempt (default 64)",
       Integer(&ServerConfig::max_connections_per_ip, 1, 1 << 20)},
      {"cors-origin", "LATCHKEY_CORS_ORIGINS", "ORIGIN",
       "allow this browser origin, e.g. https://app.example or http://localhost:* (repeat the flag; the "
       "variable takes a comma-separated list; --dev adds http://localhost:* and http://127.0.0.1:*)",
       List(&ServerConfig::cors_origins, http::ValidCorsOriginEntry)},
      {"trusted-proxy", "LATCHKEY_TRUSTED_PROXIES", "NETWORK",
       "a reverse proxy (address or CIDR) whose X-Forwarded-For is believed (repeat the flag; the variable "
       "takes a comma-separated list; default none)",
       List(&ServerConfig::trusted_proxies,
            [](const std::string& network) { return http::TrustedProxies::Parse({network}).ok(); })},
      {"key-encryption-key", "LATCHKEY_KEY_ENCRYPTION_KEY", "BASE64",
       "32 random bytes (base64) that wrap the signing keys and TOTP secrets in the database; prefer the variable or "
       "--key-encryption-key-file, since flags show in ps (default: keys stored unwrapped)",
       [](ServerConfig& c, const std::string& v) {
         if (!ParseKeyEncryptionKey(v).ok()) return false;
         c.key_encryption_key = v;
         return true;
       },
       /*secret=*/true},
      {"key-encryption-key-file", "LATCHKEY_KEY_ENCRYPTION_KEY_FILE", "FILE",
       "read the key-encryption key from this file (e.g. a container secret)",
       [](ServerConfig& c, const std::string& v) {
         std::ifstream file(v);
         std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
         const bool ok = file.good() || file.eof() ? ParseKeyEncryptionKey(text).ok() : false;
         if (ok) c.key_encryption_key = text;
         SecureZero(text);
         return ok;
       }},
      {"metrics-token", "LATCHKEY_METRICS_TOKEN", "TOKEN",
       "serve GET /metrics to scrapers sending this bearer token (16 to 256 characters; prefer the variable, "
       "since flags show in ps). Without it there is no /metrics: its counters would tell who has an account",
       [](ServerConfig& c, const std::string& v) {
         if (v.size() < 16 || v.size() > 256) return false;
         for (const char ch : v) {
           if (ch <= ' ' || ch > '~') return false;
         }
         c.metrics_token = v;
         return true;
       },
       /*secret=*/true},
      {"tls-cert", "LATCHKEY_TLS_CERT", "FILE", "serve HTTPS with this certificate (PEM)",
       Text(&ServerConfig::tls_cert)},
      {"tls-key", "LATCHKEY_TLS_KEY", "FILE", "private key for --tls-cert (PEM)", Text(&ServerConfig::tls_key)},
      {"log-format", "LATCHKEY_LOG_FORMAT", "json|text", "log line format (default json; text with --dev)",
       [](ServerConfig& c, const std::string& v) {
         if (v != "json" && v != "text") return false;
         c.log_format = v == "json" ? Logger::Format::kJson : Logger::Format::kText;
         return true;
       }},
      {"access-log", "LATCHKEY_ACCESS_LOG", "on|off", "log every request (default on)",
       [](ServerConfig& c, const std::string& v) {
         if (v != "on" && v != "off") return false;
         c.access_log = v == "on";
         return true;
       }},
      {"web-root", "LATCHKEY_WEB_ROOT", "DIR", "folder served at / (default web-demo; empty: none)",
       Text(&ServerConfig::web_root)},
      {"package-root", "LATCHKEY_PACKAGE_ROOT", "DIR",
       "the package's wasm/ folder, served read-only at /latchkey/ for the demo (default wasm; empty: none)",
       Text(&ServerConfig::package_root)},
      {"docs-root", "LATCHKEY_DOCS_ROOT", "DIR",
       "the API reference page served at /docs, with Swagger UI under node_modules/ (default native/docs-ui; "
       "empty: none)",
       Text(&ServerConfig::docs_root)},
      {"min-password", "LATCHKEY_MIN_PASSWORD", "N", "minimum password length in code points (default 8)",
       [](ServerConfig& c, const std::string& v) {
         long long n = 0;
         if (!ToInt(v, 1, 64, n)) return false;
         c.password_policy.min_length = static_cast<std::size_t>(n);
         return true;
       }},
      {"password-service-words", "LATCHKEY_PASSWORD_SERVICE_WORDS", "WORD,WORD",
       "words of your service (its name, domain) that no password may contain; published in the policy "
       "(comma-separated; default latchkey)",
       [](ServerConfig& c, const std::string& v) {
         c.password_policy.service_words.clear();
         std::size_t start = 0;
         while (start <= v.size()) {
           const std::size_t comma = v.find(',', start);
           const std::string word = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
           if (!word.empty()) {
             if (word.size() > kMaxServiceWordBytes || c.password_policy.service_words.size() >= kMaxServiceWords) {
               return false;
             }
             c.password_policy.service_words.push_back(word);
           }
           if (comma == std::string::npos) break;
           start = comma + 1;
         }
         return true;
       }},
      {"min-password-score", "LATCHKEY_MIN_PASSWORD_SCORE", "0-4", "minimum strength score (default 3)",
       [](ServerConfig& c, const std::string& v) {
         long long n = 0;
         if (!ToInt(v, 0, 4, n)) return false;
         c.password_policy.min_score = static_cast<int>(n);
         return true;
       }},
      {"rate-signup", "LATCHKEY_RATE_SIGNUP", "N/SECONDS", "signups per IP (default 10/3600; off)",
       Rate(&ServerConfig::signup_per_ip)},
      {"rate-signup-email", "LATCHKEY_RATE_SIGNUP_EMAIL", "N/SECONDS",
       "signup attempts per email address (default 3/3600; off)", Rate(&ServerConfig::signup_per_email)},
      {"rate-login-ip", "LATCHKEY_RATE_LOGIN_IP", "N/SECONDS", "logins per IP (default 30/60; off)",
       Rate(&ServerConfig::login_per_ip)},
      {"rate-login-account", "LATCHKEY_RATE_LOGIN_ACCOUNT", "N/SECONDS", "logins per account (default 10/60; off)",
       Rate(&ServerConfig::login_per_account)},
      {"rate-failed-logins", "LATCHKEY_RATE_FAILED_LOGINS", "N/SECONDS",
       "failed logins per account (default 100/3600, NIST's cap; off)", Rate(&ServerConfig::failed_logins_per_account)},
      {"rate-refresh", "LATCHKEY_RATE_REFRESH", "N/SECONDS", "token refreshes per IP (default 120/60; off)",
       Rate(&ServerConfig::refresh_per_ip)},
      {"rate-refresh-account", "LATCHKEY_RATE_REFRESH_ACCOUNT", "N/SECONDS",
       "token refreshes per account, all its sessions together (default 30/60; off)",
       Rate(&ServerConfig::refresh_per_account)},
      {"rate-recovery-ip", "LATCHKEY_RATE_RECOVERY_IP", "N/SECONDS",
       "forgot-password and resend-verification requests per IP (default 20/3600; off)",
       Rate(&ServerConfig::recovery_per_ip)},
      {"rate-recovery-email", "LATCHKEY_RATE_RECOVERY_EMAIL", "N/SECONDS",
       "the same per email address (default 5/3600; off)", Rate(&ServerConfig::recovery_per_email)},
      {"rate-token-ip", "LATCHKEY_RATE_TOKEN_IP", "N/SECONDS",
       "reset-password and verify-email attempts per IP (default 60/60; off)", Rate(&ServerConfig::token_per_ip)},
      {"rate-mfa-factor", "LATCHKEY_RATE_MFA_FACTOR", "N/SECONDS",
       "second-factor attempts per factor, right or wrong (default 5/60; off)", Rate(&ServerConfig::mfa_per_factor)},
      {"rate-mfa-account", "LATCHKEY_RATE_MFA_ACCOUNT", "N/SECONDS",
       "second-factor attempts per account, codes and recovery codes together (default 20/3600; off)",
       Rate(&ServerConfig::mfa_per_account)},
      {"require-aal2-for", "LATCHKEY_REQUIRE_AAL2_FOR", "ROUTES",
       "route groups that need the second factor from users who have one: password, email, admin (repeat the "
       "flag; the variable takes a comma-separated list; default none; removing a factor always needs it)",
       List(&ServerConfig::require_aal2_for,
            [](const std::string& group) { return group == "password" || group == "email" || group == "admin"; })},
      {"totp-issuer", "LATCHKEY_TOTP_ISSUER", "NAME",
       "the name authenticator apps show for this service (default Latchkey)",
       [](ServerConfig& c, const std::string& v) {
         if (v.empty() || v.size() > 64 || v.find(':') != std::string::npos || !IsValidUtf8(v)) return false;
         c.totp_issuer = v;
         return true;
       }},
      {"oauth-providers", "LATCHKEY_OAUTH_PROVIDERS_FILE", "FILE",
       "social sign-in providers (OpenID Connect, GitHub) as JSON; see docs/social-login.md (default none)",
       Text(&ServerConfig::oauth_providers_file)},
      {"redirect-allow", "LATCHKEY_REDIRECT_ALLOW", "URL",
       "a prefix that redirect_to may start with after a social sign-in (repeat the flag; the variable takes a "
       "comma-separated list; default PUBLIC_URL/)",
       List(&ServerConfig::redirect_allow,
            [](const std::string& url) {
              return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
                     (url.rfind("https://", 0) == 0 && url.size() > 8);
            })},
      {"rate-oauth-ip", "LATCHKEY_RATE_OAUTH_IP", "N/SECONDS",
       "social sign-in starts, callbacks and code exchanges per IP, each (default 30/60; off)",
       Rate(&ServerConfig::oauth_per_ip)},
      {"webauthn-rp-id", "LATCHKEY_WEBAUTHN_RP_ID", "DOMAIN",
       "the passkeys' relying party ID: the site's registrable domain or a parent of the page's host, e.g. "
       "example.com (default the public URL's host; localhost when that is an IP address); see docs/passkeys.md",
       Text(&ServerConfig::webauthn_rp_id)},
      {"webauthn-origin", "LATCHKEY_WEBAUTHN_ORIGIN", "ORIGIN",
       "an origin whose pages may register and use passkeys, e.g. https://app.example.com (repeat the flag; the "
       "variable takes a comma-separated list; default the public URL's origin)",
       List(&ServerConfig::webauthn_origins,
            [](const std::string& origin) {
              const bool scheme = (origin.rfind("http://", 0) == 0 && origin.size() > 7) ||
                                  (origin.rfind("https://", 0) == 0 && origin.size() > 8);
              // An origin is scheme://host[:port]: no path, query or trailing slash.
              return scheme && origin.find('/', origin.find("//") + 2) == std::string::npos &&
                     origin.find_first_of("?#") == std::string::npos;
            })},
      {"webauthn-rp-name", "LATCHKEY_WEBAUTHN_RP_NAME", "NAME",
       "the site's name the browser shows when a passkey is made (default Latchkey)",
       Text(&ServerConfig::webauthn_rp_name)},
      {"oauth-timeout", "LATCHKEY_OAUTH_TIMEOUT", "MILLISECONDS",
       "longest wait for a provider's answer (discovery, keys, token exchange) (default 10000)",
       Integer(&ServerConfig::oauth_timeout_ms, 100, 60000)},
      {"public-url", "LATCHKEY_PUBLIC_URL", "URL",
       "base URL of links in mail and of the social sign-in callback (default http://HOST:PORT)",
       [](ServerConfig& c, const std::string& v) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) return false;
         c.public_url = v;
         while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
         return true;
       }},
      {"reset-ttl", "LATCHKEY_RESET_TTL", "SECONDS", "password reset link lifetime (default 3600)",
       Integer(&ServerConfig::reset_ttl, 1, 86400)},
      {"verify-ttl", "LATCHKEY_VERIFY_TTL", "SECONDS", "verification link lifetime (default 86400)",
       Integer(&ServerConfig::verify_ttl, 1, 30LL * 86400)},
      {"require-verified-email", "LATCHKEY_REQUIRE_VERIFIED_EMAIL", nullptr,
       "sign-in needs a verified email; signup then answers without tokens",
       [](ServerConfig& c, const std::string& v) {
         c.require_verified_email = v.empty() || v == "1" || v == "true" || v == "on";
         return true;
       }},
      {"smtp-url", "LATCHKEY_SMTP_URL", "URL",
       "send mail through smtp://HOST:PORT or smtps://HOST:PORT (default: none, the outbox folder)",
       [](ServerConfig& c, const std::string& v) {
         if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0) return false;
         c.smtp_url = v;
         return true;
       }},
      {"smtp-starttls", "LATCHKEY_SMTP_STARTTLS", "required|try|none", "STARTTLS on smtp:// URLs (default required)",
       [](ServerConfig& c, const std::string& v) {
         if (v != "required" && v != "try" && v != "none") return false;
         c.smtp_starttls = v;
         return true;
       }},
      {"smtp-user", "LATCHKEY_SMTP_USER", "NAME", "SMTP user name (optional)", Text(&ServerConfig::smtp_user)},
      {"smtp-password", "LATCHKEY_SMTP_PASSWORD", "SECRET",
       "SMTP password (prefer the variable: flags show in the process list)", Text(&ServerConfig::smtp_password)},
      {"mail-from", "LATCHKEY_MAIL_FROM", "ADDRESS", "sender (default \"Latchkey <no-reply@localhost>\")",
       [](ServerConfig& c, const std::string& v) {
         if (v.empty() || v.find_first_of("\r\n") != std::string::npos) return false;
         c.mail_from = v;
         return true;
       }},
      {"smtp-timeout", "LATCHKEY_SMTP_TIMEOUT", "SECONDS", "per delivery attempt (default 10)",
       Integer(&ServerConfig::smtp_timeout, 1, 300)},
      {"smtp-retries", "LATCHKEY_SMTP_RETRIES", "N", "retries after a failed attempt (default 3)",
       Integer(&ServerConfig::smtp_retries, 0, 10)},
      {"smtp-backoff-ms", "LATCHKEY_SMTP_BACKOFF_MS", "MS", "first retry delay, doubled each time (default 1000)",
       Integer(&ServerConfig::smtp_backoff_ms, 1, 600000)},
      {"outbox-dir", "LATCHKEY_OUTBOX_DIR", "DIR", "development outbox folder (default ./latchkey-outbox)",
       Text(&ServerConfig::outbox_dir)},
      {"mail-queue", "LATCHKEY_MAIL_QUEUE", "N",
       "mail jobs (forgot-password lookups) waiting for the worker before new ones are dropped; mails themselves "
       "wait in the database (default 1000)",
       Integer(&ServerConfig::mail_queue, 1, 1000000)},
      {"mail-retry-seconds", "LATCHKEY_MAIL_RETRY_SECONDS", "SECONDS",
       "a mail whose delivery failed is tried again after this, doubled each time up to an hour (default 30)",
       Integer(&ServerConfig::mail_retry_seconds, 1, 3600)},
      {"mail-attempts", "LATCHKEY_MAIL_ATTEMPTS", "N", "failed deliveries before a mail is dropped (default 8)",
       Integer(&ServerConfig::mail_attempts, 1, 100)},
      {"redis-url", "LATCHKEY_REDIS_URL", "URL",
       "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]: rate limits shared by every instance using this Redis; while "
       "it cannot answer, each instance counts alone (docs/operations.md, \"Several instances\"; default: none, each "
       "instance counts alone)",
       [](ServerConfig& c, const std::string& v) {
         if (!v.empty() && !ParseRedisUrl(v)) return false;
         c.redis_url = v;
         return true;
       },
       /*secret=*/true},
      {"redis-timeout", "LATCHKEY_REDIS_TIMEOUT", "MS",
       "longest wait for Redis, to connect or for one command; a slower Redis counts as down (default 250)",
       Integer(&ServerConfig::redis_timeout_ms, 10, 10000)},
      {"dev", "LATCHKEY_DEV", nullptr,
       "development mode: the outbox at /dev/outbox (every mailed link, unauthenticated, so only with a "
       "loopback --host), text logs, http://localhost:* and http://127.0.0.1:* allowed as origins (never in "
       "production)",
       [](ServerConfig& c, const std::string& v) {
         c.dev = v.empty() || v == "1" || v == "true" || v == "on";
         return true;
       }},
  };
  return options;
}

}  // namespace

bool LoadServerConfig(const std::vector<std::string>& args, ServerConfig& config, std::string& error, bool& help,
                      std::vector<std::string>* positional) {
  help = false;
  std::vector<bool> from_flag(Options().size(), false);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      return true;
    }
    if (arg.rfind("--", 0) != 0) {
      if (!positional) {
        error = "unexpected argument '" + arg + "'";
        return false;
      }
      positional->push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    std::size_t index = 0;
    while (index < Options().size() && name != Options()[index].flag) ++index;
    if (index == Options().size()) {
      error = "unknown option --" + name;
      return false;
    }
    const Option& option = Options()[index];
    if (option.argument && !has_value) {
      if (i + 1 >= args.size()) {
        error = "--" + name + " needs a value";
        return false;
      }
      value = args[++i];
    }
    if (!option.apply(config, value)) {
      error = "invalid value for --" + name + (option.secret ? std::string() : ": '" + value + "'");
      return false;
    }
    from_flag[index] = true;
  }
  bool log_format_given = false;
  for (std::size_t index = 0; index < Options().size(); ++index) {
    const Option& option = Options()[index];
    const char* env = std::getenv(option.env);
    const bool is_log_format = std::string(option.flag) == "log-format";
    if (is_log_format) log_format_given = from_flag[index] || env != nullptr;
    if (from_flag[index] || env == nullptr) continue;
    if (!option.apply(config, env)) {
      error = std::string("invalid value in ") + option.env;
      return false;
    }
  }
  // A person reads a development server's log; machines read production's.
  if (config.dev && !log_format_given) config.log_format = Logger::Format::kText;
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    error = "--tls-cert and --tls-key go together";
    return false;
  }
  // /dev/outbox hands every reset link to whoever asks: never beyond this machine.
  if (config.dev && !IsLoopbackHost(config.host)) {
    error =
        "--dev serves every mailed link without authentication: it needs a loopback --host (127.0.0.1, ::1 "
        "or localhost), not '" +
        config.host + "'";
    return false;
  }
  return true;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8, written as four decimal parts.
  if (host.rfind("127.", 0) != 0) return false;
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = host.find('.', start);
    const std::string part = host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    long long value = 0;
    if (part.empty() || part.size() > 3 || !ToInt(part, 0, 255, value)) return false;
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

namespace {

// --help groups the flags by topic, like `git help`. A flag listed in no group
// is still shown, under "Other", so a new option is never hidden.
struct HelpGroup {
  const char* title;
  std::vector<std::string> flags;
};

const std::vector<HelpGroup>& HelpGroups() {
  static const std::vector<HelpGroup> groups = {
      {"Server", {"host", "port", "http-threads", "web-root", "package-root", "docs-root", "dev"}},
      {"Request limits",
       {"max-body", "max-request-line", "max-header-bytes", "max-headers", "header-timeout", "body-timeout",
        "keep-alive-timeout", "max-connections", "max-connections-per-ip"}},
      {"Database", {"database", "sync"}},
      {"Browsers and proxies", {"cors-origin", "trusted-proxy"}},
      {"TLS", {"tls-cert", "tls-key"}},
      {"Tokens and sessions",
       {"issuer", "audience", "access-ttl", "refresh-ttl", "session-max-age", "reuse-interval", "leeway"}},
      {"Signing keys and secrets", {"key-encryption-key", "key-encryption-key-file", "key-reload-interval"}},
      {"Passwords",
       {"min-password", "min-password-score", "password-service-words", "argon2-iterations", "argon2-memory-kib",
        "hash-threads", "hash-queue"}},
      {"Rate limits",
       {"rate-signup", "rate-signup-email", "rate-login-ip", "rate-login-account", "rate-failed-logins", "rate-refresh",
        "rate-refresh-account", "rate-recovery-ip", "rate-recovery-email", "rate-token-ip", "rate-mfa-factor",
        "rate-mfa-account"}},
      {"Second factor", {"require-aal2-for", "totp-issuer"}},
      {"Social login", {"oauth-providers", "redirect-allow", "rate-oauth-ip", "oauth-timeout"}},
      {"Passkeys", {"webauthn-rp-id", "webauthn-origin", "webauthn-rp-name"}},
      {"Recovery and verification", {"public-url", "reset-ttl", "verify-ttl", "require-verified-email"}},
      {"Mail",
       {"smtp-url", "smtp-starttls", "smtp-user", "smtp-password", "mail-from", "smtp-timeout", "smtp-retries",
        "smtp-backoff-ms", "outbox-dir", "mail-queue", "mail-retry-seconds", "mail-attempts"}},
      {"Logs and metrics", {"log-format", "access-log", "metrics-token"}},
      {"Several instances", {"redis-url", "redis-timeout"}},
  };
  return groups;
}

constexpr std::size_t kHelpIndent = 30;  // where the text column starts
constexpr std::size_t kHelpWidth = 100;  // lines wrap before this

// `text` wrapped at word boundaries into lines of the text column.
void AppendWrapped(std::string& out, const std::string& text) {
  std::size_t column = kHelpIndent, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::size_t length = end - start;
    if (column > kHelpIndent && column + 1 + length > kHelpWidth) {
      out += "\n" + std::string(kHelpIndent, ' ');
      column = kHelpIndent;
    } else if (column > kHelpIndent) {
      out += ' ';
      ++column;
    }
    out.append(text, start, length);
    column += length;
    start = end + 1;
  }
  out += '\n';
}

void AppendOption(std::string& out, const Option& option) {
  std::string left = std::string("  --") + option.flag + (option.argument ? std::string(" ") + option.argument : "");
  // A long name gets its own line rather than running into its text.
  if (left.size() + 2 > kHelpIndent) {
    out += left + "\n" + std::string(kHelpIndent, ' ');
  } else {
    out += left + std::string(kHelpIndent - left.size(), ' ');
  }
  AppendWrapped(out, std::string(option.help) + " [" + option.env + "]");
}

}  // namespace

std::string ServerOptionsHelp() {
  std::string out;
  std::vector<bool> shown(Options().size(), false);
  auto section = [&](const char* title, auto&& wanted) {
    std::string body;
    for (std::size_t i = 0; i < Options().size(); ++i) {
      if (shown[i] || !wanted(Options()[i].flag)) continue;
      shown[i] = true;
      AppendOption(body, Options()[i]);
    }
    if (!body.empty()) out += std::string(out.empty() ? "" : "\n") + title + "\n" + body;
  };
  for (const HelpGroup& group : HelpGroups()) {
    section(group.title, [&group](const char* flag) {
      return std::find(group.flags.begin(), group.flags.end(), flag) != group.flags.end();
    });
  }
  section("Other", [](const char*) { return true; });
  return out;
}

}  // namespace latchkey
