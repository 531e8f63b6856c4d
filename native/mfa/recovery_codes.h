// Recovery codes: ten single-use codes shown once when a second factor is
// verified, for the day the phone is lost. Stored as one credential per
// user (type "recovery_codes"): a random salt and the SHA-256 of each code
// under it. A code has ~59 bits (12 characters from 31 that cannot be
// misread), so a leaked table does not give them up to a dictionary, and
// tries online are rate limited like codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "latchkey/crypto.h"
#include "latchkey/status.h"

namespace latchkey {

inline constexpr int kRecoveryCodeCount = 10;

struct RecoveryCodes {
  std::vector<std::string> shown;  // "xxxx-xxxx-xxxx", for the user, once
  std::string stored;              // the credential's secret
};

RecoveryCodes NewRecoveryCodes(RandomSource& random);

// The stored form without `typed` (any case; dashes and spaces ignored),
// or kRecoveryCodeInvalid when it is not one of the remaining codes. Every
// remaining code is compared, in constant time.
Result<std::string> SpendRecoveryCode(std::string_view stored, std::string_view typed);

// How many codes are left; 0 for a malformed row.
int RemainingRecoveryCodes(std::string_view stored);

}  // namespace latchkey
