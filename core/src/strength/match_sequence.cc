// Sequences ("abcdef", "97531", "ΑΒΓΔ"): runs of equal code point steps of at
// most 5, as zxcvbn-ts finds them.
#include <cstdlib>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

constexpr long kMaxDelta = 5;

void Update(const CodePoints& password, std::size_t i, std::size_t j, long delta, std::vector<Match>& out) {
  if (!(j - i > 1 || std::labs(delta) == 1)) return;
  if (delta == 0 || std::labs(delta) > kMaxDelta) return;
  Match m;
  m.pattern = Pattern::kSequence;
  m.i = static_cast<int>(i);
  m.j = static_cast<int>(j);
  m.token = password.substr(i, j - i + 1);
  bool lower = true, upper = true, digits = true;
  for (char32_t c : m.token) {
    lower = lower && IsLowerClass(c);
    upper = upper && IsUpperClass(c);
    digits = digits && IsDigit(c);
  }
  m.sequence_name = lower ? 0 : upper ? 1 : digits ? 2 : 3;
  m.ascending = delta > 0;
  out.push_back(std::move(m));
}

}  // namespace

void MatchSequence(const CodePoints& password, std::vector<Match>& out) {
  if (password.size() <= 1) return;
  std::size_t i = 0;
  bool have_last = false;
  long last_delta = 0;
  for (std::size_t k = 1; k < password.size(); ++k) {
    const long delta = static_cast<long>(password[k]) - static_cast<long>(password[k - 1]);
    if (!have_last) {
      last_delta = delta;
      have_last = true;
    }
    if (delta != last_delta) {
      Update(password, i, k - 1, last_delta, out);
      i = k - 1;
      last_delta = delta;
    }
  }
  Update(password, i, password.size() - 1, last_delta, out);
}

}  // namespace latchkey::strength
