// Embind exports of the pk module: the same verifier as the core module
// (verifier_handle.h), built on a core that also verifies RS256, PS256 and
// ES256 (mbedTLS). The package loads it only for a verifier configured with
// one of those algorithms (wasm/js/verifier.js), so pages verifying EdDSA
// never download RSA and EC code.
#include <emscripten/bind.h>

#include <string>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "verifier_handle.h"

namespace latchkey::wasm {
namespace {

// One signature check with a public JWK, hex in: the Wycheproof vectors run
// through it (tests/wasm/vectors.test.mjs). "valid", "invalid", or the key's
// wire code when the JWK is refused.
std::string VerifySignature(const std::string& algorithm, const std::string& jwk_json, const std::string& message_hex,
                            const std::string& signature_hex) {
  const std::optional<Algorithm> alg = AlgorithmFromName(algorithm);
  Result<Json> json = ParseJson(jwk_json);
  Result<std::string> message = HexDecode(message_hex);
  Result<std::string> signature = HexDecode(signature_hex);
  if (!alg || !json.ok() || !message.ok() || !signature.ok()) return "invalid_argument";
  Result<Jwk> key = Jwk::FromJson(*json, /*allow_private=*/false);
  if (!key.ok()) return std::string(WireCode(key.code()));
  return VerifyJwsSignature(*alg, *key, *message, *signature) ? "valid" : "invalid";
}

}  // namespace

EMSCRIPTEN_BINDINGS(latchkey_pk) {
  using namespace emscripten;
  class_<VerifierHandle>("VerifierHandle")
      .constructor<const std::string&>()
      .function("status", &VerifierHandle::status)
      .function("problem", &VerifierHandle::problem)
      .function("verify", &VerifierHandle::verify);
  function("verifySignature", &VerifySignature);
}

}  // namespace latchkey::wasm
