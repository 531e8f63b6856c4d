#include "mfa/totp_factor.h"

#include "latchkey/encoding.h"
#include "latchkey/key_wrap.h"

namespace latchkey {

std::string EncodeTotpSecret(const TotpFactor& factor, const SecretBytes& kek, RandomSource& random) {
  Json stored{
      {"v", 1},
      {"key", kek.empty() ? Base64UrlEncode(factor.key.view()) : WrapKey(kek, factor.id, factor.key.view(), random)},
      {"name", factor.friendly_name},
      {"verified", factor.verified},
      {"last_step", factor.last_step}};
  return stored.dump();
}

Result<TotpFactor> DecodeTotpFactor(const Credential& credential, const SecretBytes& kek) {
  Json stored = Json::parse(credential.secret, nullptr, false);
  if (!stored.is_object() || !stored.contains("key") || !stored["key"].is_string() || !stored.contains("verified") ||
      !stored["verified"].is_boolean() || !stored.contains("last_step") || !stored["last_step"].is_number_integer()) {
    return Code::kInternal;
  }
  TotpFactor factor;
  factor.id = credential.id;
  factor.user_id = credential.user_id;
  factor.friendly_name = stored.value("name", "");
  factor.verified = stored["verified"].get<bool>();
  factor.last_step = stored["last_step"].get<std::int64_t>();
  factor.created_at = credential.created_at;
  const std::string text = stored["key"].get<std::string>();
  if (IsWrappedKey(text)) {
    if (kek.empty()) return Code::kKeyDecryptFailed;
    Result<SecretBytes> opened = UnwrapKey(kek, credential.id, text);
    if (!opened.ok()) return opened.code();
    factor.key = std::move(opened).value();
  } else {
    Result<std::string> raw = Base64UrlDecode(text);
    if (!raw.ok()) return Code::kInternal;
    factor.key = SecretBytes(std::move(raw).value());
  }
  if (factor.key.size() != kTotpKeyBytes) return Code::kInternal;
  return factor;
}

Json TotpFactorJson(const TotpFactor& factor) {
  return Json{{"id", factor.id},
              {"type", "totp"},
              {"friendly_name", factor.friendly_name},
              {"status", factor.verified ? "verified" : "unverified"},
              {"created_at", factor.created_at}};
}

}  // namespace latchkey
