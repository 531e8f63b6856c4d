// Password hashes imported from other applications: bcrypt ($2a$, $2b$,
// $2y$, as made by passlib, bcrypt.js, PHP), verified with libxcrypt's
// crypt_r. Accounts carrying one are upgraded to Argon2id on their next
// successful sign-in (passwords/password_hashing.h).
#pragma once

#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

// Costs accepted on import: bcrypt's minimum, and a ceiling that keeps one
// sign-in under a few seconds (a cost of 31 would take days per attempt).
inline constexpr int kMinBcryptCost = 4;
inline constexpr int kMaxBcryptCost = 16;

// Looks like a bcrypt hash at all (starts with "$2").
bool IsLegacyHash(std::string_view hash);
// Ok for "$2[aby]$NN$" + 53 characters of bcrypt's base64 with NN in the
// accepted range; kPasswordHashInvalid otherwise. `reason` says which part.
Status ValidateBcryptHash(std::string_view hash, const char** reason = nullptr);
// Ok when `password` (the bytes as typed) matches; compared in constant time.
// kPasswordMismatch or kPasswordHashInvalid otherwise. Slow on purpose.
Status VerifyBcrypt(std::string_view hash, std::string_view password);

}  // namespace latchkey
