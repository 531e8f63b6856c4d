#include <catch2/catch.hpp>

#include <sodium.h>

#include "latchkey/password.h"

namespace latchkey {
namespace {

// The cheapest allowed cost keeps these tests fast, under sanitizers too.
constexpr Argon2Params kCheap{1, kMinArgon2MemoryKib};

TEST_CASE("the default cost is OWASP's Argon2id row", "[password]") {
  Result<std::string> hash = HashPassword("correct horse battery staple");
  REQUIRE(hash.ok());
  CHECK(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(VerifyPassword(*hash, "correct horse battery staple").ok());
  CHECK(!*NeedsRehash(*hash, Argon2Params{}));
}

TEST_CASE("hash, verify and mismatch", "[password]") {
  Result<std::string> hash = HashPassword("pässwörd \xf0\x9f\x94\x91", kCheap);
  REQUIRE(hash.ok());
  CHECK(VerifyPassword(*hash, "pässwörd \xf0\x9f\x94\x91").ok());
  CHECK(VerifyPassword(*hash, "pässwörd").code() == Code::kPasswordMismatch);
  CHECK(VerifyPassword(*hash, "").code() == Code::kPasswordMismatch);
  // Salted: the same password never hashes to the same string twice.
  CHECK(*HashPassword("same", kCheap) != *HashPassword("same", kCheap));
  // Embedded NUL bytes are part of the password, not its end.
  Result<std::string> nul = HashPassword(std::string("a\0b", 3), kCheap);
  CHECK(VerifyPassword(*nul, std::string("a\0b", 3)).ok());
  CHECK(VerifyPassword(*nul, "a").code() == Code::kPasswordMismatch);
}

TEST_CASE("stored strings that are not Argon2 hashes are reported, not matched", "[password]") {
  for (const char* bad : {"", "plaintext", "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
                          "$argon2id$v=19$m=19456,t=2,p=1$broken", "$argon2id$"}) {
    INFO(bad);
    CHECK(VerifyPassword(bad, "x").code() == Code::kPasswordHashInvalid);
    CHECK(NeedsRehash(bad, kCheap).code() == Code::kPasswordHashInvalid);
  }
  CHECK(VerifyPassword(std::string(200, 'a'), "x").code() == Code::kPasswordHashInvalid);
}

TEST_CASE("needs-rehash when the cost or the variant changed", "[password]") {
  Result<std::string> hash = HashPassword("pw", kCheap);
  REQUIRE(hash.ok());
  CHECK(!*NeedsRehash(*hash, kCheap));
  CHECK(*NeedsRehash(*hash, Argon2Params{2, kMinArgon2MemoryKib}));
  CHECK(*NeedsRehash(*hash, Argon2Params{1, kMinArgon2MemoryKib * 2}));

  // An Argon2i hash (older variant) still verifies but must be upgraded.
  char argon2i[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str_alg(argon2i, "pw", 2, 3, kMinArgon2MemoryKib * 1024, crypto_pwhash_ALG_ARGON2I13) == 0);
  CHECK(VerifyPassword(argon2i, "pw").ok());
  CHECK(*NeedsRehash(argon2i, Argon2Params{3, kMinArgon2MemoryKib}));
}

TEST_CASE("bounds on password length and cost", "[password]") {
  CHECK(HashPassword(std::string(kMaxPasswordBytes + 1, 'a'), kCheap).code() == Code::kPasswordTooLong);
  CHECK(HashPassword(std::string(kMaxPasswordBytes, 'a'), kCheap).ok());
  CHECK(HashPassword("pw", Argon2Params{0, kMinArgon2MemoryKib}).code() == Code::kPasswordHashParamsInvalid);
  CHECK(HashPassword("pw", Argon2Params{1, kMinArgon2MemoryKib - 1}).code() == Code::kPasswordHashParamsInvalid);
  CHECK(HashPassword("pw", Argon2Params{kMaxArgon2Iterations + 1, kMinArgon2MemoryKib}).code() ==
        Code::kPasswordHashParamsInvalid);
  CHECK(HashPassword("pw", Argon2Params{1, kMaxArgon2MemoryKib + 1}).code() == Code::kPasswordHashParamsInvalid);
}

}  // namespace
}  // namespace latchkey
