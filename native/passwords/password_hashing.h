// Password hashing for the server: new hashes with the current scheme
// (Argon2id), checks against any known scheme, all in the bounded hash pool
// (kServerBusy with ctx.retry_after when it is full), and a dummy hash that
// unknown accounts are checked against so that timing does not reveal which
// accounts exist. Thread-safe after Init().
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "context/request_context.h"
#include "latchkey/crypto.h"
#include "limits/hash_pool.h"
#include "passwords/password_hasher.h"

namespace latchkey {

class PasswordHashing {
 public:
  PasswordHashing(HashPool& pool, const Argon2Params& params);
  // Makes the dummy hash (one Argon2id run).
  Status Init(RandomSource& random);

  // A new hash of `normalized` (the NFKC form) with the current scheme.
  Result<std::string> Hash(std::string_view normalized, RequestContext& ctx);
  // Ok when the password matches `stored`; kPasswordMismatch (or
  // kPasswordHashInvalid) when not; kServerBusy when the pool is full.
  Status Verify(std::string_view stored, std::string_view typed, std::string_view normalized, RequestContext& ctx);
  // Runs a check that always fails, as long as a real one: for unknown accounts.
  Status VerifyDummy(std::string_view normalized, RequestContext& ctx);
  // Whether `stored` should be replaced (another scheme, or older parameters);
  // `scheme` is set to the stored hash's scheme.
  bool NeedsUpgrade(std::string_view stored, std::string_view* scheme = nullptr) const;

 private:
  const PasswordHasher* Find(std::string_view stored) const;

  HashPool& pool_;
  Argon2Params params_;
  std::vector<std::unique_ptr<PasswordHasher>> hashers_;  // the first makes new hashes
  std::string dummy_hash_;
};

}  // namespace latchkey
