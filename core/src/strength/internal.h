// Internals of the strength estimator: the match record every matcher emits,
// and the matchers, scoring, search and feedback that work on it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "strength/dictionary.h"
#include "strength/text.h"

namespace latchkey::strength {

enum class Pattern : std::uint8_t {
  kDictionary,
  kSpatial,
  kRepeat,
  kSequence,
  kDate,
  kRegex,
  kSeparator,
  kWordSequence,
  kBruteforce,
};

struct L33tSub {
  CodePoints letter;
  CodePoints substitution;
};

struct Match {
  Pattern pattern = Pattern::kBruteforce;
  int i = 0;
  int j = 0;
  CodePoints token;
  double guesses = -1;  // < 0 until estimated

  // dictionary
  DictionaryId dictionary = DictionaryId::kPasswords;
  double rank = 0;
  bool reversed = false;
  bool l33t = false;
  std::vector<L33tSub> subs;
  CodePoints matched_word;
  // spatial
  int graph = 0;
  int turns = 0;
  int shifted_count = 0;
  // repeat
  CodePoints base_token;
  double base_guesses = 0;
  double repeat_count = 0;
  // sequence: 0 lower, 1 upper, 2 digits, 3 unicode
  int sequence_name = 0;
  bool ascending = false;
  // date and regex (recent year)
  int year = 0;
  bool has_separator = false;
  // word sequence
  int word_count = 0;
};

// zxcvbn-ts's match order: by start, then end (used with stable sorts).
struct ByPosition {
  bool operator()(const Match& a, const Match& b) const { return a.i != b.i ? a.i < b.i : a.j < b.j; }
};

// The user's own words for one estimate (lowercased, zxcvbn's rank = position).
struct UserInputs {
  SortedWords words;
  std::vector<std::string> storage;
  std::size_t max_length = 0;
};

struct Context {
  const Dictionaries& dictionaries;
  const UserInputs& user_inputs;
  int reference_year;
};

// The password rewritten with l33t substitutions undone, every way
// zxcvbn-ts's unmunger tries (at most 100 variants), computed once per
// password and shared by the l33t passes over both word sets.
struct L33tChange {
  std::size_t i;  // position in the variant
  char32_t letter;
  const CodePoints* substitution;
};
struct L33tVariant {
  CodePoints text;
  std::vector<L33tChange> changes;
  LoweredText lowered;
};
std::vector<L33tVariant> UnmungeL33t(const CodePoints& password);

// Every matcher appends its matches in zxcvbn-ts's order (ties in the search
// go to the earlier match, so the order is part of the result).
void MatchDate(const CodePoints& password, int reference_year, std::vector<Match>& out);
void MatchRecentYear(const CodePoints& password, std::vector<Match>& out);
void MatchRepeat(const CodePoints& password, const Context& context, std::vector<Match>& out);
void MatchSequence(const CodePoints& password, std::vector<Match>& out);
void MatchSpatial(const CodePoints& password, const Dictionaries& dictionaries, std::vector<Match>& out);
void MatchSeparator(const CodePoints& password, std::vector<Match>& out);
void MatchWordSequence(const CodePoints& password, const std::vector<L33tVariant>& variants, const Context& context,
                       std::vector<Match>& out);

// Which word lists a dictionary pass looks in: all (with the user inputs), or
// only the word-sequence lists (for MatchWordSequence).
enum class WordSet { kAll, kWordSequences };
void MatchWords(const CodePoints& password, const Context& context, WordSet set, std::vector<Match>& out);
void MatchReversedWords(const CodePoints& password, const Context& context, WordSet set, std::vector<Match>& out);

void MatchL33tWords(const CodePoints& password, const std::vector<L33tVariant>& variants, const Context& context,
                    WordSet set, std::vector<Match>& out);

// Dictionary matches starting at `start` of a lowercased text, in zxcvbn-ts's
// order for one start (static lists, then user inputs, per end). Returns the
// last position the walk looked at, or SIZE_MAX when it ran into the end.
std::size_t WalkWords(const LoweredText& text, std::size_t start, const Context& context, WordSet set,
                      const std::function<void(std::size_t end, const WordEntry&)>& visit);

// All matchers, sorted by (i, j) stably.
std::vector<Match> Omnimatch(const CodePoints& password, const Context& context);

// Guesses for one match within a password of `password_units` UTF-16 units
// (see Utf16Length: zxcvbn-ts's lengths, which decide minimum guesses).
double EstimateGuesses(Match& match, std::size_t password_units, const Context& context);
double BruteforceGuesses(std::size_t units, std::size_t password_units);

struct Decomposition {
  double guesses = 1;
  std::vector<Match> sequence;
};
Decomposition MostGuessableSequence(const CodePoints& password, std::vector<Match>& matches, const Context& context);

// Warning and suggestions for a decomposition with this score.
struct FeedbackCodes {
  std::string_view warning;  // empty: none
  std::vector<std::string_view> suggestions;
};
FeedbackCodes GetFeedback(int score, const std::vector<Match>& sequence);
std::string_view FeedbackText(std::string_view code, bool warning);

// Numeric helpers shared by the scorers (doubles, exactly as zxcvbn-ts).
double Choose(double n, double k);
double Factorial(int n);

}  // namespace latchkey::strength
