// EstimateStrength as callers see it: scores, feedback, Unicode, bounds.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "latchkey/strength.h"

namespace latchkey {
namespace {

StrengthResult Estimate(std::string_view password, std::vector<std::string> inputs = {}) {
  Result<StrengthResult> r = EstimateStrength(password, inputs);
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("strength: the usual suspects score low, with a warning", "[strength]") {
  const StrengthResult top = Estimate("password");
  CHECK(top.score == 0);
  REQUIRE(top.feedback.has_warning);
  CHECK(top.feedback.warning.code == "top_ten");
  CHECK(!top.feedback.warning.text.empty());
  CHECK(top.feedback.suggestions.at(0).code == "another_word");
  CHECK(Estimate("zxcvbnm,./").feedback.warning.code == "straight_row");
  CHECK(Estimate("aaaaaaaaaa").feedback.warning.code == "simple_repeat");
  CHECK(Estimate("13.05.1991").feedback.warning.code == "dates");
  CHECK(Estimate("abcdefgh").feedback.warning.code == "sequences");
  CHECK(Estimate("P@ssw0rd").score <= 1);
}

TEST_CASE("strength: long unusual passwords score 4 and get no feedback", "[strength]") {
  const StrengthResult r = Estimate("correct horse battery staple");
  CHECK(r.score == 4);
  CHECK(!r.feedback.has_warning);
  CHECK(r.feedback.suggestions.empty());
  CHECK(Estimate("k7#Qv9!mZr2$Lp").score == 4);
}

TEST_CASE("strength: guesses, log10, crack times agree with each other", "[strength]") {
  const StrengthResult r = Estimate("Tr0ub4dor&3");
  CHECK(r.guesses_log10 == Approx(std::log10(r.guesses)));
  CHECK(r.crack_times.online_throttled == Approx(r.guesses * 36));
  CHECK(r.crack_times.online_unthrottled == Approx(r.guesses / 10));
  CHECK(r.crack_times.offline_slow_hash == Approx(r.guesses / 1e4));
  CHECK(r.crack_times.offline_fast_hash == Approx(r.guesses / 1e10));
  // The sequence covers the password exactly, in order.
  std::size_t next = 0;
  for (const StrengthMatch& m : r.sequence) {
    CHECK(m.i == next);
    next = m.j + 1;
  }
  CHECK(next == r.length);
}

TEST_CASE("strength: the empty password", "[strength]") {
  const StrengthResult r = Estimate("");
  CHECK(r.score == 0);
  CHECK(r.guesses == 1);
  CHECK(r.sequence.empty());
  REQUIRE(r.feedback.suggestions.size() == 2);
  CHECK(r.feedback.suggestions[0].code == "use_words");
  CHECK(r.feedback.suggestions[1].code == "no_need");
}

TEST_CASE("strength: user inputs count against the password", "[strength]") {
  const StrengthResult without = Estimate("zebedeequux1");
  const StrengthResult with = Estimate("zebedeequux1", {"zebedee", "quux"});
  CHECK(with.guesses < without.guesses);
  CHECK(with.sequence.at(0).dictionary_name == "user_inputs");
}

TEST_CASE("strength: positions and lengths are code points", "[strength]") {
  const StrengthResult r = Estimate("caf\xc3\xa9\xe5\xaf\x86\xe7\xa0\x81\xf0\x9f\x94\x91");  // café密码🔑
  CHECK(r.length == 7);
  CHECK(r.sequence.back().j == 6);
  const StrengthResult accented = Estimate("\xc3\xbc""ber");  // über
  CHECK(accented.length == 4);
}

TEST_CASE("strength: invalid UTF-8 is refused with a code", "[strength]") {
  CHECK(EstimateStrength("abc\xff").code() == Code::kUtf8Invalid);
  CHECK(EstimateStrength("\xc0\xaf").code() == Code::kUtf8Invalid);  // overlong
  const std::vector<std::string> bad_input = {"ok", "bad\xed\xa0\x80"};  // a surrogate
  CHECK(EstimateStrength("password", bad_input).code() == Code::kUtf8Invalid);
}

TEST_CASE("strength: long inputs are bounded", "[strength]") {
  std::string long_password;
  for (int k = 0; k < 400; ++k) long_password += static_cast<char>('a' + (k * 7) % 26);
  const auto start = std::chrono::steady_clock::now();
  const StrengthResult r = Estimate(long_password);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(r.length == kStrengthMaxCodePoints);
  CHECK(r.score == 4);
  // Generous: sanitizer builds are many times slower than release.
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("strength: the JSON form", "[strength]") {
  const Json json = StrengthResultToJsonValue(Estimate("password"));
  CHECK(json["score"] == 0);
  CHECK(json["feedback"]["warning"]["code"] == "top_ten");
  CHECK(json["sequence"][0]["pattern"] == "dictionary");
  CHECK(json["sequence"][0]["dictionary_name"] == "passwords");
  CHECK(json["crack_times_seconds"].contains("offline_slow_hash"));
  CHECK(StrengthResultToJsonValue(Estimate("correct horse battery staple"))["feedback"]["warning"].is_null());
}

}  // namespace
}  // namespace latchkey
