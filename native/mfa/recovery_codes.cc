#include "mfa/recovery_codes.h"

#include <cctype>

#include "latchkey/encoding.h"
#include "latchkey/json.h"

namespace latchkey {
namespace {

constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // no i, l, o, 0, 1
constexpr std::size_t kCodeLength = 12;

std::string CodeHash(std::string_view salt, std::string_view normalized) {
  return HexEncode(Sha256(std::string(salt) + std::string(normalized)));
}

// Lowercase letters and digits only: what the user typed, as it was issued.
std::string Normalize(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

RecoveryCodes NewRecoveryCodes(RandomSource& random) {
  RecoveryCodes codes;
  const std::string salt = RandomBytes(random, 16);
  Json hashes = Json::array();
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string plain;
    while (plain.size() < kCodeLength) {
      // Rejection sampling keeps every character equally likely.
      const unsigned char byte = static_cast<unsigned char>(RandomBytes(random, 1)[0]);
      if (byte >= 248) continue;  // 248 = 8 * 31
      plain.push_back(kAlphabet[byte % kAlphabet.size()]);
    }
    hashes.push_back(CodeHash(salt, plain));
    codes.shown.push_back(plain.substr(0, 4) + "-" + plain.substr(4, 4) + "-" + plain.substr(8, 4));
  }
  codes.stored = Json{{"v", 1}, {"salt", Base64UrlEncode(salt)}, {"codes", hashes}}.dump();
  return codes;
}

Result<std::string> SpendRecoveryCode(std::string_view stored, std::string_view typed) {
  Json row = Json::parse(stored, nullptr, false);
  if (!row.is_object() || !row.contains("salt") || !row["salt"].is_string() || !row.contains("codes") ||
      !row["codes"].is_array()) {
    return Code::kRecoveryCodeInvalid;
  }
  Result<std::string> salt = Base64UrlDecode(row["salt"].get<std::string>());
  if (!salt.ok()) return Code::kRecoveryCodeInvalid;
  const std::string candidate = CodeHash(*salt, Normalize(typed));
  Json remaining = Json::array();
  bool matched = false;
  for (const Json& hash : row["codes"]) {
    const bool same = hash.is_string() && ConstantTimeEqual(hash.get<std::string>(), candidate);
    if (same && !matched) {
      matched = true;
    } else {
      remaining.push_back(hash);
    }
  }
  if (!matched) return Code::kRecoveryCodeInvalid;
  row["codes"] = std::move(remaining);
  return row.dump();
}

int RemainingRecoveryCodes(std::string_view stored) {
  Json row = Json::parse(stored, nullptr, false);
  if (!row.is_object() || !row.contains("codes") || !row["codes"].is_array()) return 0;
  return static_cast<int>(row["codes"].size());
}

}  // namespace latchkey
