// Feedback for weak passwords: a warning about the longest pattern and
// suggestions, chosen as zxcvbn-ts chooses them. Codes are stable API; the
// English texts are ours.
#include <string_view>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

struct Text {
  std::string_view code, text;
};

constexpr Text kWarnings[] = {
    {"straight_row", "Straight rows of keys are easy to guess."},
    {"key_pattern", "Short keyboard patterns are easy to guess."},
    {"simple_repeat", "Repeated characters like \"aaa\" are easy to guess."},
    {"extended_repeat", "Repeated patterns like \"abcabcabc\" are easy to guess."},
    {"sequences", "Sequences like \"abc\" or \"6543\" are easy to guess."},
    {"recent_years", "Recent years are easy to guess."},
    {"dates", "Dates are easy to guess."},
    {"top_ten", "This is one of the ten most used passwords."},
    {"top_hundred", "This is one of the hundred most used passwords."},
    {"common", "This is a commonly used password."},
    {"similar_to_common", "This is similar to a commonly used password."},
    {"word_by_itself", "A single word is easy to guess."},
    {"names_by_themselves", "A single name or surname is easy to guess."},
    {"common_names", "Common names and surnames are easy to guess."},
    {"user_inputs", "Avoid your own details, such as your name or email address."},
};

constexpr Text kSuggestions[] = {
    {"l33t", "Predictable substitutions like \"@\" for \"a\" do not help much."},
    {"reverse_words", "Reversed words are not much harder to guess."},
    {"all_uppercase", "Capitalize some letters, not all."},
    {"capitalization", "Capitalize more than the first letter."},
    {"dates", "Avoid dates and years that are associated with you."},
    {"recent_years", "Avoid recent years."},
    {"associated_years", "Avoid years that are associated with you."},
    {"sequences", "Avoid sequences of characters."},
    {"repeated", "Avoid repeated words and characters."},
    {"longer_keyboard_pattern", "Use longer keyboard patterns that change direction often."},
    {"another_word", "Add another word or two; uncommon words are better."},
    {"use_words", "Use several words, but avoid common phrases."},
    {"no_need", "No need for symbols, digits or uppercase letters: length matters more."},
};

bool StartsUpper(const CodePoints& token) {  // /^[A-Z\xbf-\xdf][^A-Z\xbf-\xdf]+$/
  if (token.size() < 2 || !IsUpperClass(token[0])) return false;
  for (std::size_t k = 1; k < token.size(); ++k) {
    if (IsUpperClass(token[k])) return false;
  }
  return true;
}

bool NoLower(const CodePoints& token) {  // /^[^a-z\xdf-\xff]+$/
  if (token.empty()) return false;
  for (char32_t c : token) {
    if (IsLowerClass(c)) return false;
  }
  return true;
}

bool IsName(DictionaryId d) { return d == DictionaryId::kFirstnames || d == DictionaryId::kLastnames; }

FeedbackCodes DictionaryFeedback(const Match& m, bool sole) {
  FeedbackCodes f;
  if (m.dictionary == DictionaryId::kPasswords) {
    if (sole && !m.l33t && !m.reversed) {
      f.warning = m.rank <= 10 ? "top_ten" : m.rank <= 100 ? "top_hundred" : "common";
    } else if (m.guesses <= 10000) {  // zxcvbn-ts: guessesLog10 <= 4
      f.warning = "similar_to_common";
    }
  } else if (m.dictionary == DictionaryId::kWikipedia) {
    if (sole) f.warning = "word_by_itself";
  } else if (IsName(m.dictionary)) {
    f.warning = sole ? "names_by_themselves" : "common_names";
  } else if (m.dictionary == DictionaryId::kUserInputs) {
    f.warning = "user_inputs";
  }
  if (StartsUpper(m.token)) {
    f.suggestions.push_back("capitalization");
  } else if (NoLower(m.token) && Lower(m.token) != m.token) {
    f.suggestions.push_back("all_uppercase");
  }
  if (m.reversed && m.token.size() >= 4) f.suggestions.push_back("reverse_words");
  if (m.l33t) f.suggestions.push_back("l33t");
  return f;
}

FeedbackCodes MatchFeedback(const Match& m, bool sole) {
  switch (m.pattern) {
    case Pattern::kDictionary:
      return DictionaryFeedback(m, sole);
    case Pattern::kSpatial:
      return {m.turns == 1 ? "straight_row" : "key_pattern", {"longer_keyboard_pattern"}};
    case Pattern::kRepeat:
      return {m.base_token.size() == 1 ? "simple_repeat" : "extended_repeat", {"repeated"}};
    case Pattern::kSequence:
      return {"sequences", {"sequences"}};
    case Pattern::kDate:
      return {"dates", {"dates"}};
    case Pattern::kRegex:
      return {"recent_years", {"recent_years", "associated_years"}};
    case Pattern::kWordSequence: {
      FeedbackCodes f;
      if (m.word_count >= 3) f.warning = "sequences";
      f.suggestions.push_back(m.ascending ? "sequences" : "another_word");
      if (m.word_count > 2) f.suggestions.push_back("use_words");
      return f;
    }
    case Pattern::kSeparator:
    case Pattern::kBruteforce:
      return {};
  }
  return {};
}

}  // namespace

FeedbackCodes GetFeedback(int score, const std::vector<Match>& sequence) {
  if (sequence.empty()) return {{}, {"use_words", "no_need"}};
  if (score > 2) return {};
  const Match* longest = &sequence[0];
  for (const Match& m : sequence) {
    if (m.token.size() > longest->token.size()) longest = &m;
  }
  FeedbackCodes f = MatchFeedback(*longest, sequence.size() == 1);
  f.suggestions.insert(f.suggestions.begin(), "another_word");
  return f;
}

std::string_view FeedbackText(std::string_view code, bool warning) {
  if (warning) {
    for (const Text& t : kWarnings) {
      if (t.code == code) return t.text;
    }
  } else {
    for (const Text& t : kSuggestions) {
      if (t.code == code) return t.text;
    }
  }
  return {};
}

}  // namespace latchkey::strength
