// A TOTP factor as a credential (type "totp", identifier = its id): the
// shared key, wrapped under the key-encryption key when one is set (with
// the factor's id as associated data, so a key cannot be moved onto another
// row), whether a first code proved the enrolment, and the last step used
// (a code is never accepted twice). The credential's secret is this, as JSON.
#pragma once

#include <cstdint>
#include <string>

#include "identity/credential_store.h"
#include "latchkey/crypto.h"
#include "latchkey/json.h"
#include "latchkey/otp.h"
#include "latchkey/status.h"

namespace latchkey {

inline constexpr std::size_t kTotpKeyBytes = 20;  // RFC 4226's recommended 160 bits
inline constexpr int kTotpWindow = 1;             // steps of clock skew accepted either side

struct TotpFactor {
  std::string id;  // the credential's id and identifier
  std::string user_id;
  std::string friendly_name;
  SecretBytes key;
  bool verified = false;
  std::int64_t last_step = -1;  // none used yet
  TotpParams params;            // SHA-1, 6 digits, 30 s: what every authenticator app reads
  std::int64_t created_at = 0;
};

// The credential's secret for `factor` (the key wrapped when `kek` is set).
std::string EncodeTotpSecret(const TotpFactor& factor, const SecretBytes& kek, RandomSource& random);

// Reads a stored factor. kKeyDecryptFailed when its key is wrapped and the
// KEK is missing or another; kInternal for a malformed row.
Result<TotpFactor> DecodeTotpFactor(const Credential& credential, const SecretBytes& kek);

// {id, type, friendly_name, status, created_at}, as the API lists factors.
Json TotpFactorJson(const TotpFactor& factor);

}  // namespace latchkey
