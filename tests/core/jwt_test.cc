#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"

namespace latchkey {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

Jwk Ed(char fill) { return std::move(Jwk::Ed25519FromSeed(std::string(32, fill))).value(); }

Jwks PublicSet(std::initializer_list<const Jwk*> keys) {
  Jwks set;
  for (const Jwk* key : keys) set.keys.push_back(std::move(Jwk::FromJson(key->ToJson(false), false)).value());
  return set;
}

VerifierOptions Options() {
  VerifierOptions options;
  options.algorithms = {Algorithm::kEdDSA};
  options.issuer = "https://auth.test";
  options.audiences = {"app"};
  options.type = "at+jwt";
  return options;
}

std::string AccessToken(const Jwk& key, std::int64_t exp = kNow + 900) {
  return *JwtBuilder()
              .type("at+jwt")
              .issuer("https://auth.test")
              .subject("user-1")
              .audience("app")
              .issued_at(kNow)
              .expires_at(exp)
              .jwt_id("id-1")
              .claim("role", "admin")
              .claim("email_verified", true)
              .Sign(key);
}

TEST_CASE("an EdDSA token signed by the builder verifies and returns its claims", "[jwt]") {
  const Jwk key = Ed('a');
  Result<Verifier> verifier = Verifier::Create(PublicSet({&key}), Options());
  REQUIRE(verifier.ok());
  Result<VerifiedJwt> verified = verifier->Verify(AccessToken(key), kNow);
  REQUIRE(verified.ok());
  CHECK(verified->algorithm == Algorithm::kEdDSA);
  CHECK(verified->kid == key.kid());
  CHECK(verified->header["typ"] == "at+jwt");
  CHECK(verified->header["kid"] == key.kid());
  CHECK(verified->claims["sub"] == "user-1");
  CHECK(verified->claims["role"] == "admin");
  CHECK(verified->claims["email_verified"] == true);
}

TEST_CASE("an HS256 token verifies only with its secret", "[jwt]") {
  const Jwk secret = std::move(Jwk::HmacSecret(std::string(32, 'k'))).value();
  const Jwk other = std::move(Jwk::HmacSecret(std::string(32, 'j'))).value();
  VerifierOptions options = Options();
  options.algorithms = {Algorithm::kHS256};
  Jwks keys;
  keys.keys.push_back(secret.Clone());
  Result<Verifier> verifier = Verifier::Create(std::move(keys), options);
  REQUIRE(verifier.ok());
  CHECK(verifier->Verify(AccessToken(secret), kNow).ok());

  // Same kid, different secret: the MAC must fail, not the lookup.
  std::string forged = AccessToken(other);
  const std::string header = Base64UrlEncode(R"({"alg":"HS256","kid":")" + secret.kid() + R"(","typ":"at+jwt"})");
  forged = header + forged.substr(forged.find('.'));
  CHECK(verifier->Verify(forged, kNow).code() == Code::kTokenSignatureInvalid);
}

TEST_CASE("key rotation: the kid picks the key, old keys keep verifying", "[jwt]") {
  const Jwk old_key = Ed('o');
  const Jwk new_key = Ed('n');
  Result<Verifier> verifier = Verifier::Create(PublicSet({&old_key, &new_key}), Options());
  REQUIRE(verifier.ok());
  CHECK(verifier->Verify(AccessToken(old_key), kNow)->kid == old_key.kid());
  CHECK(verifier->Verify(AccessToken(new_key), kNow)->kid == new_key.kid());
  const Jwk retired = Ed('r');
  CHECK(verifier->Verify(AccessToken(retired), kNow).code() == Code::kTokenKeyNotFound);
}

TEST_CASE("expiry boundaries use now >= exp + leeway", "[jwt]") {
  const Jwk key = Ed('a');
  VerifierOptions options = Options();
  options.leeway_seconds = 30;
  Result<Verifier> verifier = Verifier::Create(PublicSet({&key}), options);
  REQUIRE(verifier.ok());
  const std::string token = AccessToken(key, kNow + 100);
  CHECK(verifier->Verify(token, kNow + 129).ok());
  CHECK(verifier->Verify(token, kNow + 130).code() == Code::kTokenExpired);
  CHECK(verifier->Verify(token, kNow - 30).ok());
  CHECK(verifier->Verify(token, kNow - 31).code() == Code::kTokenNotYetValid);  // iat in the future
}

// Found by tests/fuzz/verifier_config_fuzz.cc: now - leeway and now + leeway
// overflowed for a clock at the ends of the int64 range.
TEST_CASE("time claims are compared exactly for any clock value", "[jwt]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const Jwk key = Ed('a');
  Result<Verifier> verifier = Verifier::Create(PublicSet({&key}), Options());
  REQUIRE(verifier.ok());
  // Issued at kNow: at the first representable second it is not yet valid.
  CHECK(verifier->Verify(AccessToken(key), kMin).code() == Code::kTokenNotYetValid);
  CHECK(verifier->Verify(AccessToken(key), kMax).code() == Code::kTokenExpired);

  const std::string no_expiry_in_sight = *JwtBuilder()
                                              .type("at+jwt")
                                              .issuer("https://auth.test")
                                              .audience("app")
                                              .not_before(kNow)
                                              .issued_at(kNow)
                                              .expires_at(kMax)
                                              .Sign(key);
  CHECK(verifier->Verify(no_expiry_in_sight, kMax - 1).ok());
  CHECK(verifier->Verify(no_expiry_in_sight, kMax).ok());  // exp + leeway lies past int64
  CHECK(verifier->Verify(no_expiry_in_sight, kNow - 61).code() == Code::kTokenNotYetValid);
}

TEST_CASE("the builder refuses keys that cannot sign and claims it cannot encode", "[jwt]") {
  const Jwk key = Ed('a');
  const Jwks public_only = PublicSet({&key});
  CHECK(JwtBuilder().expires_at(kNow).Sign(public_only.keys[0]).code() == Code::kInvalidArgument);
  CHECK(JwtBuilder().subject("\xff").expires_at(kNow).Sign(key).code() == Code::kUtf8Invalid);
  CHECK(JwtBuilder().claim("x", std::nan("")).expires_at(kNow).Sign(key).code() == Code::kInvalidArgument);
  Result<std::string> token = JwtBuilder().audiences({"a", "b"}).expires_at(kNow).Sign(key);
  REQUIRE(token.ok());
  CHECK(token->find('=') == std::string::npos);
}

TEST_CASE("Verifier::Create refuses unsafe or meaningless options", "[jwt]") {
  const Jwk key = Ed('a');
  auto create = [&](auto change) {
    VerifierOptions options = Options();
    change(options);
    return Verifier::Create(PublicSet({&key}), options).code();
  };
  CHECK(create([](VerifierOptions& o) { o.algorithms.clear(); }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.leeway_seconds = -1; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.leeway_seconds = 86401; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.max_token_bytes = 0; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.max_json_depth = 0; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.issuer = ""; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions& o) { o.audiences = {""}; }) == Code::kVerifierConfigInvalid);
  CHECK(create([](VerifierOptions&) {}) == Code::kOk);
}

TEST_CASE("Verifier::FromConfig is strict about its JSON", "[jwt]") {
  const Jwk key = Ed('a');
  const Json jwks = PublicSet({&key}).ToJson(false);
  const Json base = {{"algorithms", {"EdDSA"}}, {"jwks", jwks}};
  CHECK(Verifier::FromConfig(base).ok());
  auto with = [&](const char* name, Json value) {
    Json config = base;
    config[name] = std::move(value);
    return Verifier::FromConfig(config).code();
  };
  CHECK(with("algorithms", {"none"}) == Code::kVerifierConfigInvalid);
  CHECK(with("algorithms", {"EdDSA", "RS384"}) == Code::kVerifierConfigInvalid);
  CHECK(with("algorithms", "EdDSA") == Code::kVerifierConfigInvalid);
  CHECK(with("audiences", "typo") == Code::kVerifierConfigInvalid);
  CHECK(with("leeway_seconds", "60") == Code::kVerifierConfigInvalid);
  CHECK(with("leeway_seconds", 1.5) == Code::kVerifierConfigInvalid);
  CHECK(with("max_token_bytes", -1) == Code::kVerifierConfigInvalid);
  CHECK(with("audience", Json::array({"a", 1})) == Code::kVerifierConfigInvalid);
  CHECK(with("issuer", 5) == Code::kVerifierConfigInvalid);
  CHECK(with("typ", "") == Code::kVerifierConfigInvalid);
  CHECK(with("audience", "app") == Code::kOk);
  CHECK(with("audience", {"a", "b"}) == Code::kOk);
  CHECK(Verifier::FromConfig(Json{{"algorithms", {"EdDSA"}}}).code() == Code::kVerifierConfigInvalid);
  CHECK(Verifier::FromConfig(Json::array()).code() == Code::kVerifierConfigInvalid);
}

TEST_CASE("Verifier::FromConfig names the option at fault and the reason", "[jwt]") {
  const Jwk key = Ed('a');
  const Json jwks = PublicSet({&key}).ToJson(false);
  const Json base = {{"algorithms", {"EdDSA"}}, {"jwks", jwks}};
  auto why = [&](const char* name, Json value) {
    Json config = base;
    config[name] = std::move(value);
    VerifierConfigError error;
    const Code code = Verifier::FromConfig(config, &error).code();
    CHECK(code == Code::kVerifierConfigInvalid);
    return error;
  };
  VerifierConfigError e = why("audiences", "app");
  CHECK(e.option == "audiences");
  CHECK(e.reason == "is not an option; did you mean \"audience\"?");
  CHECK(why("leewaySeconds", 5).reason == "is not an option; did you mean \"leeway_seconds\"?");
  CHECK(why("colour", 5).reason == "is not an option");
  e = why("algorithms", {"EdDSA", "RS384"});
  CHECK(e.option == "algorithms");
  CHECK(e.reason.find("\"RS384\" is not supported; supported: EdDSA, HS256, RS256, PS256, ES256") == 0);
  CHECK(why("algorithms", {"none"}).reason.find("never") != std::string::npos);
  CHECK(why("algorithms", Json::array()).reason == "must name at least one algorithm");
  CHECK(why("typ", "").option == "typ");
  CHECK(why("issuer", 5).reason == "must be a non-empty string, not 5");
  CHECK(why("audience", Json::array({"a", 1})).option == "audience");
  // The limits explained here are the ones Create enforces.
  CHECK(why("leeway_seconds", 86401).reason == "must be a whole number of seconds from 0 to 86400, not 86401");
  CHECK(why("leeway_seconds", -1).option == "leeway_seconds");
  CHECK(why("max_token_bytes", (1 << 20) + 1).option == "max_token_bytes");
  CHECK(why("max_json_depth", 257).option == "max_json_depth");
  CHECK(why("max_json_depth", 0).option == "max_json_depth");
  Json edge = base;
  edge["leeway_seconds"] = 86400;
  edge["max_token_bytes"] = 1 << 20;
  edge["max_json_depth"] = 256;
  CHECK(Verifier::FromConfig(edge).ok());
  VerifierOptions over;
  over.algorithms = {Algorithm::kEdDSA};
  over.leeway_seconds = 86401;
  CHECK(Verifier::Create(PublicSet({&key}), over).code() == Code::kVerifierConfigInvalid);
  // A long unknown name is cut short in the message.
  CHECK(why(std::string(500, 'x').c_str(), 1).option.size() == 40);
  VerifierConfigError missing;
  CHECK(Verifier::FromConfig(Json{{"algorithms", {"EdDSA"}}}, &missing).code() == Code::kVerifierConfigInvalid);
  CHECK(missing.option == "jwks");
  VerifierConfigError bad_key;
  const Json short_key =
      Json::parse(R"({"algorithms": ["EdDSA"], "jwks": {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]}})");
  CHECK(Verifier::FromConfig(short_key, &bad_key).code() != Code::kOk);
  CHECK(bad_key.option == "jwks");
}

}  // namespace
}  // namespace latchkey
