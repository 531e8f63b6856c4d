// JSON Web Tokens signed as JWS compact serialisation (RFC 7515, 7519),
// following the JWT best current practices (RFC 8725).
//
// JwtBuilder signs. Verifier is built once from keys and an explicit policy
// (allowed algorithms, issuer, audiences, leeway, required claims, expected
// typ, size limits) and then verifies any number of tokens; `now` is always
// passed in, in seconds since the Unix epoch. A failed verification yields
// one code from error_codes.def and nothing more. Verifier is immutable after
// Create(), so one instance may be shared across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/json.h"
#include "latchkey/jwk.h"
#include "latchkey/status.h"

namespace latchkey {

class JwtBuilder {
 public:
  // Header `typ`, e.g. "at+jwt" for access tokens (RFC 9068). Empty: no typ.
  JwtBuilder& type(std::string typ);
  JwtBuilder& issuer(std::string iss);
  JwtBuilder& subject(std::string sub);
  JwtBuilder& audience(std::string aud);
  JwtBuilder& audiences(std::vector<std::string> aud);
  JwtBuilder& issued_at(std::int64_t iat);
  JwtBuilder& not_before(std::int64_t nbf);
  JwtBuilder& expires_at(std::int64_t exp);
  JwtBuilder& jwt_id(std::string jti);
  // Any other claim. A later call with the same name replaces the value.
  JwtBuilder& claim(const std::string& name, Json value);

  // Signs with the key's algorithm and puts its kid in the header. Fails with
  // kInvalidArgument when the key cannot sign, kUtf8Invalid for a claim that
  // is not UTF-8.
  Result<std::string> Sign(const Jwk& key) const;

 private:
  std::string typ_;
  Json claims_ = Json::object();
};

struct VerifierOptions {
  std::vector<Algorithm> algorithms;         // required, non-empty
  std::optional<std::string> issuer;         // exact match when set
  std::vector<std::string> audiences;        // one must equal an `aud` value when set
  std::int64_t leeway_seconds = 60;          // for exp, nbf and iat; 0..86400
  std::vector<std::string> required_claims;  // beyond `exp`, which is always required
  std::optional<std::string> type;           // expected header typ, case-insensitive
  std::size_t max_token_bytes = 8192;
  std::size_t max_json_depth = 32;
  // The lowest authenticator assurance level (NIST SP 800-63B) the `aal`
  // claim must state: 0 = not checked, 1..3 = "aal1".."aal3". A token with
  // no `aal`, an unknown one or a lower one is kInsufficientAal.
  int required_aal = 0;
};

struct VerifiedJwt {
  Json header;
  Json claims;
  // The decoded header and payload exactly as signed (valid JSON objects):
  // cheaper to hand on than serialising `header` and `claims` again.
  std::string header_json;
  std::string claims_json;
  Algorithm algorithm;
  std::string kid;  // of the key that verified the token
};

// Why Verifier::FromConfig refused a configuration, for a developer to read:
// `option` is the JSON member ("audience"; empty for the whole document) and
// `reason` says what is wrong with it. Never carries key material.
struct VerifierConfigError {
  std::string option;
  std::string reason;
};

// The signature check Verifier::Verify makes once it has chosen the key: the
// JWS signature over `signing_input` (header '.' payload) with `key`, for an
// algorithm the key permits (false otherwise). Exposed for test vectors.
bool VerifyJwsSignature(Algorithm algorithm, const Jwk& key, std::string_view signing_input,
                        std::string_view signature);

// The level an `aal` claim states: 1..3 for "aal1".."aal3", 0 for anything else.
int AalLevel(std::string_view aal);

class Verifier {
 public:
  // kVerifierConfigInvalid for an empty algorithm list or out-of-range limits.
  static Result<Verifier> Create(Jwks keys, VerifierOptions options);

  // The JSON form shared with the JS package and the CLI:
  // {"algorithms": ["EdDSA"], "jwks": {"keys": [...]}, "issuer": "...",
  //  "audience": "..." | [...], "leeway_seconds": 60, "required_claims": [...],
  //  "typ": "at+jwt", "max_token_bytes": 8192, "max_json_depth": 32,
  //  "required_aal": "aal2"}
  // Unknown members and unknown algorithm names (including "none") are
  // kVerifierConfigInvalid; key errors keep their own codes. When `error` is
  // given, a refusal fills it with the member at fault and the reason.
  static Result<Verifier> FromConfig(const Json& config, VerifierConfigError* error = nullptr);

  Result<VerifiedJwt> Verify(std::string_view token, std::int64_t now) const;

  const VerifierOptions& options() const { return options_; }
  const Jwks& keys() const { return keys_; }

 private:
  Verifier(Jwks keys, VerifierOptions options) : keys_(std::move(keys)), options_(std::move(options)) {}
  Result<const Jwk*> SelectKey(const Json& header, Algorithm algorithm) const;
  Status CheckClaims(const Json& claims, std::int64_t now) const;

  Jwks keys_;
  VerifierOptions options_;
};

}  // namespace latchkey
