// The strength estimator on arbitrary bytes: the password, then user inputs
// (context words), separated by NUL bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"
#include "latchkey/strength.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = input.find('\0', start);
    parts.emplace_back(input.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const std::string password = parts.front();
  const std::vector<std::string> user_inputs(parts.begin() + 1, parts.end());

  latchkey::Result<latchkey::StrengthResult> result = latchkey::EstimateStrength(password, user_inputs);
  bool all_utf8 = true;
  for (const std::string& part : parts) all_utf8 = all_utf8 && latchkey::IsValidUtf8(part);
  if (!result.ok()) {
    FUZZ_CHECK(!all_utf8 && result.code() == latchkey::Code::kUtf8Invalid);
    return 0;
  }
  const std::size_t code_points = latchkey::CountCodePoints(password);
  FUZZ_CHECK(result->length ==
             (code_points < latchkey::kStrengthMaxCodePoints ? code_points : latchkey::kStrengthMaxCodePoints));
  FUZZ_CHECK(result->score >= 0 && result->score <= 4);
  FUZZ_CHECK(result->guesses >= 1 && result->guesses_log10 >= 0);
  // The chosen matches cover the estimated password exactly, in order.
  std::size_t next = 0;
  std::string covered;
  for (const latchkey::StrengthMatch& match : result->sequence) {
    FUZZ_CHECK(match.i == next && match.j >= match.i && match.guesses >= 1);
    next = match.j + 1;
    covered += match.token;
  }
  FUZZ_CHECK(next == result->length);
  FUZZ_CHECK(password.compare(0, covered.size(), covered) == 0);
  FUZZ_CHECK(latchkey::SerializeJson(latchkey::StrengthResultToJsonValue(*result)).ok());
  return 0;
}
