// Strict encodings: base64url (RFC 4648 §5, as JWS uses it) and UTF-8.
//
// Bytes travel as std::string (it is only a byte container here). Decoders
// accept exactly one spelling of each value, so two different strings never
// decode to the same bytes. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

// base64url without padding.
std::string Base64UrlEncode(std::string_view bytes);

// Rejects padding, whitespace, the standard alphabet's '+' and '/', a length
// of 1 mod 4 and non-zero unused trailing bits (kBase64UrlInvalid).
Result<std::string> Base64UrlDecode(std::string_view text);

// Lowercase hex, for CLI output and tests.
std::string HexEncode(std::string_view bytes);
Result<std::string> HexDecode(std::string_view text);

// Well-formed UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF.
bool IsValidUtf8(std::string_view text);

}  // namespace latchkey
