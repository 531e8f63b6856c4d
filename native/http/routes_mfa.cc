// /auth/mfa/*: TOTP enrolment and removal, the second step of a sign-in
// (with the mfa_token from the first), the step-up of a signed-in session,
// recovery codes; and the administrators' /admin/users/{id}/factors.
#include "http/routes.h"

namespace latchkey::http {
namespace {

constexpr std::size_t kMaxCodeField = 64;
constexpr std::size_t kMaxFactorName = 64;
constexpr const char* kFactorPath = R"(/auth/mfa/factors/([0-9a-f-]{36}))";
constexpr const char* kAdminFactorsPath = R"(/admin/users/([0-9a-f-]{36})/factors)";

// {code} or {recovery_code}, one of them; `factor_id` optional.
std::optional<SecondFactorAnswer> ReadAnswer(const Json& body, httplib::Response& res) {
  SecondFactorAnswer answer;
  if (body.contains("code")) {
    answer.code = StringField(body, "code", kMaxCodeField, true, res);
    if (!answer.code) return std::nullopt;
  }
  if (body.contains("recovery_code")) {
    answer.recovery_code = StringField(body, "recovery_code", kMaxCodeField, true, res);
    if (!answer.recovery_code) return std::nullopt;
  }
  if (answer.code.has_value() == answer.recovery_code.has_value()) {
    SendError(res, Code::kValidationFailed, 0, Json{{"field", "code"}});
    return std::nullopt;
  }
  if (body.contains("factor_id")) {
    answer.factor_id = StringField(body, "factor_id", 36, true, res);
    if (!answer.factor_id) return std::nullopt;
  }
  return answer;
}

// The body of an optional-JSON POST: {} when there is none.
}  // namespace

AuthedHandler Assured(MfaService& mfa, std::string route_group, AuthedHandler handler) {
  return [&mfa, route_group = std::move(route_group), handler = std::move(handler)](
             const httplib::Request& req, httplib::Response& res, const Principal& who, RequestContext& ctx) {
    const Status assured = mfa.RequireAssurance(who, route_group, ctx);
    if (!assured.ok()) return SendError(res, assured.code());
    handler(req, res, who, ctx);
  };
}

void RegisterMfaRoutes(Router& server, Services services) {
  SessionIssuer& issuer = services.issuer;
  MfaService& mfa = services.mfa;

  server.Post("/auth/mfa/totp/enroll", Authenticated(issuer, [&mfa](const httplib::Request& req, httplib::Response& res,
                                                                    const Principal& who, RequestContext& ctx) {
                const std::optional<Json> body = OptionalJsonObject(req, res);
                if (!body) return;
                std::optional<std::string> name = std::string(), current_password;
                if (body->contains("friendly_name")) {
                  name = StringField(*body, "friendly_name", kMaxFactorName, false, res);
                  if (!name) return;
                }
                if (body->contains("current_password")) {
                  current_password = StringField(*body, "current_password", 1024, true, res);
                  if (!current_password) return;
                }
                Result<TotpEnrollment> enrolled = mfa.EnrollTotp(who, current_password, *name, ctx);
                if (!enrolled.ok()) return SendError(res, enrolled.code(), ctx.retry_after);
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200,
                         Json{{"factor_id", enrolled->factor["id"]},
                              {"factor", enrolled->factor},
                              {"secret", enrolled->secret},
                              {"otpauth_uri", enrolled->otpauth_uri},
                              {"qr_svg", enrolled->qr_svg}});
              }));

  server.Post("/auth/mfa/totp/verify", Authenticated(issuer, [&mfa](const httplib::Request& req, httplib::Response& res,
                                                                    const Principal& who, RequestContext& ctx) {
                const std::optional<Json> body = ReadJsonObject(req, res);
                if (!body) return;
                const auto factor_id = StringField(*body, "factor_id", 36, true, res);
                if (!factor_id) return;
                const auto code = StringField(*body, "code", kMaxCodeField, true, res);
                if (!code) return;
                Result<VerifiedFactor> verified = mfa.VerifyTotp(who, *factor_id, *code, ctx);
                if (!verified.ok()) return SendError(res, verified.code(), ctx.retry_after);
                const TokenGrant& grant = verified->grant;
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200,
                         Json{{"factor", verified->factor},
                              {"recovery_codes", verified->recovery_codes},
                              {"access_token", grant.access_token},
                              {"token_type", "bearer"},
                              {"expires_in", grant.expires_at - ctx.now},
                              {"expires_at", grant.expires_at},
                              {"user", UserJson(grant.user)}});
              }));

  // The second step: {mfa_token, code | recovery_code}. Or, with a bearer
  // token and no mfa_token, the step-up of that session to aal2.
  server.Post("/auth/mfa/challenge", [&mfa, &issuer](const httplib::Request& req, httplib::Response& res) {
    const std::optional<Json> body = ReadJsonObject(req, res);
    if (!body) return;
    const std::optional<SecondFactorAnswer> answer = ReadAnswer(*body, res);
    if (!answer) return;
    RequestContext ctx = MakeContext(req, res);
    if (body->contains("mfa_token")) {
      const auto mfa_token = StringField(*body, "mfa_token", 128, true, res);
      if (!mfa_token) return;
      Result<TokenGrant> grant = mfa.Challenge(*mfa_token, *answer, ctx);
      if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
      return SendTokens(res, 200, *grant, ctx.now);
    }
    const std::string bearer = BearerToken(req);
    if (bearer.empty()) return SendError(res, Code::kValidationFailed, 0, Json{{"field", "mfa_token"}});
    Result<Principal> who = issuer.Authenticate(bearer, ctx);
    if (!who.ok()) return SendError(res, who.code());
    Result<TokenGrant> grant = mfa.StepUp(*who, *answer, ctx);
    if (!grant.ok()) return SendError(res, grant.code(), ctx.retry_after);
    SendTokens(res, 200, *grant, ctx.now);
  });

  server.Get("/auth/mfa/factors", Authenticated(issuer, [&mfa](const httplib::Request&, httplib::Response& res,
                                                               const Principal& who, RequestContext&) {
               Result<Json> listed = mfa.ListFactors(who.user.id);
               if (!listed.ok()) return SendError(res, listed.code());
               Json body = std::move(listed).value();
               body["aal"] = AssuranceLevel(who.session.amr);
               SendJson(res, 200, body);
             }));

  server.Delete(kFactorPath, Authenticated(issuer, [&mfa](const httplib::Request& req, httplib::Response& res,
                                                          const Principal& who, RequestContext& ctx) {
                  const Status removed = mfa.RemoveFactor(who, req.matches[1].str(), ctx);
                  if (!removed.ok()) return SendError(res, removed.code());
                  res.status = 204;
                }));

  server.Post("/auth/mfa/recovery-codes", Authenticated(issuer, [&mfa](const httplib::Request&, httplib::Response& res,
                                                                       const Principal& who, RequestContext& ctx) {
                Result<std::vector<std::string>> codes = mfa.RegenerateRecoveryCodes(who, ctx);
                if (!codes.ok()) return SendError(res, codes.code());
                ReplaceHeader(res, "Cache-Control", "no-store");
                SendJson(res, 200, Json{{"recovery_codes", *codes}});
              }));

  server.Get(kAdminFactorsPath,
             Authenticated(issuer, Assured(mfa, "admin",
                                           [&mfa](const httplib::Request& req, httplib::Response& res,
                                                  const Principal& who, RequestContext&) {
                                             Result<Json> listed =
                                                 mfa.ListFactorsFor(Actor::Of(who), req.matches[1].str());
                                             if (!listed.ok()) return SendError(res, listed.code());
                                             SendJson(res, 200, *listed);
                                           })));

  server.Delete(kAdminFactorsPath,
                Authenticated(issuer, Assured(mfa, "admin",
                                              [&mfa](const httplib::Request& req, httplib::Response& res,
                                                     const Principal& who, RequestContext& ctx) {
                                                const Status reset =
                                                    mfa.ResetFactorsFor(Actor::Of(who), req.matches[1].str(), ctx);
                                                if (!reset.ok()) return SendError(res, reset.code());
                                                res.status = 204;
                                              })));
}

}  // namespace latchkey::http
