#include "strategies/oauth/provider_client.h"

#include <algorithm>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"

namespace latchkey::oauth {
namespace {

constexpr std::int64_t kDiscoveryTtl = 3600;
constexpr std::int64_t kKeyRefetchInterval = 30;
// ID token algorithms the server accepts from a provider. Never HS256: a
// token keyed with the client secret proves nothing the secret's holder
// could not forge, and "none" is never a choice.
const std::vector<std::string> kIdTokenAlgorithms = {"RS256", "PS256", "ES256", "EdDSA"};

void Fail(std::string* failure, std::string text) {
  if (failure != nullptr) *failure = std::move(text);
}

std::string StandardBase64(std::string_view bytes) {
  std::string text = Base64UrlEncode(bytes);
  std::replace(text.begin(), text.end(), '-', '+');
  std::replace(text.begin(), text.end(), '_', '/');
  while (text.size() % 4 != 0) text += '=';
  return text;
}

std::string StringMember(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Providers send email_verified as a boolean; some (older Google, Cognito) as "true".
bool TrueMember(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return false;
  return (it->is_boolean() && it->get<bool>()) || (it->is_string() && it->get_ref<const std::string&>() == "true");
}

Result<Json> ParseAnswer(const HttpResponse& response, const std::string& what, std::string* failure) {
  if (response.status < 200 || response.status > 299) {
    Fail(failure, what + ": HTTP " + std::to_string(response.status));
    return Code::kProviderUnavailable;
  }
  Result<Json> json = ParseJson(response.body, JsonLimits{1 << 20, 16});
  if (!json.ok()) {
    Fail(failure, what + ": not JSON");
    return Code::kProviderUnavailable;
  }
  return json;
}

}  // namespace

Result<Json> ProviderClient::GetJson(const std::string& url, const std::string& bearer, std::string* failure) {
  HttpRequest request;
  request.url = url;
  request.headers.emplace_back(
      "Accept", config_.kind == ProviderKind::kGithub ? "application/vnd.github+json" : "application/json");
  if (!bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer);
  Result<HttpResponse> response = Fetch(request, limits_, failure);
  if (!response.ok()) return response.code();
  return ParseAnswer(*response, url.substr(0, url.find('?')), failure);
}

Result<Json> ProviderClient::PostForm(HttpRequest request, const std::vector<std::pair<std::string, std::string>>& form,
                                      std::string* failure) {
  request.method = "POST";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.body = FormEncode(form);
  Result<HttpResponse> response = Fetch(request, limits_, failure);
  if (!response.ok()) return response.code();
  return ParseAnswer(*response, config_.id + " token endpoint", failure);
}

Result<ProviderClient::Discovery> ProviderClient::Discover(std::int64_t now, std::string* failure) {
  {
    std::lock_guard lock(mutex_);
    if (discovery_ && now - discovery_->fetched_at < kDiscoveryTtl) return *discovery_;
  }
  Discovery found;
  found.fetched_at = now;
  if (config_.kind == ProviderKind::kGithub) {
    found.authorization_endpoint = config_.authorization_endpoint;
    found.token_endpoint = config_.token_endpoint;
  } else {
    std::string base = config_.issuer;
    while (!base.empty() && base.back() == '/') base.pop_back();
    Result<Json> document = GetJson(base + "/.well-known/openid-configuration", "", failure);
    if (!document.ok()) return document.code();
    // The document must be the issuer's own (OpenID Connect Discovery §4.3).
    if (!document->is_object() || StringMember(*document, "issuer") != config_.issuer) {
      Fail(failure, config_.id + ": discovery document is for another issuer");
      return Code::kProviderResponseInvalid;
    }
    found.authorization_endpoint = config_.authorization_endpoint.empty()
                                       ? StringMember(*document, "authorization_endpoint")
                                       : config_.authorization_endpoint;
    found.token_endpoint =
        config_.token_endpoint.empty() ? StringMember(*document, "token_endpoint") : config_.token_endpoint;
    found.userinfo_endpoint = StringMember(*document, "userinfo_endpoint");
    found.jwks_uri = StringMember(*document, "jwks_uri");
    for (const std::string* url : {&found.authorization_endpoint, &found.token_endpoint, &found.jwks_uri}) {
      if (!IsAcceptableProviderUrl(*url)) {
        Fail(failure, config_.id + ": discovery lacks an endpoint or gives one that is not https");
        return Code::kProviderResponseInvalid;
      }
    }
    if (!found.userinfo_endpoint.empty() && !IsAcceptableProviderUrl(found.userinfo_endpoint)) {
      found.userinfo_endpoint.clear();
    }
    std::vector<std::string> offered;
    if (const auto it = document->find("id_token_signing_alg_values_supported");
        it != document->end() && it->is_array()) {
      for (const Json& alg : *it) {
        if (alg.is_string()) offered.push_back(alg.get<std::string>());
      }
    }
    const std::vector<std::string>& wanted = config_.algorithms.empty() ? offered : config_.algorithms;
    for (const std::string& alg : wanted) {
      if (std::find(kIdTokenAlgorithms.begin(), kIdTokenAlgorithms.end(), alg) != kIdTokenAlgorithms.end()) {
        found.algorithms.push_back(alg);
      }
    }
    if (found.algorithms.empty()) {
      Fail(failure, config_.id + ": no ID token algorithm in common (RS256, PS256, ES256, EdDSA)");
      return Code::kProviderResponseInvalid;
    }
  }
  std::lock_guard lock(mutex_);
  discovery_ = found;
  return found;
}

Result<std::shared_ptr<const Verifier>> ProviderClient::IdTokenVerifier(const Discovery& discovery, bool refresh,
                                                                        std::int64_t now, std::string* failure) {
  {
    std::lock_guard lock(mutex_);
    // Keys are refetched after kDiscoveryTtl (a key the provider withdrew
    // stops working within the hour), and for an unknown kid at most every
    // kKeyRefetchInterval (a provider naming unknown keys cannot make us hammer it).
    const bool fresh = now - keys_fetched_at_ < kDiscoveryTtl;
    const bool refetch_allowed = refetched_at_ == 0 || now - refetched_at_ >= kKeyRefetchInterval;
    if (verifier_ && fresh && (!refresh || !refetch_allowed)) return verifier_;
  }
  Result<Json> keys = GetJson(discovery.jwks_uri, "", failure);
  if (!keys.ok()) return keys.code();
  Json config = {{"algorithms", discovery.algorithms},
                 {"jwks", *keys},
                 {"issuer", config_.issuer},
                 {"audience", config_.client_id},
                 {"required_claims", Json::array({"iat", "sub"})},
                 {"leeway_seconds", 60}};
  VerifierConfigError why;
  Result<Verifier> verifier = Verifier::FromConfig(config, &why);
  if (!verifier.ok()) {
    Fail(failure, config_.id + ": cannot use its keys (" + why.option + ": " + why.reason + ")");
    return Code::kProviderResponseInvalid;
  }
  auto shared = std::make_shared<const Verifier>(std::move(verifier).value());
  std::lock_guard lock(mutex_);
  verifier_ = shared;
  keys_fetched_at_ = now;
  if (refresh) refetched_at_ = now;
  return shared;
}

Result<std::string> ProviderClient::AuthorizeUrl(const std::string& redirect_uri, const std::string& state,
                                                 const std::string& nonce, const std::string& code_challenge,
                                                 std::int64_t now, std::string* failure) {
  Result<Discovery> discovery = Discover(now, failure);
  if (!discovery.ok()) return discovery.code();
  std::string scope;
  for (const std::string& s : config_.scopes) scope += (scope.empty() ? "" : " ") + s;
  std::vector<std::pair<std::string, std::string>> query = {
      {"response_type", "code"}, {"client_id", config_.client_id},   {"redirect_uri", redirect_uri},   {"scope", scope},
      {"state", state},          {"code_challenge", code_challenge}, {"code_challenge_method", "S256"}};
  if (config_.kind == ProviderKind::kOidc) query.emplace_back("nonce", nonce);
  const std::string& endpoint = discovery->authorization_endpoint;
  return endpoint + (endpoint.find('?') == std::string::npos ? "?" : "&") + FormEncode(query);
}

Result<ProviderProfile> ProviderClient::Redeem(const std::string& code, const std::string& redirect_uri,
                                               const std::string& code_verifier, const std::string& nonce,
                                               std::int64_t now, std::string* failure) {
  if (config_.kind == ProviderKind::kGithub) return RedeemGithub(code, redirect_uri, code_verifier, failure);
  return RedeemOidc(code, redirect_uri, code_verifier, nonce, now, failure);
}

Result<ProviderProfile> ProviderClient::RedeemOidc(const std::string& code, const std::string& redirect_uri,
                                                   const std::string& code_verifier, const std::string& nonce,
                                                   std::int64_t now, std::string* failure) {
  Result<Discovery> discovery = Discover(now, failure);
  if (!discovery.ok()) return discovery.code();
  HttpRequest request;
  request.method = "POST";
  request.url = discovery->token_endpoint;
  // client_secret_basic: the one method every provider must support (OIDC Core §9).
  request.headers = {{"Authorization", "Basic " + StandardBase64(UrlEncode(config_.client_id) + ":" +
                                                                 UrlEncode(config_.client_secret))}};
  Result<Json> tokens = PostForm(request,
                                 {{"grant_type", "authorization_code"},
                                  {"code", code},
                                  {"redirect_uri", redirect_uri},
                                  {"code_verifier", code_verifier}},
                                 failure);
  if (!tokens.ok()) return tokens.code();
  const std::string id_token = StringMember(*tokens, "id_token");
  if (id_token.empty()) {
    Fail(failure, config_.id + ": token answer without an id_token");
    return Code::kProviderResponseInvalid;
  }

  Result<std::shared_ptr<const Verifier>> verifier = IdTokenVerifier(*discovery, false, now, failure);
  if (!verifier.ok()) return verifier.code();
  Result<VerifiedJwt> verified = (*verifier)->Verify(id_token, now);
  if (verified.code() == Code::kTokenKeyNotFound) {
    // The provider may have rotated its keys since they were fetched.
    verifier = IdTokenVerifier(*discovery, true, now, failure);
    if (!verifier.ok()) return verifier.code();
    verified = (*verifier)->Verify(id_token, now);
  }
  if (!verified.ok()) {
    Fail(failure, config_.id + ": ID token refused (" + std::string(Describe(verified.code()).wire) + ")");
    return Code::kProviderResponseInvalid;
  }
  const Json& claims = verified->claims;
  // The nonce ties the token to this browser's attempt (OIDC Core §3.1.3.7).
  if (!ConstantTimeEqual(StringMember(claims, "nonce"), nonce) || nonce.empty()) {
    Fail(failure, config_.id + ": ID token nonce does not match");
    return Code::kProviderResponseInvalid;
  }
  const auto aud = claims.find("aud");
  const bool several_audiences = aud != claims.end() && aud->is_array() && aud->size() > 1;
  const std::string azp = StringMember(claims, "azp");
  if ((several_audiences || claims.contains("azp")) && azp != config_.client_id) {
    Fail(failure, config_.id + ": ID token azp is not this client");
    return Code::kProviderResponseInvalid;
  }
  ProviderProfile profile{StringMember(claims, "sub"), StringMember(claims, "email"),
                          TrueMember(claims, "email_verified"), StringMember(claims, "name")};
  const std::string access_token = StringMember(*tokens, "access_token");
  if (profile.email.empty() && !discovery->userinfo_endpoint.empty() && !access_token.empty()) {
    // Some providers put scope claims only in the user info answer.
    Result<Json> info = GetJson(discovery->userinfo_endpoint, access_token, failure);
    if (!info.ok()) return info.code();
    if (!info->is_object() || StringMember(*info, "sub") != profile.subject) {
      Fail(failure, config_.id + ": user info is for another subject");
      return Code::kProviderResponseInvalid;
    }
    profile.email = StringMember(*info, "email");
    profile.email_verified = TrueMember(*info, "email_verified");
    if (profile.name.empty()) profile.name = StringMember(*info, "name");
  }
  if (profile.subject.empty() || profile.subject.size() > 255) {
    Fail(failure, config_.id + ": ID token subject missing or too long");
    return Code::kProviderResponseInvalid;
  }
  return profile;
}

Result<ProviderProfile> ProviderClient::RedeemGithub(const std::string& code, const std::string& redirect_uri,
                                                     const std::string& code_verifier, std::string* failure) {
  HttpRequest request;
  request.method = "POST";
  request.url = config_.token_endpoint;
  Result<Json> tokens = PostForm(request,
                                 {{"client_id", config_.client_id},
                                  {"client_secret", config_.client_secret},
                                  {"code", code},
                                  {"redirect_uri", redirect_uri},
                                  {"code_verifier", code_verifier}},
                                 failure);
  if (!tokens.ok()) return tokens.code();
  // GitHub answers 200 with {"error": ...} for a bad code.
  const std::string access_token = StringMember(*tokens, "access_token");
  if (access_token.empty()) {
    Fail(failure, config_.id + ": token answer without an access_token (" + StringMember(*tokens, "error") + ")");
    return Code::kProviderResponseInvalid;
  }
  Result<Json> user = GetJson(config_.api_base + "/user", access_token, failure);
  if (!user.ok()) return user.code();
  const auto id = user->is_object() ? user->find("id") : user->end();
  if (id == user->end() || !id->is_number_integer()) {
    Fail(failure, config_.id + ": user answer without a numeric id");
    return Code::kProviderResponseInvalid;
  }
  ProviderProfile profile;
  profile.subject = std::to_string(id->get<std::int64_t>());
  profile.name = StringMember(*user, "name");
  if (profile.name.empty()) profile.name = StringMember(*user, "login");
  Result<Json> emails = GetJson(config_.api_base + "/user/emails", access_token, failure);
  if (!emails.ok()) return emails.code();
  if (emails->is_array()) {
    for (const Json& entry : *emails) {
      if (entry.is_object() && TrueMember(entry, "primary")) {
        profile.email = StringMember(entry, "email");
        profile.email_verified = TrueMember(entry, "verified");
      }
    }
  }
  return profile;
}

}  // namespace latchkey::oauth
