// RS256 (RSASSA-PKCS1-v1_5), PS256 (RSASSA-PSS, MGF1 with SHA-256, 32-byte
// salt: RFC 7518 §3.5) and ES256 (ECDSA P-256, r || s) verification on
// mbedTLS 2.28. The digest is libsodium's SHA-256, as for the other algorithms.
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#include "latchkey/crypto.h"
#include "pk.h"

namespace latchkey::pk {
namespace {

constexpr std::size_t kP256ScalarBytes = 32;

const unsigned char* Bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }

bool VerifyRsa(bool pss, const Jwk& key, std::string_view signing_input, std::string_view signature) {
  mbedtls_rsa_context rsa;
  mbedtls_rsa_init(&rsa, pss ? MBEDTLS_RSA_PKCS_V21 : MBEDTLS_RSA_PKCS_V15, pss ? MBEDTLS_MD_SHA256 : 0);
  bool ok = mbedtls_rsa_import_raw(&rsa, Bytes(key.public_key()), key.public_key().size(), nullptr, 0, nullptr, 0,
                                   nullptr, 0, Bytes(key.exponent()), key.exponent().size()) == 0 &&
            mbedtls_rsa_complete(&rsa) == 0;
  // mbedTLS reads exactly the modulus length from the signature buffer.
  ok = ok && signature.size() == mbedtls_rsa_get_len(&rsa);
  if (ok) {
    const std::string digest = Sha256(signing_input);
    if (pss) {
      ok = mbedtls_rsa_rsassa_pss_verify_ext(&rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256,
                                             static_cast<unsigned int>(digest.size()), Bytes(digest), MBEDTLS_MD_SHA256,
                                             static_cast<int>(kSha256Bytes), Bytes(signature)) == 0;
    } else {
      ok = mbedtls_rsa_rsassa_pkcs1_v15_verify(&rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256,
                                               static_cast<unsigned int>(digest.size()), Bytes(digest),
                                               Bytes(signature)) == 0;
    }
  }
  mbedtls_rsa_free(&rsa);
  return ok;
}

bool VerifyEs256(const Jwk& key, std::string_view signing_input, std::string_view signature) {
  if (signature.size() != 2 * kP256ScalarBytes) return false;
  mbedtls_ecp_group group;
  mbedtls_ecp_point point;
  mbedtls_mpi r, s;
  mbedtls_ecp_group_init(&group);
  mbedtls_ecp_point_init(&point);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  const std::string uncompressed = '\x04' + std::string(key.public_key());
  const std::string digest = Sha256(signing_input);
  // mbedtls_ecdsa_verify refuses r or s outside [1, n-1].
  const bool ok = mbedtls_ecp_group_load(&group, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
                  mbedtls_ecp_point_read_binary(&group, &point, Bytes(uncompressed), uncompressed.size()) == 0 &&
                  mbedtls_mpi_read_binary(&r, Bytes(signature), kP256ScalarBytes) == 0 &&
                  mbedtls_mpi_read_binary(&s, Bytes(signature.substr(kP256ScalarBytes)), kP256ScalarBytes) == 0 &&
                  mbedtls_ecdsa_verify(&group, Bytes(digest), digest.size(), &point, &r, &s) == 0;
  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_ecp_point_free(&point);
  mbedtls_ecp_group_free(&group);
  return ok;
}

}  // namespace

bool Verify(Algorithm algorithm, const Jwk& key, std::string_view signing_input, std::string_view signature) {
  if (!key.Permits(algorithm)) return false;
  switch (algorithm) {
    case Algorithm::kRS256:
      return VerifyRsa(/*pss=*/false, key, signing_input, signature);
    case Algorithm::kPS256:
      return VerifyRsa(/*pss=*/true, key, signing_input, signature);
    case Algorithm::kES256:
      return VerifyEs256(key, signing_input, signature);
    default:
      return false;
  }
}

}  // namespace latchkey::pk
