// Dates ("13.05.1991", "130591") and recent years ("1991"), as zxcvbn-ts
// finds them: every substring of 4 to 10 characters tried as day, month and
// year, the year closest to the reference year preferred, and dates inside
// longer dates dropped.
#include <cstdlib>
#include <optional>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 2050;

struct Dmy {
  int day, month, year;
};

std::optional<std::pair<int, int>> DayMonth(int a, int b) {
  if (a >= 1 && a <= 31 && b >= 1 && b <= 12) return std::pair{a, b};
  if (b >= 1 && b <= 31 && a >= 1 && a <= 12) return std::pair{b, a};
  return std::nullopt;
}

int TwoToFourDigitYear(int year) {
  if (year > 99) return year;
  return year > 50 ? year + 1900 : year + 2000;
}

std::optional<Dmy> ToDayMonthYear(int a, int b, int c) {
  if (b > 31 || b <= 0) return std::nullopt;
  int over12 = 0, over31 = 0, under1 = 0;
  for (int v : {a, b, c}) {
    if ((v > 99 && v < kMinYear) || v > kMaxYear) return std::nullopt;
    over31 += v > 31;
    over12 += v > 12;
    under1 += v <= 0;
  }
  if (over31 >= 2 || over12 == 3 || under1 >= 2) return std::nullopt;
  // A four-digit year first or last decides; otherwise a two-digit year.
  const std::pair<int, std::pair<int, int>> splits[] = {{c, {a, b}}, {a, {b, c}}};
  for (const auto& [y, rest] : splits) {
    if (y >= kMinYear && y <= kMaxYear) {
      if (auto dm = DayMonth(rest.first, rest.second)) return Dmy{dm->first, dm->second, y};
      return std::nullopt;
    }
  }
  for (const auto& [y, rest] : splits) {
    if (auto dm = DayMonth(rest.first, rest.second)) return Dmy{dm->first, dm->second, TwoToFourDigitYear(y)};
  }
  return std::nullopt;
}

int ParseDigits(const CodePoints& text, std::size_t from, std::size_t to) {
  int value = 0;
  for (std::size_t k = from; k < to; ++k) value = value * 10 + static_cast<int>(text[k] - '0');
  return value;
}

bool AllDigits(const CodePoints& text, std::size_t from, std::size_t to) {
  for (std::size_t k = from; k < to; ++k) {
    if (!IsDigit(text[k])) return false;
  }
  return true;
}

// JS's \s, which the separator class [\s/\\_.-] includes.
bool IsJsSpace(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
         c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}
bool IsDateSeparator(char32_t c) { return IsJsSpace(c) || c == '/' || c == '\\' || c == '_' || c == '.' || c == '-'; }

Match DateMatch(const CodePoints& password, std::size_t i, std::size_t j, const Dmy& dmy, bool separator) {
  Match m;
  m.pattern = Pattern::kDate;
  m.i = static_cast<int>(i);
  m.j = static_cast<int>(j);
  m.token = password.substr(i, j - i + 1);
  m.year = dmy.year;
  m.has_separator = separator;
  return m;
}

}  // namespace

void MatchDate(const CodePoints& password, int reference_year, std::vector<Match>& out) {
  std::vector<Match> matches;
  const std::size_t n = password.size();
  // Without separators: 4 to 8 digits, split every way that can be a date.
  static const std::vector<std::pair<int, int>> kSplits[9] = {
      {},
      {},
      {},
      {},
      {{1, 2}, {2, 3}},
      {{1, 3}, {2, 3}, {2, 4}},
      {{1, 2}, {2, 4}, {4, 5}},
      {{1, 3}, {2, 3}, {4, 5}, {4, 6}},
      {{2, 4}, {4, 6}},
  };
  const std::size_t last_start4 = n >= 4 ? n - 4 : 4 - n;  // zxcvbn-ts loops to |n - 4|
  for (std::size_t i = 0; i <= last_start4; ++i) {
    for (std::size_t j = i + 3; j <= i + 7 && j < n; ++j) {
      if (!AllDigits(password, i, j + 1)) continue;
      const std::size_t length = j - i + 1;
      std::optional<Dmy> best;
      int best_distance = 0;
      for (const auto& [k, l] : kSplits[length]) {
        const std::size_t a = i + static_cast<std::size_t>(k), b = i + static_cast<std::size_t>(l);
        auto dmy =
            ToDayMonthYear(ParseDigits(password, i, a), ParseDigits(password, a, b), ParseDigits(password, b, j + 1));
        if (!dmy) continue;
        const int distance = std::abs(dmy->year - reference_year);
        if (!best || distance < best_distance) {
          best = dmy;
          best_distance = distance;
        }
      }
      if (best) matches.push_back(DateMatch(password, i, j, *best, false));
    }
  }
  // With separators: 1-4 digits, separator, 1-2 digits, the same separator, 1-4 digits.
  const std::size_t last_start6 = n >= 6 ? n - 6 : 6 - n;
  for (std::size_t i = 0; i <= last_start6; ++i) {
    for (std::size_t j = i + 5; j <= i + 9 && j < n; ++j) {
      std::size_t a = i;
      while (a <= j && IsDigit(password[a])) ++a;
      if (a == i || a - i > 4 || a > j || !IsDateSeparator(password[a])) continue;
      const char32_t separator = password[a];
      std::size_t b = a + 1;
      while (b <= j && IsDigit(password[b])) ++b;
      if (b == a + 1 || b - a - 1 > 2 || b > j || password[b] != separator) continue;
      const std::size_t c = b + 1;
      if (c > j || j + 1 - c > 4 || !AllDigits(password, c, j + 1)) continue;
      auto dmy =
          ToDayMonthYear(ParseDigits(password, i, a), ParseDigits(password, a + 1, b), ParseDigits(password, c, j + 1));
      if (dmy) matches.push_back(DateMatch(password, i, j, *dmy, true));
    }
  }
  // Drop dates that lie inside another date.
  std::vector<Match> kept;
  for (std::size_t m = 0; m < matches.size(); ++m) {
    bool inside = false;
    for (std::size_t o = 0; o < matches.size() && !inside; ++o) {
      inside = o != m && matches[o].i <= matches[m].i && matches[o].j >= matches[m].j;
    }
    if (!inside) kept.push_back(matches[m]);
  }
  std::stable_sort(kept.begin(), kept.end(), ByPosition());
  for (Match& m : kept) out.push_back(std::move(m));
}

// /19\d\d|200\d|201\d|202\d/g: non-overlapping, left to right.
void MatchRecentYear(const CodePoints& password, std::vector<Match>& out) {
  const std::size_t n = password.size();
  for (std::size_t i = 0; i + 4 <= n;) {
    const char32_t* p = password.data() + i;
    const bool match = AllDigits(password, i, i + 4) &&
                       ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '2'));
    if (!match) {
      ++i;
      continue;
    }
    Match m;
    m.pattern = Pattern::kRegex;
    m.i = static_cast<int>(i);
    m.j = static_cast<int>(i + 3);
    m.token = password.substr(i, 4);
    m.year = ParseDigits(password, i, i + 4);
    out.push_back(std::move(m));
    i += 4;
  }
}

}  // namespace latchkey::strength
