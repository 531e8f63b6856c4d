// The minimum-guesses decomposition (zxcvbn's dynamic programme): among all
// sequences of non-overlapping matches covering the password, with brute
// force filling the gaps, the one minimising
//   l! * prod(guesses) + 10000^(l - 1)      (l = number of matches)
// where l! counts the orders an attacker must try the patterns in, and the
// additive term says shorter sequences are tried first.
#include <algorithm>
#include <limits>

#include "latchkey/strength.h"

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

constexpr double kMinGuessesBeforeGrowingSequence = 10000;

// For one end position: the best sequence of each length ending there. Few
// lengths survive, so a small vector sorted by length beats a map.
struct Candidate {
  int length;
  double total;    // the minimised metric
  double product;  // product of the sequence's guesses
  int match;       // index into the matches, or -1 for brute force...
  int start;       // ...from here to the end position
};

class Search {
 public:
  Search(const CodePoints& password, std::vector<Match>& matches, const Context& context)
      : password_(password),
        matches_(matches),
        context_(context),
        best_(password.size()),
        min_product_(password.size(), kInfinity),
        units_(1, 0) {
    for (char32_t c : password) units_.push_back(units_.back() + (c > 0xFFFF ? 2 : 1));
  }

  Decomposition Run() {
    const std::size_t n = password_.size();
    std::vector<std::vector<int>> by_end(n);
    for (std::size_t k = 0; k < matches_.size(); ++k) {
      by_end[static_cast<std::size_t>(matches_[k].j)].push_back(static_cast<int>(k));
    }
    for (auto& list : by_end) {
      std::stable_sort(list.begin(), list.end(), [&](int a, int b) { return At(a).i < At(b).i; });
    }
    // An upper bound on the answer: any one thing covering everything. A
    // sequence only grows costlier as it extends, so candidates above it can
    // never end the best sequence; dropping them changes nothing else (each
    // kept candidate is only ever compared with cheaper ones).
    if (n > 0) {
      bound_ = BruteforceGuesses(units_.back(), units_.back()) + 1;
      for (int index : by_end[n - 1]) {
        Match& m = At(index);
        if (m.i == 0) bound_ = std::min(bound_, EstimateGuesses(m, units_.back(), context_) + 1);
      }
    }
    for (std::size_t k = 0; k < n; ++k) {
      for (int index : by_end[k]) {
        Match& m = At(index);
        const double guesses = EstimateGuesses(m, units_.back(), context_);
        if (m.i > 0) {
          for (const Candidate& c : best_[static_cast<std::size_t>(m.i - 1)]) {
            Update(k, m.i, guesses * c.product, index, c.length + 1);
          }
        } else {
          Update(k, m.i, guesses, index, 1);
        }
      }
      BruteforceUpdate(k);
    }
    return Unwind();
  }

 private:
  Match& At(int index) { return matches_[static_cast<std::size_t>(index)]; }

  // A sequence of `length` matches ending at k with the last match starting
  // at i; product: its guesses times those of the sequence before it.
  void Update(std::size_t k, int i, double product, int match, int length) {
    double total = Factorial(length) * product;
    total += Power10000(length - 1);
    if (total > bound_) return;
    // Skip when a sequence no longer than this one does at least as well.
    std::vector<Candidate>& here = best_[k];
    for (const Candidate& c : here) {
      if (c.length > length) break;  // sorted by length
      if (c.total <= total) return;
    }
    const Candidate candidate{length, total, product, match, i};
    auto it = std::find_if(here.begin(), here.end(), [length](const Candidate& c) { return c.length >= length; });
    if (it != here.end() && it->length == length) {
      *it = candidate;
    } else {
      here.insert(it, candidate);
    }
  }

  static double Power10000(int exponent) {
    static const std::vector<double> table = [] {
      std::vector<double> t(kStrengthMaxCodePoints + 2, 1);
      for (std::size_t k = 1; k < t.size(); ++k) t[k] = t[k - 1] * kMinGuessesBeforeGrowingSequence;
      return t;
    }();
    return table[static_cast<std::size_t>(exponent)];
  }

  static double Factorial(int n) {
    static const std::vector<double> table = [] {
      std::vector<double> t(kStrengthMaxCodePoints + 2, 1);
      for (std::size_t k = 2; k < t.size(); ++k) t[k] = t[k - 1] * static_cast<double>(k);
      return t;
    }();
    return table[static_cast<std::size_t>(n)];
  }

  double Bruteforce(std::size_t i, std::size_t k) const {
    return BruteforceGuesses(units_[k + 1] - units_[i], units_.back());
  }

  // Brute force from every start to k, appended to sequences that end just
  // before it (never after another brute force: one longer one is better).
  //
  // Pruned exactly: any such sequence costs at least 2 * guesses(i..k) *
  // (the smallest product ending at i - 1), and when that is no better than
  // the best single match over 0..k (always present after the first
  // update), Update would skip every candidate. This keeps long inputs fast.
  void BruteforceUpdate(std::size_t k) {
    if (k > 0) min_product_[k - 1] = MinProduct(k - 1);  // best_[k - 1] is final now
    Update(k, 0, Bruteforce(0, k), -1, 1);
    const double single = !best_[k].empty() && best_[k].front().length == 1 ? best_[k].front().total : kInfinity;
    for (std::size_t i = 1; i <= k; ++i) {
      const double guesses = Bruteforce(i, k);
      if (2 * guesses * min_product_[i - 1] >= single || 2 * guesses * min_product_[i - 1] > bound_) continue;
      for (const Candidate& c : best_[i - 1]) {
        if (c.match >= 0) Update(k, static_cast<int>(i), guesses * c.product, -1, c.length + 1);
      }
    }
  }

  // Smallest product of a sequence ending at k with a match (not brute force).
  double MinProduct(std::size_t k) const {
    double min = kInfinity;
    for (const Candidate& c : best_[k]) {
      if (c.match >= 0) min = std::min(min, c.product);
    }
    return min;
  }

  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  Decomposition Unwind() {
    Decomposition result;
    const std::size_t n = password_.size();
    if (n == 0) return result;  // guesses 1, no matches
    int length = 0;
    double total = std::numeric_limits<double>::infinity();
    for (const Candidate& c : best_[n - 1]) {
      if (c.total < total) {
        length = c.length;
        total = c.total;
      }
    }
    result.guesses = total;
    long k = static_cast<long>(n) - 1;
    while (k >= 0) {
      const std::vector<Candidate>& here = best_[static_cast<std::size_t>(k)];
      auto it = std::find_if(here.begin(), here.end(), [length](const Candidate& c) { return c.length == length; });
      if (it == here.end()) break;  // cannot happen: each kept candidate extends a kept one
      if (it->match >= 0) {
        result.sequence.push_back(At(it->match));
      } else {
        Match m;
        m.pattern = Pattern::kBruteforce;
        m.i = it->start;
        m.j = static_cast<int>(k);
        m.token = password_.substr(static_cast<std::size_t>(m.i), static_cast<std::size_t>(m.j - m.i + 1));
        m.guesses = Bruteforce(static_cast<std::size_t>(m.i), static_cast<std::size_t>(k));
        result.sequence.push_back(std::move(m));
      }
      k = it->start - 1;
      --length;
    }
    std::reverse(result.sequence.begin(), result.sequence.end());
    return result;
  }

  const CodePoints& password_;
  std::vector<Match>& matches_;
  const Context& context_;
  std::vector<std::vector<Candidate>> best_;
  std::vector<double> min_product_;  // MinProduct of each finished position
  double bound_ = kInfinity;
  std::vector<std::size_t> units_;  // UTF-16 units before each position
};

}  // namespace

Decomposition MostGuessableSequence(const CodePoints& password, std::vector<Match>& matches, const Context& context) {
  return Search(password, matches, context).Run();
}

}  // namespace latchkey::strength
