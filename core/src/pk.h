// The public-key signature checks (RS256, PS256, ES256) behind the verifier,
// on mbedTLS's libmbedcrypto. They sit behind this seam so that a build can
// leave them out: the wasm core module links pk_none.cc instead, and stays
// small for pages that only verify EdDSA; the wasm pk module and the native
// library link pk_jwk.cc and pk_verify.cc.
#pragma once

#include <string_view>

#include "latchkey/jwk.h"

namespace latchkey::pk {

// Whether this build verifies RS256, PS256 and ES256 (and parses RSA/EC JWKs).
bool Available();

// Checks `signature` over `signing_input` with the key, for an algorithm the
// key permits. RS256/PS256 signatures are exactly as long as the modulus;
// ES256 ones are r || s, 64 bytes (RFC 7518 §3.4), never DER.
bool Verify(Algorithm algorithm, const Jwk& key, std::string_view signing_input, std::string_view signature);

}  // namespace latchkey::pk
