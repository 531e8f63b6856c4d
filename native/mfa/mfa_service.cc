#include "mfa/mfa_service.h"

#include <algorithm>

#include "audit/audit_events.h"
#include "identity/ids.h"
#include "identity/roles.h"
#include "latchkey/encoding.h"
#include "limits/limit.h"
#include "metrics/metric_names.h"
#include "mfa/qr_svg.h"
#include "mfa/recovery_codes.h"

namespace latchkey {
namespace {

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return out;
}

// Google Authenticator's key URI format, read by every app.
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) + "?secret=" + std::string(secret) +
         "&issuer=" + PercentEncode(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

Json ChallengeFactors(const std::vector<TotpFactor>& factors) {
  Json listed = Json::array();
  for (const TotpFactor& factor : factors) {
    if (factor.verified)
      listed.push_back({{"id", factor.id}, {"type", "totp"}, {"friendly_name", factor.friendly_name}});
  }
  return listed;
}

}  // namespace

Result<std::vector<TotpFactor>> MfaService::TotpFactors(std::string_view user_id) {
  Result<std::vector<Credential>> all = deps_.credentials.ListForUser(user_id);
  if (!all.ok()) return all.code();
  std::vector<TotpFactor> factors;
  for (const Credential& credential : *all) {
    if (credential.type != credential_type::kTotp) continue;
    Result<TotpFactor> factor = DecodeTotpFactor(credential, kek_);
    if (!factor.ok()) return factor.code();
    factors.push_back(std::move(factor).value());
  }
  return factors;
}

Result<bool> MfaService::HasVerifiedFactor(std::string_view user_id) {
  Result<std::vector<TotpFactor>> factors = TotpFactors(user_id);
  if (!factors.ok()) return factors.code();
  return std::any_of(factors->begin(), factors->end(), [](const TotpFactor& f) { return f.verified; });
}

Result<std::optional<MfaChallenge>> MfaService::ChallengeIfEnrolled(const User& user,
                                                                    const std::vector<std::string>& methods,
                                                                    RequestContext& ctx) {
  Result<std::vector<TotpFactor>> factors = TotpFactors(user.id);
  if (!factors.ok()) return factors.code();
  MfaChallenge challenge;
  challenge.factors = ChallengeFactors(*factors);
  if (challenge.factors.empty()) return std::optional<MfaChallenge>();
  challenge.mfa_token = Base64UrlEncode(RandomBytes(deps_.random, 32));
  challenge.expires_at = ctx.now + kMfaTokenSeconds;
  // Bound to the first step: its methods travel with the token, which only
  // the client that passed that step holds.
  OneTimeToken flow{OneTimeTokenHash(challenge.mfa_token),
                    user.id,
                    std::string(token_purpose::kMfaChallenge),
                    user.email,
                    ctx.now,
                    challenge.expires_at,
                    Json{{"amr", methods}}.dump()};
  LATCHKEY_RETURN_IF_ERROR(deps_.flows.Issue(flow));
  deps_.audit.Record(audit_event::kMfaChallengeIssued, ctx, {user.id, std::nullopt, std::nullopt, {{"amr", methods}}});
  return std::optional<MfaChallenge>(std::move(challenge));
}

Result<TotpEnrollment> MfaService::EnrollTotp(const Principal& who, const std::optional<std::string>& current_password,
                                              std::string_view friendly_name, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(deps_.accounts.ProvePresence(who, current_password, ctx));
  LATCHKEY_RETURN_IF_ERROR(
      TakeLimit(deps_.limiter, deps_.metrics, "mfa:account:" + who.user.id, config_.mfa_per_account, ctx));
  Result<std::vector<TotpFactor>> existing = TotpFactors(who.user.id);
  if (!existing.ok()) return existing.code();
  TotpFactor factor;
  factor.id = NewUuid(deps_.random);
  factor.user_id = who.user.id;
  factor.friendly_name = std::string(friendly_name);
  factor.key = SecretBytes(RandomBytes(deps_.random, kTotpKeyBytes));
  factor.created_at = ctx.now;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    for (const TotpFactor& old : *existing) {
      if (old.verified) return Code::kFactorExists;
      LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(old.id));  // an abandoned enrolment
    }
    Credential row{factor.id,
                   who.user.id,
                   std::string(credential_type::kTotp),
                   factor.id,
                   EncodeTotpSecret(factor, kek_, deps_.random),
                   ctx.now,
                   ctx.now};
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(row));
    deps_.audit.Record(audit_event::kMfaFactorEnrolled, ctx,
                       {who.user.id, who.session.id, std::nullopt, {{"factor_id", factor.id}, {"type", "totp"}}});
    return Status::Ok();
  }));
  TotpEnrollment enrollment;
  enrollment.factor = TotpFactorJson(factor);
  enrollment.secret = Base32Encode(factor.key.view());
  enrollment.otpauth_uri = OtpauthUri(config_.totp_issuer, who.user.email, enrollment.secret);
  Result<std::string> svg = QrSvg(enrollment.otpauth_uri);
  if (!svg.ok()) return svg.code();
  enrollment.qr_svg = std::move(svg).value();
  return enrollment;
}

Status MfaService::TakeAttempt(const User& user, const std::string& factor_key, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(
      TakeLimit(deps_.limiter, deps_.metrics, "mfa:account:" + user.id, config_.mfa_per_account, ctx));
  return TakeLimit(deps_.limiter, deps_.metrics, "mfa:factor:" + factor_key, config_.mfa_per_factor, ctx);
}

Status MfaService::LoadTotp(std::string_view user_id, const std::optional<std::string>& factor_id, Credential& row,
                            TotpFactor& factor) {
  Result<std::vector<Credential>> rows = deps_.credentials.ListForUser(user_id);
  if (!rows.ok()) return rows.code();
  for (const Credential& candidate : *rows) {
    if (candidate.type != credential_type::kTotp || (factor_id && candidate.id != *factor_id)) continue;
    Result<TotpFactor> decoded = DecodeTotpFactor(candidate, kek_);
    if (!decoded.ok()) return decoded.code();
    if (!factor_id && !decoded->verified) continue;
    row = candidate;
    factor = std::move(decoded).value();
    return Status::Ok();
  }
  return Code::kFactorNotFound;
}

Status MfaService::SpendTotp(const User& user, const std::optional<std::string>& factor_id, std::string_view code,
                             bool enrolling, RequestContext& ctx) {
  // A lost race (another request used a code meanwhile) is checked again
  // against the new state, where that step no longer counts.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Credential row;
    TotpFactor factor;
    LATCHKEY_RETURN_IF_ERROR(LoadTotp(user.id, factor_id, row, factor));
    if (factor.verified == enrolling) return enrolling ? Code::kFactorExists : Code::kFactorNotFound;
    if (attempt == 0) LATCHKEY_RETURN_IF_ERROR(TakeAttempt(user, factor.id, ctx));
    Result<std::int64_t> step =
        latchkey::VerifyTotp(factor.key.view(), code, ctx.now, factor.params, kTotpWindow, factor.last_step);
    if (!step.ok()) return Code::kOtpCodeInvalid;
    factor.last_step = *step;
    factor.verified = true;
    // Re-encoding also wraps a key stored before the KEK was set.
    Result<bool> swapped =
        deps_.credentials.ReplaceSecret(factor.id, row.secret, EncodeTotpSecret(factor, kek_, deps_.random), ctx.now);
    if (!swapped.ok()) return swapped.code();
    if (*swapped) return Status::Ok();
  }
  return Code::kOtpCodeInvalid;
}

Status MfaService::SpendRecoveryCode(const User& user, std::string_view code, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(TakeAttempt(user, "recovery:" + user.id, ctx));
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<Credential> row = deps_.credentials.FindForUser(user.id, credential_type::kRecoveryCodes);
    if (row.code() == Code::kNotFound) return Code::kRecoveryCodeInvalid;
    if (!row.ok()) return row.code();
    Result<std::string> rest = latchkey::SpendRecoveryCode(row->secret, code);
    if (!rest.ok()) return rest.code();
    Result<bool> swapped = deps_.credentials.ReplaceSecret(row->id, row->secret, *rest, ctx.now);
    if (!swapped.ok()) return swapped.code();
    if (*swapped) return Status::Ok();
  }
  return Code::kRecoveryCodeInvalid;
}

Status MfaService::Spend(const User& user, const SecondFactorAnswer& answer, RequestContext& ctx, std::string& method) {
  Status spent = Status::Ok();
  if (answer.recovery_code) {
    method = "recovery_code";
    spent = SpendRecoveryCode(user, *answer.recovery_code, ctx);
  } else {
    method = "totp";
    spent = SpendTotp(user, answer.factor_id, answer.code.value_or(""), false, ctx);
  }
  const char* result = spent.ok() ? "ok" : spent.code() == Code::kRateLimited ? "rate_limited" : "failed";
  deps_.metrics.Increment(metric::kMfaChallenges, {{"method", method}, {"result", result}});
  if (!spent.ok() && spent.code() != Code::kRateLimited) {
    deps_.audit.Record(
        audit_event::kMfaChallengeFailed, ctx,
        {user.id, std::nullopt, std::nullopt, {{"method", method}, {"reason", std::string(WireCode(spent.code()))}}});
  }
  return spent;
}

Result<VerifiedFactor> MfaService::VerifyTotp(const Principal& who, std::string_view factor_id, std::string_view code,
                                              RequestContext& ctx) {
  const Status spent = SpendTotp(who.user, std::string(factor_id), code, true, ctx);
  deps_.metrics.Increment(metric::kMfaChallenges,
                          {{"method", "totp_enrolment"}, {"result", spent.ok() ? "ok" : "failed"}});
  if (!spent.ok()) {
    if (spent.code() == Code::kOtpCodeInvalid) {
      deps_.audit.Record(audit_event::kMfaChallengeFailed, ctx,
                         {who.user.id, who.session.id, std::nullopt, {{"method", "totp_enrolment"}}});
    }
    return spent.code();
  }
  VerifiedFactor verified;
  RecoveryCodes codes = NewRecoveryCodes(deps_.random);
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    Credential row{NewUuid(deps_.random),
                   who.user.id,
                   std::string(credential_type::kRecoveryCodes),
                   who.user.id,
                   codes.stored,
                   ctx.now,
                   ctx.now};
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(row));
    grant = deps_.issuer.StepUp(who, amr::kOtp, ctx);
    if (!grant.ok()) return grant.code();
    deps_.audit.Record(audit_event::kMfaFactorVerified, ctx,
                       {who.user.id, who.session.id, std::nullopt, {{"factor_id", factor_id}, {"type", "totp"}}});
    return Status::Ok();
  }));
  Result<std::vector<TotpFactor>> factors = TotpFactors(who.user.id);
  if (!factors.ok()) return factors.code();
  for (const TotpFactor& factor : *factors) {
    if (factor.id == factor_id) verified.factor = TotpFactorJson(factor);
  }
  verified.recovery_codes = std::move(codes.shown);
  verified.grant = std::move(grant).value();
  return verified;
}

Result<TokenGrant> MfaService::Challenge(std::string_view mfa_token, const SecondFactorAnswer& answer,
                                         RequestContext& ctx) {
  const std::string hash = OneTimeTokenHash(mfa_token);
  Result<OneTimeToken> flow = deps_.flows.Find(hash, ctx.now);
  if (!flow.ok() || flow->purpose != token_purpose::kMfaChallenge) {
    return flow.ok() || flow.code() == Code::kNotFound ? Code::kMfaTokenInvalid : flow.code();
  }
  Result<User> user = deps_.users.FindById(flow->user_id);
  if (!user.ok()) return Code::kMfaTokenInvalid;
  if (user->disabled) return Code::kUserDisabled;
  Json data = Json::parse(flow->data, nullptr, false);
  std::vector<std::string> methods;
  if (data.is_object() && data.contains("amr") && data["amr"].is_array()) {
    for (const Json& method : data["amr"]) {
      if (method.is_string()) methods.push_back(method.get<std::string>());
    }
  }
  if (methods.empty()) return Code::kMfaTokenInvalid;
  std::string method;
  LATCHKEY_RETURN_IF_ERROR(Spend(*user, answer, ctx, method));
  methods.emplace_back(amr::kOtp);
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    // Spent once: of two answers racing with one token, one gets a session.
    Result<OneTimeToken> taken = deps_.flows.Consume(hash, token_purpose::kMfaChallenge, ctx.now);
    if (!taken.ok()) return taken.code() == Code::kNotFound ? Code::kMfaTokenInvalid : taken.code();
    grant = deps_.issuer.Start(*user, methods, ctx);
    if (!grant.ok()) return grant.code();
    deps_.audit.Record(audit_event::kMfaChallengeSucceeded, ctx,
                       {user->id, grant->session_id, std::nullopt, {{"method", method}}});
    if (method == "recovery_code") {
      deps_.audit.Record(audit_event::kMfaRecoveryCodeUsed, ctx, {user->id, grant->session_id});
    }
    deps_.audit.Record(audit_event::kLogin, ctx, {user->id, grant->session_id, std::nullopt, {{"amr", methods}}});
    return Status::Ok();
  }));
  deps_.metrics.Increment(metric::kLogins, {{"result", "ok"}});
  return grant;
}

Result<TokenGrant> MfaService::StepUp(const Principal& who, const SecondFactorAnswer& answer, RequestContext& ctx) {
  std::string method;
  LATCHKEY_RETURN_IF_ERROR(Spend(who.user, answer, ctx, method));
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = deps_.issuer.StepUp(who, amr::kOtp, ctx);
    if (!grant.ok()) return grant.code();
    deps_.audit.Record(audit_event::kMfaChallengeSucceeded, ctx,
                       {who.user.id, who.session.id, std::nullopt, {{"method", method}, {"step_up", true}}});
    if (method == "recovery_code")
      deps_.audit.Record(audit_event::kMfaRecoveryCodeUsed, ctx, {who.user.id, who.session.id});
    return Status::Ok();
  }));
  return grant;
}

Result<Json> MfaService::ListFactors(std::string_view user_id) {
  Result<std::vector<TotpFactor>> factors = TotpFactors(user_id);
  if (!factors.ok()) return factors.code();
  Json listed = Json::array();
  for (const TotpFactor& factor : *factors) listed.push_back(TotpFactorJson(factor));
  int remaining = 0;
  Result<Credential> codes = deps_.credentials.FindForUser(user_id, credential_type::kRecoveryCodes);
  if (codes.ok()) remaining = RemainingRecoveryCodes(codes->secret);
  return Json{{"factors", listed}, {"recovery_codes_remaining", remaining}};
}

Status MfaService::RemoveFactor(const Principal& who, std::string_view factor_id, RequestContext& ctx) {
  Result<std::vector<TotpFactor>> factors = TotpFactors(who.user.id);
  if (!factors.ok()) return factors.code();
  const auto it =
      std::find_if(factors->begin(), factors->end(), [&](const TotpFactor& f) { return f.id == factor_id; });
  if (it == factors->end()) return Code::kFactorNotFound;
  // A stolen aal1 session must not be able to strip the factor that protects the account.
  if (it->verified && !IsMultiFactor(who.session.amr)) {
    deps_.audit.Record(audit_event::kInsufficientAal, ctx,
                       {who.user.id, who.session.id, std::nullopt, {{"route", "factors"}}});
    return Code::kInsufficientAal;
  }
  const bool last_verified = it->verified && std::count_if(factors->begin(), factors->end(),
                                                           [](const TotpFactor& f) { return f.verified; }) == 1;
  return deps_.units.Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(factor_id));
    if (last_verified) {
      Result<Credential> codes = deps_.credentials.FindForUser(who.user.id, credential_type::kRecoveryCodes);
      if (codes.ok()) LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(codes->id));
    }
    deps_.audit.Record(audit_event::kMfaFactorRemoved, ctx,
                       {who.user.id, who.session.id, std::nullopt, {{"factor_id", factor_id}, {"type", "totp"}}});
    return Status::Ok();
  });
}

Result<std::vector<std::string>> MfaService::RegenerateRecoveryCodes(const Principal& who, RequestContext& ctx) {
  Result<bool> enrolled = HasVerifiedFactor(who.user.id);
  if (!enrolled.ok()) return enrolled.code();
  if (!*enrolled) return Code::kFactorNotFound;
  if (!IsMultiFactor(who.session.amr)) return Code::kInsufficientAal;
  RecoveryCodes codes = NewRecoveryCodes(deps_.random);
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    Credential row{NewUuid(deps_.random),
                   who.user.id,
                   std::string(credential_type::kRecoveryCodes),
                   who.user.id,
                   codes.stored,
                   ctx.now,
                   ctx.now};
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(row));
    deps_.audit.Record(audit_event::kMfaRecoveryCodesRegenerated, ctx, {who.user.id, who.session.id});
    return Status::Ok();
  }));
  return std::move(codes.shown);
}

Status MfaService::RequireAssurance(const Principal& who, std::string_view route_group, RequestContext& ctx) {
  const auto& groups = config_.require_aal2_for;
  if (std::find(groups.begin(), groups.end(), route_group) == groups.end()) return Status::Ok();
  if (IsMultiFactor(who.session.amr)) return Status::Ok();
  Result<bool> enrolled = HasVerifiedFactor(who.user.id);
  if (!enrolled.ok()) return enrolled.code();
  if (!*enrolled) return Status::Ok();
  deps_.audit.Record(audit_event::kInsufficientAal, ctx,
                     {who.user.id, who.session.id, std::nullopt, {{"route", std::string(route_group)}}});
  return Code::kInsufficientAal;
}

Result<Json> MfaService::ListFactorsFor(const Actor& actor, std::string_view user_id) {
  if (actor.role != role::kAdmin) return Code::kForbidden;
  Result<User> user = deps_.users.FindById(user_id);
  if (!user.ok()) return user.code();
  return ListFactors(user_id);
}

Status MfaService::ResetFactorsFor(const Actor& actor, std::string_view user_id, RequestContext& ctx) {
  if (actor.role != role::kAdmin) return Code::kForbidden;
  Result<User> user = deps_.users.FindById(user_id);
  if (!user.ok()) return user.code();
  return RemoveAll(*user, ctx, actor.user_id);
}

Status MfaService::RemoveAll(const User& user, RequestContext& ctx, const std::optional<std::string>& actor) {
  Result<std::vector<Credential>> rows = deps_.credentials.ListForUser(user.id);
  if (!rows.ok()) return rows.code();
  return deps_.units.Run([&]() -> Status {
    for (const Credential& row : *rows) {
      if (row.type != credential_type::kTotp && row.type != credential_type::kRecoveryCodes) continue;
      LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(row.id));
      if (row.type == credential_type::kTotp) {
        deps_.audit.Record(
            audit_event::kMfaFactorRemoved, ctx,
            {user.id, std::nullopt, actor.value_or("operator"), {{"factor_id", row.id}, {"type", "totp"}}});
      }
    }
    return Status::Ok();
  });
}

}  // namespace latchkey
