#include "passwords/bcrypt_hash.h"

#include <crypt.h>

#include <string.h>

#include <memory>
#include <string>

#include "latchkey/crypto.h"

namespace latchkey {

bool IsLegacyHash(std::string_view hash) { return hash.size() >= 2 && hash[0] == '$' && hash[1] == '2'; }

Status ValidateBcryptHash(std::string_view hash, const char** reason) {
  auto fail = [reason](const char* why) {
    if (reason) *reason = why;
    return Status(Code::kPasswordHashInvalid);
  };
  if (hash.size() != 60) return fail("malformed_hash");
  if (hash.substr(0, 4) != "$2a$" && hash.substr(0, 4) != "$2b$" && hash.substr(0, 4) != "$2y$") {
    return fail("unsupported_hash");
  }
  if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9' || hash[6] != '$') {
    return fail("malformed_hash");
  }
  const int cost = (hash[4] - '0') * 10 + (hash[5] - '0');
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) return fail("cost_out_of_range");
  for (const char c : hash.substr(7)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '/';
    if (!ok) return fail("malformed_hash");
  }
  return Status::Ok();
}

Status VerifyBcrypt(std::string_view hash, std::string_view password) {
  LATCHKEY_RETURN_IF_ERROR(ValidateBcryptHash(hash));
  // crypt_r takes C strings: a NUL inside the password would cut it short.
  if (password.find('\0') != std::string_view::npos) return Code::kPasswordMismatch;
  const std::string setting(hash);
  std::string typed(password);
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on the stack
  const char* computed = crypt_r(typed.c_str(), setting.c_str(), data.get());
  SecureZero(typed);
  // libxcrypt returns "*0"/"*1" (or NULL) on failure, never a valid hash.
  const bool match = computed != nullptr && computed[0] == '$' && ConstantTimeEqual(computed, setting);
  explicit_bzero(data.get(), sizeof(crypt_data));
  return match ? Status::Ok() : Status(Code::kPasswordMismatch);
}

}  // namespace latchkey
