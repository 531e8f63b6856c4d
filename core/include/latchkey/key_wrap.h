// Private keys at rest under a key-encryption key (KEK) from the operator:
// XChaCha20-Poly1305 with the key's id as associated data, so a wrapped key
// cannot be swapped onto another record unnoticed. The wrapped form is text,
// "enc:v1:" + base64url(nonce || ciphertext), and says what it is, so stores
// can hold wrapped and (older) plain keys side by side.
#pragma once

#include <string>
#include <string_view>

#include "latchkey/crypto.h"
#include "latchkey/status.h"

namespace latchkey {

inline constexpr std::size_t kKeyEncryptionKeyBytes = 32;

// A KEK from its text form: base64url (or standard base64) of exactly 32
// bytes. kInvalidArgument otherwise; the text is never echoed.
Result<SecretBytes> ParseKeyEncryptionKey(std::string_view text);

bool IsWrappedKey(std::string_view stored);

std::string WrapKey(const SecretBytes& kek, std::string_view key_id, std::string_view plaintext, RandomSource& random);

// kKeyDecryptFailed for a wrong KEK, another key id, or any tampering.
Result<SecretBytes> UnwrapKey(const SecretBytes& kek, std::string_view key_id, std::string_view wrapped);

}  // namespace latchkey
