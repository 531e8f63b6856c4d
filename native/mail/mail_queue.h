// The mail queue: mails wait in the database (mail_store.h), so none is lost
// when an instance stops or crashes, and whichever instance's worker claims
// one sends it. One worker thread per instance; a request never waits for
// (or learns anything from) delivery.
//
// - Enqueue stores the mail at once (durable when it returns) and wakes the
//   worker.
// - EnqueueJob queues, in memory, work that decides whether there is a mail
//   at all (look up the account, store a token), so forgot-password costs the
//   requester the same whether or not the address has an account. The worker
//   runs it within moments and stores its mail; jobs still waiting at
//   shutdown are run then, so their mails are stored too. When the job queue
//   is full a new job is dropped and counted.
// - The worker claims due mails one at a time under a lease (a worker that
//   died leaves its mail to be claimed again when the lease runs out), sends
//   it, and removes it; a failed delivery is logged (kind and reason only),
//   counted, and retried after `retry_seconds`, doubled each time up to an
//   hour, until `max_attempts` have failed (then dropped, logged and counted).
//   It also looks for due mails every second (retries, other instances').
// - With a key-encryption key, a waiting mail's text and HTML (which hold
//   the links) are stored wrapped under it, bound to the mail's kind and
//   recipient; a mail that cannot be unwrapped (another KEK) is dropped.
//
// Thread-safe.
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

#include "latchkey/crypto.h"
#include "log/logger.h"
#include "mail/mail_store.h"
#include "mail/mailer.h"
#include "metrics/metrics.h"

namespace latchkey {

struct MailQueueOptions {
  std::size_t capacity = 1000;      // jobs waiting in memory
  std::int64_t retry_seconds = 30;  // first retry delay, doubled each time
  int max_attempts = 8;
  std::int64_t lease_seconds = 120;  // longer than one delivery with its own retries
};

class MailQueue {
 public:
  // `make_mailer` gets the queue, so a mailer can wait between retries with
  // SleepUnlessStopping (and give up at shutdown).
  MailQueue(const std::function<std::unique_ptr<Mailer>(MailQueue&)>& make_mailer, MailStore& store,
            MailQueueOptions options, Logger& logger, Metrics& metrics, SecretBytes kek = SecretBytes());
  // Stops the worker: the mail being sent finishes its current attempt; jobs
  // still waiting are run and their mails stored; stored mails stay for the
  // next start or another instance.
  ~MailQueue();

  // Produces the mail to send, or nothing. Runs on the worker thread.
  using Job = std::function<std::optional<MailMessage>()>;

  // false when the mail could be neither stored nor queued (dropped, counted).
  bool Enqueue(MailMessage message);
  // `kind` names the job in metrics when it has to be dropped.
  bool EnqueueJob(std::string kind, Job job);
  // For retry back-off: waits up to `ms`, returning false early when stopping.
  bool SleepUnlessStopping(std::int64_t ms);

 private:
  void Run();
  // Runs a job and stores its mail; if the database cannot take it, sends it
  // at once (one try) rather than lose it.
  void Store(const Job& job);
  void SendDue();
  void Deliver(const MailMessage& message, std::string& failure, bool& sent);
  // The bodies wrapped under the KEK for the table, and back.
  MailMessage Seal(MailMessage message) const;
  bool Open(MailMessage& message) const;

  std::unique_ptr<Mailer> mailer_;
  MailStore& store_;
  const MailQueueOptions options_;
  const SecretBytes kek_;
  Logger& logger_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job> waiting_;
  bool stored_ = false;  // a mail was stored since the worker last looked
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace latchkey
