// The passkey checks on hostile bytes. The first byte picks what the rest is:
//   0  authenticator data          1  a COSE key
//   2  an attestation object, verified as a registration with fixed client data
//   3  an assertion (u16 authenticator data length, u16 signature length, the
//      two, then clientDataJSON) against fixed stored keys (ES256, EdDSA, RS256)
//   4  a PublicKeyCredential JSON, parsed both ways
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/cbor.h"
#include "latchkey/encoding.h"
#include "latchkey/webauthn.h"

namespace {

using namespace latchkey;
using namespace latchkey::webauthn;

// The keys of tests/vectors/webauthn/cases.json (reg-es256, reg-eddsa, reg-rs256).
const char* const kStoredKeys[] = {
    "a501020326200121582065db337e1bec36b00aee4b255c9751975fa6cca0dfb4bebdf734c63cbe38bcd0225820cef3ce745d564d16a50a60"
    "315d4065f03a9cfa62cf8cb76af62ffce4eed3e95a",
    "a40101032720062158201c85eb8010b3cc176ee6ca41cf0872a289feeae6bcf0521b53c767fdedae0f36",
    "a401030339010020590100c38326285e0ade0d7a3ffd60c518e0605f183858d3303345f456b2d45aa57779370cab95f27cc6c7b9c35b727c"
    "15a900186b78aa6d74adceadd8d314bf8f810219735ec5dc96c75dd1de8f50053eca605ff80bba11f2f26640800b65017e5fbf7334a5e541"
    "fe6d5727c35d4b49a177479488261da5bd062529ef50000a9d36ca9d1ab12a0fd55ac6a2ed122e3e9870e851eaad84bbc332eec6b746903c"
    "8b3465150573b5e4b46af27d9562f2b9101fb6b5a3ebef8efdf6da7e6e47f91203c025641ce40674866b9443d1e2dbedfb9e01ab3f269f81"
    "a195328edc971a95c1179ced55d836e07c84a08e3433b6a85d0fce2bc335aa29ea8f7b2f8f85b8de8c584d2143010001",
};

const RelyingParty& Rp() {
  static const RelyingParty rp{"example.test", {"https://example.test", "https://app.example.test"}};
  return rp;
}

void AuthenticatorDataCase(std::string_view bytes) {
  Result<AuthenticatorData> data = ParseAuthenticatorData(bytes);
  if (!data.ok()) return;
  FUZZ_CHECK(data->rp_id_hash.size() == 32);
  FUZZ_CHECK(!(data->flags & kFlagBackupState) || (data->flags & kFlagBackupEligible));
  if (data->flags & kFlagAttestedData) {
    FUZZ_CHECK(data->aaguid.size() == 16 && !data->credential_id.empty());
    FUZZ_CHECK(data->credential_id.size() <= kMaxCredentialIdBytes);
    Result<cbor::Value> key = cbor::Decode(data->credential_public_key);
    FUZZ_CHECK(key.ok() && key->type() == cbor::Value::Type::kMap);
  } else {
    FUZZ_CHECK(data->credential_id.empty() && data->credential_public_key.empty());
  }
}

void CoseKeyCase(std::string_view bytes) {
  CoseAlgorithm algorithm{};
  Result<Jwk> key = CoseKeyToJwk(bytes, &algorithm);
  if (!key.ok()) return;
  const Algorithm expected = algorithm == CoseAlgorithm::kES256   ? Algorithm::kES256
                             : algorithm == CoseAlgorithm::kEdDSA ? Algorithm::kEdDSA
                                                                  : Algorithm::kRS256;
  FUZZ_CHECK(key->algorithm() == expected && !key->can_sign());
}

void RegistrationCase(std::string_view bytes) {
  const std::string challenge(kChallengeBytes, 'c');
  RegistrationResponse response;
  response.client_data_json = R"({"type":"webauthn.create","challenge":")" + Base64UrlEncode(challenge) +
                              R"(","origin":"https://example.test","crossOrigin":false})";
  response.attestation_object = std::string(bytes);
  // The credential ID the authenticator data names, when it can be found.
  Result<cbor::Value> object = cbor::Decode(bytes);
  const cbor::Value* auth_data = object.ok() ? object->Find("authData") : nullptr;
  if (auth_data != nullptr) {
    Result<AuthenticatorData> data = ParseAuthenticatorData(auth_data->bytes());
    if (data.ok()) response.credential_id = data->credential_id;
  }
  Result<Registration> registration = VerifyRegistration(response, Rp(), Expectation{challenge, false});
  if (!registration.ok()) return;
  CoseAlgorithm algorithm{};
  FUZZ_CHECK(CoseKeyToJwk(registration->public_key, &algorithm).ok() && algorithm == registration->algorithm);
  FUZZ_CHECK(registration->credential_id == response.credential_id && registration->aaguid.size() == 16);
}

std::size_t ReadU16(std::string_view* bytes) {
  if (bytes->size() < 2) return 0;
  const std::size_t n = (static_cast<std::uint8_t>((*bytes)[0]) << 8) | static_cast<std::uint8_t>((*bytes)[1]);
  bytes->remove_prefix(2);
  return n;
}

void AssertionCase(std::string_view bytes) {
  AssertionResponse response;
  std::size_t n = ReadU16(&bytes);
  response.authenticator_data = std::string(bytes.substr(0, n));
  bytes.remove_prefix(response.authenticator_data.size());
  n = ReadU16(&bytes);
  response.signature = std::string(bytes.substr(0, n));
  bytes.remove_prefix(response.signature.size());
  response.client_data_json = std::string(bytes);
  // Expect whatever challenge the client data carries, to get past that check.
  Result<ClientData> client_data = ParseClientData(response.client_data_json);
  const Expectation expected{client_data.ok() ? client_data->challenge : std::string(kChallengeBytes, 'c'), false};
  for (const char* hex : kStoredKeys) {
    for (bool backup_eligible : {false, true}) {
      const StoredCredential stored{*HexDecode(hex), 4, backup_eligible};
      Result<Assertion> assertion = VerifyAssertion(response, stored, Rp(), expected);
      if (!assertion.ok()) continue;
      Result<AuthenticatorData> data = ParseAuthenticatorData(response.authenticator_data);
      FUZZ_CHECK(data.ok() && (data->flags & kFlagUserPresent) && assertion->sign_count > stored.sign_count);
    }
  }
}

void CredentialJsonCase(std::string_view bytes) {
  Result<Json> json = ParseJson(bytes);
  if (!json.ok()) return;
  Result<RegistrationResponse> registration = ParseRegistrationResponse(*json);
  if (registration.ok()) {
    FUZZ_CHECK(!registration->credential_id.empty() && registration->credential_id.size() <= kMaxCredentialIdBytes);
    FUZZ_CHECK(registration->attestation_object.size() <= kMaxAttestationObjectBytes);
  }
  Result<AssertionResponse> assertion = ParseAssertionResponse(*json);
  if (assertion.ok()) {
    FUZZ_CHECK(!assertion->credential_id.empty() && assertion->client_data_json.size() <= kMaxClientDataBytes);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      AuthenticatorDataCase(bytes);
      break;
    case 1:
      CoseKeyCase(bytes);
      break;
    case 2:
      RegistrationCase(bytes);
      break;
    case 3:
      AssertionCase(bytes);
      break;
    default:
      CredentialJsonCase(bytes);
      break;
  }
  return 0;
}
