// Mails waiting to be sent, in the database, so that none is lost when an
// instance stops or crashes, and any instance's worker may send it
// (mail_queue.h). A claim is a lease: a mail claimed by a worker that died is
// claimed again once the lease has run out.
#pragma once

#include <cstdint>
#include <vector>

#include "latchkey/status.h"
#include "mail/mailer.h"

namespace latchkey {

struct QueuedMail {
  std::int64_t id = 0;
  MailMessage message;
  int attempts = 0;  // delivery attempts that failed so far
};

class MailStore {
 public:
  virtual ~MailStore() = default;
  // Durable once this returns Ok; due at once.
  virtual Status Add(const MailMessage& message, std::int64_t now) = 0;
  // Up to `limit` mails due at `now` that no live lease holds, oldest first,
  // each leased until `lease_until`. Concurrent claimers get disjoint mails
  // (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: its write lock).
  virtual Result<std::vector<QueuedMail>> Claim(std::int64_t now, std::int64_t lease_until, int limit) = 0;
  // Sent (or given up): gone.
  virtual Status Remove(std::int64_t id) = 0;
  // A failed attempt: counted, the lease released, due again at `next_attempt_at`.
  virtual Status Retry(std::int64_t id, std::int64_t next_attempt_at) = 0;
  // Mails waiting (for shutdown messages and tests).
  virtual Result<std::int64_t> Count() = 0;
};

}  // namespace latchkey
