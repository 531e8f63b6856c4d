#include "strategies/oauth/provider_config.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "latchkey/json.h"

namespace latchkey::oauth {
namespace {

constexpr std::size_t kMaxFileBytes = 256 * 1024;

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (const char ch : id) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')) return false;
  }
  return true;
}

bool ReadFile(const std::string& path, std::size_t limit, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return in.good() || in.eof() ? out.size() <= limit : false;
}

// Reads the optional string member `key`; false (with `error` set) when it is not a string.
bool OptionalString(const Json& object, const char* key, std::string& out, const std::string& where,
                    std::string* error) {
  const auto it = object.find(key);
  if (it == object.end()) return true;
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    if (error) *error = where + ": \"" + key + "\" must be a non-empty string";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool UrlMember(const Json& object, const char* key, std::string& out, const std::string& where, std::string* error) {
  if (!OptionalString(object, key, out, where, error)) return false;
  if (!out.empty() && !IsAcceptableProviderUrl(out)) {
    if (error) *error = where + ": \"" + key + "\" must be an https URL (http only for 127.0.0.1 or localhost)";
    return false;
  }
  while (out.size() > 1 && out.back() == '/' && std::string(key) != "issuer") out.pop_back();
  return true;
}

}  // namespace

bool IsAcceptableProviderUrl(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return url.size() > 8;
  for (const char* loopback : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    const std::string prefix = loopback;
    if (url.rfind(prefix, 0) == 0 &&
        (url.size() == prefix.size() || url[prefix.size()] == ':' || url[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

Result<std::vector<ProviderConfig>> ParseProviders(const std::string& text, std::string* error) {
  Result<Json> document = ParseJson(text, JsonLimits{kMaxFileBytes, 16});
  if (!document.ok() || !document->is_object() || !document->contains("providers") ||
      !(*document)["providers"].is_array()) {
    if (error) *error = "the file must be a JSON object with a \"providers\" array";
    return Code::kInvalidArgument;
  }
  static const std::set<std::string> kKnown = {"id",
                                               "name",
                                               "kind",
                                               "issuer",
                                               "client_id",
                                               "client_secret",
                                               "client_secret_file",
                                               "scopes",
                                               "authorization_endpoint",
                                               "token_endpoint",
                                               "api_base",
                                               "algorithms"};
  std::vector<ProviderConfig> providers;
  std::set<std::string> seen;
  std::size_t index = 0;
  for (const Json& entry : (*document)["providers"]) {
    std::string where = "providers[" + std::to_string(index++) + "]";
    if (!entry.is_object()) {
      if (error) *error = where + ": must be an object";
      return Code::kInvalidArgument;
    }
    for (const auto& [key, value] : entry.items()) {
      if (!kKnown.count(key)) {
        if (error) *error = where + ": unknown member \"" + key + "\"";
        return Code::kInvalidArgument;
      }
    }
    ProviderConfig p;
    std::string kind = "oidc", secret_file;
    if (!OptionalString(entry, "id", p.id, where, error)) return Code::kInvalidArgument;
    if (!ValidId(p.id)) {
      if (error) *error = where + ": \"id\" must be 1 to 32 of a-z, 0-9, _ and -";
      return Code::kInvalidArgument;
    }
    where = "provider \"" + p.id + "\"";
    if (!seen.insert(p.id).second) {
      if (error) *error = where + ": listed twice";
      return Code::kInvalidArgument;
    }
    if (!OptionalString(entry, "name", p.name, where, error) || !OptionalString(entry, "kind", kind, where, error) ||
        !UrlMember(entry, "issuer", p.issuer, where, error) ||
        !OptionalString(entry, "client_id", p.client_id, where, error) ||
        !OptionalString(entry, "client_secret", p.client_secret, where, error) ||
        !OptionalString(entry, "client_secret_file", secret_file, where, error) ||
        !UrlMember(entry, "authorization_endpoint", p.authorization_endpoint, where, error) ||
        !UrlMember(entry, "token_endpoint", p.token_endpoint, where, error) ||
        !UrlMember(entry, "api_base", p.api_base, where, error)) {
      return Code::kInvalidArgument;
    }
    if (p.name.empty()) p.name = p.id;
    if (kind == "oidc") {
      p.kind = ProviderKind::kOidc;
    } else if (kind == "github") {
      p.kind = ProviderKind::kGithub;
    } else {
      if (error) *error = where + ": \"kind\" must be \"oidc\" or \"github\"";
      return Code::kInvalidArgument;
    }
    if (p.client_id.empty()) {
      if (error) *error = where + ": \"client_id\" is required";
      return Code::kInvalidArgument;
    }
    if (!secret_file.empty()) {
      if (!p.client_secret.empty()) {
        if (error) *error = where + ": give \"client_secret\" or \"client_secret_file\", not both";
        return Code::kInvalidArgument;
      }
      if (!ReadFile(secret_file, 4096, p.client_secret)) {
        if (error) *error = where + ": \"client_secret_file\" cannot be read";
        return Code::kInvalidArgument;
      }
      while (!p.client_secret.empty() && (p.client_secret.back() == '\n' || p.client_secret.back() == '\r')) {
        p.client_secret.pop_back();
      }
    }
    if (p.client_secret.empty()) {
      if (error) *error = where + ": \"client_secret\" or \"client_secret_file\" is required";
      return Code::kInvalidArgument;
    }
    if (entry.contains("scopes")) {
      const Json& scopes = entry["scopes"];
      if (!scopes.is_array() || scopes.empty()) {
        if (error) *error = where + ": \"scopes\" must be a non-empty array of strings";
        return Code::kInvalidArgument;
      }
      for (const Json& scope : scopes) {
        if (!scope.is_string() || scope.get_ref<const std::string&>().empty() ||
            scope.get_ref<const std::string&>().find(' ') != std::string::npos) {
          if (error) *error = where + ": \"scopes\" must be a non-empty array of strings";
          return Code::kInvalidArgument;
        }
        p.scopes.push_back(scope.get<std::string>());
      }
    }
    if (entry.contains("algorithms")) {
      const Json& algorithms = entry["algorithms"];
      if (!algorithms.is_array() || algorithms.empty()) {
        if (error) *error = where + ": \"algorithms\" must be a non-empty array";
        return Code::kInvalidArgument;
      }
      for (const Json& alg : algorithms) {
        if (!alg.is_string()) {
          if (error) *error = where + ": \"algorithms\" must be a non-empty array of strings";
          return Code::kInvalidArgument;
        }
        p.algorithms.push_back(alg.get<std::string>());
      }
    }
    if (p.kind == ProviderKind::kOidc) {
      if (p.issuer.empty()) {
        if (error) *error = where + ": \"issuer\" is required for an OpenID provider";
        return Code::kInvalidArgument;
      }
      if (p.scopes.empty()) p.scopes = {"openid", "email", "profile"};
      if (std::find(p.scopes.begin(), p.scopes.end(), "openid") == p.scopes.end()) {
        if (error) *error = where + ": \"scopes\" must include \"openid\"";
        return Code::kInvalidArgument;
      }
    } else {
      if (p.authorization_endpoint.empty()) p.authorization_endpoint = "https://github.com/login/oauth/authorize";
      if (p.token_endpoint.empty()) p.token_endpoint = "https://github.com/login/oauth/access_token";
      if (p.api_base.empty()) p.api_base = "https://api.github.com";
      if (p.scopes.empty()) p.scopes = {"read:user", "user:email"};
    }
    providers.push_back(std::move(p));
  }
  return providers;
}

Result<std::vector<ProviderConfig>> LoadProviders(const std::string& path, std::string* error) {
  std::string text;
  if (!ReadFile(path, kMaxFileBytes, text)) {
    if (error) *error = "cannot read " + path + " (or it is over 256 KiB)";
    return Code::kInvalidArgument;
  }
  return ParseProviders(text, error);
}

}  // namespace latchkey::oauth
