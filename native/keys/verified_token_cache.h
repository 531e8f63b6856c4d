// Remembers access tokens that verified, so that a client presenting the same
// token on every request costs one hash lookup instead of an Ed25519
// verification. An entry is used only with the very verifier (key set and
// policy) that checked it, and only until the token's exp; everything else a
// request needs (session, user) is still read live. Bounded; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "latchkey/jwt.h"

namespace latchkey {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity = 8192) : per_shard_(capacity / kShards + 1) {}

  // Verifies through the cache. `verifier` must stay alive while cached
  // results refer to it (callers hold the key snapshot that owns it).
  Result<Json> Verify(const std::shared_ptr<const Verifier>& verifier, std::string_view token, std::int64_t now);

  // Entries held now (for tests and metrics).
  std::size_t size();

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    std::weak_ptr<const Verifier> verifier;
    std::int64_t expires = 0;  // exp + leeway: unusable from then on
    Json claims;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
  };
  std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace latchkey
