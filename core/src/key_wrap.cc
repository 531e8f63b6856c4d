#include "latchkey/key_wrap.h"

#include <sodium.h>

#include "latchkey/encoding.h"

namespace latchkey {
namespace {

constexpr std::string_view kPrefix = "enc:v1:";
constexpr std::string_view kContext = "latchkey signing key v1:";

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string AssociatedData(std::string_view key_id) { return std::string(kContext) + std::string(key_id); }

}  // namespace

Result<SecretBytes> ParseKeyEncryptionKey(std::string_view text) {
  // Accept the two spellings tools print (openssl rand -base64 32 gives the standard one).
  std::string url(text);
  while (!url.empty() && (url.back() == '=' || url.back() == '\n' || url.back() == '\r')) url.pop_back();
  for (char& c : url) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  Result<std::string> bytes = Base64UrlDecode(url);
  SecureZero(url);
  if (!bytes.ok() || bytes->size() != kKeyEncryptionKeyBytes) {
    if (bytes.ok()) SecureZero(*bytes);
    return Code::kInvalidArgument;
  }
  return SecretBytes(std::move(bytes).value());
}

bool IsWrappedKey(std::string_view stored) { return stored.substr(0, kPrefix.size()) == kPrefix; }

std::string WrapKey(const SecretBytes& kek, std::string_view key_id, std::string_view plaintext, RandomSource& random) {
  (void)CryptoInit();
  const std::string ad = AssociatedData(key_id);
  std::string box = RandomBytes(random, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  box.resize(box.size() + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &written,
                                             Bytes(plaintext), plaintext.size(), Bytes(ad), ad.size(), nullptr, out,
                                             Bytes(kek.view()));
  return std::string(kPrefix) + Base64UrlEncode(box);
}

Result<SecretBytes> UnwrapKey(const SecretBytes& kek, std::string_view key_id, std::string_view wrapped) {
  if (!IsWrappedKey(wrapped) || kek.size() != kKeyEncryptionKeyBytes) return Code::kKeyDecryptFailed;
  Result<std::string> box = Base64UrlDecode(wrapped.substr(kPrefix.size()));
  constexpr std::size_t kOverhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!box.ok() || box->size() < kOverhead) return Code::kKeyDecryptFailed;
  (void)CryptoInit();
  const std::string ad = AssociatedData(key_id);
  std::string plain(box->size() - kOverhead, '\0');
  unsigned long long length = 0;
  const auto* data = Bytes(*box);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr,
                                                 data + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                                 box->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, Bytes(ad),
                                                 ad.size(), data, Bytes(kek.view())) != 0) {
    return Code::kKeyDecryptFailed;
  }
  plain.resize(length);
  return SecretBytes(std::move(plain));
}

}  // namespace latchkey
