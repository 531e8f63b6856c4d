// SHA-1 (FIPS 180-4), internal to the core: only for HMAC-SHA-1 in HOTP/TOTP
// (RFC 4226, RFC 6238), which authenticator apps use by default and where
// SHA-1's collision weakness does not matter (HMAC needs only a PRF).
// libsodium has no SHA-1. Never use it for anything else.
#pragma once

#include <string>
#include <string_view>

namespace latchkey::internal {

// The 20-byte digest.
std::string Sha1(std::string_view message);
// HMAC-SHA-1 (RFC 2104): 20 bytes.
std::string HmacSha1(std::string_view key, std::string_view message);

}  // namespace latchkey::internal
