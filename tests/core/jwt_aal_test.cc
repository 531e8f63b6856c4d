// The verifier's required assurance level (issue 12): an API behind the core
// can demand the second factor. The verdict table is in jwt-cases.json (both
// builds); these check the C++ options and the configuration's messages.
#include <catch2/catch.hpp>

#include "latchkey/jwt.h"

namespace latchkey {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

Jwk Key() { return std::move(Jwk::Ed25519FromSeed(std::string(32, 'q'))).value(); }

Jwks PublicSet(const Jwk& key) {
  Jwks set;
  set.keys.push_back(std::move(Jwk::FromJson(key.ToJson(false), false)).value());
  return set;
}

std::string Token(const Jwk& key, const Json* aal) {
  JwtBuilder builder;
  builder.subject("user-1").issued_at(kNow).expires_at(kNow + 900);
  if (aal != nullptr) builder.claim("aal", *aal);
  return *builder.Sign(key);
}

TEST_CASE("required_aal refuses a token whose aal is missing or lower with insufficient_aal", "[jwt][aal]") {
  const Jwk key = Key();
  VerifierOptions options;
  options.algorithms = {Algorithm::kEdDSA};
  options.required_aal = 2;
  const Verifier verifier = std::move(Verifier::Create(PublicSet(key), options)).value();
  const Json aal1 = "aal1", aal2 = "aal2", aal3 = "aal3", number = 2, unknown = "aal22";
  CHECK(verifier.Verify(Token(key, &aal2), kNow).ok());
  CHECK(verifier.Verify(Token(key, &aal3), kNow).ok());
  CHECK(verifier.Verify(Token(key, &aal1), kNow).code() == Code::kInsufficientAal);
  CHECK(verifier.Verify(Token(key, nullptr), kNow).code() == Code::kInsufficientAal);
  CHECK(verifier.Verify(Token(key, &unknown), kNow).code() == Code::kInsufficientAal);
  CHECK(verifier.Verify(Token(key, &number), kNow).code() == Code::kTokenClaimInvalid);
  // The code's HTTP status is 403: the caller is known, the level is not enough.
  CHECK(Describe(Code::kInsufficientAal).http_status == 403);

  options.required_aal = 0;  // the default: aal is not looked at
  const Verifier plain = std::move(Verifier::Create(PublicSet(key), options)).value();
  CHECK(plain.Verify(Token(key, nullptr), kNow).ok());
  CHECK(plain.Verify(Token(key, &number), kNow).ok());
}

TEST_CASE("required_aal out of range is a configuration error", "[jwt][aal]") {
  const Jwk key = Key();
  VerifierOptions options;
  options.algorithms = {Algorithm::kEdDSA};
  options.required_aal = 4;
  CHECK(Verifier::Create(PublicSet(key), options).code() == Code::kVerifierConfigInvalid);
  options.required_aal = -1;
  CHECK(Verifier::Create(PublicSet(key), options).code() == Code::kVerifierConfigInvalid);
  CHECK(AalLevel("aal1") == 1);
  CHECK(AalLevel("aal3") == 3);
  CHECK(AalLevel("AAL2") == 0);
  CHECK(AalLevel("") == 0);
}

TEST_CASE("FromConfig reads required_aal and names it when its value is wrong", "[jwt][aal]") {
  const Jwk key = Key();
  const Json base = {{"algorithms", {"EdDSA"}}, {"jwks", PublicSet(key).ToJson(false)}};
  Json config = base;
  config["required_aal"] = "aal2";
  Result<Verifier> built = Verifier::FromConfig(config);
  REQUIRE(built.ok());
  CHECK(built->options().required_aal == 2);
  CHECK(Verifier::FromConfig(base)->options().required_aal == 0);

  for (const Json& wrong : {Json("aal4"), Json(2), Json("AAL2"), Json(""), Json(nullptr)}) {
    config["required_aal"] = wrong;
    VerifierConfigError error;
    CHECK(Verifier::FromConfig(config, &error).code() == Code::kVerifierConfigInvalid);
    CHECK(error.option == "required_aal");
    CHECK(error.reason.find("must be \"aal1\", \"aal2\" or \"aal3\", not ") == 0);
  }
  config = base;
  config["requiredAal"] = "aal2";  // the JS spelling reaching the core
  VerifierConfigError error;
  CHECK(Verifier::FromConfig(config, &error).code() == Code::kVerifierConfigInvalid);
  CHECK(error.reason == "is not an option; did you mean \"required_aal\"?");
}

}  // namespace
}  // namespace latchkey
