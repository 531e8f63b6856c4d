#include "mail/mail_queue.h"

#include "metrics/metric_names.h"

#include <chrono>

namespace latchkey {

MailQueue::MailQueue(const std::function<std::unique_ptr<Mailer>(MailQueue&)>& make_mailer, std::size_t capacity,
                     Logger& logger, Metrics& metrics)
    : capacity_(capacity), logger_(logger), metrics_(metrics) {
  mailer_ = make_mailer(*this);
  worker_ = std::thread([this] { Run(); });
}

MailQueue::~MailQueue() {
  std::size_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    dropped = waiting_.size();
  }
  changed_.notify_all();
  worker_.join();
  if (dropped > 0) logger_.Warn("mail not sent at shutdown", Json{{"count", dropped}});
}

bool MailQueue::Enqueue(MailMessage message) {
  std::string kind = message.kind;
  return EnqueueJob(std::move(kind), [message = std::move(message)]() mutable -> std::optional<MailMessage> {
    return std::move(message);
  });
}

bool MailQueue::EnqueueJob(std::string kind, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && waiting_.size() < capacity_) {
      waiting_.push_back(std::move(job));
      changed_.notify_all();
      return true;
    }
  }
  metrics_.Increment(metric::kMail, {{"kind", kind}, {"result", "dropped"}});
  logger_.Error("mail dropped: queue full", Json{{"kind", kind}});
  return false;
}

bool MailQueue::SleepUnlessStopping(std::int64_t ms) {
  std::unique_lock lock(mutex_);
  return !changed_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void MailQueue::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = std::move(waiting_.front());
      waiting_.pop_front();
    }
    std::optional<MailMessage> produced = job();
    if (!produced) continue;
    const MailMessage& message = *produced;
    std::string failure;
    const Status sent = mailer_->Send(message, failure);
    if (sent.ok()) {
      metrics_.Increment(metric::kMail, {{"kind", message.kind}, {"result", "sent"}});
    } else {
      metrics_.Increment(metric::kMail, {{"kind", message.kind}, {"result", "failed"}});
      // Never the address, the link or the token: only what kind and why.
      logger_.Error("mail delivery failed", Json{{"kind", message.kind}, {"reason", failure}});
    }
  }
}

}  // namespace latchkey
