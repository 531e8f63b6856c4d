// The development mailer (the default when no --smtp-url is set): each mail
// becomes a JSON file (mode 0600) in the outbox folder and a log line naming
// its kind, subject and recipient. The link appears in the log only in --dev.
// ReadOutbox serves GET /dev/outbox.
#pragma once

#include <string>

#include "latchkey/json.h"
#include "log/logger.h"
#include "mail/mailer.h"

namespace latchkey {

class OutboxMailer final : public Mailer {
 public:
  OutboxMailer(std::string dir, Logger& logger, bool dev) : dir_(std::move(dir)), logger_(logger), dev_(dev) {}
  Status Send(const MailMessage& message, std::string& failure) override;

 private:
  std::string dir_;
  Logger& logger_;
  bool dev_;
  unsigned counter_ = 0;
};

// The newest `limit` messages of the folder, newest first, as
// [{id, to, subject, created_at, text, html}]. Unreadable files are skipped.
Json ReadOutbox(const std::string& dir, std::size_t limit);

}  // namespace latchkey
