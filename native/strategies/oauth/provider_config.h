// Sign-in providers, from the JSON file named by --oauth-providers:
//   {"providers": [{"id": "google", "name": "Google",
//     "issuer": "https://accounts.google.com", "client_id": "...",
//     "client_secret": "..." | "client_secret_file": "/run/secrets/google",
//     "scopes": ["openid", "email", "profile"]}]}
// "kind" is "oidc" (the default: endpoints from the issuer's discovery
// document) or "github" (plain OAuth 2 with GitHub's endpoints and its user
// and email API; the URLs can be overridden for GitHub Enterprise and tests).
// Loaded once at start; a mistake stops the server with the provider and the
// member named.
#pragma once

#include <string>
#include <vector>

#include "latchkey/status.h"

namespace latchkey::oauth {

enum class ProviderKind { kOidc, kGithub };

struct ProviderConfig {
  std::string id;    // [a-z0-9_-]{1,32}: in URLs, identities and metric labels
  std::string name;  // shown on buttons
  ProviderKind kind = ProviderKind::kOidc;
  std::string issuer;  // oidc: exact `iss` of its ID tokens; discovery at issuer + /.well-known/openid-configuration
  std::string client_id;
  std::string client_secret;  // never logged
  std::vector<std::string> scopes;
  // Optional for oidc (discovery gives them); github has defaults.
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string api_base;  // github: https://api.github.com (user and email API)
  // ID token algorithms accepted (oidc); default: what discovery lists, among those the core verifies.
  std::vector<std::string> algorithms;
};

// `error` says which provider and member is wrong; it never quotes a secret.
Result<std::vector<ProviderConfig>> LoadProviders(const std::string& path, std::string* error);

// Parses the document itself (what LoadProviders reads from the file); a
// relative client_secret_file is read as given (relative to the working directory).
Result<std::vector<ProviderConfig>> ParseProviders(const std::string& text, std::string* error);

// https, or http to a loopback host (a provider on the same machine, for
// development and tests).
bool IsAcceptableProviderUrl(const std::string& url);

}  // namespace latchkey::oauth
