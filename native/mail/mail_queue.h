// A bounded queue of mail jobs and the one worker thread that runs them, so a
// request never waits for (or learns anything from) delivery. A job may also
// do the work that decides whether there is a mail at all (look up the
// account, store a token): forgot-password then costs the requester the same
// whether or not the address has an account. Failures are logged (kind and
// reason only) and counted in /metrics. When the queue is full a new job is
// dropped and counted. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "log/logger.h"
#include "mail/mailer.h"
#include "metrics/metrics.h"

namespace latchkey {

class MailQueue {
 public:
  // `make_mailer` gets the queue, so a mailer can wait between retries with
  // SleepUnlessStopping (and give up at shutdown).
  MailQueue(const std::function<std::unique_ptr<Mailer>(MailQueue&)>& make_mailer, std::size_t capacity, Logger& logger,
            Metrics& metrics);
  // Stops the worker: the mail being sent finishes its current attempt; mails
  // still waiting are dropped (and logged as a count).
  ~MailQueue();

  // Produces the mail to send, or nothing. Runs on the worker thread.
  using Job = std::function<std::optional<MailMessage>()>;

  // false when the queue is full (the mail is dropped).
  bool Enqueue(MailMessage message);
  // `kind` names the job in metrics when it has to be dropped.
  bool EnqueueJob(std::string kind, Job job);
  // For retry back-off: waits up to `ms`, returning false early when stopping.
  bool SleepUnlessStopping(std::int64_t ms);

 private:
  void Run();

  std::unique_ptr<Mailer> mailer_;
  const std::size_t capacity_;
  Logger& logger_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> waiting_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace latchkey
