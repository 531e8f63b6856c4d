#include "mail/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"

namespace latchkey {
namespace {

// Appends parts (GCC 12 warns falsely on chains of "literal" + std::string).
std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const std::string_view part : parts) out.append(part);
  return out;
}

// libcurl's global state, set up once before any thread uses it.
void GlobalInit() {
  static const bool done = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)done;
}

std::string Base64Lines(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string flat;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t j = 0; j < 3; ++j) v = (v << 8) | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    for (std::size_t j = 0; j < 4; ++j) flat += j <= n ? kAlphabet[(v >> (18 - 6 * j)) & 63] : '=';
  }
  std::string out;
  for (std::size_t i = 0; i < flat.size(); i += 76) out += flat.substr(i, 76) + "\r\n";
  return out;
}

// RFC 2047 encoded word when the subject is not plain ASCII.
std::string HeaderText(const std::string& text) {
  bool ascii = true;
  for (const char c : text)
    ascii = ascii && static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  if (ascii) return text;
  std::string encoded = Base64Lines(text);
  encoded.erase(std::remove(encoded.begin(), encoded.end(), '\r'), encoded.end());
  encoded.erase(std::remove(encoded.begin(), encoded.end(), '\n'), encoded.end());
  return Join({"=?UTF-8?B?", encoded, "?="});
}

struct Payload {
  const std::string& text;
  std::size_t offset = 0;
};

std::size_t ReadPayload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* payload = static_cast<Payload*>(user);
  const std::size_t n = std::min(size * count, payload->text.size() - payload->offset);
  std::memcpy(buffer, payload->text.data() + payload->offset, n);
  payload->offset += n;
  return n;
}

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

std::string EnvelopeAddress(const std::string& from) {
  const std::size_t open = from.rfind('<');
  const std::size_t close = from.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return from.substr(open + 1, close - open - 1);
  }
  return from;
}

SmtpMailer::SmtpMailer(const ServerConfig& config, std::function<bool(std::int64_t)> sleep)
    : url_(config.smtp_url),
      starttls_(config.smtp_starttls),
      user_(config.smtp_user),
      password_(config.smtp_password),
      from_(config.mail_from),
      timeout_(config.smtp_timeout),
      retries_(config.smtp_retries),
      backoff_ms_(config.smtp_backoff_ms),
      sleep_(std::move(sleep)) {
  GlobalInit();
}

std::string SmtpMailer::Compose(const MailMessage& message, const std::string& from, std::int64_t now,
                                const std::string& message_id) {
  char date[64];
  const std::time_t t = static_cast<std::time_t>(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  const std::string boundary = Join({"latchkey-", message_id});
  const std::string sender = EnvelopeAddress(from);
  const std::string domain = sender.substr(sender.find('@') + 1);
  constexpr std::string_view kCrlf = "\r\n";
  return Join({"Date: ",
               date,
               kCrlf,
               "From: ",
               from,
               kCrlf,
               "To: <",
               message.to,
               ">",
               kCrlf,
               "Subject: ",
               HeaderText(message.subject),
               kCrlf,
               "Message-ID: <",
               message_id,
               "@",
               domain,
               ">",
               kCrlf,
               "MIME-Version: 1.0",
               kCrlf,
               "Content-Type: multipart/alternative; boundary=\"",
               boundary,
               "\"",
               kCrlf,
               kCrlf,
               "--",
               boundary,
               kCrlf,
               "Content-Type: text/plain; charset=utf-8",
               kCrlf,
               "Content-Transfer-Encoding: base64",
               kCrlf,
               kCrlf,
               Base64Lines(message.text),
               "--",
               boundary,
               kCrlf,
               "Content-Type: text/html; charset=utf-8",
               kCrlf,
               "Content-Transfer-Encoding: base64",
               kCrlf,
               kCrlf,
               Base64Lines(message.html),
               "--",
               boundary,
               "--",
               kCrlf});
}

Status SmtpMailer::Send(const MailMessage& message, std::string& failure) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string payload = Compose(message, from_, now, HexEncode(RandomBytes(SystemRandom(), 12)));
  std::int64_t delay = backoff_ms_;
  for (int attempt = 0;; ++attempt) {
    if (Attempt(payload, message.to, failure).ok()) return Status::Ok();
    if (attempt >= retries_ || !sleep_(delay)) break;
    delay = std::min<std::int64_t>(delay * 2, 10 * 60 * 1000);
  }
  failure.append(" (after at most ").append(std::to_string(retries_ + 1)).append(" attempts)");
  return Code::kInternal;
}

Status SmtpMailer::Attempt(const std::string& payload, const std::string& to, std::string& failure) {
  CURL* curl = curl_easy_init();
  if (!curl) {
    failure = "curl_easy_init failed";
    return Code::kInternal;
  }
  Payload reader{payload};
  curl_slist* recipients = curl_slist_append(nullptr, Join({"<", to, ">"}).c_str());
  const std::string envelope_from = Join({"<", EnvelopeAddress(from_), ">"});
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadPayload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout_));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (url_.rfind("smtp://", 0) == 0) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     starttls_ == "required" ? static_cast<long>(CURLUSESSL_ALL)
                     : starttls_ == "try"    ? static_cast<long>(CURLUSESSL_TRY)
                                             : static_cast<long>(CURLUSESSL_NONE));
  }
  if (!user_.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, user_.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password_.c_str());
  }
  const CURLcode result = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(recipients);
  curl_easy_cleanup(curl);
  if (result == CURLE_OK) return Status::Ok();
  // curl_easy_strerror names the failure class only (no server text, no credentials).
  failure = curl_easy_strerror(result);
  if (response) failure.append(" (SMTP ").append(std::to_string(response)).append(")");
  return Code::kInternal;
}

}  // namespace latchkey
