// RSA and EC P-256 public JWKs (RFC 7518 §6.2, §6.3) for the verifier: parsed,
// checked for sane parameters, and written back out. mbedTLS checks the
// parameters (the EC point is on the curve, the RSA key is consistent).
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#include "latchkey/encoding.h"
#include "latchkey/jwk.h"
#include "pk.h"

namespace latchkey {
namespace {

constexpr std::size_t kP256CoordinateBytes = 32;

Result<std::string> Base64UrlMember(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return Code::kJwkInvalid;
  Result<std::string> bytes = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!bytes.ok()) return Code::kJwkInvalid;
  return bytes;
}

// RFC 7518 §6.3.1 forbids leading zero octets; some libraries still emit
// one, and the number is the same: strip them, so the thumbprint is canonical.
std::string StripLeadingZeros(std::string bytes) {
  const std::size_t first = bytes.find_first_not_of('\0');
  return first == std::string::npos ? std::string() : bytes.substr(first);
}

std::size_t BitLength(std::string_view big_endian) {
  if (big_endian.empty()) return 0;
  std::size_t bits = (big_endian.size() - 1) * 8;
  for (auto top = static_cast<unsigned char>(big_endian[0]); top != 0; top >>= 1) ++bits;
  return bits;
}

// An exponent a verifier can trust: odd, at least 3, at most 32 bits (every
// provider uses 65537; huge exponents only make verification slow).
bool SaneExponent(std::string_view e) {
  if (e.empty() || e.size() > 4) return false;
  const auto last = static_cast<unsigned char>(e.back());
  if ((last & 1) == 0) return false;
  return e.size() > 1 || last >= 3;
}

bool RsaKeyConsistent(std::string_view n, std::string_view e) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  const auto* n_bytes = reinterpret_cast<const unsigned char*>(n.data());
  const auto* e_bytes = reinterpret_cast<const unsigned char*>(e.data());
  const bool ok =
      mbedtls_rsa_import_raw(&rsa, n_bytes, n.size(), nullptr, 0, nullptr, 0, nullptr, 0, e_bytes, e.size()) == 0 &&
      mbedtls_rsa_complete(&rsa) == 0 && mbedtls_rsa_check_pubkey(&rsa) == 0;
  mbedtls_rsa_free(&rsa);
  return ok;
}

bool P256PointValid(std::string_view x_y) {
  mbedtls_ecp_group group;
  mbedtls_ecp_point point;
  mbedtls_ecp_group_init(&group);
  mbedtls_ecp_point_init(&point);
  const std::string uncompressed = '\x04' + std::string(x_y);
  const bool ok =
      mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
      mbedtls_ecp_point_read_binary(&group, &point, reinterpret_cast<const unsigned char*>(uncompressed.data()),
                                    uncompressed.size()) == 0 &&
      mbedtls_ecp_check_pubkey(&group, &point) == 0;
  mbedtls_ecp_point_free(&point);
  mbedtls_ecp_group_free(&group);
  return ok;
}

}  // namespace

Result<Jwk> Jwk::PublicKeyFromJson(const Json& jwk, const std::string& kty, const std::optional<std::string>& alg,
                                   bool allow_private) {
  // Only public halves: Latchkey never signs with RSA or EC keys.
  if (jwk.contains("d")) return allow_private ? Code::kJwkUnsupported : Code::kJwkInvalid;

  if (kty == "RSA") {
    std::optional<Algorithm> algorithm = Algorithm::kRS256;
    if (alg) {
      algorithm = AlgorithmFromName(*alg);
      if (algorithm != Algorithm::kRS256 && algorithm != Algorithm::kPS256) return Code::kJwkUnsupported;
    }
    Result<std::string> n = Base64UrlMember(jwk, "n");
    if (!n.ok()) return n.code();
    Result<std::string> e = Base64UrlMember(jwk, "e");
    if (!e.ok()) return e.code();
    std::string modulus = StripLeadingZeros(std::move(n).value());
    std::string exponent = StripLeadingZeros(std::move(e).value());
    const std::size_t bits = BitLength(modulus);
    if (bits < kMinRsaModulusBits) return Code::kKeyTooShort;
    if (bits > kMaxRsaModulusBits || !SaneExponent(exponent)) return Code::kJwkInvalid;
    if (!RsaKeyConsistent(modulus, exponent)) return Code::kJwkInvalid;
    Jwk key(*algorithm, std::move(modulus), SecretBytes());
    key.exponent_ = std::move(exponent);
    key.any_rsa_padding_ = !alg.has_value();
    key.kid_ = key.Thumbprint();  // the constructor's ran before e was set
    return key;
  }

  // kty EC: P-256 only, for ES256.
  const auto crv = jwk.find("crv");
  if (crv == jwk.end() || !crv->is_string()) return Code::kJwkInvalid;
  if (*crv != "P-256") return Code::kJwkUnsupported;
  if (alg && *alg != "ES256") return Code::kJwkUnsupported;
  Result<std::string> x = Base64UrlMember(jwk, "x");
  if (!x.ok()) return x.code();
  Result<std::string> y = Base64UrlMember(jwk, "y");
  if (!y.ok()) return y.code();
  // RFC 7518 §6.2.1.2: each coordinate is the full 32 bytes.
  if (x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) return Code::kJwkInvalid;
  std::string point = *x + *y;
  if (!P256PointValid(point)) return Code::kJwkInvalid;
  return Jwk(Algorithm::kES256, std::move(point), SecretBytes());
}

std::string Jwk::PublicKeyThumbprintInput() const {
  // RFC 7638 §3.2: required members in lexicographic order.
  if (algorithm_ == Algorithm::kES256) {
    return R"({"crv":"P-256","kty":"EC","x":")" + Base64UrlEncode(public_key_.substr(0, kP256CoordinateBytes)) +
           R"(","y":")" + Base64UrlEncode(public_key_.substr(kP256CoordinateBytes)) + "\"}";
  }
  return R"({"e":")" + Base64UrlEncode(exponent_) + R"(","kty":"RSA","n":")" + Base64UrlEncode(public_key_) + "\"}";
}

void Jwk::AddPublicKeyMembers(Json& out) const {
  if (algorithm_ == Algorithm::kES256) {
    out["kty"] = "EC";
    out["crv"] = "P-256";
    out["x"] = Base64UrlEncode(public_key_.substr(0, kP256CoordinateBytes));
    out["y"] = Base64UrlEncode(public_key_.substr(kP256CoordinateBytes));
  } else {
    out["kty"] = "RSA";
    out["n"] = Base64UrlEncode(public_key_);
    out["e"] = Base64UrlEncode(exponent_);
  }
}

}  // namespace latchkey
