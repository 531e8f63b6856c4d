// Talks to one sign-in provider: where to send the browser, and, after the
// callback, who signed in. For an OpenID provider the answer is its ID token,
// verified by the core's Verifier (signature with the provider's keys, iss,
// aud, exp, iat, then nonce and azp here); for GitHub, its user and email API.
// Discovery documents and key sets are cached for an hour; a token naming a
// kid the keys lack refetches them (at most every 30 s, so a provider naming
// unknown keys cannot make the server hammer it). Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "latchkey/jwt.h"
#include "strategies/oauth/http_client.h"
#include "strategies/oauth/provider_config.h"

namespace latchkey::oauth {

// Who signed in at the provider.
struct ProviderProfile {
  std::string subject;  // stable id at the provider (`sub`, GitHub's numeric id)
  std::string email;    // as the provider gave it; empty when none
  bool email_verified = false;
  std::string name;
};

// Everything that went wrong talking to a provider is kProviderUnavailable
// (no answer, an error status, a malformed answer) or kProviderResponseInvalid
// (an answer that fails the checks: signature, issuer, audience, nonce...);
// `failure` gets a line for the log.
class ProviderClient {
 public:
  ProviderClient(ProviderConfig config, HttpLimits limits) : config_(std::move(config)), limits_(limits) {}

  const ProviderConfig& config() const { return config_; }

  Result<std::string> AuthorizeUrl(const std::string& redirect_uri, const std::string& state, const std::string& nonce,
                                   const std::string& code_challenge, std::int64_t now, std::string* failure);

  Result<ProviderProfile> Redeem(const std::string& code, const std::string& redirect_uri,
                                 const std::string& code_verifier, const std::string& nonce, std::int64_t now,
                                 std::string* failure);

 private:
  struct Discovery {
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string userinfo_endpoint;
    std::string jwks_uri;
    std::vector<std::string> algorithms;  // ID token algorithms to accept
    std::int64_t fetched_at = 0;
  };
  Result<Discovery> Discover(std::int64_t now, std::string* failure);
  // The verifier over the provider's current keys; `refresh` refetches them.
  Result<std::shared_ptr<const Verifier>> IdTokenVerifier(const Discovery& discovery, bool refresh, std::int64_t now,
                                                          std::string* failure);
  Result<ProviderProfile> RedeemOidc(const std::string& code, const std::string& redirect_uri,
                                     const std::string& code_verifier, const std::string& nonce, std::int64_t now,
                                     std::string* failure);
  Result<ProviderProfile> RedeemGithub(const std::string& code, const std::string& redirect_uri,
                                       const std::string& code_verifier, std::string* failure);
  Result<Json> GetJson(const std::string& url, const std::string& bearer, std::string* failure);
  // A form POST to the token endpoint (request.url, extra headers set), its JSON answer.
  Result<Json> PostForm(HttpRequest request, const std::vector<std::pair<std::string, std::string>>& form,
                        std::string* failure);

  ProviderConfig config_;
  HttpLimits limits_;
  std::mutex mutex_;  // guards the caches below
  std::optional<Discovery> discovery_;
  std::shared_ptr<const Verifier> verifier_;
  std::int64_t keys_fetched_at_ = 0;
  std::int64_t refetched_at_ = 0;  // the last refetch for an unknown kid
};

}  // namespace latchkey::oauth
