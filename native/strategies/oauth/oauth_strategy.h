// Social sign-in: OpenID Connect providers and GitHub, with PKCE at both
// ends (the browser to Latchkey, Latchkey to the provider). The flow:
//   1. Authorize: the browser's code_challenge and redirect_to are kept in a
//      single-use flow row keyed by a fresh `state`; the browser goes to the
//      provider with that state, a nonce and Latchkey's own PKCE challenge.
//   2. Callback: the state row is taken (once), the provider's code redeemed
//      and its answer checked (provider_client.h); the account is found,
//      created or linked by the policy below, and the browser goes back to
//      redirect_to#code=ONE_TIME_CODE (or #error=CODE).
//   3. Exchange: POST /auth/token with the code and the browser's
//      code_verifier gives the usual tokens (amr ["oauth"]), or the second
//      factor's challenge for a user who has one.
// Linking policy: an identity already linked signs in its user; otherwise a
// verified provider email that matches no account creates one (no password);
// one that matches an account whose email is verified links to it; an
// unverified provider email never reaches an existing account
// (identity_email_conflict: the user signs in and links explicitly), and
// creates none (provider_email_unverified). An account whose own email is
// unverified is never linked by email: whoever registered it has not shown
// they own the address (the pre-hijacking attack).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "config/server_config.h"
#include "context/request_context.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "limits/rate_limiter.h"
#include "log/logger.h"
#include "metrics/metrics.h"
#include "sessions/session_issuer.h"
#include "storage/unit_of_work.h"
#include "strategies/oauth/flow_store.h"
#include "strategies/oauth/provider_client.h"

namespace latchkey {

struct OAuthStrategyDependencies {
  UserStore& users;
  CredentialStore& credentials;
  OAuthFlowStore& flows;
  SessionIssuer& issuer;
  AuditLog& audit;
  RateLimiter& limiter;
  Metrics& metrics;
  Logger& logger;
  RandomSource& random;
  UnitOfWork& units;
};

struct ProviderSummary {
  std::string id;
  std::string name;
};

// A provider account linked to a user (a credential of type "oidc").
struct LinkedIdentity {
  std::string id;  // the credential's id
  std::string provider;
  std::string subject;
  std::string email;
  std::string name;
  std::int64_t created_at = 0;
};

struct AuthorizeRequest {
  std::string provider;
  std::string redirect_to;
  std::string code_challenge;  // the browser's PKCE challenge, S256
  std::string code_challenge_method = "S256";
  std::optional<std::string> link_user_id;  // set when a signed-in user links a provider
};

class OAuthStrategy {
 public:
  OAuthStrategy(OAuthStrategyDependencies deps, const ServerConfig& config,
                std::vector<oauth::ProviderConfig> providers);

  std::vector<ProviderSummary> Providers() const;

  // The provider URL to send the browser to.
  Result<std::string> Authorize(const AuthorizeRequest& request, RequestContext& ctx);

  // Where to send the browser after the provider's redirect. kOAuthStateInvalid
  // (no redirect: there is nowhere trusted to send it) for an unknown, used,
  // expired or foreign state; every other outcome is a redirect carrying a
  // code or an error.
  Result<std::string> Callback(const std::string& provider, const std::string& code, const std::string& state,
                               const std::string& error, RequestContext& ctx);

  // The token exchange (grant_type=authorization_code).
  Result<TokenGrant> Exchange(const std::string& code, const std::string& code_verifier, RequestContext& ctx);

  Result<std::vector<LinkedIdentity>> Identities(const std::string& user_id);

  // Removes a linked identity of `user_id`: never the last way to sign in.
  Status Unlink(const User& user, const std::string& identity_id, RequestContext& ctx);

  // The redirect URI registered at providers: PUBLIC_URL/auth/oauth/{id}/callback.
  std::string CallbackUrl(const std::string& provider) const;

 private:
  struct Outcome;
  oauth::ProviderClient* Find(const std::string& id);
  bool RedirectAllowed(const std::string& url) const;
  Result<User> SignInUser(const std::string& provider, const oauth::ProviderProfile& profile, RequestContext& ctx,
                          bool& created);
  Status Link(const std::string& user_id, const std::string& provider, const oauth::ProviderProfile& profile,
              RequestContext& ctx);
  Status Limit(const std::string& key, RequestContext& ctx);

  OAuthStrategyDependencies deps_;
  const ServerConfig& config_;
  std::vector<std::unique_ptr<oauth::ProviderClient>> clients_;
};

}  // namespace latchkey
