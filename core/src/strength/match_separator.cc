// Separators ("correct-horse-battery"): the most used of a few separator
// characters, when used at least twice, each single occurrence after
// something else (zxcvbn-ts's separator matcher).
#include <string_view>

#include "strength/internal.h"

namespace latchkey::strength {

void MatchSeparator(const CodePoints& password, std::vector<Match>& out) {
  constexpr std::u32string_view kSeparators = U" ,;:|/\\_.-";
  // Most used separator; ties go to the one seen first.
  std::vector<std::pair<char32_t, int>> counts;
  for (char32_t c : password) {
    if (kSeparators.find(c) == std::u32string_view::npos) continue;
    auto it = std::find_if(counts.begin(), counts.end(), [c](const auto& p) { return p.first == c; });
    if (it == counts.end()) {
      counts.emplace_back(c, 1);
    } else {
      ++it->second;
    }
  }
  if (counts.empty()) return;
  std::pair<char32_t, int> best = counts[0];
  for (const auto& p : counts) {
    if (p.second > best.second) best = p;
  }
  if (best.second < 2) return;
  const char32_t s = best.first;
  // /([^s\n])(s)(?!s)/g: a separator after something else, not doubled.
  for (std::size_t k = 1; k < password.size(); ++k) {
    if (password[k] != s || password[k - 1] == s || password[k - 1] == '\n') continue;
    if (k + 1 < password.size() && password[k + 1] == s) continue;
    Match m;
    m.pattern = Pattern::kSeparator;
    m.i = m.j = static_cast<int>(k);
    m.token = CodePoints(1, s);
    out.push_back(std::move(m));
  }
}

}  // namespace latchkey::strength
