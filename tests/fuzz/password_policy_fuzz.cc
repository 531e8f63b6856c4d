// The password policy: the password, then context words, separated by NUL
// bytes, checked under the default policy and a permissive one; and the
// policy's own JSON form when the input starts with '{'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"
#include "latchkey/password_policy.h"

namespace {

void CheckPolicyJson(std::string_view text) {
  latchkey::Result<latchkey::Json> json = latchkey::ParseJson(text);
  if (!json.ok()) return;
  latchkey::Result<latchkey::PasswordPolicy> policy = latchkey::PasswordPolicy::FromJson(*json);
  if (!policy.ok()) return;
  FUZZ_CHECK(policy->min_length >= latchkey::kPolicyMinLengthFloor && policy->min_length <= policy->max_length);
  FUZZ_CHECK(policy->max_length <= latchkey::kPolicyMaxLengthCeiling);
  FUZZ_CHECK(policy->min_score >= 0 && policy->min_score <= 4);
  // The published form reads back as the same policy.
  latchkey::Result<latchkey::PasswordPolicy> again = latchkey::PasswordPolicy::FromJson(policy->ToJson());
  FUZZ_CHECK(again.ok() && again->ToJson() == policy->ToJson());
  FUZZ_CHECK(latchkey::SerializeJson(policy->ToJson()).ok());
}

void Check(const std::string& password, const std::vector<std::string>& context,
           const latchkey::PasswordPolicy& policy) {
  latchkey::Result<latchkey::PolicyVerdict> verdict = latchkey::CheckPassword(password, policy, context);
  if (!verdict.ok()) {
    FUZZ_CHECK(verdict.code() == latchkey::Code::kUtf8Invalid);
    return;
  }
  FUZZ_CHECK(latchkey::IsValidUtf8(password));
  FUZZ_CHECK(verdict->acceptable == verdict->reasons.empty());
  if (verdict->estimated) {
    FUZZ_CHECK(verdict->length == latchkey::CountCodePoints(verdict->normalized));
    FUZZ_CHECK(verdict->length <= policy.max_length);
    FUZZ_CHECK((verdict->length < policy.min_length) ==
               (!verdict->reasons.empty() && verdict->reasons.front() == "too_short"));
    // NFKC is idempotent: the normalised form normalises to itself.
    latchkey::Result<std::string> again = latchkey::NormalizePassword(verdict->normalized);
    FUZZ_CHECK(again.ok() && *again == verdict->normalized);
  } else {
    FUZZ_CHECK(verdict->reasons.size() == 1 && verdict->reasons.front() == "too_long");
  }
  FUZZ_CHECK(latchkey::SerializeJson(latchkey::PolicyVerdictToJson(*verdict)).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input.front() == '{') CheckPolicyJson(input);

  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = input.find('\0', start);
    parts.emplace_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const std::vector<std::string> context(parts.begin() + 1, parts.end());
  Check(parts.front(), context, latchkey::PasswordPolicy{});
  latchkey::PasswordPolicy loose;
  loose.min_length = 1;
  loose.max_length = 64;
  loose.min_score = 0;
  loose.service_words = {"latchkey", "example"};
  Check(parts.front(), context, loose);
  return 0;
}
