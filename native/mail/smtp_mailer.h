// Delivers mail over SMTP with libcurl: smtp:// (with STARTTLS required,
// tried or off) or smtps:// (TLS from the start), optional AUTH, a timeout
// per attempt, and retries with exponential back-off. Failure reasons are
// libcurl's error names only: never the password, the address or the body.
#pragma once

#include <functional>
#include <string>

#include "config/server_config.h"
#include "mail/mailer.h"

namespace latchkey {

class SmtpMailer final : public Mailer {
 public:
  // `sleep(ms)` waits between attempts and returns false to give up (shutdown).
  SmtpMailer(const ServerConfig& config, std::function<bool(std::int64_t)> sleep);
  Status Send(const MailMessage& message, std::string& failure) override;

  // The RFC 5322 message (multipart/alternative, base64 bodies), for tests.
  static std::string Compose(const MailMessage& message, const std::string& from, std::int64_t now,
                             const std::string& message_id);

 private:
  Status Attempt(const std::string& payload, const std::string& to, std::string& failure);

  std::string url_;
  std::string starttls_;
  std::string user_;
  std::string password_;
  std::string from_;
  std::int64_t timeout_;
  int retries_;
  std::int64_t backoff_ms_;
  std::function<bool(std::int64_t)> sleep_;
};

// The address part of "Name <addr>" (or the whole text).
std::string EnvelopeAddress(const std::string& from);

}  // namespace latchkey
