// A bounded pool for Argon2id work. Each hash takes tens of milliseconds and
// ~19 MiB, so at most `threads` run at once and at most `queue_capacity` wait;
// beyond that callers get kServerBusy at once (the server answers 503 with
// Retry-After) instead of piling up memory. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "latchkey/status.h"

namespace latchkey {

class HashPool {
 public:
  HashPool(int threads, int queue_capacity);
  ~HashPool();
  HashPool(const HashPool&) = delete;
  HashPool& operator=(const HashPool&) = delete;

  // Runs `work` on a pool thread and waits for it; kServerBusy when full.
  Status Run(const std::function<void()>& work);

  struct Stats {
    std::int64_t queued;     // waiting now
    std::int64_t running;    // hashing now
    std::int64_t completed;  // since start
    std::int64_t rejected;   // since start
  };
  Stats stats();

 private:
  void Worker();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t capacity_;
  bool stopping_ = false;
  std::int64_t running_ = 0, completed_ = 0, rejected_ = 0;
};

}  // namespace latchkey
