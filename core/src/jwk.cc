#include "latchkey/jwk.h"

#include <set>

#include "latchkey/encoding.h"
#include "pk.h"

namespace latchkey {
namespace {

// Reads an optional string member; a member of another type is an error.
Status OptionalString(const Json& object, const char* name, std::optional<std::string>& out) {
  const auto it = object.find(name);
  if (it == object.end()) return Status::Ok();
  if (!it->is_string()) return Code::kJwkInvalid;
  out = it->get<std::string>();
  return Status::Ok();
}

Result<std::string> RequiredBase64Url(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return Code::kJwkInvalid;
  Result<std::string> bytes = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!bytes.ok()) return Code::kJwkInvalid;
  return bytes;
}

// Whether a JWKS member is of a kind this library uses at all.
bool IsSupportedKind(const Json& key) {
  if (!key.is_object()) return false;
  const auto kty = key.find("kty");
  if (kty == key.end() || !kty->is_string()) return false;
  const auto alg = key.find("alg");
  const auto use = key.find("use");
  if (use != key.end() && *use != "sig") return false;
  if (*kty == "OKP") {
    const auto crv = key.find("crv");
    if (crv == key.end() || *crv != "Ed25519") return false;
    return alg == key.end() || *alg == "EdDSA";
  }
  if (*kty == "oct") return alg == key.end() || *alg == "HS256";
  if (!pk::kAvailable) return false;
  if (*kty == "RSA") return alg == key.end() || *alg == "RS256" || *alg == "PS256";
  if (*kty == "EC") {
    const auto crv = key.find("crv");
    if (crv == key.end() || *crv != "P-256") return false;
    return alg == key.end() || *alg == "ES256";
  }
  return false;
}

}  // namespace

std::string_view AlgorithmName(Algorithm algorithm) {
  if (algorithm == Algorithm::kEdDSA) return "EdDSA";
  // A build without the public-key algorithms never holds one (their names
  // are unknown to it, Verifier::Create refuses them).
  if (algorithm == Algorithm::kHS256 || !pk::kAvailable) return "HS256";
  if (algorithm == Algorithm::kRS256) return "RS256";
  if (algorithm == Algorithm::kPS256) return "PS256";
  return "ES256";
}

std::optional<Algorithm> AlgorithmFromName(std::string_view name) {
  if (name == "EdDSA") return Algorithm::kEdDSA;
  if (name == "HS256") return Algorithm::kHS256;
  if (!pk::kAvailable) return std::nullopt;  // unknown names in builds without them
  if (name == "RS256") return Algorithm::kRS256;
  if (name == "PS256") return Algorithm::kPS256;
  if (name == "ES256") return Algorithm::kES256;
  return std::nullopt;
}

bool Jwk::Permits(Algorithm algorithm) const {
  if (algorithm == algorithm_ || !pk::kAvailable) return algorithm == algorithm_;
  return any_rsa_padding_ && (algorithm == Algorithm::kRS256 || algorithm == Algorithm::kPS256);
}

Jwk::Jwk(Algorithm algorithm, std::string public_key, SecretBytes secret)
    : algorithm_(algorithm), public_key_(std::move(public_key)), secret_(std::move(secret)) {
  kid_ = Thumbprint();
}

Jwk Jwk::Clone() const {
  Jwk copy(algorithm_, public_key_, SecretBytes(std::string(secret_.view())));
  copy.exponent_ = exponent_;
  copy.any_rsa_padding_ = any_rsa_padding_;
  copy.kid_ = kid_;
  return copy;
}

Result<Jwk> Jwk::Ed25519FromSeed(std::string_view seed) {
  Result<Ed25519KeyPair> pair = latchkey::Ed25519FromSeed(seed);
  if (!pair.ok()) return pair.code();
  return Jwk(Algorithm::kEdDSA, std::move(pair->public_key), std::move(pair->secret_key));
}

Jwk Jwk::GenerateEd25519(RandomSource& random) {
  Ed25519KeyPair pair = latchkey::Ed25519Generate(random);
  return Jwk(Algorithm::kEdDSA, std::move(pair.public_key), std::move(pair.secret_key));
}

Result<Jwk> Jwk::HmacSecret(std::string_view secret) {
  if (secret.size() < kMinHmacKeyBytes) return Code::kKeyTooShort;
  return Jwk(Algorithm::kHS256, std::string(), SecretBytes(std::string(secret)));
}

Result<Jwk> Jwk::FromJson(const Json& jwk, bool allow_private) {
  if (!jwk.is_object()) return Code::kJwkInvalid;
  std::optional<std::string> kty, crv, alg, use, kid;
  LATCHKEY_RETURN_IF_ERROR(OptionalString(jwk, "kty", kty));
  LATCHKEY_RETURN_IF_ERROR(OptionalString(jwk, "crv", crv));
  LATCHKEY_RETURN_IF_ERROR(OptionalString(jwk, "alg", alg));
  LATCHKEY_RETURN_IF_ERROR(OptionalString(jwk, "use", use));
  LATCHKEY_RETURN_IF_ERROR(OptionalString(jwk, "kid", kid));
  if (!kty) return Code::kJwkInvalid;
  if (use && *use != "sig") return Code::kJwkUnsupported;
  if (const auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    if (!ops->is_array()) return Code::kJwkInvalid;
    for (const Json& op : *ops) {
      if (!op.is_string()) return Code::kJwkInvalid;
    }
  }
  if (kid && kid->empty()) return Code::kJwkInvalid;

  Result<Jwk> key = Code::kJwkUnsupported;
  if (*kty == "OKP") {
    if (!crv) return Code::kJwkInvalid;
    if (*crv != "Ed25519") return Code::kJwkUnsupported;
    if (alg && *alg != "EdDSA") return Code::kJwkUnsupported;
    Result<std::string> x = RequiredBase64Url(jwk, "x");
    if (!x.ok() || x->size() != kEd25519PublicKeyBytes) return Code::kJwkInvalid;
    if (jwk.contains("d")) {
      if (!allow_private) return Code::kJwkInvalid;
      Result<std::string> d = RequiredBase64Url(jwk, "d");
      if (!d.ok() || d->size() != kEd25519SeedBytes) return Code::kJwkInvalid;
      key = Jwk::Ed25519FromSeed(*d);
      SecureZero(*d);
      // The public half must be the one the seed derives, or the JWK lies.
      if (!key.ok() || !ConstantTimeEqual(key->public_key(), *x)) return Code::kJwkInvalid;
    } else {
      key = Jwk(Algorithm::kEdDSA, std::move(*x), SecretBytes());
    }
  } else if (*kty == "oct") {
    if (alg && *alg != "HS256") return Code::kJwkUnsupported;
    Result<std::string> k = RequiredBase64Url(jwk, "k");
    if (!k.ok()) return k.code();
    key = Jwk::HmacSecret(*k);
    SecureZero(*k);
  } else if (pk::kAvailable && (*kty == "RSA" || *kty == "EC")) {
    key = PublicKeyFromJson(jwk, *kty, alg, allow_private);
  }
  if (!key.ok()) return key.code();
  if (kid) key->kid_ = *kid;
  return key;
}

std::string Jwk::Thumbprint() const {
  // RFC 7638 §3: required members only, lexicographic order, no whitespace.
  std::string canonical;
  if (algorithm_ == Algorithm::kEdDSA) {
    canonical = R"({"crv":"Ed25519","kty":"OKP","x":")" + Base64UrlEncode(public_key_) + "\"}";
  } else if (algorithm_ == Algorithm::kHS256 || !pk::kAvailable) {
    canonical = R"({"k":")" + Base64UrlEncode(secret_.view()) + R"(","kty":"oct"})";
  } else {
    canonical = PublicKeyThumbprintInput();
  }
  std::string digest = Sha256(canonical);
  SecureZero(canonical);
  return Base64UrlEncode(digest);
}

Json Jwk::ToJson(bool include_secret) const {
  Json out = Json::object();
  out["kid"] = kid_;
  if (!pk::kAvailable || !any_rsa_padding_) out["alg"] = std::string(AlgorithmName(algorithm_));
  out["use"] = "sig";
  if (algorithm_ == Algorithm::kEdDSA) {
    out["kty"] = "OKP";
    out["crv"] = "Ed25519";
    out["x"] = Base64UrlEncode(public_key_);
    if (include_secret && can_sign()) out["d"] = Base64UrlEncode(secret_.view().substr(0, kEd25519SeedBytes));
  } else if (algorithm_ == Algorithm::kHS256 || !pk::kAvailable) {
    out["kty"] = "oct";
    if (include_secret) out["k"] = Base64UrlEncode(secret_.view());
  } else {
    AddPublicKeyMembers(out);
  }
  return out;
}

Result<Jwks> Jwks::FromJson(const Json& jwks, bool allow_private) {
  if (!jwks.is_object()) return Code::kJwkInvalid;
  const auto keys = jwks.find("keys");
  if (keys == jwks.end() || !keys->is_array()) return Code::kJwkInvalid;
  Jwks out;
  std::set<std::string> kids;
  for (const Json& member : *keys) {
    if (!member.is_object()) return Code::kJwkInvalid;
    if (!IsSupportedKind(member)) continue;
    Result<Jwk> key = Jwk::FromJson(member, allow_private);
    if (!key.ok()) return key.code();
    if (!kids.insert(key->kid()).second) return Code::kJwksDuplicateKid;
    out.keys.push_back(std::move(key).value());
  }
  return out;
}

Json Jwks::ToJson(bool include_secrets) const {
  Json keys_json = Json::array();
  for (const Jwk& key : keys) keys_json.push_back(key.ToJson(include_secrets));
  return Json{{"keys", std::move(keys_json)}};
}

Jwks Jwks::Clone() const {
  Jwks copy;
  for (const Jwk& key : keys) copy.keys.push_back(key.Clone());
  return copy;
}

}  // namespace latchkey
