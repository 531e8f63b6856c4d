// Embind exports of the core for the JS wrapper (wasm/js/): the small module
// every page loads (token verification, JWKs, the refresh state machine).
// Signing, password hashing and the strength estimator with its word lists
// are the tools module (tools_bindings.cc), loaded only when asked for. Every function
// takes and returns strings or numbers, so embind copies each value in and
// out and no view of wasm memory reaches JS. Results that can fail are JSON
// objects: {"ok": true, ...} or {"ok": false, "code": "<wire code>"}.
#include <emscripten/bind.h>

#include <cmath>
#include <memory>
#include <string>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"

namespace latchkey::wasm {
namespace {

std::string Failure(Code code) { return Json{{"ok", false}, {"code", WireCode(code)}}.dump(); }

std::string ErrorTableJson() {
  Json table = Json::array();
  for (const ErrorInfo& info : ErrorTable()) {
    table.push_back({{"code", info.wire}, {"http_status", info.http_status}, {"message", info.message}});
  }
  return table.dump();
}

// JS numbers are doubles; `now` is whole seconds.
// Saturated when out of range: a plain cast of an out-of-range double is undefined behaviour.
std::int64_t Seconds(double now) {
  if (!std::isfinite(now)) return 0;
  now = std::floor(now);
  if (now >= 9223372036854775808.0) return INT64_MAX;
  if (now < -9223372036854775808.0) return INT64_MIN;
  return static_cast<std::int64_t>(now);
}

// A verifier held by JS between calls. JS must call delete() when done.
class VerifierHandle {
 public:
  explicit VerifierHandle(const std::string& config_json) {
    Result<Json> config = ParseJson(config_json, JsonLimits{1 << 20, 32});
    if (!config.ok()) {
      code_ = config.code();
      return;
    }
    Result<Verifier> verifier = Verifier::FromConfig(*config, &problem_);
    if (!verifier.ok()) {
      code_ = verifier.code();
      return;
    }
    verifier_ = std::make_unique<Verifier>(std::move(verifier).value());
  }

  // "ok" when the verifier was built, else the wire code of the reason.
  std::string status() const { return std::string(WireCode(code_)); }
  // Why the configuration was refused: {"option", "reason"} (empty when built).
  std::string problem() const { return Json{{"option", problem_.option}, {"reason", problem_.reason}}.dump(); }

  std::string verify(const std::string& token, double now) const {
    if (!verifier_) return Failure(code_);
    Result<VerifiedJwt> verified = verifier_->Verify(token, Seconds(now));
    if (!verified.ok()) return Failure(verified.code());
    // The verified texts are JSON objects already: splice, do not re-serialise.
    return R"({"ok":true,"header":)" + verified->header_json + R"(,"claims":)" + verified->claims_json + "}";
  }

 private:
  std::unique_ptr<Verifier> verifier_;
  Code code_ = Code::kOk;
  VerifierConfigError problem_;
};

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
