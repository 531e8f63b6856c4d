#include "mail/templates.h"

namespace latchkey {
namespace {

// Fills {{name}} placeholders; `escape` for the HTML body.
std::string Fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string_view>> values,
                 bool escape) {
  std::string out(text);
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{{" + std::string(name) + "}}";
    const std::string replacement = escape ? HtmlEscape(value) : std::string(value);
    for (std::size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + replacement.size())) {
      out.replace(at, placeholder.size(), replacement);
    }
  }
  return out;
}

std::string Lifetime(std::int64_t seconds) {
  if (seconds % 3600 == 0) return std::to_string(seconds / 3600) + (seconds == 3600 ? " hour" : " hours");
  if (seconds % 60 == 0) return std::to_string(seconds / 60) + (seconds == 60 ? " minute" : " minutes");
  return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
}

constexpr std::string_view kHtmlFrame =
    "<!doctype html><html><body style=\"font-family:sans-serif\">{{body}}"
    "<p style=\"color:#666\">If you did not ask for this, you can ignore this mail.</p></body></html>";

MailMessage Make(std::string_view kind, std::string_view to, std::string_view subject, std::string text,
                 std::string html_body) {
  MailMessage message;
  message.kind = std::string(kind);
  message.to = std::string(to);
  message.subject = std::string(subject);
  message.text = std::move(text);
  std::string html(kHtmlFrame);
  html.replace(html.find("{{body}}"), 8, html_body);
  message.html = std::move(html);
  return message;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

MailMessage PasswordResetMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds) {
  const std::string ttl = Lifetime(ttl_seconds);
  return Make("password_reset", to, "Reset your password",
              Fill("Someone asked to reset the password of your account.\n\nTo choose a new password, open this link "
                   "within {{ttl}}:\n\n{{link}}\n\nThe link works once. If you did not ask for this, ignore this mail; "
                   "your password stays as it is.\n",
                   {{"link", link}, {"ttl", ttl}}, false),
              Fill("<p>Someone asked to reset the password of your account.</p><p><a href=\"{{link}}\">Choose a new "
                   "password</a> (the link works once, within {{ttl}}).</p>",
                   {{"link", link}, {"ttl", ttl}}, true));
}

MailMessage VerifyEmailMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds) {
  const std::string ttl = Lifetime(ttl_seconds);
  return Make("verify_email", to, "Confirm your email address",
              Fill("Please confirm that this is your email address by opening this link within {{ttl}}:\n\n"
                   "{{link}}\n",
                   {{"link", link}, {"ttl", ttl}}, false),
              Fill("<p>Please confirm that this is your email address.</p><p><a href=\"{{link}}\">Confirm my email "
                   "address</a> (within {{ttl}}).</p>",
                   {{"link", link}, {"ttl", ttl}}, true));
}

MailMessage ConfirmNewEmailMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds) {
  const std::string ttl = Lifetime(ttl_seconds);
  return Make("confirm_new_email", to, "Confirm your new email address",
              Fill("You asked to use this address for your account. Confirm it by opening this link within {{ttl}}:"
                   "\n\n{{link}}\n\nUntil then, your account keeps its old address.\n",
                   {{"link", link}, {"ttl", ttl}}, false),
              Fill("<p>You asked to use this address for your account.</p><p><a href=\"{{link}}\">Confirm my new "
                   "email address</a> (within {{ttl}}). Until then, your account keeps its old address.</p>",
                   {{"link", link}, {"ttl", ttl}}, true));
}

MailMessage EmailChangeNoticeMail(std::string_view to, std::string_view new_email, std::string_view report_link) {
  return Make("email_change_notice", to, "Your email address is being changed",
              Fill("Someone signed in to your account asked to change its email address to {{email}}.\n\nThe change "
                   "takes effect only when the new address is confirmed. If this was not you, reset your password "
                   "now, which also signs out every session and keeps this address: {{link}}\n",
                   {{"email", new_email}, {"link", report_link}}, false),
              Fill("<p>Someone signed in to your account asked to change its email address to <b>{{email}}</b>.</p>"
                   "<p>The change takes effect only when the new address is confirmed. If this was not you, "
                   "<a href=\"{{link}}\">reset your password now</a>, which also signs out every session and keeps "
                   "this address.</p>",
                   {{"email", new_email}, {"link", report_link}}, true));
}

MailMessage PasswordResetNoticeMail(std::string_view to) {
  return Make("password_reset_notice", to, "Your password was changed",
              "The password of your account was just reset, and every session was signed out.\n\nIf this was not "
              "you, reset your password again at once and contact the administrator.\n",
              "<p>The password of your account was just reset, and every session was signed out.</p><p>If this was "
              "not you, reset your password again at once and contact the administrator.</p>");
}

MailMessage PasswordChangedMail(std::string_view to, std::string_view report_link) {
  return Make("password_changed", to, "Your password was changed",
              Fill("The password of your account was just changed from a signed-in session, and your other "
                   "sessions were signed out.\n\nIf this was not you, reset your password at once: {{link}}\n",
                   {{"link", report_link}}, false),
              Fill("<p>The password of your account was just changed from a signed-in session, and your other "
                   "sessions were signed out.</p><p>If this was not you, <a href=\"{{link}}\">reset your password "
                   "at once</a>.</p>",
                   {{"link", report_link}}, true));
}

MailMessage SignupAttemptMail(std::string_view to, std::string_view signin_link, std::string_view reset_link) {
  return Make("signup_attempt", to, "Someone tried to sign up with your address",
              Fill("Someone tried to create an account with this address, which already has one. No new account "
                   "was made.\n\nIf it was you, sign in: {{signin}}\nForgot your password? Reset it: {{reset}}\n",
                   {{"signin", signin_link}, {"reset", reset_link}}, false),
              Fill("<p>Someone tried to create an account with this address, which already has one. No new account "
                   "was made.</p><p>If it was you, <a href=\"{{signin}}\">sign in</a>. Forgot your password? "
                   "<a href=\"{{reset}}\">Reset it</a>.</p>",
                   {{"signin", signin_link}, {"reset", reset_link}}, true));
}

}  // namespace latchkey
