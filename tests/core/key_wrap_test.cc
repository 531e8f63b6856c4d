#include <catch2/catch.hpp>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "latchkey/key_wrap.h"

namespace latchkey {
namespace {

SecretBytes Kek(char fill) { return SecretBytes(std::string(kKeyEncryptionKeyBytes, fill)); }

TEST_CASE("a wrapped key opens with the same KEK and key id, and only then") {
  const std::string secret = R"({"kty":"OKP","crv":"Ed25519","d":"...","x":"..."})";
  const std::string wrapped = WrapKey(Kek('k'), "kid-1", secret, SystemRandom());
  CHECK(IsWrappedKey(wrapped));
  CHECK(wrapped.find("Ed25519") == std::string::npos);  // nothing of the plaintext shows

  Result<SecretBytes> opened = UnwrapKey(Kek('k'), "kid-1", wrapped);
  REQUIRE(opened.ok());
  CHECK(opened->view() == secret);

  CHECK(UnwrapKey(Kek('x'), "kid-1", wrapped).code() == Code::kKeyDecryptFailed);  // wrong KEK
  CHECK(UnwrapKey(Kek('k'), "kid-2", wrapped).code() == Code::kKeyDecryptFailed);  // moved to another record
  CHECK(UnwrapKey(SecretBytes(std::string(16, 'k')), "kid-1", wrapped).code() == Code::kKeyDecryptFailed);
}

TEST_CASE("every bit of a wrapped key is authenticated") {
  const std::string wrapped = WrapKey(Kek('k'), "kid", "secret material", SystemRandom());
  for (std::size_t i = 7; i < wrapped.size(); ++i) {  // after "enc:v1:"
    std::string tampered = wrapped;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    INFO(i);
    CHECK_FALSE(UnwrapKey(Kek('k'), "kid", tampered).ok());
  }
  CHECK(UnwrapKey(Kek('k'), "kid", wrapped.substr(0, 20)).code() == Code::kKeyDecryptFailed);
  CHECK(UnwrapKey(Kek('k'), "kid", "enc:v1:").code() == Code::kKeyDecryptFailed);
  CHECK(UnwrapKey(Kek('k'), "kid", "{\"kty\":\"OKP\"}").code() == Code::kKeyDecryptFailed);  // not wrapped
}

TEST_CASE("two wraps of one key differ (fresh nonce each time)") {
  CHECK(WrapKey(Kek('k'), "kid", "same", SystemRandom()) != WrapKey(Kek('k'), "kid", "same", SystemRandom()));
}

TEST_CASE("a KEK is 32 bytes in base64url or standard base64, nothing else") {
  const std::string raw = RandomBytes(SystemRandom(), 32);
  Result<SecretBytes> url = ParseKeyEncryptionKey(Base64UrlEncode(raw));
  REQUIRE(url.ok());
  CHECK(url->view() == raw);
  std::string standard = Base64UrlEncode(raw);
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  Result<SecretBytes> padded = ParseKeyEncryptionKey(standard + "=\n");
  REQUIRE(padded.ok());
  CHECK(padded->view() == raw);
  CHECK(ParseKeyEncryptionKey("").code() == Code::kInvalidArgument);
  CHECK(ParseKeyEncryptionKey(Base64UrlEncode(raw.substr(0, 31))).code() == Code::kInvalidArgument);
  CHECK(ParseKeyEncryptionKey(Base64UrlEncode(raw + "x")).code() == Code::kInvalidArgument);
  CHECK(ParseKeyEncryptionKey("not base64 at all!").code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace latchkey
