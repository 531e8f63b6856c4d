// Social sign-in: the providers list, the redirect to a provider and its
// callback, and the user's linked identities. The token exchange is the
// authorization_code grant of POST /auth/token (routes_auth.cc).
#include "http/routes.h"

namespace latchkey::http {
namespace {

constexpr const char* kAuthorizePath = R"(/auth/oauth/([a-z0-9_-]{1,32})/authorize)";
constexpr const char* kCallbackPath = R"(/auth/oauth/([a-z0-9_-]{1,32})/callback)";
constexpr const char* kIdentityPath = R"(/auth/identities/([0-9a-f-]{36}))";
constexpr std::size_t kMaxUrlField = 2048;

void Redirect(httplib::Response& res, const std::string& location) {
  ReplaceHeader(res, "Cache-Control", "no-store");
  // The fragment carries a one-time code: no Referer to the page's subresources.
  ReplaceHeader(res, "Referrer-Policy", "no-referrer");
  res.status = 302;
  res.set_header("Location", location);
}

Json IdentityJson(const LinkedIdentity& identity) {
  return Json{{"id", identity.id},
              {"provider", identity.provider},
              {"email", identity.email},
              {"name", identity.name},
              {"created_at", identity.created_at}};
}

}  // namespace

void RegisterOAuthRoutes(Router& server, Services services) {
  SessionIssuer& issuer = services.issuer;
  OAuthStrategy& oauth = services.oauth;
  AccountService& accounts = services.accounts;

  server.Get("/auth/providers", [&oauth](const httplib::Request&, httplib::Response& res) {
    Json providers = Json::array();
    for (const ProviderSummary& provider : oauth.Providers()) {
      providers.push_back(Json{{"id", provider.id}, {"name", provider.name}});
    }
    SendJson(res, 200, Json{{"providers", providers}});
  });

  server.Get(kAuthorizePath, [&oauth](const httplib::Request& req, httplib::Response& res) {
    RequestContext ctx = MakeContext(req, res);
    AuthorizeRequest request{req.matches[1].str(), req.get_param_value("redirect_to"),
                             req.get_param_value("code_challenge"), req.get_param_value("code_challenge_method"),
                             std::nullopt};
    if (request.code_challenge_method.empty()) request.code_challenge_method = "S256";
    Result<std::string> url = oauth.Authorize(request, ctx);
    if (!url.ok()) return SendError(res, url.code(), ctx.retry_after);
    Redirect(res, *url);
  });

  server.Get(kCallbackPath, [&oauth](const httplib::Request& req, httplib::Response& res) {
    RequestContext ctx = MakeContext(req, res);
    Result<std::string> next = oauth.Callback(req.matches[1].str(), req.get_param_value("code"),
                                              req.get_param_value("state"), req.get_param_value("error"), ctx);
    if (!next.ok()) return SendError(res, next.code(), ctx.retry_after);
    Redirect(res, *next);
  });

  server.Get("/auth/identities", Authenticated(issuer, [&oauth](const httplib::Request&, httplib::Response& res,
                                                                const Principal& who, RequestContext&) {
               Result<std::vector<LinkedIdentity>> identities = oauth.Identities(who.user.id);
               if (!identities.ok()) return SendError(res, identities.code());
               Json list = Json::array();
               for (const LinkedIdentity& identity : *identities) list.push_back(IdentityJson(identity));
               SendJson(res, 200, Json{{"identities", list}});
             }));

  server.Post("/auth/identities/link",
              Authenticated(issuer, [&oauth, &accounts](const httplib::Request& req, httplib::Response& res,
                                                        const Principal& who, RequestContext& ctx) {
                const std::optional<Json> body = ReadJsonObject(req, res);
                if (!body) return;
                const auto provider = StringField(*body, "provider", 64, true, res);
                if (!provider) return;
                const auto redirect_to = StringField(*body, "redirect_to", kMaxUrlField, true, res);
                if (!redirect_to) return;
                std::optional<std::string> challenge = std::string();
                if (body->contains("code_challenge")) {
                  challenge = StringField(*body, "code_challenge", 128, true, res);
                  if (!challenge) return;
                }
                const auto password = CurrentPasswordField(*body, res);
                if (!password) return;
                const Status present = accounts.ProvePresence(who, *password, ctx);
                if (!present.ok()) return SendError(res, present.code(), ctx.retry_after);
                Result<std::string> url =
                    oauth.Authorize(AuthorizeRequest{*provider, *redirect_to, *challenge, "S256", who.user.id}, ctx);
                if (!url.ok()) return SendError(res, url.code(), ctx.retry_after);
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200, Json{{"url", *url}});
              }));

  server.Delete(kIdentityPath,
                Authenticated(issuer, [&oauth, &accounts](const httplib::Request& req, httplib::Response& res,
                                                          const Principal& who, RequestContext& ctx) {
                  const std::optional<Json> body = OptionalJsonObject(req, res);
                  if (!body) return;
                  const auto password = CurrentPasswordField(*body, res);
                  if (!password) return;
                  const Status present = accounts.ProvePresence(who, *password, ctx);
                  if (!present.ok()) return SendError(res, present.code(), ctx.retry_after);
                  const Status removed = oauth.Unlink(who.user, req.matches[1].str(), ctx);
                  if (!removed.ok()) return SendError(res, removed.code());
                  res.status = 204;
                }));
}

}  // namespace latchkey::http
