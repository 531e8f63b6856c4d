// The relying party's checks for passkeys (WebAuthn Level 3, §7.1
// registration and §7.2 authentication), as pure functions: the server calls
// them with the challenge it issued and the credential it stored, and the
// wasm pk module exposes the same decisions to the browser and Node.
//
// Inputs are the browser's PublicKeyCredential.toJSON() (binary members in
// base64url). Keys are COSE (RFC 9053): ES256 (-7, P-256, DER signatures),
// EdDSA (-8, Ed25519) and RS256 (-257, RSASSA-PKCS1-v1_5 with SHA-256,
// at least 2048 bits); each becomes a Jwk bound to that algorithm, so the
// JWT verifier's key checks (points on the curve, RSA sizes) apply here too.
// Attestation: "none" is what the server asks for; any other format is
// accepted without verifying its statement (its name is returned, so a
// deployment can see it), never trusted for anything.
// Time-free; thread-safe: no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/json.h"
#include "latchkey/jwk.h"
#include "latchkey/status.h"

namespace latchkey::webauthn {

enum class CoseAlgorithm : std::int64_t { kES256 = -7, kEdDSA = -8, kRS256 = -257 };
// The algorithms offered in creation options, most preferred first.
inline constexpr CoseAlgorithm kSupportedAlgorithms[] = {CoseAlgorithm::kES256, CoseAlgorithm::kEdDSA,
                                                         CoseAlgorithm::kRS256};

// Authenticator data flags (§6.1).
inline constexpr std::uint8_t kFlagUserPresent = 0x01;
inline constexpr std::uint8_t kFlagUserVerified = 0x04;
inline constexpr std::uint8_t kFlagBackupEligible = 0x08;
inline constexpr std::uint8_t kFlagBackupState = 0x10;
inline constexpr std::uint8_t kFlagAttestedData = 0x40;
inline constexpr std::uint8_t kFlagExtensionData = 0x80;

// Bounds on what a client may send (base64url-decoded sizes).
inline constexpr std::size_t kMaxCredentialIdBytes = 1023;  // §5.8.3 credential IDs are at most 1023 bytes
inline constexpr std::size_t kMaxClientDataBytes = 8 * 1024;
inline constexpr std::size_t kMaxAttestationObjectBytes = 32 * 1024;
inline constexpr std::size_t kChallengeBytes = 32;

// A registration response: toJSON() of navigator.credentials.create().
struct RegistrationResponse {
  std::string credential_id;  // raw bytes of rawId (must equal id)
  std::string client_data_json;
  std::string attestation_object;
  std::vector<std::string> transports;  // as reported; kept for allowCredentials hints
};
// An authentication response: toJSON() of navigator.credentials.get().
struct AssertionResponse {
  std::string credential_id;
  std::string client_data_json;
  std::string authenticator_data;
  std::string signature;
  std::string user_handle;  // empty when absent
};

// kPasskeyResponseInvalid for a wrong shape: type not "public-key", a
// missing or non-base64url member, id and rawId that differ, sizes over
// the bounds above (and a user handle over 64 bytes, a signature over 1024,
// more than 16 transports or one over 64 characters). userHandle may be
// absent or null; members toJSON() adds that are not read here are ignored.
Result<RegistrationResponse> ParseRegistrationResponse(const Json& credential);
Result<AssertionResponse> ParseAssertionResponse(const Json& credential);

struct ClientData {
  std::string type;       // "webauthn.create" or "webauthn.get"
  std::string challenge;  // decoded bytes
  std::string origin;
  bool cross_origin = false;
};
// §5.8.1; kPasskeyResponseInvalid when it is not JSON or lacks a member.
Result<ClientData> ParseClientData(std::string_view client_data_json);

struct AuthenticatorData {
  std::string rp_id_hash;  // 32 bytes
  std::uint8_t flags = 0;
  std::uint32_t sign_count = 0;
  // With kFlagAttestedData:
  std::string aaguid;  // 16 bytes
  std::string credential_id;
  std::string credential_public_key;  // the COSE key's exact bytes
};
// §6.1; kPasskeyResponseInvalid for a short buffer, a flag that promises
// data that is not there (or data no flag announces), BS without BE, or
// trailing bytes; kCborInvalid for a malformed key or extensions.
Result<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes);

// A COSE public key as the verifier's Jwk. kPasskeyAlgorithmUnsupported for
// an algorithm or curve not listed above; kCborInvalid or kJwkInvalid /
// kKeyTooShort for a malformed or weak key.
Result<Jwk> CoseKeyToJwk(std::string_view cose_key, CoseAlgorithm* algorithm);

// The relying party: its ID (a registrable domain, e.g. "example.com") and
// the exact origins it accepts ("https://example.com", "https://app.example.com").
struct RelyingParty {
  std::string id;
  std::vector<std::string> origins;
};

struct Expectation {
  std::string challenge;  // the bytes the server issued
  bool require_user_verification = false;
};

struct Registration {
  std::string credential_id;
  std::string public_key;  // COSE
  CoseAlgorithm algorithm = CoseAlgorithm::kES256;
  std::uint32_t sign_count = 0;
  std::string aaguid;
  bool user_verified = false;
  bool backup_eligible = false;
  bool backup_state = false;
  std::string attestation_format;  // "none", "packed", ...
};

// §7.1 steps 5-26 minus the attestation trust path: type "webauthn.create",
// challenge (constant time), origin in the list, not cross-origin, rpIdHash,
// UP set, UV when required, the attested credential present and equal to the
// response's id, algorithm allowed, key valid. Error codes:
// kPasskeyChallengeInvalid, kPasskeyOriginInvalid, kPasskeyRpIdMismatch,
// kPasskeyUserPresenceRequired, kPasskeyUserVerificationRequired,
// kPasskeyAlgorithmUnsupported, kPasskeyResponseInvalid, kCborInvalid.
Result<Registration> VerifyRegistration(const RegistrationResponse& response, const RelyingParty& rp,
                                        const Expectation& expected);

// What the server stored at registration.
struct StoredCredential {
  std::string public_key;  // COSE
  std::uint32_t sign_count = 0;
  bool backup_eligible = false;
};

struct Assertion {
  std::uint32_t sign_count = 0;  // store it
  bool user_verified = false;
  bool backup_state = false;
};

// §7.2 steps 11-24: type "webauthn.get", challenge, origin, rpIdHash, UP,
// UV when required, BE unchanged from registration, no attested credential
// data (AT set is kPasskeyResponseInvalid), the signature over
// authenticatorData || SHA-256(clientDataJSON), and the counter: when either
// the stored or the new count is non-zero the new one must be greater, else
// kPasskeyCounterRegressed (a possibly cloned authenticator; the caller
// audits it). Synced passkeys report 0 every time and pass. The caller
// checks that the credential belongs to the user. Error codes as above plus
// kPasskeySignatureInvalid and kPasskeyCounterRegressed.
Result<Assertion> VerifyAssertion(const AssertionResponse& response, const StoredCredential& stored,
                                  const RelyingParty& rp, const Expectation& expected);

}  // namespace latchkey::webauthn
