// What stands between a first sign-in step and a session for users who have
// a second factor. The SessionIssuer asks it before minting a session from
// single-factor methods, so every sign-in method (password, social login)
// gets the MFA step without knowing about it; implemented by mfa/MfaService.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "context/request_context.h"
#include "identity/user_store.h"
#include "latchkey/json.h"
#include "latchkey/status.h"

namespace latchkey {

// The answer to a first step when a second one is needed: a short-lived,
// single-use token for POST /auth/mfa/challenge and the factors to offer.
struct MfaChallenge {
  std::string mfa_token;
  std::int64_t expires_at = 0;
  Json factors = Json::array();  // [{id, type, friendly_name}]
};

class SecondFactorGate {
 public:
  virtual ~SecondFactorGate() = default;
  // A challenge when `user` has a verified second factor (nullopt when the
  // first step is enough); `methods` are the first step's, carried to the
  // second. Joins the caller's unit of work.
  virtual Result<std::optional<MfaChallenge>> ChallengeIfEnrolled(const User& user,
                                                                  const std::vector<std::string>& methods,
                                                                  RequestContext& ctx) = 0;
};

}  // namespace latchkey
