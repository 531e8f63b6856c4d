// Credentials: the ways a user proves who they are, one row each, keyed by
// type (the Kratos model). A user may have none of a type: an account made
// by social login has no password. Sign-in methods (strategies/) own the
// meaning of `secret`; this store only keeps it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/status.h"

namespace latchkey {

namespace credential_type {
inline constexpr std::string_view kPassword = "password";             // secret: the PHC hash string
inline constexpr std::string_view kOidc = "oidc";                     // next: social login
inline constexpr std::string_view kTotp = "totp";                     // next: a second factor
inline constexpr std::string_view kWebauthn = "webauthn";             // next: passkeys
inline constexpr std::string_view kRecoveryCodes = "recovery_codes";  // one per user: hashed single-use codes
}  // namespace credential_type

struct Credential {
  std::string id;  // UUID v4
  std::string user_id;
  std::string type;        // credential_type::k*
  std::string identifier;  // unique per type: the user id for a password, "provider:subject" for oidc, ...
  std::string secret;      // never logged, never sent to a client
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  // Inserts, or replaces the secret of the credential with the same type
  // and identifier (a new password replaces the old one).
  virtual Status Put(const Credential& credential) = 0;
  // The user's credential of `type` (the first, for types a user may have
  // several of); kNotFound when there is none.
  virtual Result<Credential> FindForUser(std::string_view user_id, std::string_view type) = 0;
  // kNotFound when absent.
  virtual Result<Credential> FindByIdentifier(std::string_view type, std::string_view identifier) = 0;
  // Oldest first.
  virtual Result<std::vector<Credential>> ListForUser(std::string_view user_id) = 0;
  // Replaces the secret of credential `id` only if it is still `expected`
  // (compare and swap): true when it was replaced, false when another
  // request changed or deleted it first. How single-use secrets (a TOTP
  // step, a recovery code) stay single use across threads and instances.
  virtual Result<bool> ReplaceSecret(std::string_view id, std::string_view expected, std::string_view next,
                                     std::int64_t now) = 0;
  // kNotFound when absent.
  virtual Status Delete(std::string_view id) = 0;
};

}  // namespace latchkey
