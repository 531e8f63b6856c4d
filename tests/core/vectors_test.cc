// The shared vector files, case by case: RFC known answers, Wycheproof Ed25519
// and HMAC-SHA256, and the JWT attack catalogue (tests/vectors/jwt-cases.json).
#include <catch2/catch.hpp>

#include <set>

#include "vector_runner.h"

namespace latchkey::testing {
namespace {

Json Load(const std::string& name) {
  Json file = LoadVectorFile(std::string(LATCHKEY_VECTORS_DIR) + "/" + name);
  REQUIRE(file.is_object());
  return file;
}

void ExpectAll(const std::vector<CaseVerdict>& verdicts, std::size_t minimum) {
  REQUIRE(verdicts.size() >= minimum);
  for (const CaseVerdict& verdict : verdicts) {
    INFO("case " << verdict.id);
    CHECK(verdict.actual == verdict.expected);
  }
}

TEST_CASE("RFC known-answer vectors (7515, 8037, 4231, 7636) and derived negatives", "[vectors]") {
  const auto verdicts = RunRfcVectors(Load("rfc-vectors.json"));
  ExpectAll(verdicts, 20);
  std::set<std::string> not_applicable;
  for (const auto& v : verdicts) {
    if (v.actual == "not_applicable") not_applicable.insert(v.id);
  }
  // Every vector applies (TOTP too, since core/otp.h).
  CHECK(not_applicable.empty());
}

TEST_CASE("Wycheproof Ed25519 (v1 layout)", "[vectors]") {
  ExpectAll(RunWycheproofEd25519(Load("wycheproof/ed25519_test.json")), 150);
}

TEST_CASE("Wycheproof EdDSA (v0 layout)", "[vectors]") {
  ExpectAll(RunWycheproofEd25519(Load("wycheproof/eddsa_test.json")), 145);
}

TEST_CASE("Wycheproof HMAC-SHA256", "[vectors]") {
  ExpectAll(RunWycheproofHmac(Load("wycheproof/hmac_sha256_test.json")), 174);
}

TEST_CASE("Wycheproof RSA PKCS#1 v1.5 2048/SHA-256 (RS256)", "[vectors][pk]") {
  ExpectAll(RunWycheproofRsa(Load("wycheproof/rsa_signature_2048_sha256_nss.json"), /*pss=*/false), 240);
}

TEST_CASE("Wycheproof RSA-PSS 2048/SHA-256/MGF1/salt 32 (PS256)", "[vectors][pk]") {
  ExpectAll(RunWycheproofRsa(Load("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json"), /*pss=*/true), 103);
}

TEST_CASE("Wycheproof ECDSA P-256/SHA-256 as r || s (ES256)", "[vectors][pk]") {
  ExpectAll(RunWycheproofEcdsaP1363(Load("wycheproof/ecdsa_secp256r1_sha256_p1363_nss.json")), 218);
}

TEST_CASE("JWT attack catalogue", "[vectors][jwt]") { ExpectAll(RunJwtCases(Load("jwt-cases.json")), 150); }

}  // namespace
}  // namespace latchkey::testing
