// The minimum-guesses search and the scoring formulas.
#include <catch2/catch.hpp>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

struct Fixture {
  UserInputs inputs;
  Context context{GetDictionaries(), inputs, 2026};
};

CodePoints U(std::string_view utf8) { return *DecodeUtf8(utf8); }

Match Fake(int i, int j, double guesses, const CodePoints& password) {
  Match m;
  m.pattern = Pattern::kDictionary;
  m.i = i;
  m.j = j;
  m.token = password.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(j - i + 1));
  m.guesses = guesses;
  return m;
}

TEST_CASE("search: no matches is brute force over everything", "[strength]") {
  Fixture f;
  const CodePoints password = U("0123456789");
  std::vector<Match> none;
  const Decomposition d = MostGuessableSequence(password, none, f.context);
  REQUIRE(d.sequence.size() == 1);
  CHECK(d.sequence[0].pattern == Pattern::kBruteforce);
  CHECK(d.guesses == 1e10 + 1);  // 1! * 10^10 + 10000^0
}

TEST_CASE("search: the formula l! * product + 10000^(l-1)", "[strength]") {
  Fixture f;
  const CodePoints password = U("abcdefgh");
  // Two matches covering everything: 2! * (100 * 200) + 10000.
  std::vector<Match> matches = {Fake(0, 3, 100, password), Fake(4, 7, 200, password)};
  const Decomposition d = MostGuessableSequence(password, matches, f.context);
  REQUIRE(d.sequence.size() == 2);
  CHECK(d.guesses == 2 * 100 * 200 + 10000);
  // A single match over everything wins when it is cheaper.
  matches.push_back(Fake(0, 7, 40000, password));
  const Decomposition e = MostGuessableSequence(password, matches, f.context);
  REQUIRE(e.sequence.size() == 1);
  CHECK(e.guesses == 40000 + 1);
}

TEST_CASE("search: brute force fills the gaps between matches", "[strength]") {
  Fixture f;
  const CodePoints password = U("xxabcdefghijxx");
  std::vector<Match> matches = {Fake(2, 11, 10, password)};
  const Decomposition d = MostGuessableSequence(password, matches, f.context);
  REQUIRE(d.sequence.size() == 3);
  CHECK(d.sequence[0].pattern == Pattern::kBruteforce);
  CHECK(d.sequence[1].i == 2);
  CHECK(d.sequence[2].pattern == Pattern::kBruteforce);
  CHECK(d.guesses == 6 * (100.0 * 10 * 100) + 1e8);
  // Over a short gap-filled password, one brute force is cheaper.
  const CodePoints short_one = U("xxabcdxx");
  std::vector<Match> one = {Fake(2, 5, 10, short_one)};
  CHECK(MostGuessableSequence(short_one, one, f.context).sequence.size() == 1);
}

TEST_CASE("scoring: uppercase, l33t and reversed variations", "[strength]") {
  Fixture f;
  auto guesses = [&](Match m, std::size_t units) { return EstimateGuesses(m, units, f.context); };
  Match word;
  word.pattern = Pattern::kDictionary;
  word.rank = 100;
  word.token = U("password");
  CHECK(guesses(word, 8) == 100);
  word.token = U("Password");
  CHECK(guesses(word, 8) == 200);  // capitalised: x2
  word.token = U("PASSWORD");
  CHECK(guesses(word, 8) == 200);  // all caps: x2
  word.token = U("PaSsWord");
  CHECK(guesses(word, 8) == 100 * (Choose(8, 1) + Choose(8, 2) + Choose(8, 3)));
  word.token = U("password");
  word.reversed = true;
  CHECK(guesses(word, 8) == 200);
  word.reversed = false;
  word.l33t = true;
  word.token = U("p4ssword");
  word.subs = {{U("a"), U("4")}};
  CHECK(guesses(word, 8) == 200);  // every a substituted: x2
  // A submatch never counts fewer than 50 guesses (10 for one character).
  word.l33t = false;
  word.rank = 1;
  CHECK(guesses(word, 20) == 50);
}

TEST_CASE("scoring: brute force counts UTF-16 units, as zxcvbn-ts does", "[strength]") {
  CHECK(BruteforceGuesses(3, 10) == 1000);
  CHECK(BruteforceGuesses(1, 10) == 11);  // one more than a one-character submatch
  CHECK(BruteforceGuesses(2, 10) == 100);
  CHECK(Utf16Length(U("a\xf0\x9f\x94\x91")) == 3);  // "a" + key emoji
}

TEST_CASE("scoring: helpers", "[strength]") {
  CHECK(Choose(5, 2) == 10);
  CHECK(Choose(2, 5) == 0);
  CHECK(Choose(7, 0) == 1);
  CHECK(Factorial(5) == 120);
  CHECK(Factorial(0) == 1);
}

}  // namespace
}  // namespace latchkey::strength
