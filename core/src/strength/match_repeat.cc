// Repeats ("aaaa", "abcabcabc"): the regular expressions /(.+)\1+/ (greedy)
// and /(.+?)\1+/ (lazy) of zxcvbn-ts, evaluated directly on code points. The
// repeated unit is itself estimated (recursively, all matchers), so "abcabc"
// costs what "abc" costs, times two.
#include "strength/internal.h"

namespace latchkey::strength {
namespace {

// JS's "." does not match line terminators.
bool IsLineTerminator(char32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

bool SameBlock(const CodePoints& s, std::size_t a, std::size_t b, std::size_t length) {
  for (std::size_t k = 0; k < length; ++k) {
    if (s[a + k] != s[b + k]) return false;
  }
  return true;
}

// How many times the unit s[start, start + unit) repeats from start.
std::size_t Repeats(const CodePoints& s, std::size_t start, std::size_t unit) {
  std::size_t count = 1;
  while (start + (count + 1) * unit <= s.size() && SameBlock(s, start, start + count * unit, unit)) ++count;
  return count;
}

struct Found {
  std::size_t start, unit, count;
};

// The leftmost position from `from` where some unit repeats, with the
// longest (greedy) or shortest (lazy) such unit.
std::optional<Found> Find(const CodePoints& s, std::size_t from, bool greedy) {
  const std::size_t n = s.size();
  for (std::size_t start = from; start < n; ++start) {
    std::size_t longest = 0;  // units may not contain a line terminator
    while (start + longest < n && !IsLineTerminator(s[start + longest])) ++longest;
    const std::size_t max_unit = std::min(longest, (n - start) / 2);
    for (std::size_t k = 0; k < max_unit; ++k) {
      const std::size_t unit = greedy ? max_unit - k : k + 1;
      if (SameBlock(s, start, start + unit, unit)) return Found{start, unit, Repeats(s, start, unit)};
    }
  }
  return std::nullopt;
}

}  // namespace

void MatchRepeat(const CodePoints& password, const Context& context, std::vector<Match>& out) {
  std::size_t last = 0;
  while (last < password.size()) {
    const std::optional<Found> greedy = Find(password, last, true);
    if (!greedy) break;
    const std::optional<Found> lazy = Find(password, last, false);
    Found chosen = *lazy;
    if (greedy->unit * greedy->count > lazy->unit * lazy->count) {
      // The greedy unit may repeat itself ("aab" in "aabaab..."): the
      // shortest unit the whole match repeats is the base.
      chosen = *greedy;
      const std::size_t length = greedy->unit * greedy->count;
      for (std::size_t unit = 1; unit <= length / 2; ++unit) {
        if (length % unit == 0 && Repeats(password, greedy->start, unit) * unit >= length) {
          chosen.unit = unit;
          chosen.count = length / unit;
          break;
        }
      }
    }
    Match m;
    m.pattern = Pattern::kRepeat;
    m.i = static_cast<int>(chosen.start);
    m.j = static_cast<int>(chosen.start + chosen.unit * chosen.count - 1);
    m.token = password.substr(chosen.start, chosen.unit * chosen.count);
    m.base_token = password.substr(chosen.start, chosen.unit);
    std::vector<Match> base_matches = Omnimatch(m.base_token, context);
    m.base_guesses = MostGuessableSequence(m.base_token, base_matches, context).guesses;
    m.repeat_count = static_cast<double>(chosen.count);
    last = static_cast<std::size_t>(m.j) + 1;
    out.push_back(std::move(m));
  }
}

}  // namespace latchkey::strength
