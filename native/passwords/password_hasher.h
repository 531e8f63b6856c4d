// One interface for every password hash scheme the server can check: the
// current one (Argon2id, which also makes new hashes) and those kept only to
// verify hashes imported from other applications (bcrypt), which are
// replaced by the current scheme at the next successful sign-in.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "latchkey/password.h"
#include "latchkey/status.h"

namespace latchkey {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // "argon2id", "bcrypt": for audit details.
  virtual std::string_view scheme() const = 0;
  // Whether `stored` is a hash of this scheme.
  virtual bool Recognizes(std::string_view stored) const = 0;
  // Ok when the password matches; compared in constant time. `typed` is the
  // password as the user typed it, `normalized` its NFKC form: a scheme
  // uses the one its hashes were made from. Slow on purpose.
  virtual Status Verify(std::string_view stored, std::string_view typed, std::string_view normalized) const = 0;
  // Whether `stored` should be replaced by a fresh hash of the current scheme.
  virtual bool NeedsUpgrade(std::string_view stored) const = 0;
};

// Argon2id (libsodium) with the server's parameters: checks the NFKC form.
std::unique_ptr<PasswordHasher> NewArgon2idHasher(const Argon2Params& params);
// bcrypt ($2a$/$2b$/$2y$), verify only: checks the bytes as typed, as the
// application that made the hash did. Always needs an upgrade.
std::unique_ptr<PasswordHasher> NewBcryptHasher();

}  // namespace latchkey
