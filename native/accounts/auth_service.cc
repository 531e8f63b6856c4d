// AuthService: shared helpers, signup, login, authentication.
#include "accounts/auth_service.h"

#include "accounts/legacy_hash.h"

#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"
#include "latchkey/password_policy.h"

namespace latchkey {

AuthService::AuthService(Dependencies deps, const ServerConfig& config) : deps_(deps), config_(config) {
  refresh_rules_.reuse_interval_seconds = config.reuse_interval;
  refresh_rules_.inactivity_seconds = config.refresh_ttl;
  refresh_rules_.absolute_seconds = config.session_max_age;
}

Status AuthService::Init() {
  std::string secret = Base64UrlEncode(RandomBytes(deps_.random, 24));
  Result<std::string> hash = HashPassword(secret, config_.argon2);
  SecureZero(secret);
  if (!hash.ok()) return hash.code();
  dummy_hash_ = std::move(hash).value();
  return Status::Ok();
}

PasswordVerdict AuthService::CheckNewPassword(std::string_view password, std::string_view email,
                                              std::string_view name) const {
  PasswordVerdict verdict;
  const std::vector<std::string> context = {std::string(email), std::string(name), "latchkey"};
  Result<PolicyVerdict> checked = CheckPassword(password, config_.password_policy, context);
  if (!checked.ok()) {
    verdict.reasons = {"invalid_utf8"};
  } else {
    verdict.acceptable = checked->acceptable;
    verdict.reasons = checked->reasons;
    verdict.normalized = std::move(checked->normalized);
    if (checked->estimated) {
      const StrengthFeedback& feedback = checked->strength.feedback;
      Json suggestions = Json::array();
      for (const FeedbackItem& item : feedback.suggestions)
        suggestions.push_back({{"code", item.code}, {"text", item.text}});
      verdict.details["score"] = checked->strength.score;
      verdict.details["feedback"] = {
          {"warning",
           feedback.has_warning ? Json{{"code", feedback.warning.code}, {"text", feedback.warning.text}} : Json()},
          {"suggestions", std::move(suggestions)}};
    }
  }
  verdict.details["reasons"] = verdict.reasons;
  return verdict;
}

Json AuthService::PasswordPolicyJson() const { return config_.password_policy.ToJson(); }

std::string AuthService::NewId() {
  // UUID version 4 (RFC 9562 §5.4).
  std::string bytes = RandomBytes(deps_.random, 16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);
  const std::string hex = HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

Status AuthService::Limit(const std::string& key, const BucketLimit& limit, RequestContext& ctx) {
  const std::int64_t wait = deps_.limiter.Take(key, limit, ctx.monotonic);
  if (wait == 0) return Status::Ok();
  ctx.retry_after = wait;
  deps_.metrics.Increment("latchkey_rate_limited_total", {{"bucket", key.substr(0, key.find(':'))}});
  return Code::kRateLimited;
}

void AuthService::Audit(std::string event, const RequestContext& ctx, std::optional<std::string> user_id,
                        std::optional<std::string> session_id, std::optional<std::string> actor_id, Json detail) {
  AuditEvent record;
  record.at = ctx.now;
  record.event = std::move(event);
  record.user_id = std::move(user_id);
  record.session_id = std::move(session_id);
  record.actor_id = std::move(actor_id);
  record.ip = ctx.ip;
  record.request_id = ctx.request_id;
  record.detail = detail.dump(-1, ' ', false, Json::error_handler_t::replace);
  deps_.audit.Record(std::move(record));
}

Result<std::string> AuthService::Hash(std::string_view password, RequestContext& ctx) {
  Result<std::string> hash = Code::kInternal;
  const Status ran = deps_.hashes.Run([&] { hash = HashPassword(password, config_.argon2); });
  if (!ran.ok()) {
    ctx.retry_after = 1;
    return ran.code();
  }
  return hash;
}

Status AuthService::VerifyStored(const std::string& stored, std::string_view raw, const std::string& normalized,
                                 RequestContext& ctx) {
  Status verified = Code::kInternal;
  // bcrypt hashes came from another app that hashed the bytes as typed, so
  // they are checked against the raw input, not the NFKC form.
  const Status ran = deps_.hashes.Run(
      [&] { verified = IsLegacyHash(stored) ? VerifyBcrypt(stored, raw) : VerifyPassword(stored, normalized); });
  if (!ran.ok()) {
    ctx.retry_after = 1;
    return ran.code();
  }
  return verified;
}

Result<std::string> AuthService::IssueAccessToken(const User& user, const std::string& session_id, std::int64_t now,
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
      .claim("sid", session_id)
      .claim("role", user.role)
      .claim("email", user.email)
      .claim("email_verified", user.email_verified);
  return deps_.keys.Sign(builder);
}

Result<TokenGrant> AuthService::StartSession(const User& user, RequestContext& ctx) {
  Session session;
  session.id = NewId();
  session.user_id = user.id;
  session.created_at = session.last_used_at = ctx.now;
  session.user_agent = ctx.user_agent.substr(0, 256);
  session.ip = ctx.ip;
  RefreshToken refresh = NewRefreshToken(deps_.random);
  RefreshRecord first{refresh.hash, session.id, 0, ctx.now, std::nullopt, "", ""};
  LATCHKEY_RETURN_IF_ERROR(deps_.sessions.Create(session, first));
  TokenGrant grant{user, session.id, "", 0, std::move(refresh.token)};
  Result<std::string> access = IssueAccessToken(user, session.id, ctx.now, grant.expires_at);
  if (!access.ok()) return access.code();
  grant.access_token = std::move(access).value();
  return grant;
}

Result<User> AuthService::InsertUser(std::string email, std::string_view name, std::string_view role,
                                     PasswordVerdict& verdict, RequestContext& ctx,
                                     const std::function<Status(const User&)>& then) {
  Result<std::string> hash = Hash(verdict.normalized, ctx);
  SecureZero(verdict.normalized);
  if (!hash.ok()) return hash.code();
  User user;
  user.id = NewId();
  user.email = std::move(email);
  user.name = std::string(name);
  user.password_hash = std::move(hash).value();
  user.role = std::string(role);
  user.created_at = user.updated_at = ctx.now;
  // The hash is made before the unit starts, so no write lock waits on Argon2.
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(deps_.users.Insert(user));
    return then(user);
  }));
  return user;
}

Result<TokenGrant> AuthService::Signup(std::string_view email, std::string_view password, std::string_view name,
                                       RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return normalized.code();
  LATCHKEY_RETURN_IF_ERROR(ValidateDisplayName(name));
  PasswordVerdict verdict = CheckNewPassword(password, *normalized, name);
  if (!verdict.acceptable) return Code::kWeakPassword;
  LATCHKEY_RETURN_IF_ERROR(Limit("signup:ip:" + ctx.ip, config_.signup_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("signup:email:" + *normalized, config_.signup_per_email, ctx));

  Result<TokenGrant> grant = Code::kInternal;
  Result<User> user = InsertUser(std::move(normalized).value(), name, "user", verdict, ctx, [&](const User& added) -> Status {
    if (config_.require_verified_email) {
      // No session until the address is verified: the grant carries the user only.
      Audit("signup", ctx, added.id);
      grant = TokenGrant{added, "", "", 0, ""};
      return Status::Ok();
    }
    grant = StartSession(added, ctx);
    if (!grant.ok()) return Status(grant.code());
    Audit("signup", ctx, added.id, grant->session_id);
    return Status::Ok();
  });
  if (!user.ok()) return user.code();
  deps_.metrics.Increment("latchkey_signups_total");
  if (on_signup_) on_signup_(*user, ctx);
  return grant;
}

Result<TokenGrant> AuthService::Login(std::string_view email, std::string_view password, RequestContext& ctx) {
  Result<std::string> normalized = NormalizeEmail(email);
  if (!normalized.ok()) return Code::kInvalidCredentials;
  LATCHKEY_RETURN_IF_ERROR(Limit("login:ip:" + ctx.ip, config_.login_per_ip, ctx));
  LATCHKEY_RETURN_IF_ERROR(Limit("login:account:" + *normalized, config_.login_per_account, ctx));
  const std::string failures_key = "login_failed:" + *normalized;
  if (const std::int64_t wait = deps_.limiter.Check(failures_key, config_.failed_logins_per_account, ctx.monotonic)) {
    ctx.retry_after = wait;
    return Code::kRateLimited;
  }

  Result<User> user = deps_.users.FindByEmail(*normalized);
  if (!user.ok() && user.code() != Code::kNotFound) return user.code();
  // Unknown emails are checked against a dummy hash of the same cost, so the
  // answer takes as long as for a wrong password.
  const std::string& stored = user.ok() ? user->password_hash : dummy_hash_;
  // Hashes are of the NFKC form, so "Å" typed either way matches.
  Result<std::string> typed = NormalizePassword(password);
  const std::string candidate = typed.ok() ? std::move(typed).value() : std::string(password);
  const Status verified = VerifyStored(stored, password, candidate, ctx);
  if (verified.code() == Code::kServerBusy) return verified;
  if (!user.ok() || !verified.ok()) {
    deps_.limiter.Take(failures_key, config_.failed_logins_per_account, ctx.monotonic);
    deps_.metrics.Increment("latchkey_logins_total", {{"result", "failed"}});
    Audit("login_failed", ctx, user.ok() ? std::optional<std::string>(user->id) : std::nullopt);
    return Code::kInvalidCredentials;
  }
  if (user->disabled) {
    deps_.metrics.Increment("latchkey_logins_total", {{"result", "disabled"}});
    Audit("login_failed", ctx, user->id, std::nullopt, std::nullopt, Json{{"reason", "disabled"}});
    return Code::kUserDisabled;
  }
  // Only after the password matched, so this cannot tell anyone whether an account exists.
  if (config_.require_verified_email && !user->email_verified) {
    deps_.metrics.Increment("latchkey_logins_total", {{"result", "unverified"}});
    Audit("login_failed", ctx, user->id, std::nullopt, std::nullopt, Json{{"reason", "email_not_verified"}});
    return Code::kEmailNotVerified;
  }
  // An imported bcrypt hash, or a cost that changed since this hash was made:
  // upgrade it while we hold the password (Argon2id of the NFKC form).
  const bool legacy = IsLegacyHash(user->password_hash);
  Result<bool> stale = legacy ? Result<bool>(true) : NeedsRehash(user->password_hash, config_.argon2);
  if (stale.ok() && *stale) {
    if (Result<std::string> fresh = Hash(candidate, ctx); fresh.ok()) {
      if (deps_.users.UpdatePasswordHash(user->id, *fresh, ctx.now).ok()) {
        user->password_hash = *fresh;
        if (legacy)
          Audit("password_hash_upgraded", ctx, user->id, std::nullopt, std::nullopt, Json{{"from", "bcrypt"}});
      }
    }
  }
  // The session and its audit event: one commit.
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = StartSession(*user, ctx);
    if (!grant.ok()) return Status(grant.code());
    Audit("login", ctx, user->id, grant->session_id);
    return Status::Ok();
  }));
  deps_.metrics.Increment("latchkey_logins_total", {{"result", "ok"}});
  return grant;
}

Result<Principal> AuthService::Authenticate(std::string_view access_token, RequestContext& ctx) {
  const auto keys = deps_.keys.snapshot();
  if (!keys) return Code::kInternal;
  Result<Json> claims = token_cache_.Verify(keys->verifier, access_token, ctx.now);
  if (!claims.ok()) return claims.code();
  const auto sid = claims->find("sid");
  const auto sub = claims->find("sub");
  if (sid == claims->end() || !sid->is_string() || sub == claims->end() || !sub->is_string()) {
    return Code::kTokenClaimMissing;
  }
  // Tokens are checked against live state too, so logout and disabling take
  // effect at once on this server, not only when the token expires.
  Result<Session> session = deps_.sessions.Find(sid->get<std::string>());
  if (!session.ok() || session->revoked_at) return Code::kSessionRevoked;
  Result<User> user = deps_.users.FindById(sub->get<std::string>());
  if (!user.ok() || user->id != session->user_id) return Code::kSessionRevoked;
  if (user->disabled) return Code::kUserDisabled;
  return Principal{std::move(user).value(), std::move(session).value(), std::move(claims).value()};
}

}  // namespace latchkey
