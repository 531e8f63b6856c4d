// The verifier object JS holds between calls, shared by the core module
// (bindings.cc) and the pk module (pk_bindings.cc), which differ only in the
// algorithms the core they link verifies.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "latchkey/jwt.h"

namespace latchkey::wasm {

inline std::string Failure(Code code) { return Json{{"ok", false}, {"code", WireCode(code)}}.dump(); }

// JS numbers are doubles; `now` is whole seconds.
// Saturated when out of range: a plain cast of an out-of-range double is undefined behaviour.
inline std::int64_t Seconds(double now) {
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

}  // namespace latchkey::wasm
