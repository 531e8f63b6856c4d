// Runs the shared vector files (tests/vectors/) through the core and reports a
// verdict per case. Used by the Catch2 tests, which compare each verdict with
// the file's expectation, and by latchkey_vector_verdicts, whose output the
// Node tests compare with the wasm build's verdicts case by case.
#pragma once

#include <string>
#include <vector>

#include "latchkey/json.h"

namespace latchkey::testing {

struct CaseVerdict {
  std::string id;
  std::string expected;
  std::string actual;
};

// jwt-cases.json: verdict "ok" or a wire code.
std::vector<CaseVerdict> RunJwtCases(const Json& file);
// Wycheproof EddsaVerify files (v1 and v0 layouts): "valid" or "invalid".
std::vector<CaseVerdict> RunWycheproofEd25519(const Json& file);
// Wycheproof MacTest HMAC-SHA256: "valid" or "invalid"; truncated tags compare
// the leftmost tagSize/8 bytes.
std::vector<CaseVerdict> RunWycheproofHmac(const Json& file);
// Wycheproof RSA signatures, SHA-256: PKCS#1 v1.5 (RS256) or PSS with a
// 32-byte salt (PS256); "valid" or "invalid". Keys go through Jwk::FromJson.
std::vector<CaseVerdict> RunWycheproofRsa(const Json& file, bool pss);
// Wycheproof ECDSA P-256/SHA-256 with r || s signatures (ES256).
std::vector<CaseVerdict> RunWycheproofEcdsaP1363(const Json& file);
// rfc-vectors.json: each applicable vector "pass" or "fail: <check>"; derived
// negatives "reject" or "accept". Vectors for features the core does not have
// (TOTP) are reported as "not_applicable".
std::vector<CaseVerdict> RunRfcVectors(const Json& file);

// Dispatches on a kind name: "jwt", "ed25519", "hmac", "rfc", "rsa_pkcs1",
// "rsa_pss", "ecdsa_p1363".
std::vector<CaseVerdict> RunVectors(const std::string& kind, const Json& file);

// Reads a vector file with generous limits.
Json LoadVectorFile(const std::string& path);

}  // namespace latchkey::testing
