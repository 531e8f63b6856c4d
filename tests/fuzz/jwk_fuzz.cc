// One JWK from JSON text, with and without private members allowed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/jwk.h"

namespace {

void Parse(const latchkey::Json& json, bool allow_private) {
  latchkey::Result<latchkey::Jwk> key = latchkey::Jwk::FromJson(json, allow_private);
  if (!key.ok()) return;
  FUZZ_CHECK(!key->kid().empty());
  if (key->algorithm() == latchkey::Algorithm::kEdDSA) {
    FUZZ_CHECK(key->public_key().size() == latchkey::kEd25519PublicKeyBytes);
    FUZZ_CHECK(allow_private || !key->can_sign());
  } else if (key->algorithm() == latchkey::Algorithm::kHS256) {
    FUZZ_CHECK(key->secret().size() >= latchkey::kMinHmacKeyBytes);
  } else if (key->algorithm() == latchkey::Algorithm::kES256) {
    FUZZ_CHECK(key->public_key().size() == 64 && !key->can_sign());
  } else {  // RSA: public only, at least 2048 bits
    FUZZ_CHECK(key->public_key().size() >= latchkey::kMinRsaModulusBits / 8 && !key->can_sign());
    FUZZ_CHECK(!key->exponent().empty());
  }
  // The key written out with its secret reads back as the same key.
  latchkey::Result<latchkey::Jwk> again = latchkey::Jwk::FromJson(key->ToJson(true), true);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->algorithm() == key->algorithm() && again->kid() == key->kid());
  FUZZ_CHECK(again->public_key() == key->public_key() && again->secret() == key->secret());
  FUZZ_CHECK(again->exponent() == key->exponent());
  FUZZ_CHECK(again->Thumbprint() == key->Thumbprint());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  latchkey::Result<latchkey::Json> json =
      latchkey::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!json.ok()) return 0;
  Parse(*json, false);
  Parse(*json, true);
  return 0;
}
