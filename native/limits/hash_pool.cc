#include "limits/hash_pool.h"

#include <future>

namespace latchkey {

HashPool::HashPool(int threads, int queue_capacity) : capacity_(static_cast<std::size_t>(queue_capacity)) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Worker(); });
}

HashPool::~HashPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

Status HashPool::Run(const std::function<void()>& work) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= capacity_) {
      ++rejected_;
      return Code::kServerBusy;
    }
    queue_.emplace_back([&work, &done] {
      work();
      done.set_value();
    });
  }
  wake_.notify_one();
  finished.wait();
  return Status::Ok();
}

HashPool::Stats HashPool::stats() {
  std::lock_guard lock(mutex_);
  return Stats{static_cast<std::int64_t>(queue_.size()), running_, completed_, rejected_};
}

void HashPool::Worker() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    task();
    std::lock_guard lock(mutex_);
    --running_;
    ++completed_;
  }
}

}  // namespace latchkey
