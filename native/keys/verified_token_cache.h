// Remembers access tokens that verified, so that a client presenting the same
// token on every request costs one hash lookup instead of an Ed25519
// verification. An entry is used only with the very verifier (key set and
// policy) that checked it, and only until the token's exp; everything else a
// request needs (session, user) is still read live. Thread-safe.
//
// Bounded by entries and by bytes (an estimate of the heap each entry holds:
// the claims are a parsed JSON tree, several small allocations): when either
// bound is passed, the oldest entries go first.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "latchkey/jwt.h"

namespace latchkey {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t max_entries = 8192, std::size_t max_bytes = 4 << 20)
      : max_entries_(max_entries / kShards + 1), max_bytes_(max_bytes / kShards + 1) {}

  // Verifies through the cache. `verifier` must stay alive while cached
  // results refer to it (callers hold the key snapshot that owns it).
  Result<Json> Verify(const std::shared_ptr<const Verifier>& verifier, std::string_view token, std::int64_t now);

  // Entries held now, and their estimated bytes (for tests and metrics).
  std::size_t size();
  std::size_t bytes();

  // The heap an entry holding `claims` is counted for: the claims' JSON tree,
  // the key and the entry's own map and queue slots.
  static std::size_t EntryBytes(const Json& claims);

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    std::weak_ptr<const Verifier> verifier;
    std::int64_t expires = 0;  // exp + leeway: unusable from then on
    Json claims;
    std::size_t bytes = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::deque<std::string> order;  // the keys of `entries`, oldest first
    std::size_t bytes = 0;
  };
  void Insert(Shard& shard, const std::string& key, Entry entry);

  std::size_t max_entries_;  // per shard
  std::size_t max_bytes_;    // per shard
  std::array<Shard, kShards> shards_;
};

}  // namespace latchkey
