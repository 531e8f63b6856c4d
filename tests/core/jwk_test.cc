#include <catch2/catch.hpp>

#include "latchkey/encoding.h"
#include "latchkey/jwk.h"

namespace latchkey {
namespace {

const std::string kSeed(32, '\x2a');

Json Okp(const std::string& x) { return Json{{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", x}}; }

TEST_CASE("an Ed25519 JWK exports and parses back, with its thumbprint as kid", "[jwk]") {
  Result<Jwk> key = Jwk::Ed25519FromSeed(kSeed);
  REQUIRE(key.ok());
  CHECK(key->algorithm() == Algorithm::kEdDSA);
  CHECK(key->can_sign());
  CHECK(key->kid() == key->Thumbprint());
  CHECK(key->kid().size() == 43);

  const Json public_json = key->ToJson(false);
  CHECK(!public_json.contains("d"));
  CHECK(public_json["kty"] == "OKP");
  CHECK(public_json["alg"] == "EdDSA");
  CHECK(public_json["use"] == "sig");
  Result<Jwk> public_key = Jwk::FromJson(public_json, false);
  REQUIRE(public_key.ok());
  CHECK(!public_key->can_sign());
  CHECK(public_key->kid() == key->kid());
  CHECK(public_key->public_key() == key->public_key());

  const Json private_json = key->ToJson(true);
  CHECK(*Base64UrlDecode(private_json["d"].get<std::string>()) == kSeed);
  CHECK(Jwk::FromJson(private_json, false).code() == Code::kJwkInvalid);  // no private keys in a public set
  Result<Jwk> private_key = Jwk::FromJson(private_json, true);
  REQUIRE(private_key.ok());
  CHECK(private_key->can_sign());
}

TEST_CASE("an OKP JWK whose x does not match its d is refused", "[jwk]") {
  Json json = Jwk::Ed25519FromSeed(kSeed)->ToJson(true);
  json["x"] = Base64UrlEncode(std::string(32, '\x01'));
  CHECK(Jwk::FromJson(json, true).code() == Code::kJwkInvalid);
}

TEST_CASE("malformed and unsupported JWKs get distinct codes", "[jwk]") {
  const std::string x = Jwk::Ed25519FromSeed(kSeed)->ToJson(false)["x"];
  CHECK(Jwk::FromJson(Okp(x), false).ok());
  CHECK(Jwk::FromJson(Json::array(), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(Json{{"crv", "Ed25519"}, {"x", x}}, false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(Okp(x.substr(0, 42)), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(Okp(x + "AA"), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(Okp(x + "="), false).code() == Code::kJwkInvalid);
  Json wrong_crv = Okp(x);
  wrong_crv["crv"] = "X25519";
  CHECK(Jwk::FromJson(wrong_crv, false).code() == Code::kJwkUnsupported);
  Json wrong_alg = Okp(x);
  wrong_alg["alg"] = "HS256";
  CHECK(Jwk::FromJson(wrong_alg, false).code() == Code::kJwkUnsupported);
  Json enc = Okp(x);
  enc["use"] = "enc";
  CHECK(Jwk::FromJson(enc, false).code() == Code::kJwkUnsupported);
  Json numeric_kid = Okp(x);
  numeric_kid["kid"] = 7;
  CHECK(Jwk::FromJson(numeric_kid, false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(Json{{"kty", "EC"}, {"crv", "secp256k1"}, {"x", "AQAB"}, {"y", "AQAB"}}, false).code() ==
        Code::kJwkUnsupported);
}

TEST_CASE("oct secrets: at least 32 bytes, bound to HS256", "[jwk]") {
  CHECK(Jwk::HmacSecret(std::string(31, 's')).code() == Code::kKeyTooShort);
  Result<Jwk> key = Jwk::HmacSecret(std::string(32, 's'));
  REQUIRE(key.ok());
  CHECK(key->algorithm() == Algorithm::kHS256);
  CHECK(!key->ToJson(false).contains("k"));
  const Json json = key->ToJson(true);
  CHECK(json["kty"] == "oct");
  Result<Jwk> parsed = Jwk::FromJson(json, false);
  REQUIRE(parsed.ok());
  CHECK(parsed->secret() == std::string(32, 's'));
  CHECK(Jwk::FromJson(Json{{"kty", "oct"}, {"k", Base64UrlEncode(std::string(16, 'k'))}}, false).code() ==
        Code::kKeyTooShort);
  CHECK(Jwk::FromJson(Json{{"kty", "oct"}, {"k", ""}}, false).code() == Code::kKeyTooShort);
  CHECK(Jwk::FromJson(Json{{"kty", "oct"}, {"k", Base64UrlEncode(std::string(64, 'k'))}, {"alg", "HS512"}}, false)
            .code() == Code::kJwkUnsupported);
}

TEST_CASE("a JWKS skips foreign key types but not broken keys of ours", "[jwk]") {
  Jwk a = std::move(Jwk::Ed25519FromSeed(std::string(32, 'a'))).value();
  Jwk b = std::move(Jwk::Ed25519FromSeed(std::string(32, 'b'))).value();
  Json set = {{"keys",
               {a.ToJson(false), Json{{"kty", "EC"}, {"crv", "P-521"}, {"x", "x"}}, b.ToJson(false),
                Json{{"kty", "OKP"}, {"crv", "X25519"}, {"x", "abc"}}}}};
  Result<Jwks> jwks = Jwks::FromJson(set, false);
  REQUIRE(jwks.ok());
  REQUIRE(jwks->keys.size() == 2);
  CHECK(jwks->keys[0].kid() == a.kid());
  CHECK(jwks->ToJson(false)["keys"].size() == 2);

  Json duplicate = {{"keys", {a.ToJson(false), a.ToJson(false)}}};
  CHECK(Jwks::FromJson(duplicate, false).code() == Code::kJwksDuplicateKid);
  Json broken = {{"keys", {a.ToJson(false), Okp("AAAA")}}};
  CHECK(Jwks::FromJson(broken, false).code() == Code::kJwkInvalid);
  CHECK(Jwks::FromJson(Json{{"keys", "no"}}, false).code() == Code::kJwkInvalid);
  CHECK(Jwks::FromJson(Json::object(), false).code() == Code::kJwkInvalid);
  CHECK(Jwks::FromJson(Json{{"keys", Json::array()}}, false).ok());
}

}  // namespace
}  // namespace latchkey
