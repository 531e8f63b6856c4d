#include "latchkey/password_policy.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "latchkey/encoding.h"
#include "latchkey/password.h"
#include "strength/dictionary.h"
#include "strength/text.h"

namespace latchkey {
namespace {

// utf8proc allocates with malloc.
struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

Result<std::string> Map(std::string_view text, int options) {
  if (!IsValidUtf8(text)) return Code::kUtf8Invalid;
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t size =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                   &out, static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(out);
  if (size == UTF8PROC_ERROR_NOMEM) return Code::kOutOfMemory;
  if (size < 0) return Code::kUtf8Invalid;
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
}

constexpr int kNfkc = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
constexpr int kFold = kNfkc | UTF8PROC_CASEFOLD;

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool IsWordChar(char32_t c) {
  const utf8proc_category_t category = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
         (category >= UTF8PROC_CATEGORY_ND && category <= UTF8PROC_CATEGORY_NO);
}

// Each context string, folded, plus its runs of letters and digits.
Result<std::vector<std::string>> ContextWords(std::span<const std::string> context) {
  std::vector<std::string> words;
  for (const std::string& item : context) {
    Result<std::string> folded = Map(item, kFold);
    if (!folded.ok()) return folded.code();
    if (folded->empty()) continue;
    words.push_back(*folded);
    const strength::CodePoints points = *strength::DecodeUtf8(*folded);
    strength::CodePoints run;
    for (std::size_t k = 0; k <= points.size(); ++k) {
      if (k < points.size() && IsWordChar(points[k])) {
        run.push_back(points[k]);
        continue;
      }
      if (!run.empty() && run.size() < points.size()) words.push_back(strength::EncodeUtf8(run));
      run.clear();
    }
  }
  return words;
}

bool ReadSize(const Json& value, std::size_t& out) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0) return false;
  out = static_cast<std::size_t>(value.get<std::int64_t>());
  return true;
}

}  // namespace

Json PasswordPolicy::ToJson() const {
  return Json{{"min_length", min_length},
              {"max_length", max_length},
              {"min_score", min_score},
              {"blocklist", blocklist},
              {"context_check", context_check},
              {"service_words", service_words}};
}

Result<PasswordPolicy> PasswordPolicy::FromJson(const Json& json) {
  if (!json.is_object()) return Code::kPasswordPolicyInvalid;
  PasswordPolicy policy;
  for (const auto& [name, value] : json.items()) {
    bool ok = false;
    if (name == "min_length") {
      ok = ReadSize(value, policy.min_length);
    } else if (name == "max_length") {
      ok = ReadSize(value, policy.max_length);
    } else if (name == "min_score") {
      std::size_t score = 0;
      ok = ReadSize(value, score) && score <= 4;
      policy.min_score = static_cast<int>(score);
    } else if (name == "blocklist" && value.is_boolean()) {
      policy.blocklist = value.get<bool>();
      ok = true;
    } else if (name == "context_check" && value.is_boolean()) {
      policy.context_check = value.get<bool>();
      ok = true;
    } else if (name == "service_words" && value.is_array() && value.size() <= kMaxServiceWords) {
      ok = true;
      for (const Json& word : value) {
        ok = ok && word.is_string() && !word.get_ref<const std::string&>().empty() &&
             word.get_ref<const std::string&>().size() <= kMaxServiceWordBytes &&
             IsValidUtf8(word.get_ref<const std::string&>());
        if (ok) policy.service_words.push_back(word.get<std::string>());
      }
    }
    if (!ok) return Code::kPasswordPolicyInvalid;
  }
  if (policy.min_length < kPolicyMinLengthFloor || policy.max_length < kPolicyMaxLengthFloor ||
      policy.max_length > kPolicyMaxLengthCeiling || policy.min_length > policy.max_length) {
    return Code::kPasswordPolicyInvalid;
  }
  return policy;
}

Result<std::string> NormalizePassword(std::string_view password) { return Map(password, kNfkc); }

Result<PolicyVerdict> CheckPassword(std::string_view password, const PasswordPolicy& policy,
                                    std::span<const std::string> context, const StrengthOptions& options) {
  PolicyVerdict verdict;
  // Too long is decided before anything costly: on the raw bytes first, then
  // on code points (NFKC can grow a string, so it is checked again after).
  if (!IsValidUtf8(password)) return Code::kUtf8Invalid;
  if (password.size() > kMaxPasswordBytes || CountCodePoints(password) > policy.max_length) {
    verdict.reasons.push_back("too_long");
    return verdict;
  }
  Result<std::string> normalized = NormalizePassword(password);
  if (!normalized.ok()) return normalized.code();
  verdict.length = CountCodePoints(*normalized);
  if (verdict.length > policy.max_length) {
    verdict.length = 0;
    verdict.reasons.push_back("too_long");
    return verdict;
  }
  verdict.normalized = std::move(normalized).value();
  std::vector<std::string> all_context(context.begin(), context.end());
  all_context.insert(all_context.end(), policy.service_words.begin(), policy.service_words.end());
  Result<std::vector<std::string>> words = ContextWords(all_context);
  if (!words.ok()) return words.code();

  if (verdict.length < policy.min_length) verdict.reasons.push_back("too_short");
  Result<std::string> folded = Map(verdict.normalized, kFold);
  if (!folded.ok()) return folded.code();
  if (policy.blocklist && strength::IsCommonPassword(*folded)) verdict.reasons.push_back("blocklisted");
  if (policy.context_check) {
    for (const std::string& word : *words) {
      if (CountCodePoints(word) >= kContextMinCodePoints && folded->find(word) != std::string::npos) {
        verdict.reasons.push_back("contains_context");
        break;
      }
    }
  }
  Result<StrengthResult> strength = EstimateStrength(verdict.normalized, *words, options);
  if (!strength.ok()) return strength.code();
  verdict.strength = std::move(strength).value();
  verdict.estimated = true;
  if (verdict.strength.score < policy.min_score) verdict.reasons.push_back("too_weak");
  verdict.acceptable = verdict.reasons.empty();
  return verdict;
}

Json PolicyVerdictToJson(const PolicyVerdict& verdict) {
  Json json = {{"acceptable", verdict.acceptable}, {"reasons", verdict.reasons}, {"length", verdict.length}};
  json["strength"] = verdict.estimated ? StrengthResultToJsonValue(verdict.strength) : Json(nullptr);
  return json;
}

}  // namespace latchkey
