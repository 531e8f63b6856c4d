// /auth/*: signup, login, the OAuth2 token endpoint, refresh, logout, the
// caller's profile (read; PATCH is in routes_recovery.cc), password and sessions.
#include "http/routes.h"
#include "latchkey/account_rules.h"

namespace latchkey::http {
namespace {

// Weak passwords are refused with the reasons, score and feedback, so a
// client can show them the way its own meter would.
void SendWeakPassword(httplib::Response& res, const PasswordStrategy& passwords, std::string_view password,
                      std::string_view email, std::string_view name) {
  SendError(res, Code::kWeakPassword, 0, passwords.CheckNewPassword(password, email, name).details);
}

// RFC 6749 §5.2 error shape for /auth/token, with Latchkey's own code beside it.
void SendOAuthError(httplib::Response& res, Code code, std::int64_t retry_after) {
  std::string error = "invalid_request";
  int status = 400;
  switch (code) {
    case Code::kInvalidCredentials:
    case Code::kRefreshTokenInvalid:
    case Code::kRefreshTokenExpired:
    case Code::kRefreshTokenReused:
    case Code::kSessionRevoked:
    case Code::kUserDisabled:
    case Code::kEmailNotVerified:
    case Code::kOAuthCodeInvalid:
      error = "invalid_grant";
      break;
    case Code::kUnsupportedGrantType:
      error = "unsupported_grant_type";
      break;
    case Code::kRateLimited:
    case Code::kServerBusy:
    case Code::kInternal:
      SendError(res, code, retry_after);
      return;
    default:
      break;
  }
  ReplaceHeader(res, "Cache-Control", "no-store");
  if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
  SendJson(res, status,
           Json{{"error", error},
                {"error_description", Describe(code).message},
                {"error_code", Describe(code).wire},
                {"request_id", RequestId(res)}});
}

struct Credentials {
  Json body;
  std::string email;
  std::string password;
};

// The JSON body with its email and password, or the error already sent.
std::optional<Credentials> ReadCredentials(const httplib::Request& req, httplib::Response& res) {
  std::optional<Json> body = ReadJsonObject(req, res);
  if (!body) return std::nullopt;
  auto email = StringField(*body, "email", kMaxEmailField, true, res);
  if (!email) return std::nullopt;
  auto password = StringField(*body, "password", kMaxPasswordField, true, res);
  if (!password) return std::nullopt;
  return Credentials{std::move(*body), std::move(*email), std::move(*password)};
}

LogoutScope ParseScope(const std::string& scope, bool& ok) {
  ok = true;
  if (scope.empty() || scope == "local") return LogoutScope::kLocal;
  if (scope == "others") return LogoutScope::kOthers;
  if (scope == "global") return LogoutScope::kGlobal;
  ok = false;
  return LogoutScope::kLocal;
}

}  // namespace

httplib::Server::Handler Authenticated(SessionIssuer& issuer, AuthedHandler handler) {
  return [&issuer, handler](const httplib::Request& req, httplib::Response& res) {
    RequestContext ctx = MakeContext(req, res);
    const std::string token = BearerToken(req);
    if (token.empty()) return SendError(res, Code::kTokenMissing);
    Result<Principal> principal = issuer.Authenticate(token, ctx);
    if (!principal.ok()) return SendError(res, principal.code());
    handler(req, res, *principal, ctx);
  };
}

void RegisterAuthRoutes(Router& server, Services services) {
  SessionIssuer& issuer = services.issuer;
  PasswordStrategy& passwords = services.passwords;
  AccountService& accounts = services.accounts;
  server.Post("/auth/signup", [&passwords](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Credentials> given = ReadCredentials(req, res);
    if (!given) return;
    const auto name = StringField(given->body, "name", kMaxNameField, false, res);
    if (!name) return;
    const std::string* email = &given->email;
    const std::string* password = &given->password;
    RequestContext ctx = MakeContext(req, res);
    Result<TokenGrant> grant = passwords.Signup(*email, *password, *name, ctx);
    if (grant.code() == Code::kWeakPassword) {
      return SendWeakPassword(res, passwords, *password, NormalizeEmail(*email).ok() ? *NormalizeEmail(*email) : *email,
                              *name);
    }
    if (grant.code() == Code::kValidationFailed) return SendError(res, grant.code(), 0, Json{{"field", "name"}});
    if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
    // With --require-verified-email there is no session until the address is verified.
    if (grant->access_token.empty()) return SendJson(res, 201, Json{{"user", UserJson(grant->user)}});
    SendTokens(res, 201, *grant, ctx.now);
  });

  server.Post("/auth/login", [&passwords](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Credentials> given = ReadCredentials(req, res);
    if (!given) return;
    RequestContext ctx = MakeContext(req, res);
    Result<TokenGrant> grant = passwords.Login(given->email, given->password, ctx);
    if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
    SendTokens(res, 200, *grant, ctx.now);
  });

  server.Post("/auth/token",
              [&passwords, &issuer, &oauth = services.oauth](const httplib::Request& req, httplib::Response& res) {
                if (req.get_header_value("Content-Type").compare(0, 33, "application/x-www-form-urlencoded") != 0) {
                  return SendOAuthError(res, Code::kInvalidArgument, 0);
                }
                httplib::Params form;
                httplib::detail::parse_query_text(req.body, form);
                auto field = [&form](const char* name) {
                  const auto it = form.find(name);
                  return it == form.end() ? std::string() : it->second;
                };
                RequestContext ctx = MakeContext(req, res);
                const std::string grant_type = field("grant_type");
                Result<TokenGrant> grant = Code::kUnsupportedGrantType;
                if (grant_type == "password") {
                  if (field("username").empty() || field("password").empty())
                    return SendOAuthError(res, Code::kInvalidArgument, 0);
                  grant = passwords.Login(field("username"), field("password"), ctx);
                } else if (grant_type == "refresh_token") {
                  if (field("refresh_token").empty()) return SendOAuthError(res, Code::kInvalidArgument, 0);
                  grant = issuer.Refresh(field("refresh_token"), ctx);
                } else if (grant_type == "authorization_code") {
                  // A social sign-in's one-time code with the browser's PKCE verifier.
                  if (field("code").empty() || field("code_verifier").empty())
                    return SendOAuthError(res, Code::kInvalidArgument, 0);
                  grant = oauth.Exchange(field("code"), field("code_verifier"), ctx);
                } else if (grant_type.empty()) {
                  return SendOAuthError(res, Code::kInvalidArgument, 0);
                }
                if (!grant.ok()) return SendOAuthError(res, grant.code(), ctx.retry_after);
                if (grant->mfa) {
                  // Auth0's extension of the password grant: the token comes from the MFA challenge.
                  ReplaceHeader(res, "Cache-Control", "no-store");
                  return SendJson(res, 403,
                                  Json{{"error", "mfa_required"},
                                       {"error_description", "A second factor is needed: POST /auth/mfa/challenge."},
                                       {"mfa_token", grant->mfa->mfa_token},
                                       {"expires_in", grant->mfa->expires_at - ctx.now},
                                       {"factors", grant->mfa->factors}});
                }
                SendTokens(res, 200, *grant, ctx.now);
              });

  server.Post("/auth/refresh", [&issuer](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body) return;
    const auto token = StringField(*body, "refresh_token", 256, true, res);
    if (!token) return;
    RequestContext ctx = MakeContext(req, res);
    Result<TokenGrant> grant = issuer.Refresh(*token, ctx);
    if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
    SendTokens(res, 200, *grant, ctx.now);
  });

  server.Post("/auth/logout", Authenticated(issuer, [&accounts](const httplib::Request& req, httplib::Response& res,
                                                                const Principal& who, RequestContext& ctx) {
                std::string scope;
                if (!req.body.empty()) {
                  const std::optional<Json> body = ReadJsonObject(req, res);
                  if (!body) return;
                  const auto value = StringField(*body, "scope", 16, false, res);
                  if (!value) return;
                  scope = *value;
                } else if (req.has_param("scope")) {
                  scope = req.get_param_value("scope");
                }
                bool valid = false;
                const LogoutScope parsed = ParseScope(scope, valid);
                if (!valid) return SendError(res, Code::kValidationFailed, 0, Json{{"field", "scope"}});
                const Status status = accounts.Logout(who, parsed, ctx);
                if (!status.ok()) return SendError(res, status.code());
                res.status = 204;
              }));

  server.Get(
      "/auth/me", Authenticated(issuer, [&oauth = services.oauth](const httplib::Request&, httplib::Response& res,
                                                                  const Principal& who, RequestContext&) {
        Json body = UserJson(who.user);
        // The providers linked to the account, as GoTrue's user object has them.
        Json identities = Json::array();
        Result<std::vector<LinkedIdentity>> linked = oauth.Identities(who.user.id);
        if (!linked.ok()) return SendError(res, linked.code());
        for (const LinkedIdentity& identity : *linked) {
          identities.push_back(Json{{"id", identity.id}, {"provider", identity.provider}, {"email", identity.email}});
        }
        body["identities"] = identities;
        SendJson(res, 200, body);
      }));

  server.Post("/auth/password",
              Authenticated(
                  issuer, Assured(services.mfa, "password",
                                  [&passwords](const httplib::Request& req, httplib::Response& res,
                                               const Principal& who, RequestContext& ctx) {
                                    const std::optional<Json> body = ReadJsonObject(req, res);
                                    if (!body) return;
                                    const auto current =
                                        StringField(*body, "current_password", kMaxPasswordField, true, res);
                                    if (!current) return;
                                    const auto next = StringField(*body, "new_password", kMaxPasswordField, true, res);
                                    if (!next) return;
                                    const Status status = passwords.ChangePassword(who, *current, *next, ctx);
                                    if (status.code() == Code::kWeakPassword) {
                                      return SendWeakPassword(res, passwords, *next, who.user.email, who.user.name);
                                    }
                                    if (!status.ok()) return SendError(res, status.code(), ctx.retry_after);
                                    res.status = 204;
                                  })));

  server.Get("/auth/sessions", Authenticated(issuer, [&accounts](const httplib::Request&, httplib::Response& res,
                                                                 const Principal& who, RequestContext&) {
               Result<std::vector<Session>> sessions = accounts.ListSessions(who);
               if (!sessions.ok()) return SendError(res, sessions.code());
               Json list = Json::array();
               for (const Session& s : *sessions) list.push_back(SessionJson(s, who.session.id));
               SendJson(res, 200, Json{{"sessions", std::move(list)}});
             }));

  server.Delete(R"(/auth/sessions/([0-9a-f-]{36}))",
                Authenticated(issuer, [&accounts](const httplib::Request& req, httplib::Response& res,
                                                  const Principal& who, RequestContext& ctx) {
                  const Status status = accounts.RevokeSession(who, req.matches[1].str(), ctx);
                  if (!status.ok()) return SendError(res, status.code());
                  res.status = 204;
                }));

  server.Get("/auth/password-policy", [&passwords](const httplib::Request&, httplib::Response& res) {
    ReplaceHeader(res, "Cache-Control", "public, max-age=300");
    SendJson(res, 200, passwords.PolicyJson());
  });
}

}  // namespace latchkey::http
