// One-time tokens (password reset, email verification and email change,
// sent by mail; the token between the two steps of an MFA sign-in) and their
// storage interface. Only the SHA-256 of a token is stored; the token itself
// exists in the mail or the client's answer and nowhere else. Implemented for
// SQLite in storage/sqlite_one_time_token_store.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "latchkey/status.h"

namespace latchkey {

namespace token_purpose {
inline constexpr std::string_view kReset = "reset";
inline constexpr std::string_view kVerifyEmail = "verify_email";
inline constexpr std::string_view kChangeEmail = "change_email";
inline constexpr std::string_view kMfaChallenge = "mfa_challenge";  // the second step of a sign-in (never mailed)
}  // namespace token_purpose

// What the store keeps of a token: hex SHA-256.
inline std::string OneTimeTokenHash(std::string_view token) { return HexEncode(Sha256(token)); }

struct OneTimeToken {
  std::string token_hash;  // hex SHA-256 of the token
  std::string user_id;
  std::string purpose;  // one of token_purpose
  std::string email;    // the address it was sent to (the new one for change_email)
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string data;  // what the flow carries to its next step (JSON), e.g. the first step's methods
};

class OneTimeTokenStore {
 public:
  virtual ~OneTimeTokenStore() = default;
  // Stores `token` and deletes every older token of the same user and
  // purpose, in one transaction: a newer token supersedes the older ones.
  virtual Status Issue(const OneTimeToken& token) = 0;
  // Looks without using. kNotFound when absent or expired at `now`.
  virtual Result<OneTimeToken> Find(std::string_view token_hash, std::int64_t now) = 0;
  // Deletes and returns the token if it has this purpose and is live at
  // `now`: of two concurrent callers exactly one gets it. Else kNotFound.
  virtual Result<OneTimeToken> Consume(std::string_view token_hash, std::string_view purpose, std::int64_t now) = 0;
  // Deletes every token of the user with this purpose.
  virtual Status RevokeAll(std::string_view user_id, std::string_view purpose) = 0;
  // Deletes tokens that expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpired(std::int64_t now) = 0;
};

}  // namespace latchkey
