// Keys and metadata: JWKS, OpenID configuration, health, metrics, OpenAPI and
// its reference page (/docs).
#include "http/docs_page.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "latchkey/crypto.h"
#include "metrics/metric_names.h"

namespace latchkey::http {

void RegisterMetaRoutes(Router& server, Services deps) {
  server.Get("/.well-known/jwks.json", [deps](const httplib::Request&, httplib::Response& res) {
    const auto snapshot = deps.keys.snapshot();
    if (!snapshot) return SendError(res, Code::kInternal);
    // Short enough that verifiers see a rotation soon; retired keys stay listed
    // for the access-token lifetime, so cached copies never miss a live token.
    ReplaceHeader(res, "Cache-Control", "public, max-age=300");
    SendJson(res, 200, snapshot->jwks);
  });

  server.Get("/.well-known/openid-configuration", [deps](const httplib::Request&, httplib::Response& res) {
    const std::string& issuer = deps.config.issuer;
    ReplaceHeader(res, "Cache-Control", "public, max-age=3600");
    SendJson(res, 200,
             Json{{"issuer", issuer},
                  {"jwks_uri", issuer + "/.well-known/jwks.json"},
                  {"token_endpoint", issuer + "/auth/token"},
                  {"userinfo_endpoint", issuer + "/auth/me"},
                  {"grant_types_supported", {"password", "refresh_token", "authorization_code"}},
                  {"response_types_supported", Json::array()},
                  {"subject_types_supported", {"public"}},
                  {"id_token_signing_alg_values_supported", {"EdDSA"}},
                  {"token_endpoint_auth_methods_supported", {"none"}}});
  });

  server.Get("/healthz", [deps](const httplib::Request&, httplib::Response& res) {
    const bool ok = deps.stores.Ping().ok();
    ReplaceHeader(res, "Cache-Control", "no-store");
    if (!ok) return SendJson(res, 503, Json{{"status", "unavailable"}, {"database", "error"}});
    SendJson(res, 200, Json{{"status", "ok"}, {"database", "ok"}});
  });

  // Not public: counters such as mails sent by kind would tell who has an
  // account. Without --metrics-token the route does not exist; with it, a
  // scraper sends it as a bearer token (compared in constant time).
  server.Get("/metrics", [deps](const httplib::Request& req, httplib::Response& res) {
    const std::string& expected = deps.config.metrics_token;
    const std::string given = BearerToken(req);
    if (expected.empty()) return SendError(res, Code::kNotFound);
    if (given.size() != expected.size() || !ConstantTimeEqual(given, expected)) {
      return SendError(res, Code::kTokenMissing);
    }
    const HashPool::Stats pool = deps.hashes.stats();
    auto gauge = [](const char* name, double value) {
      for (const MetricInfo& metric : kMetrics) {
        if (std::string_view(metric.name) == name)
          return std::make_tuple(std::string(name), std::string(metric.help), value);
      }
      return std::make_tuple(std::string(name), std::string(), value);
    };
    const std::string text = deps.metrics.Render(
        {gauge(metric::kHashPoolQueued, pool.queued), gauge(metric::kHashPoolRunning, pool.running),
         gauge(metric::kHashPoolCompleted, pool.completed), gauge(metric::kHashPoolRejected, pool.rejected)});
    ReplaceHeader(res, "Cache-Control", "no-store");
    res.set_content(text, "text/plain; version=0.0.4");
  });

  server.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    ReplaceHeader(res, "Cache-Control", "public, max-age=3600");
    res.set_content(std::string(OpenApiDocument()), "application/json");
  });

  RegisterDocsRoutes(server, deps.config.docs_root);
}

}  // namespace latchkey::http
