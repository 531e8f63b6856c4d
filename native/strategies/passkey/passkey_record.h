// A registered passkey as the credential store keeps it: a credential of
// type "webauthn" whose identifier is the base64url credential ID (unique
// across users) and whose secret is this record as JSON. The COSE public
// key is not secret, but the secret column is where each sign-in method
// keeps its own state, and it never reaches a client as such.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "identity/credential_store.h"
#include "latchkey/json.h"
#include "latchkey/status.h"
#include "latchkey/webauthn.h"

namespace latchkey {

struct PasskeyRecord {
  std::string public_key;  // COSE, raw bytes
  std::int64_t algorithm = 0;
  std::uint32_t sign_count = 0;
  bool backup_eligible = false;
  bool backup_state = false;
  bool user_verified = false;  // at registration
  std::string aaguid;          // hex, 32 digits
  std::string attestation_format;
  std::vector<std::string> transports;
  std::string name;
  std::int64_t last_used_at = 0;

  std::string ToSecret() const;
  static Result<PasskeyRecord> FromSecret(const std::string& secret);
};

// What a client sees of a passkey (GET /auth/passkeys, the admin's list).
Json PasskeyJson(const Credential& credential, const PasskeyRecord& record);

}  // namespace latchkey
