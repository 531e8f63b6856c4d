// The fixed key set and verifiers of the JWT targets: the public test keys of
// tests/vectors/jwt-cases.json (ed_a, ed_b, hs_a), so seeds made from those
// vectors reach past the signature check.
#pragma once

#include <cstdint>
#include <span>

#include "latchkey/jwk.h"
#include "latchkey/jwt.h"

namespace fuzz {

inline constexpr std::int64_t kNow = 1700000000;  // the vectors' clock

// EdDSA with issuer, audience, typ and a required claim; HS256 alone with no
// claim rules; both algorithms.
std::span<const latchkey::Verifier> Verifiers();

const latchkey::Jwk& SigningKeyEdA();
const latchkey::Jwk& SigningKeyHsA();

}  // namespace fuzz
