// The public-key algorithms left out (the wasm core and tools modules, whose
// pages verify EdDSA and must not download RSA and EC code). With LATCHKEY_PK=0
// nothing calls these; they only keep an unoptimised build linking. The
// package's pk module (wasm/CMakeLists.txt) links pk_jwk.cc and pk_verify.cc.
#include "latchkey/jwk.h"
#include "pk.h"

namespace latchkey {

Result<Jwk> Jwk::PublicKeyFromJson(const Json&, const std::string&, const std::optional<std::string>&, bool) {
  return Code::kJwkUnsupported;
}
std::string Jwk::PublicKeyThumbprintInput() const { return {}; }
void Jwk::AddPublicKeyMembers(Json&) const {}

namespace pk {
bool Verify(Algorithm, const Jwk&, std::string_view, std::string_view) { return false; }
}  // namespace pk

}  // namespace latchkey
