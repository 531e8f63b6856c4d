#include <catch2/catch.hpp>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"

namespace latchkey {
namespace {

// A predictable source, to show that randomness is injected.
class CountingRandom final : public RandomSource {
 public:
  void Fill(char* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>(next_++);
  }

 private:
  unsigned char next_ = 0;
};

TEST_CASE("randomness comes from the injected source", "[crypto]") {
  CountingRandom counting;
  CHECK(RandomBytes(counting, 3) == std::string("\x00\x01\x02", 3));
  const Ed25519KeyPair a = Ed25519Generate(counting);
  CountingRandom again;
  (void)RandomBytes(again, 3);
  const Ed25519KeyPair b = Ed25519Generate(again);
  CHECK(a.public_key == b.public_key);

  const std::string x = RandomBytes(SystemRandom(), 32);
  const std::string y = RandomBytes(SystemRandom(), 32);
  CHECK(x.size() == 32);
  CHECK(x != y);
}

TEST_CASE("constant-time equality", "[crypto]") {
  CHECK(ConstantTimeEqual("", ""));
  CHECK(ConstantTimeEqual("abc", "abc"));
  CHECK(!ConstantTimeEqual("abc", "abd"));
  CHECK(!ConstantTimeEqual("abc", "abcd"));
  CHECK(!ConstantTimeEqual(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_CASE("SHA-256 and HMAC-SHA256 known answers", "[crypto]") {
  CHECK(HexEncode(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2: a key shorter than the block size.
  CHECK(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("Ed25519 signs, verifies and rejects wrong lengths and tampering", "[crypto]") {
  Result<Ed25519KeyPair> pair = Ed25519FromSeed(std::string(32, '\x07'));
  REQUIRE(pair.ok());
  CHECK(!Ed25519FromSeed(std::string(31, '\x07')).ok());
  Result<std::string> signature = Ed25519Sign(pair->secret_key.view(), "message");
  REQUIRE(signature.ok());
  CHECK(signature->size() == kEd25519SignatureBytes);
  CHECK(Ed25519Verify(pair->public_key, "message", *signature));
  CHECK(!Ed25519Verify(pair->public_key, "messagE", *signature));
  CHECK(!Ed25519Verify(pair->public_key, "message", signature->substr(0, 63)));
  CHECK(!Ed25519Verify(pair->public_key, "message", *signature + "x"));
  CHECK(!Ed25519Verify(pair->public_key.substr(0, 31), "message", *signature));
  CHECK(!Ed25519Sign("short", "message").ok());
}

TEST_CASE("SecretBytes moves and keeps its bytes", "[crypto]") {
  SecretBytes a(std::string("secret"));
  SecretBytes b(std::move(a));
  CHECK(b.view() == "secret");
  CHECK(a.empty());  // NOLINT: checking the moved-from state on purpose
  SecretBytes c;
  c = std::move(b);
  CHECK(c.view() == "secret");
}

}  // namespace
}  // namespace latchkey
