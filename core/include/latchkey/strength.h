// Password strength estimation of zxcvbn's kind, identical natively and in wasm.
//
// EstimateStrength splits the password into the patterns an attacker would
// try (ranked dictionary words, reversed and l33t words, keyboard walks,
// repeats, sequences, dates and years, separators, word sequences) and finds
// the decomposition that needs the fewest guesses in total; its formulas follow
// zxcvbn-ts 4, so scores agree with it (see bench/README.md for how often).
//
// Lengths and match positions count Unicode code points. Passwords longer than
// kStrengthMaxCodePoints are estimated on their first kStrengthMaxCodePoints
// code points, which bounds the work (a few milliseconds at worst).
//
// The word lists are compiled in and indexed on first use (tens of
// milliseconds, once). Pure functions; thread-safe (the index is built under
// C++'s thread-safe static initialisation).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "latchkey/json.h"
#include "latchkey/status.h"

namespace latchkey {

inline constexpr std::size_t kStrengthMaxCodePoints = 256;
// Caller-supplied context words beyond these bounds are ignored.
inline constexpr std::size_t kStrengthMaxUserInputs = 64;
inline constexpr std::size_t kStrengthMaxUserInputCodePoints = 128;

struct StrengthOptions {
  // The year dates and years are measured against. The core reads no clock:
  // callers pass the current year (the JS entry and the CLI do).
  int reference_year = 2026;
};

// One pattern of the chosen decomposition. i and j are inclusive code point
// positions; token is password[i..j] in UTF-8.
struct StrengthMatch {
  std::string pattern;  // dictionary, spatial, repeat, sequence, date, regex, separator, word_sequence, bruteforce
  std::size_t i = 0;
  std::size_t j = 0;
  std::string token;
  double guesses = 0;
  // dictionary only: which list, the rank there, and how the token varies from the word.
  std::string dictionary_name;
  double rank = 0;
  bool reversed = false;
  bool l33t = false;
  std::string matched_word;
  // spatial: the keyboard; sequence: lower, upper, digits or unicode; regex: recent_year.
  std::string detail;
};

struct FeedbackItem {
  std::string code;  // stable snake_case, e.g. "top_ten", "use_words"
  std::string text;  // English
};

struct StrengthFeedback {
  bool has_warning = false;
  FeedbackItem warning;
  std::vector<FeedbackItem> suggestions;
};

struct CrackTimes {               // seconds
  double online_throttled = 0;    // 100 guesses per hour
  double online_unthrottled = 0;  // 10 guesses per second
  double offline_slow_hash = 0;   // 1e4 guesses per second
  double offline_fast_hash = 0;   // 1e10 guesses per second
};

struct StrengthResult {
  double guesses = 1;
  double guesses_log10 = 0;
  int score = 0;  // 0 too guessable .. 4 very unguessable
  CrackTimes crack_times;
  std::vector<StrengthMatch> sequence;
  StrengthFeedback feedback;
  std::size_t length = 0;  // code points estimated (after truncation)
};

// kUtf8Invalid when password (or a user input) is not valid UTF-8.
// user_inputs (email, name, service name, ...) count as a dictionary of their own.
Result<StrengthResult> EstimateStrength(std::string_view password, std::span<const std::string> user_inputs = {},
                                        const StrengthOptions& options = {});

// The result as JSON: {guesses, guesses_log10, score, crack_times_seconds:{...},
// sequence:[{pattern,i,j,token,guesses,...}], feedback:{warning, suggestions}}.
// A missing warning is null.
Json StrengthResultToJsonValue(const StrengthResult& result);
std::string StrengthResultToJson(const StrengthResult& result);

}  // namespace latchkey
