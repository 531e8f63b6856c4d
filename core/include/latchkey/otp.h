// One-time passwords for a second factor: HOTP (RFC 4226) and TOTP (RFC
// 6238) over HMAC-SHA-1, -256 or -512, the base32 secrets authenticator apps
// take (RFC 4648), and a verifier with a skew window and replay protection.
// Pure functions: the caller passes the time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

enum class OtpAlgorithm { kSha1, kSha256, kSha512 };

struct TotpParams {
  OtpAlgorithm algorithm = OtpAlgorithm::kSha1;  // what authenticator apps assume
  int digits = 6;                                // 6 to 8
  std::int64_t period = 30;                      // seconds per step
};

// The HOTP value of `counter`: `digits` decimal digits, zero-padded.
// kInvalidArgument for an empty key or digits outside 6..8.
Result<std::string> Hotp(std::string_view key, std::uint64_t counter, OtpAlgorithm algorithm, int digits);

// The time step of `unix_time` (floor(t / period), T0 = 0); -1 before 1970.
std::int64_t TotpStep(std::int64_t unix_time, std::int64_t period);

// The TOTP value at `unix_time`.
Result<std::string> Totp(std::string_view key, std::int64_t unix_time, const TotpParams& params);

// Checks `code` against the steps from now - window to now + window, each
// compared in constant time and all of them always computed. A step at or
// below `last_used_step` never matches, so a code accepted once is never
// accepted again. Returns the matching step (store it as the new
// last_used_step), or kOtpCodeInvalid.
Result<std::int64_t> VerifyTotp(std::string_view key, std::string_view code, std::int64_t unix_time,
                                const TotpParams& params, int window, std::int64_t last_used_step);

// RFC 4648 base32 without padding (A-Z, 2-7), as otpauth:// URIs carry secrets.
std::string Base32Encode(std::string_view bytes);
// Case-insensitive; '=' padding and spaces are ignored. kInvalidArgument
// for any other character or a length no encoder makes.
Result<std::string> Base32Decode(std::string_view text);

}  // namespace latchkey
