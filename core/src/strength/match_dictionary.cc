// Ranked-dictionary matches: every substring that is a listed word, forwards
// and reversed (zxcvbn-ts's dictionary and dictionaryReverse matchers).
#include <algorithm>
#include <cstdint>

#include "strength/internal.h"

namespace latchkey::strength {

std::size_t WalkWords(const LoweredText& text, std::size_t start, const Context& context, WordSet set,
                      const std::function<void(std::size_t end, const WordEntry&)>& visit) {
  auto ranked = [&](std::size_t end, const WordEntry& entry) {
    if (!(entry.flags & kFlagNoRank)) visit(end, entry);
  };
  if (set == WordSet::kWordSequences) return context.dictionaries.word_sequence.Walk(text, start, ranked);
  std::size_t last = context.dictionaries.words.Walk(text, start, ranked);
  if (context.user_inputs.words.size() > 0) last = std::max(last, context.user_inputs.words.Walk(text, start, ranked));
  return last;
}

void MatchWords(const CodePoints& password, const Context& context, WordSet set, std::vector<Match>& out) {
  const LoweredText lowered = LowerUtf8(password);
  const CodePoints lower = Lower(password);
  for (std::size_t i = 0; i < password.size(); ++i) {
    WalkWords(lowered, i, context, set, [&](std::size_t j, const WordEntry& entry) {
      Match m;
      m.pattern = Pattern::kDictionary;
      m.i = static_cast<int>(i);
      m.j = static_cast<int>(j);
      m.token = password.substr(i, j - i + 1);
      m.matched_word = lower.substr(i, j - i + 1);
      m.dictionary = entry.dictionary;
      m.rank = entry.rank;
      out.push_back(std::move(m));
    });
  }
}

void MatchReversedWords(const CodePoints& password, const Context& context, WordSet set, std::vector<Match>& out) {
  const CodePoints reversed(password.rbegin(), password.rend());
  const std::size_t first = out.size();
  MatchWords(reversed, context, set, out);
  const int n = static_cast<int>(password.size());
  for (std::size_t k = first; k < out.size(); ++k) {
    Match& m = out[k];
    std::reverse(m.token.begin(), m.token.end());
    m.reversed = true;
    const int i = n - 1 - m.j, j = n - 1 - m.i;
    m.i = i;
    m.j = j;
  }
}

}  // namespace latchkey::strength
