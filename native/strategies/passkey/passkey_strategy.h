// Passkeys (WebAuthn): registration by a signed-in user, sign-in with or
// without an email (discoverable credentials), and the user's and the
// administrators' management. The checks themselves are the core's
// (latchkey/webauthn.h); this class keeps the ceremony state and the
// credentials, and applies the account rules around them.
//
// A ceremony's challenge is 32 random bytes, single use and valid for five
// minutes, kept server-side as a flow row (the OAuth flow store, keyed by
// the challenge's SHA-256) and found again through the clientDataJSON the
// browser signs, so the client carries no other state.
//
// Assurance: a passkey with user verification (a PIN or a biometric on the
// authenticator) is two factors in one gesture: amr ["webauthn"], aal2, no
// TOTP step. Without it, it is possession of a key only: amr ["hwk"] (RFC
// 8176), aal1, and a user with TOTP answers it as after a password.
// Passkeys created at a loopback public URL belong to "localhost": browsers
// refuse IP addresses as relying party IDs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "admin/admin_service.h"
#include "audit/audit_log.h"
#include "config/server_config.h"
#include "context/request_context.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "latchkey/crypto.h"
#include "latchkey/json.h"
#include "latchkey/webauthn.h"
#include "limits/rate_limiter.h"
#include "metrics/metrics.h"
#include "sessions/session_issuer.h"
#include "storage/unit_of_work.h"
#include "strategies/oauth/flow_store.h"

namespace latchkey {

// The relying party a configuration describes: --webauthn-rp-id and
// --webauthn-origin, or what the public URL implies. Empty `why` on success;
// otherwise why the settings cannot work (an RP ID that is an IP address,
// or not the host of an origin nor a parent domain of it).
webauthn::RelyingParty RelyingPartyFor(const ServerConfig& config, std::string* why);

struct PasskeyStrategyDependencies {
  UserStore& users;
  CredentialStore& credentials;
  OAuthFlowStore& flows;
  SessionIssuer& issuer;
  AccountService& accounts;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  RandomSource& random;
  UnitOfWork& units;
};

class PasskeyStrategy {
 public:
  // `decoy_key` makes the stand-in credential IDs offered for an email that
  // has no passkeys (see AuthenticationOptions).
  PasskeyStrategy(PasskeyStrategyDependencies deps, const ServerConfig& config, SecretBytes decoy_key);

  // From the configuration as it is now: `serve` learns its public URL
  // only once its port is bound (and checks the settings then).
  webauthn::RelyingParty relying_party() const;

  // PublicKeyCredentialCreationOptionsJSON for `who`, after the recent-auth proof.
  Result<Json> RegistrationOptions(const Principal& who, const std::optional<std::string>& current_password,
                                   RequestContext& ctx);
  // Checks the browser's answer and stores the passkey; returns it as a client sees it.
  Result<Json> Register(const Principal& who, const Json& credential, const std::string& name, RequestContext& ctx);

  // PublicKeyCredentialRequestOptionsJSON. With an email, allowCredentials
  // lists that account's passkeys; an unknown email, or one without
  // passkeys, gets a stand-in ID derived from the email under decoy_key,
  // the same on every request, so the answer does not tell who has an
  // account. Without one, the browser offers the site's discoverable passkeys.
  Result<Json> AuthenticationOptions(const std::optional<std::string>& email, RequestContext& ctx);
  // Checks an assertion and starts a session (or the TOTP step, see above).
  Result<TokenGrant> SignIn(const Json& credential, RequestContext& ctx);

  Result<Json> List(const std::string& user_id);
  Result<Json> Rename(const std::string& user_id, const std::string& passkey_id, const std::string& name,
                      RequestContext& ctx);
  // Never the account's last way to sign in (kLastSignInMethod).
  Status Delete(const Principal& who, const std::optional<std::string>& current_password, const std::string& passkey_id,
                RequestContext& ctx);

  // Administrators: any user's passkeys.
  Result<Json> ListFor(const Actor& actor, const std::string& user_id);
  Status DeleteFor(const Actor& actor, const std::string& user_id, const std::string& passkey_id, RequestContext& ctx);

 private:
  Result<std::string> NewChallenge(std::string_view kind, const std::string& user_id, RequestContext& ctx);
  Result<std::string> TakeChallenge(std::string_view kind, const std::string& challenge, RequestContext& ctx);
  Status Remove(const User& user, const std::string& passkey_id, const std::optional<std::string>& actor,
                RequestContext& ctx);
  Status Fail(const std::string& user_id, std::string_view reason, Code code, RequestContext& ctx);

  PasskeyStrategyDependencies deps_;
  const ServerConfig& config_;
  SecretBytes decoy_key_;
};

}  // namespace latchkey
