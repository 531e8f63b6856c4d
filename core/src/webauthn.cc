// The relying party's checks (WebAuthn Level 3 §7.1, §7.2): parsing what the
// browser sends, then the ceremony's checks in the specification's order.
#include "latchkey/webauthn.h"

#include <algorithm>

#include "latchkey/cbor.h"
#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "webauthn_internal.h"

namespace latchkey::webauthn {
namespace {

constexpr std::size_t kMaxUserHandleBytes = 64;   // §5.4.3
constexpr std::size_t kMaxSignatureBytes = 1024;  // an 8192-bit RSA signature
constexpr std::size_t kMaxTransports = 16;
constexpr std::size_t kMaxTransportBytes = 64;
constexpr std::size_t kRpIdHashBytes = 32;
constexpr std::size_t kAaguidBytes = 16;
constexpr std::size_t kFixedAuthDataBytes = kRpIdHashBytes + 1 + 4;

// A base64url member of `object`, decoded, at most `max` bytes.
bool Base64Member(const Json& object, const char* name, std::size_t max, std::string* out) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return false;
  const std::string& text = it->get_ref<const std::string&>();
  if (text.size() > (max + 2) / 3 * 4) return false;  // before decoding anything big
  Result<std::string> bytes = Base64UrlDecode(text);
  if (!bytes.ok() || bytes->size() > max) return false;
  *out = std::move(bytes).value();
  return true;
}

// type "public-key", id and rawId naming the same non-empty credential, and
// the `response` object.
const Json* CredentialCommon(const Json& credential, std::string* credential_id) {
  if (!credential.is_object()) return nullptr;
  const auto type = credential.find("type");
  if (type == credential.end() || *type != "public-key") return nullptr;
  const auto id = credential.find("id");
  const auto raw_id = credential.find("rawId");
  if (id == credential.end() || raw_id == credential.end() || *id != *raw_id) return nullptr;
  if (!Base64Member(credential, "rawId", kMaxCredentialIdBytes, credential_id) || credential_id->empty()) {
    return nullptr;
  }
  const auto response = credential.find("response");
  if (response == credential.end() || !response->is_object()) return nullptr;
  return &*response;
}

// The client data checks both ceremonies share (§7.1 steps 7-10, §7.2 11-14).
Status CheckClientData(std::string_view client_data_json, std::string_view type, const RelyingParty& rp,
                       const Expectation& expected) {
  Result<ClientData> client_data = ParseClientData(client_data_json);
  if (!client_data.ok()) return client_data.status();
  if (client_data->type != type) return Code::kPasskeyResponseInvalid;
  if (expected.challenge.empty() || !ConstantTimeEqual(client_data->challenge, expected.challenge)) {
    return Code::kPasskeyChallengeInvalid;
  }
  if (std::find(rp.origins.begin(), rp.origins.end(), client_data->origin) == rp.origins.end()) {
    return Code::kPasskeyOriginInvalid;
  }
  // A page of this origin framed by another site: not accepted.
  if (client_data->cross_origin) return Code::kPasskeyOriginInvalid;
  return Status::Ok();
}

// rpIdHash and the user flags (§7.1 steps 13-15, §7.2 15-17).
Status CheckAuthenticatorData(const AuthenticatorData& data, const RelyingParty& rp, const Expectation& expected) {
  if (!ConstantTimeEqual(data.rp_id_hash, Sha256(rp.id))) return Code::kPasskeyRpIdMismatch;
  if (!(data.flags & kFlagUserPresent)) return Code::kPasskeyUserPresenceRequired;
  if (expected.require_user_verification && !(data.flags & kFlagUserVerified)) {
    return Code::kPasskeyUserVerificationRequired;
  }
  return Status::Ok();
}

std::uint32_t ReadUint32(std::string_view bytes) {
  std::uint32_t value = 0;
  for (char c : bytes.substr(0, 4)) value = (value << 8) | static_cast<std::uint8_t>(c);
  return value;
}

}  // namespace

Result<RegistrationResponse> ParseRegistrationResponse(const Json& credential) {
  RegistrationResponse out;
  const Json* response = CredentialCommon(credential, &out.credential_id);
  if (response == nullptr || !Base64Member(*response, "clientDataJSON", kMaxClientDataBytes, &out.client_data_json) ||
      !Base64Member(*response, "attestationObject", kMaxAttestationObjectBytes, &out.attestation_object)) {
    return Code::kPasskeyResponseInvalid;
  }
  const auto transports = response->find("transports");
  if (transports != response->end()) {
    if (!transports->is_array() || transports->size() > kMaxTransports) return Code::kPasskeyResponseInvalid;
    for (const Json& transport : *transports) {
      if (!transport.is_string() || transport.get_ref<const std::string&>().size() > kMaxTransportBytes) {
        return Code::kPasskeyResponseInvalid;
      }
      out.transports.push_back(transport.get<std::string>());
    }
  }
  return out;
}

Result<AssertionResponse> ParseAssertionResponse(const Json& credential) {
  AssertionResponse out;
  const Json* response = CredentialCommon(credential, &out.credential_id);
  if (response == nullptr || !Base64Member(*response, "clientDataJSON", kMaxClientDataBytes, &out.client_data_json) ||
      !Base64Member(*response, "authenticatorData", kMaxAttestationObjectBytes, &out.authenticator_data) ||
      !Base64Member(*response, "signature", kMaxSignatureBytes, &out.signature)) {
    return Code::kPasskeyResponseInvalid;
  }
  // userHandle: absent, null (toJSON of a non-discoverable credential) or base64url.
  const auto user_handle = response->find("userHandle");
  if (user_handle != response->end() && !user_handle->is_null() &&
      !Base64Member(*response, "userHandle", kMaxUserHandleBytes, &out.user_handle)) {
    return Code::kPasskeyResponseInvalid;
  }
  return out;
}

Result<ClientData> ParseClientData(std::string_view client_data_json) {
  Result<Json> json = ParseJson(client_data_json, JsonLimits{kMaxClientDataBytes, 8});
  if (!json.ok() || !json->is_object()) return Code::kPasskeyResponseInvalid;
  ClientData out;
  const auto type = json->find("type");
  const auto origin = json->find("origin");
  const auto cross_origin = json->find("crossOrigin");
  if (type == json->end() || !type->is_string() || origin == json->end() || !origin->is_string() ||
      !Base64Member(*json, "challenge", kMaxClientDataBytes, &out.challenge)) {
    return Code::kPasskeyResponseInvalid;
  }
  if (cross_origin != json->end()) {
    if (!cross_origin->is_boolean()) return Code::kPasskeyResponseInvalid;
    out.cross_origin = cross_origin->get<bool>();
  }
  out.type = type->get<std::string>();
  out.origin = origin->get<std::string>();
  return out;
}

Result<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes) {
  if (bytes.size() < kFixedAuthDataBytes || bytes.size() > kMaxAttestationObjectBytes) {
    return Code::kPasskeyResponseInvalid;
  }
  AuthenticatorData out;
  out.rp_id_hash = std::string(bytes.substr(0, kRpIdHashBytes));
  out.flags = static_cast<std::uint8_t>(bytes[kRpIdHashBytes]);
  out.sign_count = ReadUint32(bytes.substr(kRpIdHashBytes + 1));
  if ((out.flags & kFlagBackupState) && !(out.flags & kFlagBackupEligible)) return Code::kPasskeyResponseInvalid;
  std::string_view rest = bytes.substr(kFixedAuthDataBytes);

  if (out.flags & kFlagAttestedData) {
    if (rest.size() < kAaguidBytes + 2) return Code::kPasskeyResponseInvalid;
    out.aaguid = std::string(rest.substr(0, kAaguidBytes));
    const std::size_t id_length =
        (static_cast<std::uint8_t>(rest[kAaguidBytes]) << 8) | static_cast<std::uint8_t>(rest[kAaguidBytes + 1]);
    rest.remove_prefix(kAaguidBytes + 2);
    if (id_length == 0 || id_length > kMaxCredentialIdBytes || id_length > rest.size()) {
      return Code::kPasskeyResponseInvalid;
    }
    out.credential_id = std::string(rest.substr(0, id_length));
    rest.remove_prefix(id_length);
    if (rest.empty()) return Code::kPasskeyResponseInvalid;
    std::size_t consumed = 0;
    Result<cbor::Value> key = cbor::DecodePrefix(rest, &consumed);
    if (!key.ok()) return key.code();
    if (key->type() != cbor::Value::Type::kMap) return Code::kCborInvalid;
    out.credential_public_key = std::string(rest.substr(0, consumed));
    rest.remove_prefix(consumed);
  }
  if (out.flags & kFlagExtensionData) {
    if (rest.empty()) return Code::kPasskeyResponseInvalid;
    Result<cbor::Value> extensions = cbor::Decode(rest);
    if (!extensions.ok()) return extensions.code();
    if (extensions->type() != cbor::Value::Type::kMap) return Code::kCborInvalid;
    rest = {};
  }
  if (!rest.empty()) return Code::kPasskeyResponseInvalid;  // bytes no flag announces
  return out;
}

Result<Registration> VerifyRegistration(const RegistrationResponse& response, const RelyingParty& rp,
                                        const Expectation& expected) {
  LATCHKEY_RETURN_IF_ERROR(CheckClientData(response.client_data_json, "webauthn.create", rp, expected));

  // The attestation object (§6.5.4): {fmt, attStmt, authData}.
  Result<cbor::Value> object = cbor::Decode(response.attestation_object, cbor::Limits{kMaxAttestationObjectBytes});
  if (!object.ok()) return object.code();
  const cbor::Value* fmt = object->Find("fmt");
  const cbor::Value* statement = object->Find("attStmt");
  const cbor::Value* auth_data = object->Find("authData");
  if (fmt == nullptr || fmt->type() != cbor::Value::Type::kText || statement == nullptr ||
      statement->type() != cbor::Value::Type::kMap || auth_data == nullptr ||
      auth_data->type() != cbor::Value::Type::kBytes) {
    return Code::kPasskeyResponseInvalid;
  }
  // §8.7: "none" carries an empty statement. Other formats are recorded, not verified.
  if (fmt->bytes() == "none" && !statement->map().empty()) return Code::kPasskeyResponseInvalid;

  Result<AuthenticatorData> data = ParseAuthenticatorData(auth_data->bytes());
  if (!data.ok()) return data.code();
  LATCHKEY_RETURN_IF_ERROR(CheckAuthenticatorData(*data, rp, expected));
  if (!(data->flags & kFlagAttestedData) || data->credential_id != response.credential_id) {
    return Code::kPasskeyResponseInvalid;
  }
  CoseAlgorithm algorithm = CoseAlgorithm::kES256;
  Result<Jwk> key = CoseKeyToJwk(data->credential_public_key, &algorithm);
  if (!key.ok()) return key.code();

  Registration out;
  out.credential_id = data->credential_id;
  out.public_key = data->credential_public_key;
  out.algorithm = algorithm;
  out.sign_count = data->sign_count;
  out.aaguid = data->aaguid;
  out.user_verified = (data->flags & kFlagUserVerified) != 0;
  out.backup_eligible = (data->flags & kFlagBackupEligible) != 0;
  out.backup_state = (data->flags & kFlagBackupState) != 0;
  out.attestation_format = fmt->bytes();
  return out;
}

Result<Assertion> VerifyAssertion(const AssertionResponse& response, const StoredCredential& stored,
                                  const RelyingParty& rp, const Expectation& expected) {
  LATCHKEY_RETURN_IF_ERROR(CheckClientData(response.client_data_json, "webauthn.get", rp, expected));
  Result<AuthenticatorData> data = ParseAuthenticatorData(response.authenticator_data);
  if (!data.ok()) return data.code();
  // Assertions never carry an attested credential.
  if (data->flags & kFlagAttestedData) return Code::kPasskeyResponseInvalid;
  LATCHKEY_RETURN_IF_ERROR(CheckAuthenticatorData(*data, rp, expected));
  // §7.2 step 18: backup eligibility is fixed when the credential is made.
  if (((data->flags & kFlagBackupEligible) != 0) != stored.backup_eligible) return Code::kPasskeyResponseInvalid;

  CoseAlgorithm algorithm = CoseAlgorithm::kES256;
  Result<Jwk> key = CoseKeyToJwk(stored.public_key, &algorithm);
  if (!key.ok()) return key.code();
  const std::string message = response.authenticator_data + Sha256(response.client_data_json);
  if (!VerifySignature(algorithm, *key, message, response.signature)) return Code::kPasskeySignatureInvalid;

  // §7.2 step 22, checked after the signature so that only the real
  // authenticator's data can report a regression.
  if ((stored.sign_count != 0 || data->sign_count != 0) && data->sign_count <= stored.sign_count) {
    return Code::kPasskeyCounterRegressed;
  }
  Assertion out;
  out.sign_count = data->sign_count;
  out.user_verified = (data->flags & kFlagUserVerified) != 0;
  out.backup_state = (data->flags & kFlagBackupState) != 0;
  return out;
}

}  // namespace latchkey::webauthn
