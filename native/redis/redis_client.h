// One Redis server for the whole process (hiredis, blocking API).
//
// - A small pool: connections are opened on demand, at most `connections`,
//   and reused; a caller that finds none free within the timeout does
//   without Redis for that call.
// - Timeouts on connect and on every command, so a slow or hung Redis costs
//   a request at most `timeout`, never a stalled server.
// - A health state. A failed command or connect marks Redis down: one log
//   line and latchkey_redis_state_changes_total{state="down"}; from then on
//   callers get nullopt at once, without touching the network, while one
//   background thread reconnects with backoff (0.1 s doubling to 2 s). When
//   it answers again: one log line, {state="up"}, and callers use it again.
//
// Thread-safe.
#pragma once

#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "log/logger.h"
#include "metrics/metrics.h"
#include "redis/redis_url.h"

namespace latchkey {

class RedisClient {
 public:
  // Connects once before returning (so a server that starts answers shared
  // limits from its first request); when that fails, starts down.
  RedisClient(RedisAddress address, std::chrono::milliseconds timeout, int connections, Logger& logger,
              Metrics& metrics);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // A Lua script run with EVALSHA, so each call sends its hash, not its text
  // (the hash comes from SCRIPT LOAD, once per process). A server that does
  // not know it (restarted, SCRIPT FLUSH) answers NOSCRIPT, and the call is
  // repeated once with EVAL, which caches it again. Must outlive the client.
  struct Script {
    std::string text;
  };
  // The script's integer result; nullopt when Redis cannot answer now (down,
  // timeout, no free connection, an error reply).
  std::optional<long long> EvalInteger(const Script& script, const std::vector<std::string>& keys,
                                       const std::vector<std::string>& args);

  bool up() const { return up_.load(); }
  const std::string& description() const { return description_; }

 private:
  redisContext* Connect(std::string& error);
  redisContext* Acquire();
  void Release(redisContext* context, bool healthy);
  void MarkDown(const std::string& error);
  void Reconnect();

  const RedisAddress address_;
  const std::string description_;
  const std::chrono::milliseconds timeout_;
  const int capacity_;
  Logger& logger_;
  Metrics& metrics_;

  std::mutex mutex_;
  std::condition_variable freed_;   // a connection went back to the pool
  std::condition_variable health_;  // went down, or stopping
  std::vector<redisContext*> idle_;
  int open_ = 0;                                         // idle and in use
  std::unordered_map<const Script*, std::string> sha1_;  // from SCRIPT LOAD
  std::atomic<bool> up_{false};
  bool stopping_ = false;
  std::atomic<std::int64_t> last_error_log_{0};  // steady clock ticks
  std::thread reconnector_;
};

}  // namespace latchkey
