// Embind exports of the core for the JS wrapper (wasm/js/): the small module
// every page loads (token verification, JWKs, the refresh state machine).
// Signing, password hashing and the strength estimator with its word lists
// are the tools module (tools_bindings.cc), loaded only when asked for. Every function
// takes and returns strings or numbers, so embind copies each value in and
// out and no view of wasm memory reaches JS. Results that can fail are JSON
// objects: {"ok": true, ...} or {"ok": false, "code": "<wire code>"}.
#include <emscripten/bind.h>

#include <string>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "verifier_handle.h"

namespace latchkey::wasm {
namespace {

std::string ErrorTableJson() {
  Json table = Json::array();
  for (const ErrorInfo& info : ErrorTable()) {
    table.push_back({{"code", info.wire}, {"http_status", info.http_status}, {"message", info.message}});
  }
  return table.dump();
}

std::string JwkThumbprint(const std::string& jwk_json) {
  Result<Json> json = ParseJson(jwk_json);
  if (!json.ok()) return Failure(json.code());
  Result<Jwk> key = Jwk::FromJson(*json, /*allow_private=*/true);
  if (!key.ok()) return Failure(key.code());
  return Json{{"ok", true}, {"thumbprint", key->Thumbprint()}}.dump();
}

// The public form of any JWK (for a private Ed25519 JWK: without d).
std::string PublicJwk(const std::string& jwk_json) {
  Result<Json> json = ParseJson(jwk_json);
  if (!json.ok()) return Failure(json.code());
  Result<Jwk> key = Jwk::FromJson(*json, /*allow_private=*/true);
  if (!key.ok()) return Failure(key.code());
  return Json{{"ok", true}, {"jwk", key->ToJson(false)}}.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(latchkey_core) {
  using namespace emscripten;
  class_<VerifierHandle>("VerifierHandle")
      .constructor<const std::string&>()
      .function("status", &VerifierHandle::status)
      .function("problem", &VerifierHandle::problem)
      .function("verify", &VerifierHandle::verify);
  function("errorTable", &ErrorTableJson);
  function("jwkThumbprint", &JwkThumbprint);
  function("publicJwk", &PublicJwk);
}

}  // namespace latchkey::wasm
