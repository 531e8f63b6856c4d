// JWT verification past the signature: the input is a header and a payload
// (JSON text, separated by the first newline; without one, the payload alone
// under a standard header), signed here with the test keys, then verified.
// This drives the header rules and every claim check with arbitrary JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "fuzz_keys.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"

namespace {

void VerifyEverywhere(const std::string& token, std::string_view payload) {
  for (const latchkey::Verifier& verifier : fuzz::Verifiers()) {
    latchkey::Result<latchkey::VerifiedJwt> jwt = verifier.Verify(token, fuzz::kNow);
    if (!jwt.ok()) continue;
    FUZZ_CHECK(jwt->claims_json == payload);
    const latchkey::Json& claims = jwt->claims;
    FUZZ_CHECK(claims.contains("exp") && claims["exp"].is_number());
    const latchkey::VerifierOptions& options = verifier.options();
    if (options.issuer) FUZZ_CHECK(claims.contains("iss") && claims["iss"] == *options.issuer);
    for (const std::string& name : options.required_claims) FUZZ_CHECK(claims.contains(name));
    if (!options.audiences.empty()) FUZZ_CHECK(claims.contains("aud"));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const bool has_header = newline != std::string_view::npos;
  const std::string_view payload = has_header ? input.substr(newline + 1) : input;
  const std::string encoded_payload = latchkey::Base64UrlEncode(payload);

  const latchkey::Jwk& ed = fuzz::SigningKeyEdA();
  const latchkey::Jwk& hs = fuzz::SigningKeyHsA();
  const std::string ed_header = has_header ? std::string(input.substr(0, newline))
                                           : R"({"alg":"EdDSA","kid":")" + ed.kid() + R"(","typ":"at+jwt"})";
  const std::string hs_header =
      has_header ? std::string(input.substr(0, newline)) : R"({"alg":"HS256","kid":")" + hs.kid() + R"("})";

  const std::string ed_input = latchkey::Base64UrlEncode(ed_header) + "." + encoded_payload;
  latchkey::Result<std::string> ed_signature = latchkey::Ed25519Sign(ed.secret(), ed_input);
  FUZZ_CHECK(ed_signature.ok());
  VerifyEverywhere(ed_input + "." + latchkey::Base64UrlEncode(*ed_signature), payload);

  const std::string hs_input = latchkey::Base64UrlEncode(hs_header) + "." + encoded_payload;
  VerifyEverywhere(hs_input + "." + latchkey::Base64UrlEncode(latchkey::HmacSha256(hs.secret(), hs_input)), payload);
  return 0;
}
