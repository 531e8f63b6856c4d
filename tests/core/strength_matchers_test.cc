// One section per matcher of the strength estimator, on its internals
// (core/src/strength/internal.h): what each finds, where, and what it records.
#include <catch2/catch.hpp>

#include <algorithm>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

struct Fixture {
  UserInputs inputs;
  Context context{GetDictionaries(), inputs, 2026};
};

CodePoints U(std::string_view utf8) { return *DecodeUtf8(utf8); }
std::string S(const CodePoints& text) { return EncodeUtf8(text); }

bool Has(const std::vector<Match>& matches, Pattern pattern, int i, int j) {
  return std::any_of(matches.begin(), matches.end(),
                     [&](const Match& m) { return m.pattern == pattern && m.i == i && m.j == j; });
}

const Match* Find(const std::vector<Match>& matches, Pattern pattern, int i, int j) {
  for (const Match& m : matches) {
    if (m.pattern == pattern && m.i == i && m.j == j) return &m;
  }
  return nullptr;
}

TEST_CASE("dictionary: every listed substring, lowercased, with its list and rank", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchWords(U("PassWord"), f.context, WordSet::kAll, out);
  const Match* m = Find(out, Pattern::kDictionary, 0, 7);
  REQUIRE(m != nullptr);
  CHECK(m->dictionary == DictionaryId::kPasswords);
  CHECK(m->rank == 2);  // exact: ranks up to 10 are stored exactly
  CHECK(S(m->matched_word) == "password");
  CHECK(S(m->token) == "PassWord");
  CHECK(Has(out, Pattern::kDictionary, 0, 3));  // "pass"
  CHECK(Has(out, Pattern::kDictionary, 4, 7));  // "word"
}

TEST_CASE("dictionary: user inputs rank by position, lowercased", "[strength]") {
  Fixture f;
  f.inputs.storage.reserve(2);  // the word list keeps views into storage
  f.inputs.words.Add(f.inputs.storage.emplace_back("zebedee"), DictionaryId::kUserInputs, 0, 1);
  f.inputs.words.Add(f.inputs.storage.emplace_back("quuxcorp"), DictionaryId::kUserInputs, 0, 2);
  f.inputs.words.Finish();
  std::vector<Match> out;
  MatchWords(U("xQuuxCorp1"), f.context, WordSet::kAll, out);
  const Match* m = Find(out, Pattern::kDictionary, 1, 8);
  REQUIRE(m != nullptr);
  CHECK(m->dictionary == DictionaryId::kUserInputs);
  CHECK(m->rank == 2);
}

TEST_CASE("reversed: words spelled backwards, positions in the original", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchReversedWords(U("1drowssap"), f.context, WordSet::kAll, out);
  const Match* m = Find(out, Pattern::kDictionary, 1, 8);
  REQUIRE(m != nullptr);
  CHECK(m->reversed);
  CHECK(S(m->token) == "drowssap");
  CHECK(S(m->matched_word) == "password");
}

TEST_CASE("l33t: substitutions undone, the substitutions recorded", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchL33tWords(U("p4$$w0rd"), UnmungeL33t(U("p4$$w0rd")), f.context, WordSet::kAll, out);
  const Match* m = Find(out, Pattern::kDictionary, 0, 7);
  REQUIRE(m != nullptr);
  CHECK(m->l33t);
  CHECK(S(m->matched_word) == "password");
  CHECK(m->subs.size() == 3);  // 4 -> a, $ -> s, 0 -> o
  // Multi-character substitutions move positions: "|-|" is one "h".
  out.clear();
  MatchL33tWords(U("|-|ello"), UnmungeL33t(U("|-|ello")), f.context, WordSet::kAll, out);
  CHECK(Has(out, Pattern::kDictionary, 0, 6));
  // No substitution inside: not a l33t match (the plain matcher has it).
  out.clear();
  MatchL33tWords(U("password"), UnmungeL33t(U("password")), f.context, WordSet::kAll, out);
  CHECK(out.empty());
}

TEST_CASE("spatial: keyboard walks with turns and shifts, on every layout", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchSpatial(U("qwerty"), f.context.dictionaries, out);
  const Match* m = Find(out, Pattern::kSpatial, 0, 5);
  REQUIRE(m != nullptr);
  CHECK(m->turns == 1);
  CHECK(m->shifted_count == 0);
  out.clear();
  MatchSpatial(U("1qaz2wsx"), f.context.dictionaries, out);  // z and 2 are not neighbours: two walks
  CHECK(Has(out, Pattern::kSpatial, 0, 3));
  CHECK(Has(out, Pattern::kSpatial, 4, 7));
  out.clear();
  MatchSpatial(U("QWErt"), f.context.dictionaries, out);
  m = Find(out, Pattern::kSpatial, 0, 4);
  REQUIRE(m != nullptr);
  CHECK(m->shifted_count == 3);
  out.clear();
  MatchSpatial(U("azerty"), f.context.dictionaries, out);  // straight on azerty
  CHECK(Has(out, Pattern::kSpatial, 0, 5));
  out.clear();
  MatchSpatial(U("7896"), f.context.dictionaries, out);  // keypad
  CHECK(Has(out, Pattern::kSpatial, 0, 3));
  out.clear();
  MatchSpatial(U("qz"), f.context.dictionaries, out);  // too short, not adjacent
  CHECK(out.empty());
}

TEST_CASE("repeat: characters and multi-character units, estimated recursively", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchRepeat(U("aaaaa"), f.context, out);
  REQUIRE(out.size() == 1);
  CHECK(S(out[0].base_token) == "a");
  CHECK(out[0].repeat_count == 5);
  out.clear();
  MatchRepeat(U("xabcabcabcx"), f.context, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].i == 1);
  CHECK(out[0].j == 9);
  CHECK(S(out[0].base_token) == "abc");
  CHECK(out[0].repeat_count == 3);
  // Greedy beats lazy, then the shortest unit of the greedy match: "aab" x2.
  out.clear();
  MatchRepeat(U("aabaab"), f.context, out);
  REQUIRE(out.size() == 1);
  CHECK(S(out[0].base_token) == "aab");
  CHECK(out[0].base_guesses > 0);
}

TEST_CASE("sequence: steps of equal size, named by alphabet", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchSequence(U("abcdef"), out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].ascending);
  CHECK(out[0].sequence_name == 0);
  out.clear();
  MatchSequence(U("97531"), out);
  REQUIRE(out.size() == 1);
  CHECK(!out[0].ascending);
  CHECK(out[0].sequence_name == 2);
  out.clear();
  MatchSequence(U("αβγδ"), out);  // Unicode ranges
  REQUIRE(out.size() == 1);
  CHECK(out[0].sequence_name == 3);
  out.clear();
  MatchSequence(U("ax"), out);  // step 23: not a sequence
  CHECK(out.empty());
}

TEST_CASE("date: with and without separators, years near the reference preferred", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchDate(U("13.05.1991"), 2026, out);
  const Match* m = Find(out, Pattern::kDate, 0, 9);
  REQUIRE(m != nullptr);
  CHECK(m->year == 1991);
  CHECK(m->has_separator);
  out.clear();
  MatchDate(U("111504"), 2026, out);  // 11-15-04 (2004), not 1-1-1504
  m = Find(out, Pattern::kDate, 0, 5);
  REQUIRE(m != nullptr);
  CHECK(m->year == 2004);
  out.clear();
  MatchDate(U("00000000"), 2026, out);  // two or more zeros: never a date
  CHECK(out.empty());
  out.clear();
  MatchRecentYear(U("x1987y2020"), out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].year == 1987);
  CHECK(out[1].i == 6);
}

TEST_CASE("separator: the most used separator when used twice", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchSeparator(U("correct-horse-battery"), out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].i == 7);
  CHECK(out[1].i == 13);
  out.clear();
  MatchSeparator(U("one-two"), out);  // once is not a separator
  CHECK(out.empty());
}

TEST_CASE("word sequence: consecutive words of the ordered lists", "[strength]") {
  Fixture f;
  std::vector<Match> out;
  MatchWordSequence(U("onetwothree"), UnmungeL33t(U("onetwothree")), f.context, out);
  const Match* m = Find(out, Pattern::kWordSequence, 0, 10);
  REQUIRE(m != nullptr);
  CHECK(m->word_count == 3);
  CHECK(m->ascending);
  out.clear();
  MatchWordSequence(U("Monday-Tuesday"), UnmungeL33t(U("Monday-Tuesday")), f.context, out);
  CHECK(Has(out, Pattern::kWordSequence, 0, 13));
}

TEST_CASE("omnimatch: sorted by position, stably", "[strength]") {
  Fixture f;
  const std::vector<Match> matches = Omnimatch(U("qwerty1991password"), f.context);
  REQUIRE(!matches.empty());
  for (std::size_t k = 1; k < matches.size(); ++k) {
    CHECK((matches[k - 1].i < matches[k].i || (matches[k - 1].i == matches[k].i && matches[k - 1].j <= matches[k].j)));
  }
}

}  // namespace
}  // namespace latchkey::strength
