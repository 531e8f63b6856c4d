// Password recovery, email verification, email change (PATCH /auth/me) and
// the development outbox. Thin: parse, call RecoveryService, map the result.
#include "http/routes.h"
#include "mail/outbox_mailer.h"

namespace latchkey::http {
namespace {

constexpr std::size_t kMaxTokenField = 128;
constexpr std::size_t kOutboxLimit = 50;

void SendAccepted(httplib::Response& res) { SendJson(res, 202, Json{{"status", "accepted"}}); }

// Only these members; anything else is named back as the offending field.
bool OnlyFields(const Json& body, std::initializer_list<const char*> allowed, httplib::Response& res) {
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* name : allowed) known = known || key == name;
    if (!known) {
      SendError(res, Code::kValidationFailed, 0, Json{{"field", key}});
      return false;
    }
  }
  return true;
}

// The {email} body of forgot-password and resend-verification.
std::optional<std::string> ReadEmail(const httplib::Request& req, httplib::Response& res) {
  const std::optional<Json> body = ReadJsonObject(req, res);
  if (!body || !OnlyFields(*body, {"email"}, res)) return std::nullopt;
  return StringField(*body, "email", kMaxEmailField, true, res);
}

}  // namespace

void RegisterRecoveryRoutes(Router& server, Services services) {
  RecoveryService& recovery = services.recovery;
  const ServerConfig& config = services.config;
  server.Post("/auth/forgot-password", [&recovery](const httplib::Request& req, httplib::Response& res) {
    const auto email = ReadEmail(req, res);
    if (!email) return;
    RequestContext ctx = MakeContext(req, res);
    const Status status = recovery.ForgotPassword(*email, ctx);
    if (!status.ok()) return SendError(res, status.code(), ctx.retry_after, Json{{"field", "email"}});
    SendAccepted(res);
  });

  server.Post("/auth/resend-verification", [&recovery](const httplib::Request& req, httplib::Response& res) {
    const auto email = ReadEmail(req, res);
    if (!email) return;
    RequestContext ctx = MakeContext(req, res);
    const Status status = recovery.ResendVerification(*email, ctx);
    if (!status.ok()) return SendError(res, status.code(), ctx.retry_after, Json{{"field", "email"}});
    SendAccepted(res);
  });

  server.Post("/auth/reset-password", [&recovery](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body || !OnlyFields(*body, {"token", "new_password"}, res)) return;
    const auto token = StringField(*body, "token", kMaxTokenField, true, res);
    if (!token) return;
    const auto password = StringField(*body, "new_password", kMaxPasswordField, true, res);
    if (!password) return;
    RequestContext ctx = MakeContext(req, res);
    Json weak = Json::object();
    const Status status = recovery.ResetPassword(*token, *password, weak, ctx);
    if (status.code() == Code::kWeakPassword) return SendError(res, status.code(), 0, weak);
    if (!status.ok()) return SendError(res, status.code(), ctx.retry_after);
    res.status = 204;
  });

  // Looks at a reset link without using it: the page can refuse a dead link
  // before anyone types a password. Never names the account.
  server.Post("/auth/reset-password/check", [&recovery](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body || !OnlyFields(*body, {"token"}, res)) return;
    const auto token = StringField(*body, "token", kMaxTokenField, true, res);
    if (!token) return;
    RequestContext ctx = MakeContext(req, res);
    const Result<std::int64_t> expires_at = recovery.CheckResetToken(*token, ctx);
    if (!expires_at.ok()) return SendError(res, expires_at.code(), ctx.retry_after);
    SendJson(res, 200, Json{{"valid", true}, {"expires_at", *expires_at}});
  });

  server.Post("/auth/verify-email", [&recovery](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body || !OnlyFields(*body, {"token"}, res)) return;
    const auto token = StringField(*body, "token", kMaxTokenField, true, res);
    if (!token) return;
    RequestContext ctx = MakeContext(req, res);
    Result<User> user = recovery.VerifyEmail(*token, ctx);
    if (!user.ok()) return SendError(res, user.code(), ctx.retry_after);
    SendJson(res, 200, UserJson(*user));
  });

  server.Patch("/auth/me", Authenticated(services.issuer, [&recovery, &mfa = services.mfa](
                                                              const httplib::Request& req, httplib::Response& res,
                                                              const Principal& who, RequestContext& ctx) {
                 const std::optional<Json> body = ReadJsonObject(req, res);
                 if (!body || !OnlyFields(*body, {"name", "email", "current_password"}, res)) return;
                 std::optional<std::string> name, email, current_password;
                 if (body->contains("name")) {
                   name = StringField(*body, "name", kMaxNameField, true, res);
                   if (!name) return;
                 }
                 if (body->contains("email")) {
                   email = StringField(*body, "email", kMaxEmailField, true, res);
                   if (!email) return;
                 }
                 if (body->contains("current_password")) {
                   current_password = StringField(*body, "current_password", kMaxPasswordField, true, res);
                   if (!current_password) return;
                 }
                 if (!name && !email) {
                   return SendError(res, Code::kValidationFailed, 0, Json{{"field", "name"}});
                 }
                 if (email) {
                   const Status assured = mfa.RequireAssurance(who, "email", ctx);
                   if (!assured.ok()) return SendError(res, assured.code());
                 }
                 Result<User> user = recovery.UpdateProfile(who, name, email, current_password, ctx);
                 if (user.code() == Code::kValidationFailed) {
                   return SendError(res, user.code(), 0, Json{{"field", "name"}});
                 }
                 if (!user.ok()) return SendError(res, user.code(), ctx.retry_after);
                 SendJson(res, 200, UserJson(*user));
               }));

  // Development only: the outbox for the demo page. Without --dev it does not exist.
  server.Get("/dev/outbox", [&config](const httplib::Request&, httplib::Response& res) {
    if (!config.dev) return SendError(res, Code::kNotFound);
    ReplaceHeader(res, "Cache-Control", "no-store");
    SendJson(res, 200, Json{{"messages", ReadOutbox(config.outbox_dir, kOutboxLimit)}});
  });
}

}  // namespace latchkey::http
