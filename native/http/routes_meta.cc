// Keys and metadata: JWKS, OpenID configuration, health, metrics, OpenAPI.
#include "http/openapi.h"
#include "http/routes.h"

namespace latchkey::http {

void RegisterMetaRoutes(Router& server, MetaDeps deps) {
  server.Get("/.well-known/jwks.json", [deps](const httplib::Request&, httplib::Response& res) {
    const auto snapshot = deps.keys.snapshot();
    if (!snapshot) return SendError(res, Code::kInternal);
    // Short enough that verifiers see a rotation soon; retired keys stay listed
    // for the access-token lifetime, so cached copies never miss a live token.
    ReplaceHeader(res, "Cache-Control", "public, max-age=300");
    SendJson(res, 200, snapshot->jwks);
  });

  server.Get("/.well-known/openid-configuration", [deps](const httplib::Request&, httplib::Response& res) {
    const std::string& issuer = deps.auth.config().issuer;
    ReplaceHeader(res, "Cache-Control", "public, max-age=3600");
    SendJson(res, 200,
             Json{{"issuer", issuer},
                  {"jwks_uri", issuer + "/.well-known/jwks.json"},
                  {"token_endpoint", issuer + "/auth/token"},
                  {"userinfo_endpoint", issuer + "/auth/me"},
                  {"grant_types_supported", {"password", "refresh_token"}},
                  {"response_types_supported", Json::array()},
                  {"subject_types_supported", {"public"}},
                  {"id_token_signing_alg_values_supported", {"EdDSA"}},
                  {"token_endpoint_auth_methods_supported", {"none"}}});
  });

  server.Get("/healthz", [deps](const httplib::Request&, httplib::Response& res) {
    auto connection = deps.db.Acquire();
    storage::Statement ping = connection->Prepare("SELECT COUNT(*) FROM schema_migrations");
    const bool ok = ping.Next();
    ReplaceHeader(res, "Cache-Control", "no-store");
    if (!ok) return SendJson(res, 503, Json{{"status", "unavailable"}, {"database", "error"}});
    SendJson(res, 200, Json{{"status", "ok"}, {"database", "ok"}});
  });

  server.Get("/metrics", [deps](const httplib::Request&, httplib::Response& res) {
    const HashPool::Stats pool = deps.hashes.stats();
    const std::string text = deps.metrics.Render(
        {{"latchkey_hash_pool_queued", "Password hashes waiting for a thread.", pool.queued},
         {"latchkey_hash_pool_running", "Password hashes running now.", pool.running},
         {"latchkey_hash_pool_completed", "Password hashes completed since start.", pool.completed},
         {"latchkey_hash_pool_rejected", "Password hashes refused (queue full) since start.", pool.rejected}});
    ReplaceHeader(res, "Cache-Control", "no-store");
    res.set_content(text, "text/plain; version=0.0.4");
  });

  server.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    ReplaceHeader(res, "Cache-Control", "public, max-age=3600");
    res.set_content(std::string(OpenApiDocument()), "application/json");
  });
}

}  // namespace latchkey::http
