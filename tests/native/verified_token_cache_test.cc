// The verified-token cache must never accept what the verifier would refuse.
#include <catch2/catch.hpp>

#include "keys/verified_token_cache.h"

namespace latchkey {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

std::shared_ptr<const Verifier> MakeVerifier(const Jwk& key, const std::string& issuer, std::int64_t leeway = 0) {
  Jwks keys;
  keys.keys.push_back(std::move(Jwk::FromJson(key.ToJson(false), false)).value());
  VerifierOptions options;
  options.algorithms = {Algorithm::kEdDSA};
  options.issuer = issuer;
  options.leeway_seconds = leeway;
  return std::make_shared<const Verifier>(std::move(Verifier::Create(std::move(keys), options)).value());
}

TEST_CASE("cached verification honours expiry, the verifier and the token bytes", "[token-cache]") {
  const Jwk key = Jwk::GenerateEd25519(SystemRandom());
  const std::string token = *JwtBuilder().issuer("a").subject("u").expires_at(kNow + 100).Sign(key);
  VerifiedTokenCache cache(64);
  auto verifier = MakeVerifier(key, "a");

  Result<Json> first = cache.Verify(verifier, token, kNow);
  REQUIRE(first.ok());
  CHECK((*first)["sub"] == "u");
  CHECK(cache.Verify(verifier, token, kNow + 99).ok());  // a hit
  CHECK(cache.Verify(verifier, token, kNow + 100).code() == Code::kTokenExpired);

  // Another verifier (rotated keys, other policy) re-checks instead of trusting the cache.
  auto strict = MakeVerifier(key, "b");
  CHECK(cache.Verify(strict, token, kNow).code() == Code::kTokenIssuerInvalid);
  // A dropped verifier's entries are dead.
  verifier.reset();
  auto again = MakeVerifier(Jwk::GenerateEd25519(SystemRandom()), "a");
  CHECK(cache.Verify(again, token, kNow).code() == Code::kTokenKeyNotFound);

  // One changed byte is another token.
  auto fresh = MakeVerifier(key, "a");
  REQUIRE(cache.Verify(fresh, token, kNow).ok());
  std::string tampered = token;
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  CHECK(!cache.Verify(fresh, tampered, kNow).ok());
}

TEST_CASE("the cache stays bounded", "[token-cache]") {
  const Jwk key = Jwk::GenerateEd25519(SystemRandom());
  auto verifier = MakeVerifier(key, "a");
  VerifiedTokenCache cache(32);
  for (int i = 0; i < 500; ++i) {
    const std::string token = *JwtBuilder().issuer("a").subject(std::to_string(i)).expires_at(kNow + 100).Sign(key);
    REQUIRE(cache.Verify(verifier, token, kNow).ok());
  }
  // 16 shards of capacity/16 + 1 entries each.
  CHECK(cache.size() <= 32 + 16);
  CHECK(cache.size() > 0);
}

TEST_CASE("the cache respects its byte bound, oldest entries going first", "[token-cache]") {
  const Jwk key = Jwk::GenerateEd25519(SystemRandom());
  auto verifier = MakeVerifier(key, "a");
  // Claims the size of the server's access tokens (issuer URL, ids, scopes).
  auto sign = [&](int i) {
    return *JwtBuilder()
                .issuer("a")
                .subject("user_" + std::to_string(i) + "_0123456789abcdef")
                .audience("https://app.example.com/api")
                .claim("sid", "session_" + std::to_string(i) + "_0123456789abcdef")
                .claim("amr", Json::array({"pwd", "otp"}))
                .expires_at(kNow + 100)
                .Sign(key);
  };
  VerifiedTokenCache probe(16);
  Result<Json> claims = probe.Verify(verifier, sign(0), kNow);
  REQUIRE(claims.ok());
  const std::size_t per_entry = VerifiedTokenCache::EntryBytes(*claims);
  CHECK(per_entry > 500);  // a JSON tree of small allocations, not the token's length
  CHECK(per_entry < 4096);

  const std::size_t max_bytes = 64 * 1024;
  VerifiedTokenCache cache(100000, max_bytes);  // the bytes bind first
  for (int i = 0; i < 2000; ++i) REQUIRE(cache.Verify(verifier, sign(i), kNow).ok());
  CHECK(cache.bytes() <= max_bytes + 16);
  CHECK(cache.size() * per_entry <= max_bytes + 16 * per_entry);
  CHECK(cache.size() >= max_bytes / per_entry / 2);  // filled, not emptied
  // The byte count is exact bookkeeping: re-verifying cached tokens adds nothing.
  const std::size_t before = cache.bytes();
  for (int i = 1997; i < 2000; ++i) REQUIRE(cache.Verify(verifier, sign(i), kNow).ok());
  CHECK(cache.bytes() == before);
}

}  // namespace
}  // namespace latchkey
