// The password policy: normalisation, each reason, the JSON form.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "latchkey/password_policy.h"

namespace latchkey {
namespace {

PolicyVerdict Check(std::string_view password, const PasswordPolicy& policy = {},
                    std::vector<std::string> context = {}) {
  Result<PolicyVerdict> v = CheckPassword(password, policy, context);
  REQUIRE(v.ok());
  return *v;
}

TEST_CASE("policy: a strong password passes and is returned normalised", "[policy]") {
  const PolicyVerdict v = Check("correct horse battery staple");
  CHECK(v.acceptable);
  CHECK(v.reasons.empty());
  CHECK(v.normalized == "correct horse battery staple");
  CHECK(v.length == 28);
  CHECK(v.estimated);
  CHECK(v.strength.score >= 3);
}

TEST_CASE("policy: NFKC, lengths in code points", "[policy]") {
  // U+FB01 (fi ligature) becomes "fi"; full-width letters become ASCII.
  const PolicyVerdict v = Check("\xef\xac\x81nal \xef\xbc\xa1\xef\xbc\xa2 horse battery");
  CHECK(v.normalized == "final AB horse battery");
  // Precomposed and decomposed é are the same password.
  CHECK(*NormalizePassword("cafe\xcc\x81") == *NormalizePassword("caf\xc3\xa9"));
  // 8 code points, 16 bytes: long enough.
  PasswordPolicy lax;
  lax.min_score = 0;
  lax.blocklist = false;
  CHECK(Check("\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c\xd0\xb8\xd0\xba", lax).acceptable);  // парольик
}

TEST_CASE("policy: too short and too long", "[policy]") {
  const PolicyVerdict short_one = Check("Xq7#");
  CHECK(!short_one.acceptable);
  CHECK(short_one.reasons.at(0) == "too_short");
  const PolicyVerdict long_one = Check(std::string(257, 'x'));
  CHECK(long_one.reasons == std::vector<std::string>{"too_long"});
  CHECK(!long_one.estimated);          // refused before any work
  CHECK(long_one.normalized.empty());  // nothing to hash
  CHECK(Check(std::string(5000, 'x')).reasons == std::vector<std::string>{"too_long"});
}

TEST_CASE("policy: blocklist after case folding", "[policy]") {
  for (const char* common : {"password1", "PASSWORD1", "Password1", "iloveyou2"}) {
    INFO(common);
    const PolicyVerdict v = Check(common);
    CHECK(!v.acceptable);
    CHECK(std::find(v.reasons.begin(), v.reasons.end(), "blocklisted") != v.reasons.end());
  }
  PasswordPolicy no_blocklist;
  no_blocklist.blocklist = false;
  const PolicyVerdict v = Check("password1", no_blocklist);
  CHECK(std::find(v.reasons.begin(), v.reasons.end(), "blocklisted") == v.reasons.end());
}

TEST_CASE("policy: context words count against the password", "[policy]") {
  const std::vector<std::string> context = {"alice.smithson@example.com", "Alice Smithson", "latchkey"};
  const PolicyVerdict v = Check("Smithson-loves-kayaks-42", {}, context);
  CHECK(std::find(v.reasons.begin(), v.reasons.end(), "contains_context") != v.reasons.end());
  CHECK(!v.acceptable);
  CHECK(Check("orbital-walnut-drift-42", {}, context).acceptable);
}

TEST_CASE("policy: too weak, against the minimum score", "[policy]") {
  const PolicyVerdict v = Check("zxcvbnm,./");
  CHECK(std::find(v.reasons.begin(), v.reasons.end(), "too_weak") != v.reasons.end());
  PasswordPolicy lax;
  lax.min_score = 0;
  lax.blocklist = false;
  CHECK(Check("zxcvbnm,./", lax).acceptable);
}

TEST_CASE("policy: invalid UTF-8 is an error, not a verdict", "[policy]") {
  CHECK(CheckPassword("abc\xff", PasswordPolicy{}).code() == Code::kUtf8Invalid);
  const std::vector<std::string> context = {"\xff"};
  CHECK(CheckPassword("fine password here", PasswordPolicy{}, context).code() == Code::kUtf8Invalid);
}

TEST_CASE("policy: JSON round trip and validation", "[policy]") {
  PasswordPolicy p;
  p.min_length = 12;
  p.min_score = 4;
  p.context_check = false;
  Result<PasswordPolicy> back = PasswordPolicy::FromJson(p.ToJson());
  REQUIRE(back.ok());
  CHECK(back->ToJson() == p.ToJson());
  CHECK(PasswordPolicy::FromJson(Json::object())->ToJson() == PasswordPolicy{}.ToJson());
  for (const char* bad : {R"({"min_length":0})", R"({"max_length":32})", R"({"max_length":5000})",
                          R"({"min_length":300})", R"({"min_score":5})", R"({"min_score":-1})",
                          R"({"blocklist":"yes"})", R"({"unknown":1})", R"([])", R"({"min_length":8.5})"}) {
    INFO(bad);
    CHECK(PasswordPolicy::FromJson(Json::parse(bad, nullptr, false)).code() == Code::kPasswordPolicyInvalid);
  }
}

TEST_CASE("policy: service words count like the user's context and travel in the JSON", "[policy]") {
  PasswordPolicy p;
  p.service_words = {"Acmecorp", "acme-portal.example"};
  const std::vector<std::string> user = {"alice@example.com", "Alice"};
  const Result<PolicyVerdict> refused = CheckPassword("Zebra-acmecorp-Quartz-91", p, user);
  REQUIRE(refused.ok());
  CHECK(refused->reasons == std::vector<std::string>{"contains_context"});
  const Result<PolicyVerdict> parts = CheckPassword("Zebra-PORTAL-Quartz-91x", p, user);
  REQUIRE(parts.ok());
  CHECK_FALSE(parts->acceptable);  // "portal", a part of the domain, counts too
  const Result<PolicyVerdict> fine = CheckPassword("Zebra-acmecorp-Quartz-91", PasswordPolicy{}, user);
  REQUIRE(fine.ok());
  CHECK(fine->acceptable);

  Result<PasswordPolicy> back = PasswordPolicy::FromJson(p.ToJson());
  REQUIRE(back.ok());
  CHECK(back->service_words == p.service_words);
  for (const char* bad : {R"({"service_words":"acme"})", R"({"service_words":[1]})", R"({"service_words":[""]})",
                          R"({"service_words":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]})"}) {
    INFO(bad);
    CHECK(PasswordPolicy::FromJson(Json::parse(bad, nullptr, false)).code() == Code::kPasswordPolicyInvalid);
  }
  Json invalid_utf8 = Json::object();
  invalid_utf8["service_words"] = Json::array({std::string("\xff")});
  CHECK(PasswordPolicy::FromJson(invalid_utf8).code() == Code::kPasswordPolicyInvalid);
}

TEST_CASE("policy: the verdict as JSON", "[policy]") {
  const Json json = PolicyVerdictToJson(Check("password"));
  CHECK(json["acceptable"] == false);
  CHECK(json["reasons"].size() >= 2);
  CHECK(json["strength"]["score"] == 0);
  CHECK(!json.contains("normalized"));  // the password itself never goes into JSON
}

}  // namespace
}  // namespace latchkey
