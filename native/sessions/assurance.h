// Authenticator assurance levels (NIST SP 800-63B, as GoTrue and Kratos use
// them): aal1 when one factor was proved, aal2 when a second one was. A
// session's level follows from the methods it recorded (amr), so a refresh
// keeps it and a step-up raises it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace latchkey {

namespace amr {
inline constexpr std::string_view kPassword = "pwd";  // a password
inline constexpr std::string_view kOtp = "otp";       // a TOTP code or a recovery code (a one-time secret)
inline constexpr std::string_view kOAuth = "oauth";   // a sign-in at a social or OpenID provider
// A passkey with user verification (PIN or biometric on the authenticator):
// possession and a second factor in one gesture, so aal2 alone.
inline constexpr std::string_view kWebauthn = "webauthn";
// A passkey without user verification: proof of possession of a key (RFC 8176 "hwk"), one factor.
inline constexpr std::string_view kHardwareKey = "hwk";
}  // namespace amr

namespace aal {
inline constexpr std::string_view kAal1 = "aal1";
inline constexpr std::string_view kAal2 = "aal2";
}  // namespace aal

// Whether `methods` include a second factor.
bool IsMultiFactor(const std::vector<std::string>& methods);

// "aal2" for multi-factor methods, "aal1" otherwise.
std::string_view AssuranceLevel(const std::vector<std::string>& methods);

}  // namespace latchkey
