// Embind exports of the pk module for passkeys: the core's WebAuthn relying
// party (core/include/latchkey/webauthn.h), so the browser and Node can see
// what the server will decide. JSON in, JSON out, in the shapes of
// tests/vectors/webauthn/cases.json (binary members base64url):
//   rp          {id, origins: [..]}
//   expectation {challenge, require_user_verification}
//   stored      {public_key (COSE), sign_count, backup_eligible}
// Each returns {"ok": true, ...the result} or {"ok": false, "code": wire code}.
#include <emscripten/bind.h>

#include <string>

#include "latchkey/encoding.h"
#include "latchkey/json.h"
#include "latchkey/webauthn.h"

namespace latchkey::wasm {
namespace {

using namespace latchkey::webauthn;

std::string Refusal(Code code) { return R"({"ok":false,"code":")" + std::string(WireCode(code)) + "\"}"; }

std::string Reply(Json result) {
  result["ok"] = true;
  Result<std::string> text = SerializeJson(result);
  return text.ok() ? *text : Refusal(text.code());
}

bool ReadRp(const std::string& text, RelyingParty* rp) {
  Result<Json> json = ParseJson(text);
  if (!json.ok() || !json->is_object()) return false;
  const auto id = json->find("id");
  const auto origins = json->find("origins");
  if (id == json->end() || !id->is_string() || origins == json->end() || !origins->is_array()) return false;
  rp->id = id->get<std::string>();
  for (const Json& origin : *origins) {
    if (!origin.is_string()) return false;
    rp->origins.push_back(origin.get<std::string>());
  }
  return true;
}

bool ReadExpectation(const std::string& text, Expectation* expected) {
  Result<Json> json = ParseJson(text);
  if (!json.ok() || !json->is_object()) return false;
  const auto challenge = json->find("challenge");
  const auto uv = json->find("require_user_verification");
  if (challenge == json->end() || !challenge->is_string()) return false;
  Result<std::string> bytes = Base64UrlDecode(challenge->get<std::string>());
  if (!bytes.ok()) return false;
  expected->challenge = *bytes;
  if (uv != json->end()) {
    if (!uv->is_boolean()) return false;
    expected->require_user_verification = uv->get<bool>();
  }
  return true;
}

bool ReadStored(const std::string& text, StoredCredential* stored) {
  Result<Json> json = ParseJson(text);
  if (!json.ok() || !json->is_object()) return false;
  const auto key = json->find("public_key");
  const auto count = json->find("sign_count");
  const auto be = json->find("backup_eligible");
  if (key == json->end() || !key->is_string() || count == json->end() || !count->is_number_unsigned() ||
      count->get<std::uint64_t>() > 0xffffffffu || be == json->end() || !be->is_boolean()) {
    return false;
  }
  Result<std::string> bytes = Base64UrlDecode(key->get<std::string>());
  if (!bytes.ok()) return false;
  stored->public_key = *bytes;
  stored->sign_count = static_cast<std::uint32_t>(count->get<std::uint64_t>());
  stored->backup_eligible = be->get<bool>();
  return true;
}

std::string VerifyPasskeyRegistration(const std::string& credential_json, const std::string& rp_json,
                                      const std::string& expectation_json) {
  RelyingParty rp;
  Expectation expected;
  if (!ReadRp(rp_json, &rp) || !ReadExpectation(expectation_json, &expected)) {
    return Refusal(Code::kInvalidArgument);
  }
  Result<Json> credential = ParseJson(credential_json);
  if (!credential.ok()) return Refusal(Code::kPasskeyResponseInvalid);
  Result<RegistrationResponse> response = ParseRegistrationResponse(*credential);
  if (!response.ok()) return Refusal(response.code());
  Result<Registration> got = VerifyRegistration(*response, rp, expected);
  if (!got.ok()) return Refusal(got.code());
  return Reply({{"credential_id", Base64UrlEncode(got->credential_id)},
                {"public_key", Base64UrlEncode(got->public_key)},
                {"algorithm", static_cast<std::int64_t>(got->algorithm)},
                {"sign_count", got->sign_count},
                {"aaguid", Base64UrlEncode(got->aaguid)},
                {"user_verified", got->user_verified},
                {"backup_eligible", got->backup_eligible},
                {"backup_state", got->backup_state},
                {"attestation_format", got->attestation_format},
                {"transports", response->transports}});
}

std::string VerifyPasskeyAssertion(const std::string& credential_json, const std::string& stored_json,
                                   const std::string& rp_json, const std::string& expectation_json) {
  RelyingParty rp;
  Expectation expected;
  StoredCredential stored;
  if (!ReadRp(rp_json, &rp) || !ReadExpectation(expectation_json, &expected) || !ReadStored(stored_json, &stored)) {
    return Refusal(Code::kInvalidArgument);
  }
  Result<Json> credential = ParseJson(credential_json);
  if (!credential.ok()) return Refusal(Code::kPasskeyResponseInvalid);
  Result<AssertionResponse> response = ParseAssertionResponse(*credential);
  if (!response.ok()) return Refusal(response.code());
  Result<Assertion> got = VerifyAssertion(*response, stored, rp, expected);
  if (!got.ok()) return Refusal(got.code());
  return Reply({{"credential_id", Base64UrlEncode(response->credential_id)},
                {"user_handle", Base64UrlEncode(response->user_handle)},
                {"sign_count", got->sign_count},
                {"user_verified", got->user_verified},
                {"backup_state", got->backup_state}});
}

}  // namespace

EMSCRIPTEN_BINDINGS(latchkey_passkeys) {
  emscripten::function("verifyPasskeyRegistration", &VerifyPasskeyRegistration);
  emscripten::function("verifyPasskeyAssertion", &VerifyPasskeyAssertion);
}

}  // namespace latchkey::wasm
