#include "keys/verified_token_cache.h"

#include <cmath>

#include "latchkey/crypto.h"

namespace latchkey {
namespace {

// What glibc's malloc hands out for a request of n bytes (16-byte steps, at
// least 32, 8 bytes of header).
std::size_t Chunk(std::size_t n) { return n + 8 <= 32 ? 32 : (n + 8 + 15) / 16 * 16; }

// A std::string's heap beyond its own object: none while short (SSO).
std::size_t StringHeap(std::size_t length) { return length < 16 ? 0 : Chunk(length + 1); }

std::size_t JsonHeap(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      std::size_t total = Chunk(sizeof(Json::object_t));
      for (const auto& [name, member] : value.items()) {
        // A std::map node: the tree links, the key and the value.
        total += Chunk(32 + sizeof(std::string) + sizeof(Json)) + StringHeap(name.size()) + JsonHeap(member);
      }
      return total;
    }
    case Json::value_t::array: {
      std::size_t total = Chunk(sizeof(Json::array_t)) + Chunk(value.size() * sizeof(Json));
      for (const Json& element : value) total += JsonHeap(element);
      return total;
    }
    case Json::value_t::string:
      return Chunk(sizeof(std::string)) + StringHeap(value.get_ref<const std::string&>().size());
    default:
      return 0;  // numbers, booleans and null live inside the Json object
  }
}

}  // namespace

std::size_t VerifiedTokenCache::EntryBytes(const Json& claims) {
  constexpr std::size_t kKey = 32;  // a SHA-256
  // The hash-map node (link, cached hash, key, entry), the key's heap, and
  // the key's copy in the queue.
  return Chunk(2 * sizeof(void*) + sizeof(std::string) + sizeof(Entry)) + StringHeap(kKey) + sizeof(std::string) +
         StringHeap(kKey) + JsonHeap(claims);
}

Result<Json> VerifiedTokenCache::Verify(const std::shared_ptr<const Verifier>& verifier, std::string_view token,
                                        std::int64_t now) {
  // The key is a hash, so the cache never holds a usable token.
  const std::string key = Sha256(token);
  Shard& shard = shards_[static_cast<unsigned char>(key[0]) % kShards];
  {
    std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(key);
    // An entry for another verifier or past its time stays until it is
    // replaced or its turn to go comes: the queue holds each key once.
    if (it != shard.entries.end() && it->second.verifier.lock() == verifier && now < it->second.expires) {
      return it->second.claims;
    }
  }
  Result<VerifiedJwt> verified = verifier->Verify(token, now);
  if (!verified.ok()) return verified.code();
  const Json& exp = verified->claims["exp"];
  const std::int64_t expires =
      static_cast<std::int64_t>(std::ceil(exp.get<double>())) + verifier->options().leeway_seconds;
  Entry entry{verifier, expires, verified->claims, EntryBytes(verified->claims)};
  std::lock_guard lock(shard.mutex);
  Insert(shard, key, std::move(entry));
  return std::move(verified->claims);
}

void VerifiedTokenCache::Insert(Shard& shard, const std::string& key, Entry entry) {
  const std::size_t bytes = entry.bytes;
  if (bytes > max_bytes_) return;  // would push out everything and still not fit
  auto [it, inserted] = shard.entries.try_emplace(key);
  if (inserted) {
    shard.order.push_back(key);
  } else {
    shard.bytes -= it->second.bytes;
  }
  it->second = std::move(entry);
  shard.bytes += bytes;
  while (shard.entries.size() > max_entries_ || shard.bytes > max_bytes_) {
    const auto oldest = shard.entries.find(shard.order.front());
    shard.bytes -= oldest->second.bytes;
    shard.entries.erase(oldest);
    shard.order.pop_front();
  }
}

std::size_t VerifiedTokenCache::size() {
  std::size_t total = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

std::size_t VerifiedTokenCache::bytes() {
  std::size_t total = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.bytes;
  }
  return total;
}

}  // namespace latchkey
