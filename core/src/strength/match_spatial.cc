// Keyboard walks ("qwerty", "zxcvbn", "1qaz2wsx", "7896"): chains of adjacent
// keys on each keyboard graph, with the number of direction changes (turns)
// and of shifted characters, as zxcvbn-ts counts them.
#include <string_view>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

bool IsShifted(char32_t c) {
  constexpr std::u32string_view kShifted = U"~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?";
  return kShifted.find(c) != std::u32string_view::npos;
}

void MatchGraph(const CodePoints& password, const KeyboardGraph& graph, int graph_index, std::vector<Match>& out) {
  const std::size_t n = password.size();
  std::size_t i = 0;
  while (i + 1 < n) {
    std::size_t j = i + 1;
    int last_direction = -1;
    int turns = 0;
    int shifted = !graph.keypad && IsShifted(password[i]) ? 1 : 0;
    while (true) {
      bool found = false;
      if (j < n) {
        if (const std::vector<CodePoints>* neighbours = graph.Neighbours(password[j - 1])) {
          for (std::size_t direction = 0; direction < neighbours->size(); ++direction) {
            const CodePoints& neighbour = (*neighbours)[direction];
            const std::size_t at = neighbour.find(password[j]);
            if (at == CodePoints::npos) continue;
            found = true;
            if (at == 1) ++shifted;  // the second character of a key is its shifted one
            if (last_direction != static_cast<int>(direction)) {
              ++turns;  // every walk starts with a turn
              last_direction = static_cast<int>(direction);
            }
            break;
          }
        }
      }
      if (found) {
        ++j;
        continue;
      }
      if (j - i > 2) {  // walks of one or two keys are not patterns
        Match m;
        m.pattern = Pattern::kSpatial;
        m.i = static_cast<int>(i);
        m.j = static_cast<int>(j - 1);
        m.token = password.substr(i, j - i);
        m.graph = graph_index;
        m.turns = turns;
        m.shifted_count = shifted;
        out.push_back(std::move(m));
      }
      i = j;
      break;
    }
  }
}

}  // namespace

void MatchSpatial(const CodePoints& password, const Dictionaries& dictionaries, std::vector<Match>& out) {
  std::vector<Match> matches;
  for (std::size_t g = 0; g < dictionaries.graphs.size(); ++g) {
    MatchGraph(password, dictionaries.graphs[g], static_cast<int>(g), matches);
  }
  std::stable_sort(matches.begin(), matches.end(), ByPosition());
  for (Match& m : matches) out.push_back(std::move(m));
}

}  // namespace latchkey::strength
