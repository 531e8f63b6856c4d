#include "strategies/oauth/oauth_strategy.h"

#include <algorithm>

#include "audit/audit_events.h"
#include "identity/ids.h"
#include "identity/sign_in_methods.h"
#include "latchkey/account_rules.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "limits/limit.h"
#include "metrics/metric_names.h"
#include "sessions/assurance.h"

namespace latchkey {
namespace {

constexpr std::int64_t kStateTtl = 600;  // time to sign in at the provider
constexpr std::int64_t kCodeTtl = 120;   // the page exchanges it as it loads

std::string FlowHash(std::string_view secret) { return HexEncode(Sha256(secret)); }

std::string NewSecret(RandomSource& random) { return Base64UrlEncode(RandomBytes(random, 32)); }

std::string Member(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 7636 §4.1: 43 to 128 of the unreserved characters.
bool ValidVerifier(const std::string& verifier) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (const char ch : verifier) {
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
          ch == '_' || ch == '~')) {
      return false;
    }
  }
  return true;
}

// A base64url SHA-256: what S256 makes of any verifier.
bool ValidChallenge(const std::string& challenge) {
  if (challenge.size() != 43) return false;
  Result<std::string> bytes = Base64UrlDecode(challenge);
  return bytes.ok() && bytes->size() == 32;
}

std::string Serialize(const Json& value) {
  Result<std::string> text = SerializeJson(value);
  return text.ok() ? std::move(text).value() : std::string("{}");
}

}  // namespace

OAuthStrategy::OAuthStrategy(OAuthStrategyDependencies deps, const ServerConfig& config,
                             std::vector<oauth::ProviderConfig> providers)
    : deps_(deps), config_(config) {
  oauth::HttpLimits limits;
  limits.total_timeout_ms = config.oauth_timeout_ms;
  limits.connect_timeout_ms = std::min<long>(3000, config.oauth_timeout_ms);
  for (oauth::ProviderConfig& provider : providers) {
    clients_.push_back(std::make_unique<oauth::ProviderClient>(std::move(provider), limits));
  }
}

std::vector<ProviderSummary> OAuthStrategy::Providers() const {
  std::vector<ProviderSummary> out;
  for (const auto& client : clients_) out.push_back({client->config().id, client->config().name});
  return out;
}

oauth::ProviderClient* OAuthStrategy::Find(const std::string& id) {
  for (const auto& client : clients_) {
    if (client->config().id == id) return client.get();
  }
  return nullptr;
}

std::string OAuthStrategy::CallbackUrl(const std::string& provider) const {
  return config_.public_url + "/auth/oauth/" + provider + "/callback";
}

bool OAuthStrategy::RedirectAllowed(const std::string& url) const {
  if (url.empty() || url.size() > 2048 || url.find('#') != std::string::npos) return false;
  for (const char ch : url) {
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f || ch == '\\') return false;
  }
  const std::vector<std::string> defaults = {config_.public_url + "/"};
  for (const std::string& prefix : config_.redirect_allow.empty() ? defaults : config_.redirect_allow) {
    if (url.compare(0, prefix.size(), prefix) != 0) continue;
    // A prefix ends at a path boundary: https://app.example must not allow https://app.example.evil.
    if (url.size() == prefix.size() || prefix.back() == '/' || url[prefix.size()] == '/' || url[prefix.size()] == '?') {
      return true;
    }
  }
  return false;
}

Status OAuthStrategy::Limit(const std::string& key, RequestContext& ctx) {
  return TakeLimit(deps_.limiter, deps_.metrics, key, config_.oauth_per_ip, ctx);
}

Result<std::string> OAuthStrategy::Authorize(const AuthorizeRequest& request, RequestContext& ctx) {
  oauth::ProviderClient* client = Find(request.provider);
  if (client == nullptr) return Code::kProviderNotFound;
  if (!RedirectAllowed(request.redirect_to)) return Code::kRedirectNotAllowed;
  // PKCE is required and only S256: "plain" would put the verifier in the URL.
  const bool linking = request.link_user_id.has_value();
  if (request.code_challenge_method != "S256" || (!linking && !ValidChallenge(request.code_challenge)) ||
      (linking && !request.code_challenge.empty() && !ValidChallenge(request.code_challenge))) {
    return Code::kInvalidArgument;
  }
  LATCHKEY_RETURN_IF_ERROR(Limit("oauth:authorize:ip:" + ctx.ip, ctx));
  (void)deps_.flows.DeleteExpired(ctx.now);  // keeps the table to live flows

  const std::string state = NewSecret(deps_.random);
  const std::string nonce = NewSecret(deps_.random);
  const std::string verifier = NewSecret(deps_.random);  // 43 characters
  std::string failure;
  Result<std::string> url = client->AuthorizeUrl(CallbackUrl(request.provider), state, nonce,
                                                 Base64UrlEncode(Sha256(verifier)), ctx.now, &failure);
  if (!url.ok()) {
    deps_.logger.Warn("sign-in provider failed", {{"provider", request.provider}, {"reason", failure}});
    return url.code();
  }
  Json data = {{"provider", request.provider},
               {"redirect_to", request.redirect_to},
               {"code_challenge", request.code_challenge},
               {"nonce", nonce},
               {"verifier", verifier}};
  if (linking) data["link_user"] = *request.link_user_id;
  LATCHKEY_RETURN_IF_ERROR(deps_.flows.Put(
      OAuthFlow{FlowHash(state), std::string(flow_kind::kState), Serialize(data), ctx.now, ctx.now + kStateTtl}));
  return url;
}

Result<std::string> OAuthStrategy::Callback(const std::string& provider, const std::string& code,
                                            const std::string& state, const std::string& error, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(Limit("oauth:callback:ip:" + ctx.ip, ctx));
  oauth::ProviderClient* client = Find(provider);
  if (client == nullptr) return Code::kProviderNotFound;
  auto refuse_state = [&](const char* reason) {
    deps_.audit.Record(audit_event::kOAuthSignInFailed, ctx,
                       {std::nullopt, std::nullopt, std::nullopt, {{"provider", provider}, {"reason", reason}}});
    deps_.metrics.Increment(metric::kOAuthSignIns, {{"provider", provider}, {"result", "state_invalid"}});
    return Code::kOAuthStateInvalid;
  };
  if (state.empty() || state.size() > 256) return refuse_state("state_invalid");
  Result<OAuthFlow> flow = deps_.flows.Consume(FlowHash(state), flow_kind::kState, ctx.now);
  if (!flow.ok()) return flow.code() == Code::kNotFound ? refuse_state("state_invalid") : flow.code();
  Result<Json> data = ParseJson(flow->data);
  // A state issued for another provider: someone swapped the callback's path.
  if (!data.ok() || Member(*data, "provider") != provider) return refuse_state("state_provider_mismatch");
  const std::string redirect_to = Member(*data, "redirect_to");
  const std::string link_user = Member(*data, "link_user");

  auto fail = [&](Code why, std::optional<std::string> user_id = std::nullopt) {
    const ErrorInfo& info = Describe(why);
    deps_.audit.Record(audit_event::kOAuthSignInFailed, ctx,
                       {user_id, std::nullopt, std::nullopt, {{"provider", provider}, {"reason", info.wire}}});
    deps_.metrics.Increment(metric::kOAuthSignIns, {{"provider", provider}, {"result", std::string(info.wire)}});
    return redirect_to + "#error=" + oauth::UrlEncode(info.wire) +
           "&error_description=" + oauth::UrlEncode(info.message);
  };
  if (!error.empty()) return fail(Code::kProviderAccessDenied);
  if (code.empty() || code.size() > 2048) return fail(Code::kProviderResponseInvalid);

  std::string failure;
  Result<oauth::ProviderProfile> profile =
      client->Redeem(code, CallbackUrl(provider), Member(*data, "verifier"), Member(*data, "nonce"), ctx.now, &failure);
  if (!profile.ok()) {
    deps_.logger.Warn("sign-in provider failed", {{"provider", provider}, {"reason", failure}});
    return fail(profile.code());
  }

  if (!link_user.empty()) {
    Result<User> user = deps_.users.FindById(link_user);
    // Gone or disabled since the link began: as for a revoked session. The
    // database not answering is no such verdict: the caller may try again.
    if (!user.ok() && user.code() != Code::kNotFound) return fail(user.code());
    if (!user.ok() || user->disabled) return fail(Code::kSessionRevoked);
    const Status linked = deps_.units.Run([&]() -> Status {
      LATCHKEY_RETURN_IF_ERROR(Link(user->id, provider, *profile, ctx));
      deps_.audit.Record(audit_event::kIdentityLinked, ctx,
                         {user->id, std::nullopt, std::nullopt, {{"provider", provider}, {"via", "link"}}});
      return Status::Ok();
    });
    if (!linked.ok()) return fail(linked.code(), user->id);
    deps_.metrics.Increment(metric::kOAuthSignIns, {{"provider", provider}, {"result", "linked"}});
    return redirect_to + "#linked=" + oauth::UrlEncode(provider);
  }

  bool created = false;
  Result<User> user = SignInUser(provider, *profile, ctx, created);
  if (!user.ok()) return fail(user.code());
  if (user->disabled) return fail(Code::kUserDisabled, user->id);
  const std::string one_time_code = NewSecret(deps_.random);
  const Json carried = {
      {"user", user->id}, {"provider", provider}, {"code_challenge", Member(*data, "code_challenge")}};
  const Status stored = deps_.flows.Put(OAuthFlow{FlowHash(one_time_code), std::string(flow_kind::kCode),
                                                  Serialize(carried), ctx.now, ctx.now + kCodeTtl});
  if (!stored.ok()) return fail(stored.code(), user->id);
  return redirect_to + "#code=" + one_time_code;
}

Status OAuthStrategy::Link(const std::string& user_id, const std::string& provider,
                           const oauth::ProviderProfile& profile, RequestContext& ctx) {
  const std::string identifier = provider + ":" + profile.subject;
  Result<Credential> existing = deps_.credentials.FindByIdentifier(credential_type::kOidc, identifier);
  if (existing.ok() && existing->user_id != user_id) return Code::kIdentityTaken;
  if (!existing.ok() && existing.code() != Code::kNotFound) return existing.code();
  // Not a secret: what the provider said of the account, shown in the profile.
  const Json about = {{"provider", provider},
                      {"subject", profile.subject},
                      {"email", profile.email},
                      {"email_verified", profile.email_verified},
                      {"name", profile.name}};
  Credential credential{existing.ok() ? existing->id : NewUuid(deps_.random),
                        user_id,
                        std::string(credential_type::kOidc),
                        identifier,
                        Serialize(about),
                        existing.ok() ? existing->created_at : ctx.now,
                        ctx.now};
  return deps_.credentials.Put(credential);
}

Result<User> OAuthStrategy::SignInUser(const std::string& provider, const oauth::ProviderProfile& profile,
                                       RequestContext& ctx, bool& created) {
  const std::string identifier = provider + ":" + profile.subject;
  // Twice at most: a concurrent first sign-in of the same person may create
  // the account between our look and our insert; the second pass finds it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<Credential> linked = deps_.credentials.FindByIdentifier(credential_type::kOidc, identifier);
    if (linked.ok()) return deps_.users.FindById(linked->user_id);
    if (linked.code() != Code::kNotFound) return linked.code();

    if (profile.email.empty()) return Code::kProviderEmailUnverified;
    Result<std::string> email = NormalizeEmail(profile.email);
    if (!email.ok()) return Code::kProviderResponseInvalid;
    Result<User> owner = deps_.users.FindByEmail(*email);
    if (owner.ok()) {
      if (!profile.email_verified || !owner->email_verified) return Code::kIdentityEmailConflict;
      LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
        LATCHKEY_RETURN_IF_ERROR(Link(owner->id, provider, profile, ctx));
        deps_.audit.Record(audit_event::kIdentityLinked, ctx,
                           {owner->id, std::nullopt, std::nullopt, {{"provider", provider}, {"via", "email"}}});
        return Status::Ok();
      }));
      return owner;
    }
    if (owner.code() != Code::kNotFound) return owner.code();
    if (!profile.email_verified) return Code::kProviderEmailUnverified;

    User user;
    user.id = NewUuid(deps_.random);
    user.email = std::move(email).value();
    user.name = ValidateDisplayName(profile.name).ok() ? profile.name : "";
    user.email_verified = true;  // the provider verified it
    user.created_at = user.updated_at = ctx.now;
    const Status inserted = deps_.units.Run([&]() -> Status {
      LATCHKEY_RETURN_IF_ERROR(deps_.users.Insert(user));
      LATCHKEY_RETURN_IF_ERROR(Link(user.id, provider, profile, ctx));
      deps_.audit.Record(audit_event::kOAuthSignup, ctx,
                         {user.id, std::nullopt, std::nullopt, {{"provider", provider}}});
      return Status::Ok();
    });
    if (inserted.ok()) {
      created = true;
      deps_.metrics.Increment(metric::kSignups);
      return user;
    }
    if (inserted.code() != Code::kEmailTaken) return inserted.code();
  }
  return Code::kIdentityEmailConflict;
}

Result<TokenGrant> OAuthStrategy::Exchange(const std::string& code, const std::string& code_verifier,
                                           RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(Limit("oauth:token:ip:" + ctx.ip, ctx));
  if (code.empty() || code.size() > 256 || !ValidVerifier(code_verifier)) return Code::kOAuthCodeInvalid;
  // Taken before the verifier is checked: a wrong verifier spends the code,
  // so it cannot be guessed at.
  Result<OAuthFlow> flow = deps_.flows.Consume(FlowHash(code), flow_kind::kCode, ctx.now);
  if (!flow.ok()) return flow.code() == Code::kNotFound ? Code::kOAuthCodeInvalid : flow.code();
  Result<Json> data = ParseJson(flow->data);
  if (!data.ok()) return Code::kOAuthCodeInvalid;
  const std::string provider = Member(*data, "provider");
  if (!ConstantTimeEqual(Base64UrlEncode(Sha256(code_verifier)), Member(*data, "code_challenge"))) {
    deps_.audit.Record(audit_event::kOAuthSignInFailed, ctx,
                       {Member(*data, "user"),
                        std::nullopt,
                        std::nullopt,
                        {{"provider", provider}, {"reason", "code_verifier_mismatch"}}});
    return Code::kOAuthCodeInvalid;
  }
  Result<User> user = deps_.users.FindById(Member(*data, "user"));
  if (!user.ok()) return user.code() == Code::kNotFound ? Code::kOAuthCodeInvalid : user.code();
  if (user->disabled) return Code::kUserDisabled;
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = deps_.issuer.Start(*user, {std::string(amr::kOAuth)}, ctx);
    if (!grant.ok()) return Status(grant.code());
    if (!grant->mfa) {
      deps_.audit.Record(audit_event::kOAuthSignIn, ctx,
                         {user->id, grant->session_id, std::nullopt, {{"provider", provider}}});
    }
    return Status::Ok();
  }));
  deps_.metrics.Increment(metric::kOAuthSignIns,
                          {{"provider", provider}, {"result", grant->mfa ? "mfa_required" : "success"}});
  return grant;
}

Result<std::vector<LinkedIdentity>> OAuthStrategy::Identities(const std::string& user_id) {
  Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user_id);
  if (!credentials.ok()) return credentials.code();
  std::vector<LinkedIdentity> out;
  for (const Credential& credential : *credentials) {
    if (credential.type != credential_type::kOidc) continue;
    Result<Json> about = ParseJson(credential.secret);
    if (!about.ok()) continue;
    out.push_back({credential.id, Member(*about, "provider"), Member(*about, "subject"), Member(*about, "email"),
                   Member(*about, "name"), credential.created_at});
  }
  return out;
}

Status OAuthStrategy::Unlink(const User& user, const std::string& identity_id, RequestContext& ctx) {
  return deps_.units.Run([&]() -> Status {
    Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user.id);
    if (!credentials.ok()) return credentials.code();
    const auto target = std::find_if(credentials->begin(), credentials->end(), [&](const Credential& credential) {
      return credential.type == credential_type::kOidc && credential.id == identity_id;
    });
    if (target == credentials->end()) return Code::kIdentityNotFound;
    if (OtherWaysIn(*credentials, identity_id) == 0) return Code::kLastSignInMethod;
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(target->id));
    Result<Json> about = ParseJson(target->secret);
    deps_.audit.Record(
        audit_event::kIdentityUnlinked, ctx,
        {user.id, std::nullopt, std::nullopt, {{"provider", about.ok() ? Member(*about, "provider") : std::string()}}});
    return Status::Ok();
  });
}

}  // namespace latchkey
