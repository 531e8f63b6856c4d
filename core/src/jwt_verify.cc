#include <cmath>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "pk.h"
#include "saturating.h"

namespace latchkey {
namespace {

constexpr std::int64_t kMaxLeewaySeconds = 86400;
constexpr std::size_t kMaxTokenBytesLimit = 1 << 20;
constexpr std::size_t kMaxJsonDepthLimit = 256;

// The three parts of a compact JWS, still encoded.
struct CompactParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header '.' payload
};

Result<CompactParts> SplitCompact(std::string_view token) {
  const std::size_t first = token.find('.');
  if (first == std::string_view::npos) return Code::kTokenMalformed;
  const std::size_t second = token.find('.', first + 1);
  if (second == std::string_view::npos) return Code::kTokenMalformed;
  if (token.find('.', second + 1) != std::string_view::npos) return Code::kTokenMalformed;
  return CompactParts{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1),
                      token.substr(0, second)};
}

// Parses a decoded header or payload: a JSON object within the verifier's limits.
Result<Json> ParseJsonObject(std::string_view text, std::size_t max_depth) {
  Result<Json> json = ParseJson(text, JsonLimits{text.size(), max_depth});
  if (!json.ok() || !json->is_object()) return Code::kTokenMalformed;
  return json;
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// RFC 7515 §4.1.9: "application/" may be omitted from a typ; compare the rest
// case-insensitively, as media types are.
std::string NormalizeType(std::string_view typ) {
  std::string lower = LowerAscii(typ);
  constexpr std::string_view kPrefix = "application/";
  if (lower.compare(0, kPrefix.size(), kPrefix) == 0) lower.erase(0, kPrefix.size());
  return lower;
}

// A NumericDate (RFC 7519 §2): any JSON number, rounded up to whole seconds so
// that a fractional exp never outlives its value. nullopt when not a number or
// out of the int64 range.
std::optional<std::int64_t> NumericDate(const Json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_float()) {
    const double v = std::ceil(value.get<double>());
    if (!std::isfinite(v) || v < -9.2e18 || v > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  return std::nullopt;
}

// Looks up an optional NumericDate claim. kOk with nullopt when absent.
Status DateClaim(const Json& claims, const char* name, std::optional<std::int64_t>& out) {
  const auto it = claims.find(name);
  if (it == claims.end()) return Status::Ok();
  out = NumericDate(*it);
  return out ? Status::Ok() : Status(Code::kTokenClaimInvalid);
}

bool IsStringOrAbsent(const Json& claims, const char* name) {
  const auto it = claims.find(name);
  return it == claims.end() || it->is_string();
}

}  // namespace

bool VerifyJwsSignature(Algorithm algorithm, const Jwk& key, std::string_view signing_input,
                        std::string_view signature) {
  if (!key.Permits(algorithm)) return false;
  if (algorithm == Algorithm::kEdDSA) return Ed25519Verify(key.public_key(), signing_input, signature);
  if (algorithm == Algorithm::kHS256) {
    return signature.size() == kSha256Bytes && ConstantTimeEqual(HmacSha256(key.secret(), signing_input), signature);
  }
  return pk::kAvailable && pk::Verify(algorithm, key, signing_input, signature);
}

int AalLevel(std::string_view aal) {
  if (aal == "aal1") return 1;
  if (aal == "aal2") return 2;
  if (aal == "aal3") return 3;
  return 0;
}

Result<Verifier> Verifier::Create(Jwks keys, VerifierOptions options) {
  if (options.algorithms.empty()) return Code::kVerifierConfigInvalid;
  for (const Algorithm algorithm : options.algorithms) {
    if (IsPublicKeyAlgorithm(algorithm) && !pk::kAvailable) return Code::kVerifierConfigInvalid;
  }
  if (options.leeway_seconds < 0 || options.leeway_seconds > kMaxLeewaySeconds) return Code::kVerifierConfigInvalid;
  if (options.max_token_bytes == 0 || options.max_token_bytes > kMaxTokenBytesLimit) {
    return Code::kVerifierConfigInvalid;
  }
  if (options.max_json_depth == 0 || options.max_json_depth > kMaxJsonDepthLimit) return Code::kVerifierConfigInvalid;
  if (options.required_aal < 0 || options.required_aal > 3) return Code::kVerifierConfigInvalid;
  if (options.issuer && options.issuer->empty()) return Code::kVerifierConfigInvalid;
  for (const std::string& audience : options.audiences) {
    if (audience.empty()) return Code::kVerifierConfigInvalid;
  }
  if (options.type) options.type = NormalizeType(*options.type);
  return Verifier(std::move(keys), std::move(options));
}

Result<const Jwk*> Verifier::SelectKey(const Json& header, Algorithm algorithm) const {
  const auto kid = header.find("kid");
  if (kid != header.end() && !kid->is_string()) return Code::kTokenMalformed;
  const Jwk* found = nullptr;
  int candidates = 0;
  for (const Jwk& key : keys_.keys) {
    if (!key.Permits(algorithm)) continue;
    if (kid != header.end()) {
      if (key.kid() == kid->get_ref<const std::string&>()) return &key;
    } else {
      found = &key;
      ++candidates;
    }
  }
  // Without a kid, only an unambiguous key set may choose for the token.
  if (kid == header.end() && candidates == 1) return found;
  return Code::kTokenKeyNotFound;
}

Status Verifier::CheckClaims(const Json& claims, std::int64_t now) const {
  const std::int64_t leeway = options_.leeway_seconds;

  const auto exp_it = claims.find("exp");
  if (exp_it == claims.end()) return Code::kTokenClaimMissing;
  const std::optional<std::int64_t> exp = NumericDate(*exp_it);
  if (!exp) return Code::kTokenClaimInvalid;
  // now >= exp + leeway, and for nbf and iat now < t - leeway, decided exactly:
  // the caller's clock (the npm package takes one) may be anything.
  if (saturating::Reached(now, *exp, leeway)) return Code::kTokenExpired;

  std::optional<std::int64_t> nbf, iat;
  LATCHKEY_RETURN_IF_ERROR(DateClaim(claims, "nbf", nbf));
  if (nbf && !saturating::Reached(now, *nbf, -leeway)) return Code::kTokenNotYetValid;
  LATCHKEY_RETURN_IF_ERROR(DateClaim(claims, "iat", iat));
  if (iat && !saturating::Reached(now, *iat, -leeway)) return Code::kTokenNotYetValid;

  if (!IsStringOrAbsent(claims, "iss")) return Code::kTokenClaimInvalid;
  if (options_.issuer) {
    const auto iss = claims.find("iss");
    if (iss == claims.end()) return Code::kTokenClaimMissing;
    if (iss->get_ref<const std::string&>() != *options_.issuer) return Code::kTokenIssuerInvalid;
  }
  if (!IsStringOrAbsent(claims, "sub") || !IsStringOrAbsent(claims, "jti")) return Code::kTokenClaimInvalid;

  const auto aud = claims.find("aud");
  if (aud != claims.end()) {
    if (aud->is_array()) {
      for (const Json& value : *aud) {
        if (!value.is_string()) return Code::kTokenClaimInvalid;
      }
    } else if (!aud->is_string()) {
      return Code::kTokenClaimInvalid;
    }
  }
  if (!options_.audiences.empty()) {
    if (aud == claims.end()) return Code::kTokenClaimMissing;
    bool matched = false;
    for (const std::string& expected : options_.audiences) {
      if (aud->is_string()) {
        matched = matched || aud->get_ref<const std::string&>() == expected;
      } else {
        for (const Json& value : *aud) matched = matched || value.get_ref<const std::string&>() == expected;
      }
    }
    if (!matched) return Code::kTokenAudienceInvalid;
  }

  for (const std::string& name : options_.required_claims) {
    if (!claims.contains(name)) return Code::kTokenClaimMissing;
  }

  // Last: every other check passed, so the token is genuine and only its
  // assurance falls short; the caller may answer with a step-up challenge.
  if (options_.required_aal > 0) {
    const auto aal = claims.find("aal");
    if (aal != claims.end() && !aal->is_string()) return Code::kTokenClaimInvalid;
    if (aal == claims.end() || AalLevel(aal->get_ref<const std::string&>()) < options_.required_aal) {
      return Code::kInsufficientAal;
    }
  }
  return Status::Ok();
}

Result<VerifiedJwt> Verifier::Verify(std::string_view token, std::int64_t now) const {
  if (token.size() > options_.max_token_bytes) return Code::kTokenTooLarge;
  Result<CompactParts> parts = SplitCompact(token);
  if (!parts.ok()) return parts.code();
  // Every part must be canonical base64url, even the ones read later.
  Result<std::string> signature = Base64UrlDecode(parts->signature);
  if (!signature.ok()) return Code::kTokenMalformed;
  Result<std::string> header_text = Base64UrlDecode(parts->header);
  if (!header_text.ok()) return Code::kTokenMalformed;
  Result<Json> header = ParseJsonObject(*header_text, options_.max_json_depth);
  if (!header.ok()) return header.code();
  Result<std::string> payload_text = Base64UrlDecode(parts->payload);
  if (!payload_text.ok()) return Code::kTokenMalformed;

  // The verifier's allow-list picks the algorithm; the header only names it.
  const auto alg_it = header->find("alg");
  if (alg_it == header->end() || !alg_it->is_string()) return Code::kTokenMalformed;
  const std::optional<Algorithm> algorithm = AlgorithmFromName(alg_it->get_ref<const std::string&>());
  bool allowed = false;
  for (const Algorithm candidate : options_.algorithms) allowed = allowed || (algorithm && candidate == *algorithm);
  if (!allowed) return Code::kTokenAlgorithmNotAllowed;

  if (options_.type) {
    const auto typ = header->find("typ");
    if (typ == header->end() || !typ->is_string() ||
        NormalizeType(typ->get_ref<const std::string&>()) != *options_.type) {
      return Code::kTokenTypeInvalid;
    }
  }

  // No JWS extension is supported, so any critical one is refused (RFC 7515 §4.1.11).
  if (const auto crit = header->find("crit"); crit != header->end()) {
    if (!crit->is_array() || crit->empty()) return Code::kTokenMalformed;
    for (const Json& name : *crit) {
      if (!name.is_string()) return Code::kTokenMalformed;
    }
    return Code::kTokenCritUnsupported;
  }

  // jwk, jku, x5u and x5c are never consulted: keys come from the verifier only.
  Result<const Jwk*> key = SelectKey(*header, *algorithm);
  if (!key.ok()) return key.code();
  const Jwk& jwk = **key;

  if (!VerifyJwsSignature(*algorithm, jwk, parts->signing_input, *signature)) return Code::kTokenSignatureInvalid;

  Result<Json> claims = ParseJsonObject(*payload_text, options_.max_json_depth);
  if (!claims.ok()) return claims.code();
  LATCHKEY_RETURN_IF_ERROR(CheckClaims(*claims, now));

  return VerifiedJwt{std::move(header).value(),
                     std::move(claims).value(),
                     std::move(header_text).value(),
                     std::move(payload_text).value(),
                     *algorithm,
                     jwk.kid()};
}

}  // namespace latchkey
