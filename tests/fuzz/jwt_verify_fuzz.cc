// JWT verification of arbitrary bytes against a fixed key set and three
// verifier policies. Seeds are the vector tokens, so mutations start from
// tokens that reach every stage (see jwt_claims for inputs past the signature).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "fuzz_keys.h"
#include "latchkey/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  for (const latchkey::Verifier& verifier : fuzz::Verifiers()) {
    latchkey::Result<latchkey::VerifiedJwt> jwt = verifier.Verify(token, fuzz::kNow);
    if (!jwt.ok()) continue;
    // Only the verifier's own keys and algorithms ever verify.
    bool allowed = false;
    for (const latchkey::Algorithm a : verifier.options().algorithms) allowed = allowed || a == jwt->algorithm;
    FUZZ_CHECK(allowed);
    bool known = false;
    for (const latchkey::Jwk& key : verifier.keys().keys) {
      known = known || (key.kid() == jwt->kid && key.Permits(jwt->algorithm));
    }
    FUZZ_CHECK(known);
    FUZZ_CHECK(jwt->header.is_object() && jwt->claims.is_object() && jwt->claims.contains("exp"));
    // The verified texts are exactly the token's decoded parts.
    const std::size_t dot = token.find('.');
    FUZZ_CHECK(latchkey::Base64UrlEncode(jwt->header_json) == token.substr(0, dot));
    auto claims = latchkey::ParseJson(jwt->claims_json, {jwt->claims_json.size(), 256});
    FUZZ_CHECK(claims.ok() && *claims == jwt->claims);
  }
  return 0;
}
