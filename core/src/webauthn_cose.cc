// COSE keys (RFC 9053) as Jwks, and the three signature checks.
#include <cstdint>

#include "latchkey/cbor.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "pk.h"
#include "webauthn_internal.h"

namespace latchkey::webauthn {
namespace {

// COSE key labels (RFC 9052 §7.1, RFC 9053 §7).
constexpr std::int64_t kLabelKty = 1;
constexpr std::int64_t kLabelAlg = 3;
constexpr std::int64_t kLabelCrv = -1;  // EC2, OKP
constexpr std::int64_t kLabelX = -2;    // EC2, OKP
constexpr std::int64_t kLabelY = -3;    // EC2
constexpr std::int64_t kLabelD = -4;    // EC2, OKP private key
constexpr std::int64_t kLabelN = -1;    // RSA
constexpr std::int64_t kLabelE = -2;    // RSA
constexpr std::int64_t kKtyOkp = 1;
constexpr std::int64_t kKtyEc2 = 2;
constexpr std::int64_t kKtyRsa = 3;
constexpr std::int64_t kCrvP256 = 1;
constexpr std::int64_t kCrvEd25519 = 6;
constexpr std::size_t kP256ScalarBytes = 32;

// A byte-string member as base64url, or nullopt when absent or of another type.
bool BytesMember(const cbor::Value& key, std::int64_t label, std::string* out) {
  const cbor::Value* value = key.Find(label);
  if (value == nullptr || value->type() != cbor::Value::Type::kBytes) return false;
  *out = Base64UrlEncode(value->bytes());
  return true;
}

bool IntMember(const cbor::Value& key, std::int64_t label, std::int64_t* out) {
  const cbor::Value* value = key.Find(label);
  return value != nullptr && value->AsInt64(out);
}

// One DER INTEGER at *pos, minimal and positive, left-padded to 32 bytes.
bool ReadScalar(std::string_view der, std::size_t* pos, std::string* out) {
  if (der.size() - *pos < 2 || der[*pos] != 0x02) return false;
  const auto length = static_cast<std::uint8_t>(der[*pos + 1]);
  *pos += 2;
  if (length == 0 || length > kP256ScalarBytes + 1 || length > der.size() - *pos) return false;
  std::string_view value = der.substr(*pos, length);
  *pos += length;
  const auto first = static_cast<std::uint8_t>(value[0]);
  if (first & 0x80) return false;  // negative
  if (first == 0) {
    // A leading zero only to keep a high bit from reading as a sign.
    if (value.size() == 1 || !(static_cast<std::uint8_t>(value[1]) & 0x80)) return false;
    value.remove_prefix(1);
  }
  if (value.size() > kP256ScalarBytes) return false;
  *out = std::string(kP256ScalarBytes - value.size(), '\0') + std::string(value);
  return true;
}

}  // namespace

Result<std::string> EcdsaDerToRaw(std::string_view der) {
  // At most 2 + 2 * (2 + 33) = 72 bytes: the sequence length is one short-form byte.
  if (der.size() < 2 || der[0] != 0x30) return Code::kPasskeySignatureInvalid;
  const auto length = static_cast<std::uint8_t>(der[1]);
  if (length >= 0x80 || length != der.size() - 2) return Code::kPasskeySignatureInvalid;
  std::size_t pos = 2;
  std::string r, s;
  if (!ReadScalar(der, &pos, &r) || !ReadScalar(der, &pos, &s) || pos != der.size()) {
    return Code::kPasskeySignatureInvalid;
  }
  return r + s;
}

bool VerifySignature(CoseAlgorithm algorithm, const Jwk& key, std::string_view message, std::string_view signature) {
  switch (algorithm) {
    case CoseAlgorithm::kEdDSA:
      return key.algorithm() == Algorithm::kEdDSA && Ed25519Verify(key.public_key(), message, signature);
    case CoseAlgorithm::kES256: {
      Result<std::string> raw = EcdsaDerToRaw(signature);
      return raw.ok() && pk::Verify(Algorithm::kES256, key, message, *raw);
    }
    case CoseAlgorithm::kRS256:
      return pk::Verify(Algorithm::kRS256, key, message, signature);
  }
  return false;
}

Result<Jwk> CoseKeyToJwk(std::string_view cose_key, CoseAlgorithm* algorithm) {
  Result<cbor::Value> key = cbor::Decode(cose_key);
  if (!key.ok()) return key.code();
  if (key->type() != cbor::Value::Type::kMap) return Code::kCborInvalid;
  std::int64_t alg = 0, kty = 0, crv = 0;
  if (!IntMember(*key, kLabelAlg, &alg)) return Code::kPasskeyAlgorithmUnsupported;
  if (!IntMember(*key, kLabelKty, &kty)) return Code::kJwkInvalid;

  Json jwk = Json::object();
  std::string x, y, n, e;
  if (alg == static_cast<std::int64_t>(CoseAlgorithm::kES256)) {
    if (kty != kKtyEc2) return Code::kJwkInvalid;
    if (!IntMember(*key, kLabelCrv, &crv)) return Code::kJwkInvalid;
    if (crv != kCrvP256) return Code::kPasskeyAlgorithmUnsupported;
    if (key->Find(kLabelD) != nullptr) return Code::kJwkInvalid;  // a private key
    if (!BytesMember(*key, kLabelX, &x) || !BytesMember(*key, kLabelY, &y)) return Code::kJwkInvalid;
    jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"alg", "ES256"}, {"x", x}, {"y", y}};
  } else if (alg == static_cast<std::int64_t>(CoseAlgorithm::kEdDSA)) {
    if (kty != kKtyOkp) return Code::kJwkInvalid;
    if (!IntMember(*key, kLabelCrv, &crv)) return Code::kJwkInvalid;
    if (crv != kCrvEd25519) return Code::kPasskeyAlgorithmUnsupported;
    if (key->Find(kLabelD) != nullptr) return Code::kJwkInvalid;
    if (!BytesMember(*key, kLabelX, &x)) return Code::kJwkInvalid;
    jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"alg", "EdDSA"}, {"x", x}};
  } else if (alg == static_cast<std::int64_t>(CoseAlgorithm::kRS256)) {
    if (kty != kKtyRsa) return Code::kJwkInvalid;
    // Labels -3 to -12 are the private key's parts (RFC 8230 §4).
    for (std::int64_t label = -3; label >= -12; --label) {
      if (key->Find(label) != nullptr) return Code::kJwkInvalid;
    }
    if (!BytesMember(*key, kLabelN, &n) || !BytesMember(*key, kLabelE, &e)) return Code::kJwkInvalid;
    jwk = {{"kty", "RSA"}, {"alg", "RS256"}, {"n", n}, {"e", e}};
  } else {
    return Code::kPasskeyAlgorithmUnsupported;
  }
  Result<Jwk> parsed = Jwk::FromJson(jwk, /*allow_private=*/false);
  if (!parsed.ok()) return parsed.code();
  *algorithm = static_cast<CoseAlgorithm>(alg);
  return parsed;
}

}  // namespace latchkey::webauthn
