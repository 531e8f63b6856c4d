// Signing keys at rest and their storage interface. The private JWK lives in
// the database file (mode 0600), wrapped under the operator's key-encryption
// key when one is configured (latchkey/key_wrap.h); see docs/operations.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "latchkey/status.h"

namespace latchkey {

struct SigningKeyRecord {
  std::string kid;
  std::string private_jwk;  // JSON, or its wrapped form ("enc:v1:...")
  std::int64_t created_at = 0;
  std::optional<std::int64_t> retired_at;  // no longer signs; public key kept while its tokens live
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Status Insert(const SigningKeyRecord& key) = 0;
  // Oldest first.
  virtual Result<std::vector<SigningKeyRecord>> ListAll() = 0;
  // Retires every key but `keep` that is not retired yet.
  virtual Status RetireAllExcept(const std::string& keep, std::int64_t now) = 0;
  // Forgets keys retired before `cutoff` (their tokens have all expired).
  virtual Status DeleteRetiredBefore(std::int64_t cutoff) = 0;
  // Replaces the stored private key text (to wrap a plain key). kNotFound if absent.
  virtual Status ReplacePrivateJwk(const std::string& kid, const std::string& private_jwk) = 0;
};

}  // namespace latchkey
