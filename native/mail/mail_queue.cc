#include "mail/mail_queue.h"

#include <algorithm>
#include <chrono>

#include "latchkey/key_wrap.h"
#include "metrics/metric_names.h"

namespace latchkey {
namespace {

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr std::int64_t kMaxRetrySeconds = 3600;

// What a wrapped body is bound to: it cannot be moved onto another mail row.
std::string AssociatedData(const MailMessage& message, std::string_view part) {
  return "mail:" + message.kind + ":" + std::string(part) + ":" + message.to;
}

}  // namespace

MailQueue::MailQueue(const std::function<std::unique_ptr<Mailer>(MailQueue&)>& make_mailer, MailStore& store,
                     MailQueueOptions options, Logger& logger, Metrics& metrics, SecretBytes kek)
    : store_(store), options_(options), kek_(std::move(kek)), logger_(logger), metrics_(metrics) {
  mailer_ = make_mailer(*this);
  worker_ = std::thread([this] { Run(); });
}

MailQueue::~MailQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
  // The worker is gone: what it had not run yet is stored now.
  for (const Job& job : waiting_) Store(job);
  waiting_.clear();
  if (Result<std::int64_t> left = store_.Count(); left.ok() && *left > 0) {
    logger_.Info("mail waiting at shutdown: sent by the next start or another instance", Json{{"count", *left}});
  }
}

MailMessage MailQueue::Seal(MailMessage message) const {
  if (kek_.empty()) return message;
  message.text = WrapKey(kek_, AssociatedData(message, "text"), message.text, SystemRandom());
  message.html = WrapKey(kek_, AssociatedData(message, "html"), message.html, SystemRandom());
  return message;
}

bool MailQueue::Open(MailMessage& message) const {
  for (auto [part, body] : {std::pair{"text", &message.text}, std::pair{"html", &message.html}}) {
    if (!IsWrappedKey(*body)) continue;  // stored without a KEK
    if (kek_.empty()) return false;
    Result<SecretBytes> plain = UnwrapKey(kek_, AssociatedData(message, part), *body);
    if (!plain.ok()) return false;
    *body = std::string(plain->view());
  }
  return true;
}

bool MailQueue::Enqueue(MailMessage message) {
  if (store_.Add(Seal(message), Now()).ok()) {
    {
      std::lock_guard lock(mutex_);
      stored_ = true;
    }
    changed_.notify_all();
    return true;
  }
  // The database cannot take it: the worker tries again (and sends it if it still cannot).
  std::string kind = message.kind;
  return EnqueueJob(std::move(kind),
                    [message = std::move(message)]() -> std::optional<MailMessage> { return message; });
}

bool MailQueue::EnqueueJob(std::string kind, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && waiting_.size() < options_.capacity) {
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

void MailQueue::Deliver(const MailMessage& message, std::string& failure, bool& sent) {
  sent = mailer_->Send(message, failure).ok();
  if (sent) {
    metrics_.Increment(metric::kMail, {{"kind", message.kind}, {"result", "sent"}});
  } else {
    metrics_.Increment(metric::kMail, {{"kind", message.kind}, {"result", "failed"}});
    // Never the address, the link or the token: only what kind and why.
    logger_.Error("mail delivery failed", Json{{"kind", message.kind}, {"reason", failure}});
  }
}

void MailQueue::Store(const Job& job) {
  std::optional<MailMessage> produced = job();
  if (!produced) return;
  if (store_.Add(Seal(*produced), Now()).ok()) return;
  logger_.Warn("mail not stored (database unavailable): sending it at once", Json{{"kind", produced->kind}});
  std::string failure;
  bool sent = false;
  Deliver(*produced, failure, sent);
}

void MailQueue::SendDue() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const std::int64_t now = Now();
    Result<std::vector<QueuedMail>> due = store_.Claim(now, now + options_.lease_seconds, 1);
    if (!due.ok() || due->empty()) return;  // nothing due, or the database is away: next round
    QueuedMail& mail = due->front();
    if (!Open(mail.message)) {
      (void)store_.Remove(mail.id);
      metrics_.Increment(metric::kMail, {{"kind", mail.message.kind}, {"result", "dropped"}});
      logger_.Error("mail dropped: it cannot be unwrapped (stored under another key-encryption key)",
                    Json{{"kind", mail.message.kind}});
      continue;
    }
    std::string failure;
    bool sent = false;
    Deliver(mail.message, failure, sent);
    if (sent) {
      (void)store_.Remove(mail.id);
      continue;
    }
    if (mail.attempts + 1 >= options_.max_attempts) {
      (void)store_.Remove(mail.id);
      metrics_.Increment(metric::kMail, {{"kind", mail.message.kind}, {"result", "dropped"}});
      logger_.Error("mail dropped: every attempt failed",
                    Json{{"kind", mail.message.kind}, {"attempts", mail.attempts + 1}});
      continue;
    }
    const int doublings = std::min(mail.attempts, 20);
    const std::int64_t delay = std::min(kMaxRetrySeconds, options_.retry_seconds << doublings);
    (void)store_.Retry(mail.id, Now() + delay);
  }
}

void MailQueue::Run() {
  for (;;) {
    std::deque<Job> jobs;
    {
      std::unique_lock lock(mutex_);
      // Every second at least: retries fall due, and other instances store mails.
      changed_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_ || stored_ || !waiting_.empty(); });
      if (stopping_) return;  // waiting jobs are stored by the destructor
      stored_ = false;
      jobs.swap(waiting_);
    }
    for (const Job& job : jobs) Store(job);
    SendDue();
  }
}

}  // namespace latchkey
