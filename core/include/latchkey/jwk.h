// JSON Web Keys (RFC 7517) for the two algorithms Latchkey signs with:
// Ed25519 as OKP (RFC 8037, alg EdDSA) and oct secrets (alg HS256), and the
// public keys OpenID providers sign ID tokens with: RSA (RS256, PS256) and
// EC P-256 (ES256), which Latchkey only verifies (mbedTLS, see pk.h).
//
// A Jwk is bound to its algorithm by its type (RFC 8725 §3.1): an OKP key only
// ever verifies EdDSA, an oct key only HS256, an EC key only ES256. An RSA key
// verifies the one algorithm its `alg` names, or RS256 and PS256 when it names
// none (both are RSA signatures over the same key; the verifier's allow-list
// still decides). A key without a `kid` gets its RFC 7638 thumbprint as kid.
// Immutable after construction; thread-safe to share for reading.
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

enum class Algorithm { kEdDSA, kHS256, kRS256, kPS256, kES256 };

// "EdDSA" / "HS256" / "RS256" / "PS256" / "ES256". Nothing else, and never "none".
std::string_view AlgorithmName(Algorithm algorithm);
std::optional<Algorithm> AlgorithmFromName(std::string_view name);

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
inline constexpr std::size_t kMinHmacKeyBytes = 32;
// RSA moduli below 2048 bits are refused (NIST SP 800-131A); above 8192 bits
// they only cost verification time.
inline constexpr std::size_t kMinRsaModulusBits = 2048;
inline constexpr std::size_t kMaxRsaModulusBits = 8192;

// Whether the algorithm is one of the public-key ones only verified here.
inline bool IsPublicKeyAlgorithm(Algorithm algorithm) {
  return algorithm == Algorithm::kRS256 || algorithm == Algorithm::kPS256 || algorithm == Algorithm::kES256;
}

class Jwk {
 public:
  // Parses one key. With allow_private false, a key carrying `d` is refused
  // (kJwkInvalid): private keys have no place in a verification set. oct keys
  // always carry their secret `k`. RSA keys under kMinRsaModulusBits are
  // kKeyTooShort; an exponent that is even, below 3 or over 32 bits, or an EC
  // point not on P-256, is kJwkInvalid. RSA and EC keys are public only (a
  // private one is kJwkUnsupported with allow_private). In a build without the
  // public-key algorithms (the wasm core module) RSA and EC are kJwkUnsupported.
  static Result<Jwk> FromJson(const Json& jwk, bool allow_private);

  static Result<Jwk> Ed25519FromSeed(std::string_view seed);
  static Jwk GenerateEd25519(RandomSource& random);
  static Result<Jwk> HmacSecret(std::string_view secret);

  // The key's algorithm: its `alg`, or the one its type implies (RS256 for an
  // RSA key without `alg`).
  Algorithm algorithm() const { return algorithm_; }
  // Whether a token signed with `algorithm` may be verified with this key.
  bool Permits(Algorithm algorithm) const;
  const std::string& kid() const { return kid_; }
  // For OKP: whether the signing half is present. oct keys can always sign.
  bool can_sign() const { return !secret_.empty(); }

  // OKP: the 32-byte Ed25519 public key; RSA: the modulus n (big-endian, no
  // leading zeros); EC: x || y (64 bytes).
  std::string_view public_key() const { return public_key_; }
  // RSA: the public exponent e (big-endian). Empty for other types.
  std::string_view exponent() const { return exponent_; }
  // OKP: the 64-byte libsodium secret key; oct: the secret. Empty when absent.
  std::string_view secret() const { return secret_.view(); }

  // RFC 7638 SHA-256 thumbprint, base64url.
  std::string Thumbprint() const;

  // {kty, crv, x, kid, alg, use} for OKP, {kty, n, e, ...} for RSA, {kty,
  // crv, x, y, ...} for EC. With include_secret, adds `d` (OKP) or `k` (oct);
  // an oct key without it has no key material in the output.
  Json ToJson(bool include_secret) const;

  Jwk(Jwk&&) = default;
  Jwk& operator=(Jwk&&) = default;
  Jwk Clone() const;

 private:
  Jwk(Algorithm algorithm, std::string public_key, SecretBytes secret);
  // RSA and EC keys (pk_jwk.cc, or a stub refusing them in builds without).
  static Result<Jwk> PublicKeyFromJson(const Json& jwk, const std::string& kty, const std::optional<std::string>& alg,
                                       bool allow_private);
  std::string PublicKeyThumbprintInput() const;
  void AddPublicKeyMembers(Json& out) const;

  Algorithm algorithm_;
  std::string kid_;
  std::string public_key_;
  std::string exponent_;
  SecretBytes secret_;
  bool any_rsa_padding_ = false;  // an RSA key without `alg`: RS256 and PS256
};

// A key set. Parsing skips members of types Latchkey does not use (X25519,
// EC curves other than P-256, other algorithms, use other than "sig"; RSA and
// EC too in a build without them) so a mixed JWKS still works,
// but a key of a supported type that is malformed fails the whole set, as do
// two keys with one kid (kJwksDuplicateKid).
struct Jwks {
  std::vector<Jwk> keys;

  static Result<Jwks> FromJson(const Json& jwks, bool allow_private);
  Json ToJson(bool include_secrets) const;
  Jwks Clone() const;
};

}  // namespace latchkey
