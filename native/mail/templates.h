// The mails Latchkey sends, as text and HTML. Values put into the HTML are
// escaped; links come from --public-url (design: links carry the token in the
// fragment, so it never reaches server logs or a Referer header).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mail/mailer.h"

namespace latchkey {

std::string HtmlEscape(std::string_view text);

MailMessage PasswordResetMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds);
MailMessage VerifyEmailMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds);
MailMessage ConfirmNewEmailMail(std::string_view to, std::string_view link, std::int64_t ttl_seconds);
// To the old address; `report_link` starts a password reset.
MailMessage EmailChangeNoticeMail(std::string_view to, std::string_view new_email, std::string_view report_link);
MailMessage PasswordResetNoticeMail(std::string_view to);
MailMessage PasswordChangedMail(std::string_view to, std::string_view report_link);
// A signup named an address that has an account (with --require-verified-email).
MailMessage SignupAttemptMail(std::string_view to, std::string_view signin_link, std::string_view reset_link);

}  // namespace latchkey
