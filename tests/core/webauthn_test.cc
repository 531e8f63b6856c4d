// Passkeys: the relying party's checks against tests/vectors/webauthn/cases.json
// (real ES256, EdDSA and RS256 credentials, and every refusal of webauthn.h),
// then the parts the vectors reach only through the ceremonies.
#include <catch2/catch.hpp>

#include "latchkey/cbor.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "latchkey/webauthn.h"
#include "vector_runner.h"
#include "webauthn_internal.h"

namespace latchkey::webauthn {
namespace {

std::string B64(const Json& text) { return *Base64UrlDecode(text.get<std::string>()); }

Json LoadCases(const char* name = "cases.json") {
  return testing::LoadVectorFile(std::string(LATCHKEY_VECTORS_DIR) + "/webauthn/" + name);
}

RelyingParty Rp(const Json& file) {
  RelyingParty rp;
  rp.id = file["rp"]["id"].get<std::string>();
  for (const Json& origin : file["rp"]["origins"]) rp.origins.push_back(origin.get<std::string>());
  return rp;
}

Expectation Expected(const Json& c) {
  return Expectation{B64(c["expectation"]["challenge"]), c["expectation"]["require_user_verification"].get<bool>()};
}

// Runs every case of a vector file; returns how many were accepted.
std::size_t RunCases(const Json& file) {
  const RelyingParty rp = Rp(file);
  std::size_t ok = 0;
  for (const Json& c : file["cases"]) {
    INFO("case " << c["id"].get<std::string>());
    const std::string expect = c["expect"].get<std::string>();
    if (c["ceremony"] == "registration") {
      Result<RegistrationResponse> response = ParseRegistrationResponse(c["credential"]);
      if (!response.ok()) {
        CHECK(std::string(WireCode(response.code())) == expect);
        continue;
      }
      Result<Registration> got = VerifyRegistration(*response, rp, Expected(c));
      REQUIRE(std::string(WireCode(got.code())) == expect);
      if (!got.ok()) continue;
      const Json& r = c["result"];
      CHECK(got->credential_id == B64(r["credential_id"]));
      CHECK(got->public_key == B64(r["public_key"]));
      CHECK(static_cast<std::int64_t>(got->algorithm) == r["algorithm"].get<std::int64_t>());
      CHECK(got->sign_count == r["sign_count"].get<std::uint32_t>());
      CHECK(got->aaguid == B64(r["aaguid"]));
      CHECK(got->user_verified == r["user_verified"].get<bool>());
      CHECK(got->backup_eligible == r["backup_eligible"].get<bool>());
      CHECK(got->backup_state == r["backup_state"].get<bool>());
      CHECK(got->attestation_format == r["attestation_format"].get<std::string>());
      const Json transports = c["credential"]["response"].value("transports", Json::array());
      CHECK(response->transports.size() == transports.size());
      ++ok;
    } else {
      Result<AssertionResponse> response = ParseAssertionResponse(c["credential"]);
      if (!response.ok()) {
        CHECK(std::string(WireCode(response.code())) == expect);
        continue;
      }
      StoredCredential stored{B64(c["stored"]["public_key"]), c["stored"]["sign_count"].get<std::uint32_t>(),
                              c["stored"]["backup_eligible"].get<bool>()};
      Result<Assertion> got = VerifyAssertion(*response, stored, rp, Expected(c));
      REQUIRE(std::string(WireCode(got.code())) == expect);
      if (!got.ok()) continue;
      const Json& r = c["result"];
      CHECK(got->sign_count == r["sign_count"].get<std::uint32_t>());
      CHECK(got->user_verified == r["user_verified"].get<bool>());
      CHECK(got->backup_state == r["backup_state"].get<bool>());
      const Json handle = c["credential"]["response"].value("userHandle", Json());
      CHECK(response->user_handle == (handle.is_string() ? B64(handle) : std::string()));
      ++ok;
    }
  }
  return ok;
}

TEST_CASE("webauthn vectors: registrations and assertions get the expected verdicts", "[webauthn]") {
  const Json file = LoadCases();
  REQUIRE(file["cases"].size() >= 90);
  CHECK(RunCases(file) >= 20);
}

TEST_CASE("webauthn vectors: the Level 3 specification's test vectors (ES256, RS256, EdDSA)", "[webauthn]") {
  const Json file = LoadCases("spec-level3.json");
  REQUIRE(file["cases"].size() >= 10);
  CHECK(RunCases(file) == 4);
}

TEST_CASE("webauthn: a registered credential's key verifies its own assertions", "[webauthn]") {
  const Json file = LoadCases();
  for (const char* id : {"reg-es256", "reg-eddsa", "reg-rs256"}) {
    INFO(id);
    for (const Json& c : file["cases"]) {
      if (c["id"] != id) continue;
      Result<RegistrationResponse> response = ParseRegistrationResponse(c["credential"]);
      REQUIRE(response.ok());
      CoseAlgorithm algorithm{};
      Result<AuthenticatorData> data =
          ParseAuthenticatorData(cbor::Decode(response->attestation_object)->Find("authData")->bytes());
      REQUIRE(data.ok());
      CHECK(data->credential_id == response->credential_id);
      CHECK(CoseKeyToJwk(data->credential_public_key, &algorithm).ok());
    }
  }
}

TEST_CASE("webauthn: ParseClientData returns the challenge's bytes", "[webauthn]") {
  const std::string challenge(32, '\x7f');
  Result<ClientData> data = ParseClientData(R"({"type":"webauthn.get","challenge":")" + Base64UrlEncode(challenge) +
                                            R"(","origin":"https://example.test","crossOrigin":true})");
  REQUIRE(data.ok());
  CHECK(data->type == "webauthn.get");
  CHECK(data->challenge == challenge);
  CHECK(data->origin == "https://example.test");
  CHECK(data->cross_origin);
  CHECK(ParseClientData("[]").code() == Code::kPasskeyResponseInvalid);
  CHECK(ParseClientData(R"({"type":"webauthn.get","challenge":"AA==","origin":"x"})").code() ==
        Code::kPasskeyResponseInvalid);
  CHECK(ParseClientData(R"({"type":1,"challenge":"AA","origin":"x"})").code() == Code::kPasskeyResponseInvalid);
  CHECK(ParseClientData(R"({"type":"a","challenge":"AA","origin":"x","type":"b"})").code() ==
        Code::kPasskeyResponseInvalid);
}

TEST_CASE("webauthn: authenticator data's flags must match what follows", "[webauthn]") {
  const std::string fixed = std::string(32, 'h') + '\x01' + std::string("\x00\x00\x01\x02", 4);
  Result<AuthenticatorData> data = ParseAuthenticatorData(fixed);
  REQUIRE(data.ok());
  CHECK(data->sign_count == 0x0102);
  CHECK(data->flags == kFlagUserPresent);
  CHECK(ParseAuthenticatorData(fixed.substr(0, 36)).code() == Code::kPasskeyResponseInvalid);
  CHECK(ParseAuthenticatorData(fixed + '\xa0').code() == Code::kPasskeyResponseInvalid);  // data, no flag
  std::string with_ed = fixed;
  with_ed[32] = static_cast<char>(kFlagUserPresent | kFlagExtensionData);
  CHECK(ParseAuthenticatorData(with_ed).code() == Code::kPasskeyResponseInvalid);
  CHECK(ParseAuthenticatorData(with_ed + '\xa0').ok());
  CHECK(ParseAuthenticatorData(with_ed + std::string("\xa0\x00", 2)).code() ==
        Code::kCborInvalid);                                                     // trailing after extensions
  CHECK(ParseAuthenticatorData(with_ed + '\x80').code() == Code::kCborInvalid);  // not a map
  std::string with_at = fixed;
  with_at[32] = static_cast<char>(kFlagUserPresent | kFlagAttestedData);
  const std::string attested = with_at + std::string(16, 'a') + std::string("\x00\x01", 2) + "i";
  CHECK(ParseAuthenticatorData(attested).code() == Code::kPasskeyResponseInvalid);  // no key
  data = ParseAuthenticatorData(attested + "\xa1\x01\x02");
  REQUIRE(data.ok());
  CHECK(data->credential_id == "i");
  CHECK(data->credential_public_key == "\xa1\x01\x02");
  CHECK(data->aaguid == std::string(16, 'a'));
  CHECK(ParseAuthenticatorData(attested + std::string("\xa1\x01\x02\x00", 4)).code() == Code::kPasskeyResponseInvalid);
  CHECK(ParseAuthenticatorData(attested + "\x01").code() == Code::kCborInvalid);  // key not a map
  const std::string empty_id = with_at + std::string(16, 'a') + std::string("\x00\x00", 2) + "\xa1\x01\x02";
  CHECK(ParseAuthenticatorData(empty_id).code() == Code::kPasskeyResponseInvalid);
  const std::string long_id =
      with_at + std::string(16, 'a') + std::string("\x04\x00", 2) + std::string(1024, 'i') + "\xa1\x01\x02";
  CHECK(ParseAuthenticatorData(long_id).code() == Code::kPasskeyResponseInvalid);  // over 1023 bytes
}

TEST_CASE("webauthn: ES256 DER signatures are read strictly", "[webauthn]") {
  auto der = [](const char* hex) { return EcdsaDerToRaw(*HexDecode(hex)); };
  Result<std::string> raw = der("3006020101020102");
  REQUIRE(raw.ok());
  CHECK(HexEncode(*raw) == std::string(62, '0') + "01" + std::string(62, '0') + "02");
  raw = der("300702020080020102");  // r = 0x80 needs its leading zero
  REQUIRE(raw.ok());
  CHECK(HexEncode(raw->substr(0, 32)) == std::string(62, '0') + "80");
  CHECK(der("30070202000102"
            "0102")
            .code() == Code::kPasskeySignatureInvalid);                       // non-minimal r
  CHECK(der("3006020100020102").code() == Code::kPasskeySignatureInvalid);    // r = 0
  CHECK(der("3006020101020100").code() == Code::kPasskeySignatureInvalid);    // s = 0
  CHECK(der("30060201ff020102").code() == Code::kPasskeySignatureInvalid);    // negative
  CHECK(der("300602010102010200").code() == Code::kPasskeySignatureInvalid);  // trailing
  CHECK(der("3007020101020102").code() == Code::kPasskeySignatureInvalid);    // length past end
  CHECK(der("308106020101020102").code() == Code::kPasskeySignatureInvalid);  // long form
  CHECK(der("3005020101020102").code() == Code::kPasskeySignatureInvalid);    // length short
  CHECK(der("3006020001020102").code() == Code::kPasskeySignatureInvalid);    // empty integer
  CHECK(der("3006030101020102").code() == Code::kPasskeySignatureInvalid);    // not INTEGER
  CHECK(der("3000").code() == Code::kPasskeySignatureInvalid);
  CHECK(der("").code() == Code::kPasskeySignatureInvalid);
  // 33 bytes: only a zero then a high bit; a 34-byte or non-zero-led 33-byte one is too long.
  const std::string r33 = "0221" + std::string("01") + std::string(64, '1');
  CHECK(der(("3026" + r33 + "020101").c_str()).code() == Code::kPasskeySignatureInvalid);
  const std::string r32 = "022100" + std::string("8") + std::string(63, '1');
  CHECK(der(("3026" + r32 + "020101").c_str()).ok());
}

TEST_CASE("webauthn: COSE keys become Jwks bound to their algorithm", "[webauthn]") {
  CoseAlgorithm algorithm{};
  // OKP Ed25519 from a seed's public key.
  Result<Ed25519KeyPair> pair = Ed25519FromSeed(std::string(32, 's'));
  REQUIRE(pair.ok());
  std::string cose = *HexDecode("a4010103272006215820") + pair->public_key;
  Result<Jwk> key = CoseKeyToJwk(cose, &algorithm);
  REQUIRE(key.ok());
  CHECK(algorithm == CoseAlgorithm::kEdDSA);
  CHECK(key->algorithm() == Algorithm::kEdDSA);
  CHECK(key->public_key() == pair->public_key);
  CHECK(CoseKeyToJwk(cose + '\x00', &algorithm).code() == Code::kCborInvalid);
  CHECK(CoseKeyToJwk(*HexDecode("a1010c"), &algorithm).code() == Code::kPasskeyAlgorithmUnsupported);
  CHECK(CoseKeyToJwk(*HexDecode("80"), &algorithm).code() == Code::kCborInvalid);
  CHECK(CoseKeyToJwk(*HexDecode("a201010327"), &algorithm).code() == Code::kJwkInvalid);  // no crv, no x
  // x as text, not bytes.
  CHECK(CoseKeyToJwk(*HexDecode("a40101032720062161"
                                "41"),
                     &algorithm)
            .code() == Code::kJwkInvalid);
  // RSA with a private exponent (-3).
  CHECK(CoseKeyToJwk(*HexDecode("a4010303390100204101224101"), &algorithm).code() == Code::kJwkInvalid);
}

}  // namespace
}  // namespace latchkey::webauthn
