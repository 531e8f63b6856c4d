// Rules for account fields that the server and the client must agree on:
// email normalisation, display names, and the password length bounds that
// apply before (and in addition to) the strength policy. Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

inline constexpr std::size_t kMaxEmailBytes = 254;  // RFC 5321 path limit
inline constexpr std::size_t kMaxNameCodePoints = 200;
inline constexpr std::size_t kDefaultMinPasswordCodePoints = 8;  // NIST SP 800-63B
inline constexpr std::size_t kDefaultMaxPasswordCodePoints = 256;

// Code points in valid UTF-8; 0 for invalid input (check IsValidUtf8 first).
std::size_t CountCodePoints(std::string_view utf8);

// One spelling per mailbox, so one mailbox has one account: trims
// surrounding spaces, refuses invisible and control code points (zero-width
// space, soft hyphen, bidi controls, other spaces), then NFKC and full
// Unicode lowercase ("ＡＬＩＣＥ@ＥＸＡＭＰＬＥ.ＣＯＭ" is alice@example.com).
// The domain must then be ASCII (dotted labels; an internationalised domain
// in its xn-- form): non-ASCII domains are refused, not converted. The local
// part may be Unicode (RFC 6531). Within the length limits; else kEmailInvalid.
Result<std::string> NormalizeEmail(std::string_view email);

// Valid UTF-8, no control characters, at most kMaxNameCodePoints (may be empty).
Status ValidateDisplayName(std::string_view name);

}  // namespace latchkey
