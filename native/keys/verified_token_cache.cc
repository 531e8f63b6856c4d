#include "keys/verified_token_cache.h"

#include <cmath>

#include "latchkey/crypto.h"

namespace latchkey {

Result<Json> VerifiedTokenCache::Verify(const std::shared_ptr<const Verifier>& verifier, std::string_view token,
                                        std::int64_t now) {
  // The key is a hash, so the cache never holds a usable token.
  const std::string key = Sha256(token);
  Shard& shard = shards_[static_cast<unsigned char>(key[0]) % kShards];
  {
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(key);
    if (it != shard.entries.end()) {
      if (it->second.verifier.lock() == verifier && now < it->second.expires) return it->second.claims;
      shard.entries.erase(it);
    }
  }
  Result<VerifiedJwt> verified = verifier->Verify(token, now);
  if (!verified.ok()) return verified.code();
  const Json& exp = verified->claims["exp"];
  const std::int64_t expires =
      static_cast<std::int64_t>(std::ceil(exp.get<double>())) + verifier->options().leeway_seconds;
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= per_shard_) shard.entries.clear();  // crude but bounded; refills at once
  shard.entries[key] = Entry{verifier, expires, verified->claims};
  return std::move(verified->claims);
}

std::size_t VerifiedTokenCache::size() {
  std::size_t total = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace latchkey
