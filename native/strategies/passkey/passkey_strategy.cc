#include "strategies/passkey/passkey_strategy.h"

#include <algorithm>

#include "audit/audit_events.h"
#include "identity/ids.h"
#include "identity/roles.h"
#include "identity/sign_in_methods.h"
#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"
#include "limits/limit.h"
#include "metrics/metric_names.h"
#include "sessions/assurance.h"
#include "strategies/passkey/passkey_record.h"

namespace latchkey {
namespace {

constexpr std::int64_t kCeremonySeconds = 300;  // the options' timeout, and the challenge's life
constexpr std::string_view kRegistrationKind = "passkey_registration";
constexpr std::string_view kAuthenticationKind = "passkey_authentication";
constexpr std::size_t kDecoyIdBytes = 32;

std::string FlowHash(std::string_view challenge) { return HexEncode(Sha256(challenge)); }

Json CredentialDescriptor(const std::string& credential_id, const std::vector<std::string>& transports) {
  Json descriptor{{"type", "public-key"}, {"id", credential_id}};
  if (!transports.empty()) descriptor["transports"] = transports;
  return descriptor;
}

std::string ReasonFor(Code code) { return std::string(WireCode(code)); }

}  // namespace

PasskeyStrategy::PasskeyStrategy(PasskeyStrategyDependencies deps, const ServerConfig& config, SecretBytes decoy_key)
    : deps_(deps), config_(config), decoy_key_(std::move(decoy_key)) {}

webauthn::RelyingParty PasskeyStrategy::relying_party() const {
  std::string unused;
  return RelyingPartyFor(config_, &unused);
}

Result<std::string> PasskeyStrategy::NewChallenge(std::string_view kind, const std::string& user_id,
                                                  RequestContext& ctx) {
  std::string challenge = RandomBytes(deps_.random, webauthn::kChallengeBytes);
  LATCHKEY_RETURN_IF_ERROR(deps_.flows.Put(OAuthFlow{
      FlowHash(challenge), std::string(kind), Json{{"user", user_id}}.dump(), ctx.now, ctx.now + kCeremonySeconds}));
  return challenge;
}

// The user the ceremony was started for ("" for a sign-in without an email),
// or kPasskeyChallengeInvalid for a challenge this server did not issue
// for this kind of ceremony, or issued and already spent or expired.
Result<std::string> PasskeyStrategy::TakeChallenge(std::string_view kind, const std::string& challenge,
                                                   RequestContext& ctx) {
  if (challenge.size() != webauthn::kChallengeBytes) return Code::kPasskeyChallengeInvalid;
  Result<OAuthFlow> flow = deps_.flows.Consume(FlowHash(challenge), kind, ctx.now);
  if (!flow.ok()) return flow.code() == Code::kNotFound ? Code::kPasskeyChallengeInvalid : flow.code();
  Result<Json> data = ParseJson(flow->data);
  if (!data.ok()) return Code::kPasskeyChallengeInvalid;
  const auto user = data->find("user");
  return user != data->end() && user->is_string() ? user->get<std::string>() : std::string();
}

Status PasskeyStrategy::Fail(const std::string& user_id, std::string_view reason, Code code, RequestContext& ctx) {
  deps_.audit.Record(audit_event::kPasskeySignInFailed, ctx,
                     {user_id.empty() ? std::nullopt : std::optional<std::string>(user_id),
                      std::nullopt,
                      std::nullopt,
                      {{"reason", std::string(reason)}}});
  deps_.metrics.Increment(metric::kPasskeySignIns, {{"result", "failure"}});
  return code;
}

Result<Json> PasskeyStrategy::RegistrationOptions(const Principal& who,
                                                  const std::optional<std::string>& current_password,
                                                  RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(deps_.accounts.ProvePresence(who, current_password, ctx));
  LATCHKEY_RETURN_IF_ERROR(
      TakeLimit(deps_.limiter, deps_.metrics, "passkey-register:" + who.user.id, config_.mfa_per_account, ctx));
  Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(who.user.id);
  if (!credentials.ok()) return credentials.code();
  Json exclude = Json::array();
  for (const Credential& credential : *credentials) {
    if (credential.type != credential_type::kWebauthn) continue;
    Result<PasskeyRecord> record = PasskeyRecord::FromSecret(credential.secret);
    exclude.push_back(
        CredentialDescriptor(credential.identifier, record.ok() ? record->transports : std::vector<std::string>()));
  }
  Result<std::string> challenge = NewChallenge(kRegistrationKind, who.user.id, ctx);
  if (!challenge.ok()) return challenge.code();
  Json algorithms = Json::array();
  for (webauthn::CoseAlgorithm algorithm : webauthn::kSupportedAlgorithms) {
    algorithms.push_back(Json{{"type", "public-key"}, {"alg", static_cast<std::int64_t>(algorithm)}});
  }
  // The user handle is the account's id: stable, and no personal data on the authenticator.
  return Json{{"rp", Json{{"id", relying_party().id}, {"name", config_.webauthn_rp_name}}},
              {"user", Json{{"id", Base64UrlEncode(who.user.id)},
                            {"name", who.user.email},
                            {"displayName", who.user.name.empty() ? who.user.email : who.user.name}}},
              {"challenge", Base64UrlEncode(*challenge)},
              {"pubKeyCredParams", algorithms},
              {"timeout", kCeremonySeconds * 1000},
              {"excludeCredentials", exclude},
              {"authenticatorSelection",
               Json{{"residentKey", "preferred"}, {"requireResidentKey", false}, {"userVerification", "preferred"}}},
              {"attestation", "none"},
              {"extensions", Json{{"credProps", true}}}};
}

Result<Json> PasskeyStrategy::Register(const Principal& who, const Json& credential, const std::string& name,
                                       RequestContext& ctx) {
  Result<webauthn::RegistrationResponse> response = webauthn::ParseRegistrationResponse(credential);
  if (!response.ok()) return response.code();
  Result<webauthn::ClientData> client_data = webauthn::ParseClientData(response->client_data_json);
  if (!client_data.ok()) return client_data.code();
  Result<std::string> owner = TakeChallenge(kRegistrationKind, client_data->challenge, ctx);
  if (!owner.ok()) return owner.code();
  // A challenge issued to another account is as good as none.
  if (!ConstantTimeEqual(*owner, who.user.id)) return Code::kPasskeyChallengeInvalid;
  Result<webauthn::Registration> verified =
      webauthn::VerifyRegistration(*response, relying_party(), webauthn::Expectation{client_data->challenge, false});
  if (!verified.ok()) return verified.code();

  PasskeyRecord record;
  record.public_key = verified->public_key;
  record.algorithm = static_cast<std::int64_t>(verified->algorithm);
  record.sign_count = verified->sign_count;
  record.backup_eligible = verified->backup_eligible;
  record.backup_state = verified->backup_state;
  record.user_verified = verified->user_verified;
  record.aaguid = HexEncode(verified->aaguid);
  record.attestation_format = verified->attestation_format;
  record.transports = response->transports;
  record.name = name.empty() ? "Passkey" : name;
  Credential stored;
  stored.id = NewUuid(deps_.random);
  stored.user_id = who.user.id;
  stored.type = std::string(credential_type::kWebauthn);
  stored.identifier = Base64UrlEncode(verified->credential_id);
  stored.secret = record.ToSecret();
  stored.created_at = stored.updated_at = ctx.now;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    // Put replaces a row with the same identifier: a credential ID already
    // registered (to anyone) is refused instead, or one account could take
    // over another's passkey row.
    Result<Credential> existing = deps_.credentials.FindByIdentifier(credential_type::kWebauthn, stored.identifier);
    if (existing.ok()) return Code::kPasskeyExists;
    if (existing.code() != Code::kNotFound) return existing.code();
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Put(stored));
    deps_.audit.Record(
        audit_event::kPasskeyRegistered, ctx,
        {who.user.id,
         who.session.id,
         std::nullopt,
         {{"passkey_id", stored.id}, {"fmt", record.attestation_format}, {"backup_eligible", record.backup_eligible}}});
    return Status::Ok();
  }));
  return PasskeyJson(stored, record);
}

Result<Json> PasskeyStrategy::AuthenticationOptions(const std::optional<std::string>& email, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(TakeLimit(deps_.limiter, deps_.metrics, "passkey-ip:" + ctx.ip, config_.login_per_ip, ctx));
  std::string user_id;
  Json allow = Json::array();
  if (email) {
    Result<std::string> normalized = NormalizeEmail(*email);
    if (!normalized.ok()) return normalized.code();
    Result<User> user = deps_.users.FindByEmail(*normalized);
    if (!user.ok() && user.code() != Code::kNotFound) return user.code();
    if (user.ok()) {
      Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user->id);
      if (!credentials.ok()) return credentials.code();
      for (const Credential& credential : *credentials) {
        if (credential.type != credential_type::kWebauthn) continue;
        Result<PasskeyRecord> record = PasskeyRecord::FromSecret(credential.secret);
        allow.push_back(
            CredentialDescriptor(credential.identifier, record.ok() ? record->transports : std::vector<std::string>()));
      }
      user_id = user->id;
    }
    if (allow.empty()) {
      const std::string decoy = HmacSha256(decoy_key_.view(), "passkey-decoy:" + *normalized);
      allow.push_back(CredentialDescriptor(Base64UrlEncode(decoy.substr(0, kDecoyIdBytes)), {}));
    }
  }
  Result<std::string> challenge = NewChallenge(kAuthenticationKind, user_id, ctx);
  if (!challenge.ok()) return challenge.code();
  return Json{{"challenge", Base64UrlEncode(*challenge)},
              {"rpId", relying_party().id},
              {"timeout", kCeremonySeconds * 1000},
              {"allowCredentials", allow},
              {"userVerification", "preferred"}};
}

Result<TokenGrant> PasskeyStrategy::SignIn(const Json& credential, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(TakeLimit(deps_.limiter, deps_.metrics, "passkey-ip:" + ctx.ip, config_.login_per_ip, ctx));
  Result<webauthn::AssertionResponse> response = webauthn::ParseAssertionResponse(credential);
  if (!response.ok()) return Fail("", "malformed", response.code(), ctx);
  Result<webauthn::ClientData> client_data = webauthn::ParseClientData(response->client_data_json);
  if (!client_data.ok()) return Fail("", "malformed", client_data.code(), ctx);
  Result<std::string> expected_user = TakeChallenge(kAuthenticationKind, client_data->challenge, ctx);
  if (!expected_user.ok()) return Fail("", "challenge", expected_user.code(), ctx);

  const std::string identifier = Base64UrlEncode(response->credential_id);
  Result<Credential> stored = deps_.credentials.FindByIdentifier(credential_type::kWebauthn, identifier);
  if (!stored.ok()) {
    if (stored.code() != Code::kNotFound) return stored.code();
    return Fail(*expected_user, "unknown_credential", Code::kPasskeyNotRecognized, ctx);
  }
  // The credential must belong to the account the sign-in was started for
  // (when it named one) and to the user handle the authenticator returned.
  if ((!expected_user->empty() && *expected_user != stored->user_id) ||
      (!response->user_handle.empty() && response->user_handle != stored->user_id)) {
    return Fail(stored->user_id, "credential_of_another_user", Code::kPasskeyNotRecognized, ctx);
  }
  Result<PasskeyRecord> record = PasskeyRecord::FromSecret(stored->secret);
  if (!record.ok()) return record.code();
  Result<webauthn::Assertion> verified = webauthn::VerifyAssertion(
      *response, webauthn::StoredCredential{record->public_key, record->sign_count, record->backup_eligible},
      relying_party(), webauthn::Expectation{client_data->challenge, false});
  if (!verified.ok()) {
    if (verified.code() == Code::kPasskeyCounterRegressed) {
      deps_.audit.Record(
          audit_event::kPasskeyCounterRegressed, ctx,
          {stored->user_id, std::nullopt, std::nullopt, {{"passkey_id", stored->id}, {"stored", record->sign_count}}});
    }
    return Fail(stored->user_id, ReasonFor(verified.code()), verified.code(), ctx);
  }
  Result<User> user = deps_.users.FindById(stored->user_id);
  if (!user.ok()) return user.code() == Code::kNotFound ? Code::kPasskeyNotRecognized : user.code();
  if (user->disabled) return Fail(user->id, "user_disabled", Code::kUserDisabled, ctx);

  // The new counter and last use, compare-and-swap: of two assertions racing
  // with the same counter value, one wins and the other is a regression.
  PasskeyRecord next = *record;
  next.sign_count = verified->sign_count;
  next.backup_state = verified->backup_state;
  next.last_used_at = ctx.now;
  Result<bool> swapped = deps_.credentials.ReplaceSecret(stored->id, stored->secret, next.ToSecret(), ctx.now);
  if (!swapped.ok()) return swapped.code();
  if (!*swapped && verified->sign_count != 0) {
    // Another assertion stored its counter first: this one's is no longer above it.
    deps_.audit.Record(audit_event::kPasskeyCounterRegressed, ctx,
                       {user->id, std::nullopt, std::nullopt, {{"passkey_id", stored->id}, {"concurrent", true}}});
    return Fail(user->id, ReasonFor(Code::kPasskeyCounterRegressed), Code::kPasskeyCounterRegressed, ctx);
  }

  const std::string method(verified->user_verified ? amr::kWebauthn : amr::kHardwareKey);
  Result<TokenGrant> grant = Code::kInternal;
  LATCHKEY_RETURN_IF_ERROR(deps_.units.Run([&]() -> Status {
    grant = deps_.issuer.Start(*user, {method}, ctx);
    if (!grant.ok()) return Status(grant.code());
    if (!grant->mfa) {
      deps_.audit.Record(audit_event::kPasskeySignIn, ctx,
                         {user->id,
                          grant->session_id,
                          std::nullopt,
                          {{"passkey_id", stored->id}, {"user_verified", verified->user_verified}}});
    }
    return Status::Ok();
  }));
  deps_.metrics.Increment(metric::kPasskeySignIns, {{"result", grant->mfa ? "mfa_required" : "success"}});
  return grant;
}

Result<Json> PasskeyStrategy::List(const std::string& user_id) {
  Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user_id);
  if (!credentials.ok()) return credentials.code();
  Json list = Json::array();
  for (const Credential& credential : *credentials) {
    if (credential.type != credential_type::kWebauthn) continue;
    Result<PasskeyRecord> record = PasskeyRecord::FromSecret(credential.secret);
    if (record.ok()) list.push_back(PasskeyJson(credential, *record));
  }
  return Json{{"passkeys", list}};
}

Result<Json> PasskeyStrategy::Rename(const std::string& user_id, const std::string& passkey_id, const std::string& name,
                                     RequestContext& ctx) {
  // Compare-and-swap against the secret just read, so a sign-in that moves
  // the counter meanwhile is never rolled back; a lost race reads again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user_id);
    if (!credentials.ok()) return credentials.code();
    const auto found = std::find_if(credentials->begin(), credentials->end(), [&](const Credential& credential) {
      return credential.type == credential_type::kWebauthn && credential.id == passkey_id;
    });
    if (found == credentials->end()) return Code::kPasskeyNotFound;
    Result<PasskeyRecord> record = PasskeyRecord::FromSecret(found->secret);
    if (!record.ok()) return record.code();
    record->name = name;
    Result<bool> swapped = deps_.credentials.ReplaceSecret(found->id, found->secret, record->ToSecret(), ctx.now);
    if (!swapped.ok()) return swapped.code();
    if (!*swapped) continue;
    deps_.audit.Record(audit_event::kPasskeyRenamed, ctx,
                       {user_id, std::nullopt, std::nullopt, {{"passkey_id", passkey_id}}});
    return PasskeyJson(*found, *record);
  }
  return Code::kInternal;
}

Status PasskeyStrategy::Delete(const Principal& who, const std::optional<std::string>& current_password,
                               const std::string& passkey_id, RequestContext& ctx) {
  LATCHKEY_RETURN_IF_ERROR(deps_.accounts.ProvePresence(who, current_password, ctx));
  return Remove(who.user, passkey_id, std::nullopt, ctx);
}

Result<Json> PasskeyStrategy::ListFor(const Actor& actor, const std::string& user_id) {
  if (actor.role != role::kAdmin) return Code::kForbidden;
  Result<User> user = deps_.users.FindById(user_id);
  if (!user.ok()) return user.code();
  return List(user_id);
}

Status PasskeyStrategy::DeleteFor(const Actor& actor, const std::string& user_id, const std::string& passkey_id,
                                  RequestContext& ctx) {
  if (actor.role != role::kAdmin) return Code::kForbidden;
  Result<User> user = deps_.users.FindById(user_id);
  if (!user.ok()) return user.code();
  return Remove(*user, passkey_id, actor.user_id.value_or("operator"), ctx);
}

Status PasskeyStrategy::Remove(const User& user, const std::string& passkey_id, const std::optional<std::string>& actor,
                               RequestContext& ctx) {
  return deps_.units.Run([&]() -> Status {
    Result<std::vector<Credential>> credentials = deps_.credentials.ListForUser(user.id);
    if (!credentials.ok()) return credentials.code();
    const auto target = std::find_if(credentials->begin(), credentials->end(), [&](const Credential& credential) {
      return credential.type == credential_type::kWebauthn && credential.id == passkey_id;
    });
    if (target == credentials->end()) return Code::kPasskeyNotFound;
    if (OtherWaysIn(*credentials, passkey_id) == 0) return Code::kLastSignInMethod;
    LATCHKEY_RETURN_IF_ERROR(deps_.credentials.Delete(target->id));
    deps_.audit.Record(audit_event::kPasskeyRemoved, ctx, {user.id, std::nullopt, actor, {{"passkey_id", passkey_id}}});
    return Status::Ok();
  });
}

}  // namespace latchkey
