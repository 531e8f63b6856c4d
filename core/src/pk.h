// The public-key signature checks (RS256, PS256, ES256) behind the verifier,
// on mbedTLS's libmbedcrypto. A build can leave them out: the wasm core
// library is compiled with LATCHKEY_PK=0, which makes kAvailable false so the
// compiler drops every RSA/EC branch of jwk.cc, jwt_verify.cc and
// verifier_config.cc, and its modules link pk_none.cc; the core module stays
// as small as before for pages that only verify EdDSA. The native library and
// the wasm pk module compile those files with LATCHKEY_PK=1 (the default)
// and link pk_jwk.cc and pk_verify.cc.
#pragma once

#include <string_view>

#include "latchkey/jwk.h"

#ifndef LATCHKEY_PK
#define LATCHKEY_PK 1
#endif

namespace latchkey::pk {

// Whether this build verifies RS256, PS256 and ES256 (and parses RSA/EC JWKs).
// Internal linkage: a TU's own setting, never an ODR clash between builds.
constexpr bool kAvailable = LATCHKEY_PK != 0;

// Checks `signature` over `signing_input` with the key, for an algorithm the
// key permits. RS256/PS256 signatures are exactly as long as the modulus;
// ES256 ones are r || s, 64 bytes (RFC 7518 §3.4), never DER.
bool Verify(Algorithm algorithm, const Jwk& key, std::string_view signing_input, std::string_view signature);

}  // namespace latchkey::pk
