// Signing keys at rest and their storage interface. The private JWK lives in
// the database file (mode 0600), wrapped under the operator's key-encryption
// key when one is configured (latchkey/key_wrap.h); see docs/operations.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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
  // Makes `key` the current key and retires every other, in one transaction
  // serialized with every other key change on the database (PostgreSQL: an
  // advisory lock; SQLite: the write lock), and tells other processes
  // watching it (KeyChangeWatch) once it commits. With `only_if_none`, does
  // nothing when a current key exists: instances starting together on an
  // empty database create one key, not one each. True when `key` was stored.
  virtual Result<bool> InstallCurrent(const SigningKeyRecord& key, bool only_if_none) = 0;
  // Oldest first.
  virtual Result<std::vector<SigningKeyRecord>> ListAll() = 0;
  // Retires every key but `keep` that is not retired yet.
  virtual Status RetireAllExcept(const std::string& keep, std::int64_t now) = 0;
  // Forgets keys retired before `cutoff` (their tokens have all expired).
  virtual Status DeleteRetiredBefore(std::int64_t cutoff) = 0;
  // Replaces the stored private key text (to wrap a plain key). kNotFound if absent.
  virtual Status ReplacePrivateJwk(const std::string& kid, const std::string& private_jwk) = 0;
};

// A running watch for key changes committed by any process; destroying it
// stops the watch (see StoreSet::WatchKeyChanges).
class KeyChangeWatch {
 public:
  virtual ~KeyChangeWatch() = default;
};

}  // namespace latchkey
