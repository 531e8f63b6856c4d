// What webauthn.cc and webauthn_cose.cc share, and what the tests look at:
// the strict DER reading of ES256 signatures and the signature check.
#pragma once

#include <string>
#include <string_view>

#include "latchkey/jwk.h"
#include "latchkey/status.h"
#include "latchkey/webauthn.h"

namespace latchkey::webauthn {

// An ECDSA P-256 signature in DER (SEQUENCE { INTEGER r, INTEGER s }, as
// WebAuthn carries it) as the 64 bytes r || s pk::Verify takes. Strict:
// short-form lengths, minimal positive integers, r and s non-zero and at most
// 32 bytes, nothing after the sequence; anything else is kPasskeySignatureInvalid.
Result<std::string> EcdsaDerToRaw(std::string_view der);

// The signature over `message` with a key CoseKeyToJwk made for `algorithm`.
bool VerifySignature(CoseAlgorithm algorithm, const Jwk& key, std::string_view message, std::string_view signature);

}  // namespace latchkey::webauthn
