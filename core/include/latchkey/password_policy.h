// Password policy (NIST SP 800-63B): what a new password must satisfy.
//
// The password is NFKC-normalised (that form is also what gets hashed), its
// length counted in code points, then checked: minimum and maximum length
// (the maximum before any other work), the common-passwords blocklist (exact
// match after case folding), the user's own context (email, name, service
// name) not appearing in it, and a minimum strength score from the estimator
// of strength.h. There are no composition rules. The policy is plain data
// with a JSON form, so the server can publish it and a browser can apply
// exactly the same check. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/json.h"
#include "latchkey/status.h"
#include "latchkey/strength.h"

namespace latchkey {

struct PasswordPolicy {
  std::size_t min_length = 8;    // code points, after NFKC
  std::size_t max_length = 256;  // code points; NIST asks that at least 64 be allowed
  int min_score = 3;             // 0..4, the estimator's score
  bool blocklist = true;         // refuse the common-passwords list
  bool context_check = true;     // refuse passwords containing the user's context words
  // Words of the service itself (its name, its domain) that count against
  // every password like the user's own context. Part of the published policy,
  // so a client checking a password needs only the user's email and name.
  std::vector<std::string> service_words;

  // {"min_length":8,"max_length":256,"min_score":3,"blocklist":true,"context_check":true,
  //  "service_words":["latchkey"]}
  Json ToJson() const;
  // Members may be omitted (defaults apply); unknown members, wrong types and
  // out-of-range values are kPasswordPolicyInvalid, so a client never applies
  // a weaker policy than the one published.
  static Result<PasswordPolicy> FromJson(const Json& json);
};

inline constexpr std::size_t kPolicyMinLengthFloor = 1;
inline constexpr std::size_t kPolicyMaxLengthFloor = 64;
inline constexpr std::size_t kPolicyMaxLengthCeiling = 1024;
// Context words shorter than this are not searched for in the password (too
// many false alarms); they still inform the estimator.
inline constexpr std::size_t kContextMinCodePoints = 4;
inline constexpr std::size_t kMaxServiceWords = 16;
inline constexpr std::size_t kMaxServiceWordBytes = 64;

// Reason codes, in this order when several apply: "too_short", "too_long",
// "blocklisted", "contains_context", "too_weak".
struct PolicyVerdict {
  bool acceptable = false;
  std::vector<std::string> reasons;
  std::string normalized;  // NFKC: hash this, not the input (empty when too_long)
  std::size_t length = 0;  // code points of `normalized`
  bool estimated = false;  // false when too long to estimate
  StrengthResult strength;
};

// kUtf8Invalid for input that is not UTF-8 (password or context). context:
// the user's email, name and the like (the policy's service_words are added);
// each is also split at non-letters and non-digits
// ("alice.smith@example.com" -> alice, smith, example, com).
Result<PolicyVerdict> CheckPassword(std::string_view password, const PasswordPolicy& policy,
                                    std::span<const std::string> context = {}, const StrengthOptions& options = {});

// NFKC, as CheckPassword applies it (kUtf8Invalid on bad input).
Result<std::string> NormalizePassword(std::string_view password);

Json PolicyVerdictToJson(const PolicyVerdict& verdict);

}  // namespace latchkey
