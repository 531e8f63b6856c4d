// All matchers over one password, in zxcvbn-ts's order, then sorted by
// position (stably: among equal positions the earlier matcher wins ties).
#include <algorithm>

#include "strength/internal.h"

namespace latchkey::strength {

std::vector<Match> Omnimatch(const CodePoints& password, const Context& context) {
  std::vector<Match> matches;
  MatchDate(password, context.reference_year, matches);
  MatchWords(password, context, WordSet::kAll, matches);
  const std::vector<L33tVariant> variants = UnmungeL33t(password);
  MatchL33tWords(password, variants, context, WordSet::kAll, matches);
  MatchReversedWords(password, context, WordSet::kAll, matches);
  MatchRecentYear(password, matches);
  MatchRepeat(password, context, matches);
  MatchSequence(password, matches);
  MatchSpatial(password, context.dictionaries, matches);
  MatchSeparator(password, matches);
  MatchWordSequence(password, variants, context, matches);
  std::stable_sort(matches.begin(), matches.end(), ByPosition());
  return matches;
}

}  // namespace latchkey::strength
