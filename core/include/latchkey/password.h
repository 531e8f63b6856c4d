// Password hashing with Argon2id (libsodium's crypto_pwhash_str_alg).
//
// Hashes are self-describing PHC strings ("$argon2id$v=19$m=19456,t=2,p=1$...")
// so the cost can change without breaking old hashes: NeedsRehash() tells the
// caller when to re-hash after a successful login. Costs are in libsodium's
// units: operations (t) and memory in KiB (m); parallelism is always 1.
// Hashing is deliberately slow (tens of milliseconds, MiBs of memory): callers
// bound how many run at once. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

struct Argon2Params {
  std::uint64_t iterations = 2;        // t
  std::size_t memory_kib = 19 * 1024;  // m: OWASP's first row, 19 MiB
};

// Bounds for configurable costs: the floor is the weakest setting OWASP lists
// with this memory, the ceiling keeps one hash below 1 GiB.
inline constexpr std::uint64_t kMaxArgon2Iterations = 64;
inline constexpr std::size_t kMinArgon2MemoryKib = 8 * 1024;
inline constexpr std::size_t kMaxArgon2MemoryKib = 1024 * 1024;

// Inputs longer than this are refused before any hashing (a long-password
// denial of service). Policies enforce a smaller limit in code points.
inline constexpr std::size_t kMaxPasswordBytes = 4096;

Status ValidateArgon2Params(const Argon2Params& params);

// kPasswordTooLong, kPasswordHashParamsInvalid, or kOutOfMemory.
Result<std::string> HashPassword(std::string_view password, const Argon2Params& params = {});

// Ok on a match; kPasswordMismatch otherwise; kPasswordHashInvalid when the
// stored string is not an Argon2 hash at all.
Status VerifyPassword(std::string_view encoded_hash, std::string_view password);

// True when the stored hash is not Argon2id or used other costs.
Result<bool> NeedsRehash(std::string_view encoded_hash, const Argon2Params& params);

}  // namespace latchkey
