// Word sequences ("onetwothree", "Monday-Tuesday"): consecutive words of the
// ordered lists (numbers, days, months, planets, ...), plain, l33t or
// reversed, joined directly, by one of " -_." or by one capital letter, as
// zxcvbn-ts 4's wordSequence matcher finds them.
#include <algorithm>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

struct Word {
  int i, j;
  double rank;
  DictionaryId dictionary;
};

bool Joins(const CodePoints& password, const Word& last, const Word& next) {
  if (next.i < last.j + 1) return false;
  const CodePoints between =
      password.substr(static_cast<std::size_t>(last.j + 1), static_cast<std::size_t>(next.i - last.j - 1));
  if (between.empty()) return true;
  if (between.size() == 1) {
    const char32_t c = between[0];
    if (c == ' ' || c == '-' || c == '_' || c == '.') return true;
    // A single capital letter between the words ("camelCase" in zxcvbn-ts's terms).
    return Lower(c) != c;
  }
  return false;
}

Match SequenceMatch(const CodePoints& password, const std::vector<Word>& words) {
  Match m;
  m.pattern = Pattern::kWordSequence;
  m.i = words.front().i;
  m.j = words.back().j;
  m.token = password.substr(static_cast<std::size_t>(m.i), static_cast<std::size_t>(m.j - m.i + 1));
  m.word_count = static_cast<int>(words.size());
  m.ascending = true;
  for (std::size_t k = 1; k < words.size(); ++k) m.ascending = m.ascending && words[k].rank >= words[k - 1].rank;
  // The most common list names the sequence (not used in scoring).
  int counts[static_cast<int>(DictionaryId::kUserInputs) + 1] = {};
  int best = 0;
  for (const Word& w : words) {
    const int count = ++counts[static_cast<int>(w.dictionary)];
    if (count > best) {
      best = count;
      m.dictionary = w.dictionary;
    }
  }
  return m;
}

}  // namespace

void MatchWordSequence(const CodePoints& password, const std::vector<L33tVariant>& variants, const Context& context,
                       std::vector<Match>& out) {
  std::vector<Match> found;
  MatchWords(password, context, WordSet::kWordSequences, found);
  MatchL33tWords(password, variants, context, WordSet::kWordSequences, found);
  MatchReversedWords(password, context, WordSet::kWordSequences, found);
  // Non-overlapping words, earliest first; forward before reversed, plain before l33t, better rank first.
  std::stable_sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
    if (a.i != b.i) return a.i < b.i;
    if (a.j != b.j) return a.j < b.j;
    if (a.reversed != b.reversed) return !a.reversed;
    if (a.l33t != b.l33t) return !a.l33t;
    return a.rank < b.rank;
  });
  std::vector<Word> words;
  for (const Match& m : found) {
    if (words.empty() || m.i > words.back().j) words.push_back({m.i, m.j, m.rank, m.dictionary});
  }
  for (std::size_t start = 0; start < words.size(); ++start) {
    std::vector<Word> current{words[start]};
    int end = words[start].j;
    for (std::size_t next = start + 1; next < words.size(); ++next) {
      if (Joins(password, current.back(), words[next])) {
        current.push_back(words[next]);
        end = words[next].j;
      } else if (words[next].i > end) {
        if (current.size() > 1) out.push_back(SequenceMatch(password, current));
        current = {words[next]};
        end = words[next].j;
      }
    }
    if (current.size() > 1) out.push_back(SequenceMatch(password, current));
  }
}

}  // namespace latchkey::strength
