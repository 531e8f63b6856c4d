// RSA and EC P-256 JWKs (RS256, PS256, ES256): parsing, refusals, the RFC 7638
// thumbprint, export, and the algorithms each key permits. The signatures
// themselves are covered by the Wycheproof files and jwt-cases.json.
#include <catch2/catch.hpp>

#include "latchkey/encoding.h"
#include "latchkey/jwk.h"
#include "latchkey/jwt.h"

namespace latchkey {
namespace {

// RFC 7638 §3.1's example key, whose thumbprint the RFC gives.
const char* kRfcN =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhM"
    "stn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5"
    "hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
    "kEgU8awapJzKnqDKgw";

Json Rsa() { return Json{{"kty", "RSA"}, {"n", kRfcN}, {"e", "AQAB"}}; }

// A P-256 point: the generator G.
Json Ec() {
  return Json{{"kty", "EC"},
              {"crv", "P-256"},
              {"x", Base64UrlEncode(*HexDecode("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"))},
              {"y", Base64UrlEncode(*HexDecode("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"))}};
}

Json With(Json jwk, const char* name, Json value) {
  jwk[name] = std::move(value);
  return jwk;
}

TEST_CASE("an RSA JWK parses with the RFC 7638 thumbprint as kid and permits RS256 and PS256", "[jwk][pk]") {
  Result<Jwk> key = Jwk::FromJson(Rsa(), false);
  REQUIRE(key.ok());
  CHECK(key->kid() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  CHECK(key->algorithm() == Algorithm::kRS256);
  CHECK(key->Permits(Algorithm::kRS256));
  CHECK(key->Permits(Algorithm::kPS256));
  CHECK_FALSE(key->Permits(Algorithm::kES256));
  CHECK_FALSE(key->Permits(Algorithm::kHS256));
  CHECK_FALSE(key->can_sign());
  CHECK(key->public_key().size() == 256);

  const Json out = key->ToJson(true);
  CHECK(out["kty"] == "RSA");
  CHECK(out["n"] == kRfcN);
  CHECK(out["e"] == "AQAB");
  CHECK_FALSE(out.contains("alg"));  // it named none: both RSA algorithms stay open
  Result<Jwk> again = Jwk::FromJson(out, false);
  REQUIRE(again.ok());
  CHECK(again->kid() == key->kid());
  CHECK(again->Clone().Permits(Algorithm::kPS256));
}

TEST_CASE("an RSA JWK's alg binds it to that one algorithm", "[jwk][pk]") {
  Result<Jwk> rs = Jwk::FromJson(With(Rsa(), "alg", "RS256"), false);
  REQUIRE(rs.ok());
  CHECK(rs->Permits(Algorithm::kRS256));
  CHECK_FALSE(rs->Permits(Algorithm::kPS256));
  CHECK(rs->ToJson(false)["alg"] == "RS256");
  Result<Jwk> ps = Jwk::FromJson(With(Rsa(), "alg", "PS256"), false);
  REQUIRE(ps.ok());
  CHECK(ps->Permits(Algorithm::kPS256));
  CHECK_FALSE(ps->Permits(Algorithm::kRS256));
  CHECK(Jwk::FromJson(With(Rsa(), "alg", "ES256"), false).code() == Code::kJwkUnsupported);
  CHECK(Jwk::FromJson(With(Rsa(), "alg", "HS256"), false).code() == Code::kJwkUnsupported);
  CHECK(Jwk::FromJson(With(Rsa(), "alg", "RS512"), false).code() == Code::kJwkUnsupported);
}

TEST_CASE("weak, malformed and private RSA JWKs are refused", "[jwk][pk]") {
  const std::string n = *Base64UrlDecode(kRfcN);
  CHECK(Jwk::FromJson(With(Rsa(), "n", Base64UrlEncode(n.substr(0, 128))), false).code() == Code::kKeyTooShort);
  CHECK(Jwk::FromJson(With(Rsa(), "n", Base64UrlEncode(n.substr(0, 255))), false).code() == Code::kKeyTooShort);
  CHECK(Jwk::FromJson(With(Rsa(), "n", Base64UrlEncode(std::string(1025, '\xff'))), false).code() ==
        Code::kJwkInvalid);                                                              // 8200 bits: over the limit
  CHECK(Jwk::FromJson(With(Rsa(), "e", "AQ"), false).code() == Code::kJwkInvalid);       // 1
  CHECK(Jwk::FromJson(With(Rsa(), "e", "Ag"), false).code() == Code::kJwkInvalid);       // 2
  CHECK(Jwk::FromJson(With(Rsa(), "e", "AQAA"), false).code() == Code::kJwkInvalid);     // 65536
  CHECK(Jwk::FromJson(With(Rsa(), "e", "AQAAAAE"), false).code() == Code::kJwkInvalid);  // 40 bits
  CHECK(Jwk::FromJson(With(Rsa(), "e", ""), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Rsa(), "e", "Aw"), false).ok());      // 3
  CHECK(Jwk::FromJson(With(Rsa(), "e", "AAEAAQ"), false).ok());  // a leading zero octet
  CHECK(Jwk::FromJson(With(Rsa(), "n", 5), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Rsa(), "n", "not base64url!"), false).code() == Code::kJwkInvalid);
  Json no_e = Rsa();
  no_e.erase("e");
  CHECK(Jwk::FromJson(no_e, false).code() == Code::kJwkInvalid);
  std::string even = n;
  even.back() = static_cast<char>(even.back() & ~1);
  CHECK(Jwk::FromJson(With(Rsa(), "n", Base64UrlEncode(even)), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Rsa(), "d", "AQAB"), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Rsa(), "d", "AQAB"), true).code() == Code::kJwkUnsupported);  // never signs
  // A leading zero octet on n is the same number, and the same key.
  Result<Jwk> padded = Jwk::FromJson(With(Rsa(), "n", Base64UrlEncode(std::string(1, '\0') + n)), false);
  REQUIRE(padded.ok());
  CHECK(padded->kid() == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST_CASE("an EC P-256 JWK parses, permits ES256 only, and bad points are refused", "[jwk][pk]") {
  Result<Jwk> key = Jwk::FromJson(Ec(), false);
  REQUIRE(key.ok());
  CHECK(key->algorithm() == Algorithm::kES256);
  CHECK(key->Permits(Algorithm::kES256));
  CHECK_FALSE(key->Permits(Algorithm::kRS256));
  CHECK(key->public_key().size() == 64);
  const Json out = key->ToJson(false);
  CHECK(out["kty"] == "EC");
  CHECK(out["crv"] == "P-256");
  CHECK(out["x"] == Ec()["x"]);
  CHECK(out["y"] == Ec()["y"]);
  CHECK(Jwk::FromJson(out, false)->kid() == key->kid());
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + Ec()["x"].get<std::string>() + R"(","y":")" +
                                Ec()["y"].get<std::string>() + "\"}";
  CHECK(key->kid() == Base64UrlEncode(Sha256(canonical)));

  CHECK(Jwk::FromJson(With(Ec(), "alg", "ES256"), false).ok());
  CHECK(Jwk::FromJson(With(Ec(), "alg", "RS256"), false).code() == Code::kJwkUnsupported);
  CHECK(Jwk::FromJson(With(Ec(), "crv", "P-384"), false).code() == Code::kJwkUnsupported);
  CHECK(Jwk::FromJson(With(Ec(), "y", Ec()["x"]), false).code() == Code::kJwkInvalid);  // not on the curve
  const std::string x = *Base64UrlDecode(Ec()["x"].get<std::string>());
  CHECK(Jwk::FromJson(With(Ec(), "x", Base64UrlEncode(x.substr(1))), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Ec(), "x", Base64UrlEncode(std::string(1, '\0') + x)), false).code() == Code::kJwkInvalid);
  CHECK(Jwk::FromJson(With(Ec(), "d", Ec()["x"]), false).code() == Code::kJwkInvalid);
  Json no_crv = Ec();
  no_crv.erase("crv");
  CHECK(Jwk::FromJson(no_crv, false).code() == Code::kJwkInvalid);
}

TEST_CASE("a mixed JWKS keeps RSA and P-256 keys and skips what it cannot use", "[jwk][pk]") {
  const Json jwks = {
      {"keys",
       {With(Rsa(), "kid", "rsa"), With(Ec(), "kid", "ec"), With(With(Ec(), "crv", "P-521"), "kid", "p521"),
        With(With(Rsa(), "alg", "RS384"), "kid", "rs384"), With(With(Rsa(), "use", "enc"), "kid", "enc")}}};
  Result<Jwks> keys = Jwks::FromJson(jwks, false);
  REQUIRE(keys.ok());
  REQUIRE(keys->keys.size() == 2);
  CHECK(keys->keys[0].kid() == "rsa");
  CHECK(keys->keys[1].kid() == "ec");
  // One weak key fails the whole set, as any malformed key of a used type does.
  const Json weak = {{"keys", {Rsa(), With(Rsa(), "n", Base64UrlEncode(std::string(128, '\xc3')))}}};
  CHECK(Jwks::FromJson(weak, false).code() == Code::kKeyTooShort);
}

TEST_CASE("RS256, PS256 and ES256 are configurable by name", "[jwt][pk]") {
  for (const char* name : {"RS256", "PS256", "ES256"}) {
    const Json config = {{"algorithms", {name}}, {"jwks", {{"keys", {Rsa(), Ec()}}}}};
    INFO(name);
    CHECK(Verifier::FromConfig(config).ok());
    CHECK(AlgorithmName(*AlgorithmFromName(name)) == name);
  }
  VerifierConfigError error;
  CHECK(Verifier::FromConfig(Json{{"algorithms", {"ES384"}}, {"jwks", {{"keys", Json::array()}}}}, &error).code() ==
        Code::kVerifierConfigInvalid);
  CHECK(error.reason.find("EdDSA, HS256, RS256, PS256, ES256") != std::string::npos);
}

}  // namespace
}  // namespace latchkey
