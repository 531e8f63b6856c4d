#include "latchkey/password.h"

#include <sodium.h>

#include "latchkey/crypto.h"

namespace latchkey {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";
constexpr std::string_view kArgon2iPrefix = "$argon2i$";

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// libsodium wants a NUL-terminated string shorter than crypto_pwhash_STRBYTES.
bool CopyHash(std::string_view encoded_hash, char (&out)[crypto_pwhash_STRBYTES]) {
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (encoded_hash.find('\0') != std::string_view::npos) return false;
  if (!StartsWith(encoded_hash, kArgon2idPrefix) && !StartsWith(encoded_hash, kArgon2iPrefix)) return false;
  encoded_hash.copy(out, encoded_hash.size());
  out[encoded_hash.size()] = '\0';
  return true;
}

}  // namespace

Status ValidateArgon2Params(const Argon2Params& params) {
  if (params.iterations < 1 || params.iterations > kMaxArgon2Iterations) return Code::kPasswordHashParamsInvalid;
  if (params.memory_kib < kMinArgon2MemoryKib || params.memory_kib > kMaxArgon2MemoryKib) {
    return Code::kPasswordHashParamsInvalid;
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, const Argon2Params& params) {
  if (password.size() > kMaxPasswordBytes) return Code::kPasswordTooLong;
  LATCHKEY_RETURN_IF_ERROR(ValidateArgon2Params(params));
  LATCHKEY_RETURN_IF_ERROR(CryptoInit());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.iterations, params.memory_kib * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Code::kOutOfMemory;  // the only failure left once inputs are valid
  }
  return std::string(out);
}

Status VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  char stored[crypto_pwhash_STRBYTES];
  if (!CopyHash(encoded_hash, stored)) return Code::kPasswordHashInvalid;
  // needs_rehash parses the string fully: -1 means it is not a valid hash.
  if (crypto_pwhash_str_needs_rehash(stored, 1, kMinArgon2MemoryKib * 1024) < 0) return Code::kPasswordHashInvalid;
  if (password.size() > kMaxPasswordBytes) return Code::kPasswordMismatch;
  LATCHKEY_RETURN_IF_ERROR(CryptoInit());
  if (crypto_pwhash_str_verify(stored, password.data(), password.size()) != 0) return Code::kPasswordMismatch;
  return Status::Ok();
}

Result<bool> NeedsRehash(std::string_view encoded_hash, const Argon2Params& params) {
  char stored[crypto_pwhash_STRBYTES];
  if (!CopyHash(encoded_hash, stored)) return Code::kPasswordHashInvalid;
  const int verdict = crypto_pwhash_str_needs_rehash(stored, params.iterations, params.memory_kib * 1024);
  if (verdict < 0) return Code::kPasswordHashInvalid;
  return verdict == 1 || !StartsWith(encoded_hash, kArgon2idPrefix);
}

}  // namespace latchkey
