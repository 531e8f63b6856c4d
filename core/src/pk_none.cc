// The public-key algorithms left out (the wasm core module, whose pages verify
// EdDSA and must not download RSA and EC code): RSA and EC JWKs are skipped
// in key sets and refused alone, RS256/PS256/ES256 configurations are refused.
// The package's pk module (wasm/CMakeLists.txt) links pk_jwk.cc and
// pk_verify.cc instead.
#include "latchkey/jwk.h"
#include "pk.h"

namespace latchkey {

Result<Jwk> Jwk::PublicKeyFromJson(const Json&, const std::string&, const std::optional<std::string>&, bool) {
  return Code::kJwkUnsupported;
}
std::string Jwk::PublicKeyThumbprintInput() const { return {}; }
void Jwk::AddPublicKeyMembers(Json&) const {}

namespace pk {
bool Available() { return false; }
bool Verify(Algorithm, const Jwk&, std::string_view, std::string_view) { return false; }
}  // namespace pk

}  // namespace latchkey
