// One outgoing mail and the interface that delivers it. Two implementations:
// SmtpMailer (libcurl, smtp_mailer.h) and OutboxMailer (files in a folder,
// outbox_mailer.h). Send is called from the mail queue's worker thread only,
// never on a request path (mail_queue.h).
#pragma once

#include <string>

#include "latchkey/status.h"

namespace latchkey {

struct MailMessage {
  std::string to;  // one normalised address
  std::string subject;
  std::string text;
  std::string html;
  // For logs only: what kind of mail ("password_reset", ...), never the link.
  std::string kind;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Delivers or reports why not (a short reason for the log: no secret, no
  // address, no token). May block for retries.
  virtual Status Send(const MailMessage& message, std::string& failure) = 0;
};

}  // namespace latchkey
