#include "sessions/session_issuer.h"

#include <algorithm>

#include "identity/ids.h"
#include "latchkey/encoding.h"
#include "limits/limit.h"
#include "metrics/metric_names.h"

namespace latchkey {

namespace {
// A session or user that is not there ended the session; a database that did
// not answer did not (503, try again): a client told "session_revoked" would
// sign its user out over an outage.
Code Ended(Code lookup) { return lookup == Code::kNotFound ? Code::kSessionRevoked : lookup; }
}  // namespace

SessionIssuer::SessionIssuer(SessionIssuerDependencies deps, const ServerConfig& config)
    : deps_(deps), config_(config) {
  refresh_rules_.reuse_interval_seconds = config.reuse_interval;
  refresh_rules_.inactivity_seconds = config.refresh_ttl;
  refresh_rules_.absolute_seconds = config.session_max_age;
}

Result<std::string> SessionIssuer::IssueAccessToken(const User& user, const Session& session, std::int64_t now,
                                                    std::int64_t& expires_at) {
  expires_at = now + config_.access_ttl;
  JwtBuilder builder;
  builder.type("at+jwt")
      .issuer(config_.issuer)
      .subject(user.id)
      .audience(config_.audience)
      .issued_at(now)
      .expires_at(expires_at)
      .jwt_id(Base64UrlEncode(RandomBytes(deps_.random, 16)))
      .claim("sid", session.id)
      .claim("role", user.role)
      .claim("email", user.email)
      .claim("email_verified", user.email_verified)
      .claim("amr", session.amr)
      .claim("aal", AssuranceLevel(session.amr))
      .claim("auth_time", session.auth_time);
  return deps_.keys.Sign(builder);
}

Result<TokenGrant> SessionIssuer::Start(const User& user, const std::vector<std::string>& methods,
                                        RequestContext& ctx) {
  if (gate_ != nullptr && !IsMultiFactor(methods)) {
    Result<std::optional<MfaChallenge>> challenge = gate_->ChallengeIfEnrolled(user, methods, ctx);
    if (!challenge.ok()) return challenge.code();
    if (challenge->has_value()) {
      TokenGrant pending{user, "", "", 0, "", std::move(*challenge)};
      return pending;
    }
  }
  Session session;
  session.id = NewUuid(deps_.random);
  session.user_id = user.id;
  session.created_at = session.last_used_at = session.auth_time = ctx.now;
  session.user_agent = ctx.user_agent.substr(0, 256);
  session.ip = ctx.ip;
  session.amr = methods;
  RefreshToken refresh = NewRefreshToken(deps_.random);
  RefreshRecord first{refresh.hash, session.id, 0, ctx.now, std::nullopt, "", ""};
  LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Create(session, first));
  TokenGrant grant{user, session.id, "", 0, std::move(refresh.token), std::nullopt};
  Result<std::string> access = IssueAccessToken(user, session, ctx.now, grant.expires_at);
  if (!access.ok()) return access.code();
  grant.access_token = std::move(access).value();
  return grant;
}

Result<TokenGrant> SessionIssuer::StepUp(const Principal& who, std::string_view method, RequestContext& ctx) {
  Session session = who.session;
  if (std::find(session.amr.begin(), session.amr.end(), method) == session.amr.end()) {
    session.amr.emplace_back(method);
  }
  session.auth_time = ctx.now;
  LATCHKEY_RETURN_IF_ERROR(deps_.sessions.SetAuthentication(session.id, session.amr, ctx.now));
  TokenGrant grant{who.user, session.id, "", 0, "", std::nullopt};
  Result<std::string> access = IssueAccessToken(who.user, session, ctx.now, grant.expires_at);
  if (!access.ok()) return access.code();
  grant.access_token = std::move(access).value();
  return grant;
}

Result<TokenGrant> SessionIssuer::Refresh(std::string_view refresh_token, RequestContext& ctx) {
  if (!IsWellFormedRefreshToken(refresh_token)) return Code::kRefreshTokenInvalid;
  LATCHKEY_RETURN_IF_ERROR(
      TakeLimit(deps_.limiter, deps_.metrics, "refresh:ip:" + ctx.ip, config_.refresh_per_ip, ctx));
  // The rotation (or the revocation of a stolen session) and its audit event
  // commit together, whatever the answer: a refused refresh may still have
  // revoked a session.
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = Rotate(refresh_token, ctx);
    return Status::Ok();
  }));
  return grant;
}

Result<TokenGrant> SessionIssuer::Rotate(std::string_view refresh_token, RequestContext& ctx) {
  std::string successor;  // plaintext of a newly issued successor
  Result<RotationOutcome> outcome = deps_.sessions.Rotate(
      HashRefreshToken(refresh_token), ctx.now, [&](const RefreshTokenState& state, const Session& session) {
        RotationPlan plan{DecideRefresh(state, ctx.now, refresh_rules_), {}, "", ""};
        // Per account, so a client stuck in a refresh loop (or many stolen
        // sessions) cannot churn the database from many addresses.
        if (plan.decision.action == RefreshAction::kRotate &&
            !TakeLimit(deps_.limiter, deps_.metrics, "refresh:account:" + session.user_id, config_.refresh_per_account,
                       ctx)
                 .ok()) {
          plan.decision = RefreshDecision{RefreshAction::kReject, Code::kRateLimited};
        }
        if (plan.decision.action == RefreshAction::kRotate) {
          RefreshToken next = NewRefreshToken(deps_.random);
          plan.successor = RefreshRecord{next.hash, "", 0, ctx.now, std::nullopt, "", ""};
          plan.sealed = SealSuccessor(refresh_token, next.token, deps_.random);
          successor = std::move(next.token);
        } else if (plan.decision.action == RefreshAction::kRevokeSession) {
          plan.reason = "refresh_token_reused";
        }
        return plan;
      });
  if (!outcome.ok()) {
    deps_.metrics.Increment(metric::kRefreshes, {{"result", "invalid"}});
    return outcome.code();
  }
  const Session& session = outcome->session;
  switch (outcome->decision.action) {
    case RefreshAction::kRevokeSession:
      deps_.metrics.Increment(metric::kRefreshReuseDetected);
      deps_.audit.Record(audit_event::kRefreshReuseDetected, ctx, {session.user_id, session.id});
      return outcome->decision.code;
    case RefreshAction::kReject:
      deps_.metrics.Increment(metric::kRefreshes, {{"result", "rejected"}});
      return outcome->decision.code;
    case RefreshAction::kReturnSuccessor: {
      Result<std::string> opened = OpenSuccessor(refresh_token, outcome->sealed_successor);
      if (!opened.ok()) return opened.code();
      successor = std::move(opened).value();
      break;
    }
    case RefreshAction::kRotate:
      break;
  }

  Result<User> user = deps_.users.FindById(session.user_id);
  if (!user.ok()) return Ended(user.code());
  if (user->disabled) return Code::kUserDisabled;
  TokenGrant grant{std::move(user).value(), session.id, "", 0, std::move(successor), std::nullopt};
  // The new access token keeps how and when the user signed in.
  Result<std::string> access = IssueAccessToken(grant.user, session, ctx.now, grant.expires_at);
  if (!access.ok()) return access.code();
  grant.access_token = std::move(access).value();
  deps_.metrics.Increment(metric::kRefreshes, {{"result", "ok"}});
  deps_.audit.Record(audit_event::kTokenRefreshed, ctx, {grant.user.id, session.id});
  return grant;
}

Result<Principal> SessionIssuer::Authenticate(std::string_view access_token, RequestContext& ctx) {
  const auto keys = deps_.keys.snapshot();
  if (!keys) return Code::kInternal;
  Result<Json> claims = token_cache_.Verify(keys->verifier, access_token, ctx.now);
  if (!claims.ok()) return claims.code();
  const auto sid = claims->find("sid");
  const auto sub = claims->find("sub");
  if (sid == claims->end() || !sid->is_string() || sub == claims->end() || !sub->is_string()) {
    return Code::kTokenClaimMissing;
  }
  Result<Session> session = deps_.sessions.Find(sid->get<std::string>());
  if (!session.ok()) return Ended(session.code());
  if (session->revoked_at) return Code::kSessionRevoked;
  Result<User> user = deps_.users.FindById(sub->get<std::string>());
  if (!user.ok()) return Ended(user.code());
  if (user->id != session->user_id) return Code::kSessionRevoked;
  if (user->disabled) return Code::kUserDisabled;
  return Principal{std::move(user).value(), std::move(session).value(), std::move(claims).value()};
}

}  // namespace latchkey
