// Passkeys: /auth/passkeys/registration/{options,verify} for a signed-in
// user, /auth/passkeys/authentication/{options,verify} to sign in, the
// user's list, rename and delete, and /admin/users/{id}/passkeys.
#include "http/routes.h"

namespace latchkey::http {
namespace {

constexpr const char* kPasskeyPath = R"(/auth/passkeys/([0-9a-f-]{36}))";
constexpr const char* kAdminPasskeysPath = R"(/admin/users/([0-9a-f-]{36})/passkeys)";
constexpr const char* kAdminPasskeyPath = R"(/admin/users/([0-9a-f-]{36})/passkeys/([0-9a-f-]{36}))";
constexpr std::size_t kMaxPasskeyName = 64;

// A name without its surrounding spaces (a name of spaces only is none).
std::string Trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The browser's PublicKeyCredential.toJSON(), an object.
const Json* CredentialMember(const Json& body, httplib::Response& res) {
  const auto it = body.find("credential");
  if (it == body.end() || !it->is_object()) {
    SendError(res, Code::kValidationFailed, 0, Json{{"field", "credential"}});
    return nullptr;
  }
  return &*it;
}

}  // namespace

void RegisterPasskeyRoutes(Router& server, Services services) {
  SessionIssuer& issuer = services.issuer;
  PasskeyStrategy& passkeys = services.passkeys;
  MfaService& mfa = services.mfa;

  server.Post("/auth/passkeys/registration/options",
              Authenticated(issuer, [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                const Principal& who, RequestContext& ctx) {
                const std::optional<Json> body = OptionalJsonObject(req, res);
                if (!body) return;
                const auto password = CurrentPasswordField(*body, res);
                if (!password) return;
                Result<Json> options = passkeys.RegistrationOptions(who, *password, ctx);
                if (!options.ok()) return SendError(res, options.code(), ctx.retry_after);
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200, *options);
              }));

  server.Post("/auth/passkeys/registration/verify",
              Authenticated(issuer, [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                const Principal& who, RequestContext& ctx) {
                const std::optional<Json> body = ReadJsonObject(req, res);
                if (!body) return;
                const Json* credential = CredentialMember(*body, res);
                if (credential == nullptr) return;
                std::optional<std::string> name = std::string();
                if (body->contains("name")) {
                  name = StringField(*body, "name", kMaxPasskeyName, false, res);
                  if (!name) return;
                }
                Result<Json> passkey = passkeys.Register(who, *credential, Trimmed(*name), ctx);
                if (!passkey.ok()) return SendError(res, passkey.code(), ctx.retry_after);
                SendJson(res, 201, *passkey);
              }));

  server.Post("/auth/passkeys/authentication/options",
              [&passkeys](const httplib::Request& req, httplib::Response& res) {
                RequestContext ctx = MakeContext(req, res);
                const std::optional<Json> body = OptionalJsonObject(req, res);
                if (!body) return;
                std::optional<std::string> email;
                if (body->contains("email")) {
                  email = StringField(*body, "email", 320, true, res);
                  if (!email) return;
                }
                Result<Json> options = passkeys.AuthenticationOptions(email, ctx);
                if (!options.ok()) return SendError(res, options.code(), ctx.retry_after);
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200, *options);
              });

  server.Post("/auth/passkeys/authentication/verify", [&passkeys](const httplib::Request& req, httplib::Response& res) {
    RequestContext ctx = MakeContext(req, res);
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body) return;
    const Json* credential = CredentialMember(*body, res);
    if (credential == nullptr) return;
    Result<TokenGrant> grant = passkeys.SignIn(*credential, ctx);
    if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
    SendTokens(res, 200, *grant, ctx.now);
  });

  server.Get("/auth/passkeys", Authenticated(issuer, [&passkeys](const httplib::Request&, httplib::Response& res,
                                                                 const Principal& who, RequestContext&) {
               Result<Json> listed = passkeys.List(who.user.id);
               if (!listed.ok()) return SendError(res, listed.code());
               SendJson(res, 200, *listed);
             }));

  server.Patch(kPasskeyPath, Authenticated(issuer, [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                               const Principal& who, RequestContext& ctx) {
                 const std::optional<Json> body = ReadJsonObject(req, res);
                 if (!body) return;
                 const auto name = StringField(*body, "name", kMaxPasskeyName, true, res);
                 if (!name) return;
                 const std::string trimmed = Trimmed(*name);
                 if (trimmed.empty()) return SendError(res, Code::kValidationFailed, 0, Json{{"field", "name"}});
                 Result<Json> renamed = passkeys.Rename(who.user.id, req.matches[1].str(), trimmed, ctx);
                 if (!renamed.ok()) return SendError(res, renamed.code());
                 SendJson(res, 200, *renamed);
               }));

  server.Delete(kPasskeyPath, Authenticated(issuer, [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                                const Principal& who, RequestContext& ctx) {
                  const std::optional<Json> body = OptionalJsonObject(req, res);
                  if (!body) return;
                  const auto password = CurrentPasswordField(*body, res);
                  if (!password) return;
                  const Status removed = passkeys.Delete(who, *password, req.matches[1].str(), ctx);
                  if (!removed.ok()) return SendError(res, removed.code(), ctx.retry_after);
                  res.status = 204;
                }));

  server.Get(kAdminPasskeysPath,
             Authenticated(issuer, Assured(mfa, "admin",
                                           [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                       const Principal& who, RequestContext&) {
                                             Result<Json> listed =
                                                 passkeys.ListFor(Actor::Of(who), req.matches[1].str());
                                             if (!listed.ok()) return SendError(res, listed.code());
                                             SendJson(res, 200, *listed);
                                           })));

  server.Delete(kAdminPasskeyPath,
                Authenticated(issuer, Assured(mfa, "admin",
                                              [&passkeys](const httplib::Request& req, httplib::Response& res,
                                                          const Principal& who, RequestContext& ctx) {
                                                const Status removed = passkeys.DeleteFor(
                                                    Actor::Of(who), req.matches[1].str(), req.matches[2].str(), ctx);
                                                if (!removed.ok()) return SendError(res, removed.code());
                                                res.status = 204;
                                              })));
}

}  // namespace latchkey::http
