// JSON Web Keys (RFC 7517) for the two algorithms Latchkey signs with:
// Ed25519 as OKP (RFC 8037, alg EdDSA) and oct secrets (alg HS256).
//
// A Jwk is bound to exactly one algorithm by its type (RFC 8725 §3.1): an OKP
// key only ever verifies EdDSA, an oct key only HS256. A key without a `kid`
// gets its RFC 7638 thumbprint as kid. Immutable after construction;
// thread-safe to share for reading.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/crypto.h"
#include "latchkey/json.h"
#include "latchkey/status.h"

namespace latchkey {

enum class Algorithm { kEdDSA, kHS256 };

// "EdDSA" / "HS256". Nothing else, and never "none".
std::string_view AlgorithmName(Algorithm algorithm);
std::optional<Algorithm> AlgorithmFromName(std::string_view name);

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
inline constexpr std::size_t kMinHmacKeyBytes = 32;

class Jwk {
 public:
  // Parses one key. With allow_private false, an OKP key carrying `d` is
  // refused (kJwkInvalid): private keys have no place in a verification set.
  // oct keys always carry their secret `k`.
  static Result<Jwk> FromJson(const Json& jwk, bool allow_private);

  static Result<Jwk> Ed25519FromSeed(std::string_view seed);
  static Jwk GenerateEd25519(RandomSource& random);
  static Result<Jwk> HmacSecret(std::string_view secret);

  Algorithm algorithm() const { return algorithm_; }
  const std::string& kid() const { return kid_; }
  // For OKP: whether the signing half is present. oct keys can always sign.
  bool can_sign() const { return !secret_.empty(); }

  // 32-byte Ed25519 public key (OKP only).
  std::string_view public_key() const { return public_key_; }
  // OKP: the 64-byte libsodium secret key; oct: the secret. Empty when absent.
  std::string_view secret() const { return secret_.view(); }

  // RFC 7638 SHA-256 thumbprint, base64url.
  std::string Thumbprint() const;

  // {kty, crv, x, kid, alg, use} for OKP. With include_secret, adds `d` (OKP)
  // or `k` (oct); an oct key without it has no key material in the output.
  Json ToJson(bool include_secret) const;

  Jwk(Jwk&&) = default;
  Jwk& operator=(Jwk&&) = default;
  Jwk Clone() const;

 private:
  Jwk(Algorithm algorithm, std::string public_key, SecretBytes secret);

  Algorithm algorithm_;
  std::string kid_;
  std::string public_key_;
  SecretBytes secret_;
};

// A key set. Parsing skips members of types Latchkey does not use (RSA, EC,
// X25519, other algorithms, use other than "sig") so a mixed JWKS still works,
// but a key of a supported type that is malformed fails the whole set, as do
// two keys with one kid (kJwksDuplicateKid).
struct Jwks {
  std::vector<Jwk> keys;

  static Result<Jwks> FromJson(const Json& jwks, bool allow_private);
  Json ToJson(bool include_secrets) const;
  Jwks Clone() const;
};

}  // namespace latchkey
