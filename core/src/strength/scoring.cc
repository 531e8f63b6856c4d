// Guesses per match: one formula per pattern, zxcvbn-ts's, in doubles in the
// same order of operations so both builds (and zxcvbn-ts) round alike.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "latchkey/strength.h"
#include "strength/internal.h"

namespace latchkey::strength {
namespace {

constexpr double kMinSubmatchGuessesSingleChar = 10;
constexpr double kMinSubmatchGuessesMultiChar = 50;
constexpr double kMinYearSpace = 21;
constexpr double kSeparatorGuesses = 10;  // how many separator characters there are

double Power(double base, int exponent) {
  double result = 1;
  for (int k = 0; k < exponent; ++k) result *= base;
  return result;
}

// Upper and lower case letters of the word beyond "all lower", "Capitalised",
// "lasT" and "ALL UPPER", which each just double the guesses.
double UppercaseVariations(const CodePoints& token) {
  // zxcvbn-ts first removes all but letters (/[^A-Za-z\xbf-\xdf]/gi).
  CodePoints word;
  for (char32_t c : token) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xbf && c <= 0xfe && c != 0xf7)) word.push_back(c);
  }
  const bool no_upper = !word.empty() && std::none_of(word.begin(), word.end(), IsUpperClass);
  if (no_upper || Lower(word) == word) return 1;
  const std::size_t n = word.size();
  const bool start_upper = n >= 2 && IsUpperClass(word[0]) && std::none_of(word.begin() + 1, word.end(), IsUpperClass);
  const bool end_upper =
      n >= 2 && IsUpperClass(word[n - 1]) && std::none_of(word.begin(), word.end() - 1, IsUpperClass);
  const bool all_upper = std::none_of(word.begin(), word.end(), IsLowerClass);
  if (start_upper || end_upper || all_upper) return 2;
  const auto upper = static_cast<double>(std::count_if(word.begin(), word.end(), IsUpperClass));
  const auto lower = static_cast<double>(std::count_if(word.begin(), word.end(), IsLowerClass));
  double variations = 0;
  for (double i = 1; i <= std::min(upper, lower); ++i) variations += Choose(upper + lower, i);
  return variations;
}

std::size_t CountSubstring(const CodePoints& text, const CodePoints& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != CodePoints::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

double L33tVariations(const Match& m) {
  if (!m.l33t) return 1;
  const CodePoints lower = Lower(m.token);
  double variations = 1;
  for (const L33tSub& sub : m.subs) {
    const auto subbed = static_cast<double>(CountSubstring(lower, sub.substitution));
    const auto unsubbed = static_cast<double>(CountSubstring(lower, sub.letter));
    if (subbed == 0 || unsubbed == 0) {
      variations *= 2;  // all substituted or none: the attacker tries both
    } else {
      double possibilities = 0;
      for (double i = 1; i <= std::min(subbed, unsubbed); ++i) possibilities += Choose(subbed + unsubbed, i);
      variations *= possibilities;
    }
  }
  return variations;
}

double DictionaryGuesses(const Match& m) {
  return m.rank * UppercaseVariations(m.token) * L33tVariations(m) * (m.reversed ? 2 : 1);
}

double SpatialGuesses(const Match& m, const Context& context) {
  const KeyboardGraph& graph = context.dictionaries.graphs[static_cast<std::size_t>(m.graph)];
  const int length = static_cast<int>(m.token.size());
  double guesses = 0;
  for (int i = 2; i <= length; ++i) {
    const int possible_turns = std::min(m.turns, i - 1);
    for (int j = 1; j <= possible_turns; ++j) {
      guesses += Choose(i - 1, j - 1) * graph.starting_positions * Power(graph.average_degree, j);
    }
  }
  if (m.shifted_count > 0) {
    const double shifted = m.shifted_count;
    const double unshifted = length - m.shifted_count;
    if (unshifted == 0) {
      guesses *= 2;
    } else {
      double variations = 0;
      for (double i = 1; i <= std::min(shifted, unshifted); ++i) variations += Choose(shifted + unshifted, i);
      guesses *= variations;
    }
  }
  return std::floor(guesses + 0.5);  // Math.round
}

double SequenceGuesses(const Match& m) {
  const char32_t first = m.token[0];
  double base;
  if (first == 'a' || first == 'A' || first == 'z' || first == 'Z' || first == '0' || first == '1' || first == '9') {
    base = 4;  // obvious starting points
  } else if (IsDigit(first)) {
    base = 10;
  } else {
    base = 26;
  }
  if (!m.ascending) base *= 2;
  return base * static_cast<double>(m.token.size());
}

double DateGuesses(const Match& m, int reference_year) {
  const double year_space = std::max(static_cast<double>(std::abs(m.year - reference_year)), kMinYearSpace);
  double guesses = year_space * 365;
  if (m.has_separator) guesses *= 4;
  return guesses;
}

double BruteforceBase(std::size_t length) {
  // 10^length by repeated multiplication (as the other powers here), tabled.
  static const std::vector<double> kPowers = [] {
    std::vector<double> t(2 * kStrengthMaxCodePoints + 1, 1);
    for (std::size_t k = 1; k < t.size(); ++k) t[k] = t[k - 1] * 10;
    return t;
  }();
  double guesses = length < kPowers.size() ? kPowers[length] : Power(10, static_cast<int>(length));
  if (std::isinf(guesses)) guesses = std::numeric_limits<double>::max();
  // One more than the smallest submatch, so that patterns win ties over brute force.
  const double min = length == 1 ? kMinSubmatchGuessesSingleChar + 1 : kMinSubmatchGuessesMultiChar + 1;
  return std::max(guesses, min);
}

double WordSequenceGuesses(const Match& m) { return Factorial(m.word_count) * Power(2, m.word_count - 2); }

}  // namespace

double Choose(double n, double k) {
  if (k > n) return 0;
  if (k == 0) return 1;
  double count = n, result = 1;
  for (double i = 1; i <= k; ++i) {
    result *= count;
    result /= i;
    count -= 1;
  }
  return result;
}

double Factorial(int n) {
  double result = 1;
  for (int i = 2; i <= n; ++i) result *= i;
  return result;
}

double MinGuesses(std::size_t token_length, std::size_t password_length) {
  if (token_length >= password_length) return 1;
  return token_length == 1 ? kMinSubmatchGuessesSingleChar : kMinSubmatchGuessesMultiChar;
}

double BruteforceGuesses(std::size_t length, std::size_t password_length) {
  return std::max(BruteforceBase(length), MinGuesses(length, password_length));
}

double EstimateGuesses(Match& m, std::size_t password_units, const Context& context) {
  if (m.guesses >= 0) return m.guesses;
  const double min_guesses = MinGuesses(Utf16Length(m.token), password_units);
  double guesses = 0;
  switch (m.pattern) {
    case Pattern::kBruteforce:
      guesses = BruteforceBase(Utf16Length(m.token));
      break;
    case Pattern::kDate:
      guesses = DateGuesses(m, context.reference_year);
      break;
    case Pattern::kDictionary:
      guesses = DictionaryGuesses(m);
      break;
    case Pattern::kRegex:
      guesses = std::max(static_cast<double>(std::abs(m.year - context.reference_year)), kMinYearSpace);
      break;
    case Pattern::kRepeat:
      guesses = m.base_guesses * m.repeat_count;
      break;
    case Pattern::kSequence:
      guesses = SequenceGuesses(m);
      break;
    case Pattern::kSpatial:
      guesses = SpatialGuesses(m, context);
      break;
    case Pattern::kSeparator:
      guesses = kSeparatorGuesses;
      break;
    case Pattern::kWordSequence:
      guesses = WordSequenceGuesses(m);
      break;
  }
  m.guesses = std::max(guesses, min_guesses);
  return m.guesses;
}

}  // namespace latchkey::strength
