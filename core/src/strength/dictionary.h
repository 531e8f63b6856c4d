// The estimator's word lists: ranked dictionaries indexed for prefix walks,
// the word-sequence lists, and the keyboard adjacency graphs. Built once from
// the generated data (kDataChunks) on first use; immutable afterwards.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "strength/text.h"

namespace latchkey::strength {

// In zxcvbn-ts's dictionary order (diceware first, user inputs last), which
// decides ties between equally good matches.
enum class DictionaryId : std::uint8_t {
  kDiceware,
  kPasswords,
  kCommonWords,
  kFirstnames,
  kLastnames,
  kWikipedia,
  kWordSequenceFirst,  // 14 word-sequence lists follow, in the generator's order
  kUserInputs = kWordSequenceFirst + 14,
};
inline constexpr int kWordSequenceCount = 14;
std::string_view DictionaryName(DictionaryId id);

inline constexpr std::uint8_t kFlagPasswordList = 2;
inline constexpr std::uint8_t kFlagNoRank = 4;  // listed for the blocklist only: matchers skip it

struct WordEntry {
  std::string_view word;  // lowercase UTF-8
  DictionaryId dictionary;
  std::uint8_t flags;
  double rank;
  std::uint64_t head = 0;  // the first 8 bytes, big-endian: binary search without chasing `word`

  int ByteAt(std::size_t depth) const {  // -1 past the end: shorter words sort first
    if (depth >= word.size()) return -1;
    if (depth < 8) return static_cast<int>((head >> (56 - 8 * depth)) & 0xff);
    return static_cast<unsigned char>(word[depth]);
  }
};

// Words sorted by bytes, walked one code point at a time: a trie over a sorted
// array, with a first-byte index.
class SortedWords {
 public:
  void Add(std::string_view word, DictionaryId dictionary, std::uint8_t flags, double rank);
  void Finish();  // sorts (stably: equal words keep their insertion order) and indexes
  std::size_t size() const { return entries_.size(); }
  std::size_t max_code_points() const { return max_code_points_; }

  // For every entry equal to text[start..end] (code points, inclusive), calls
  // visit(end, entry), shortest first. Returns the last position it had to
  // look at, or SIZE_MAX when longer words were still possible at the end.
  template <typename Visit>
  std::size_t Walk(const LoweredText& text, std::size_t start, Visit&& visit) const;

  // Entries exactly equal to word, or an empty range.
  std::pair<const WordEntry*, const WordEntry*> Find(std::string_view word) const;

 private:
  // Narrows [lo, hi), whose words share `depth` bytes, to those whose next byte is b.
  void Narrow(std::size_t& lo, std::size_t& hi, std::size_t depth, unsigned char b) const;

  std::vector<WordEntry> entries_;
  std::array<std::uint32_t, 257> first_byte_{};
  // Start of the entries beginning with each two bytes (b0 * 256 + b1); the
  // one-byte word b0, if any, sorts just before (b0, 0).
  std::vector<std::uint32_t> two_bytes_;
  std::size_t max_code_points_ = 0;
};

struct KeyboardGraph {
  std::string name;
  bool keypad = false;
  // key -> neighbours by direction; an empty string is "no key there".
  // Sorted by key.
  std::vector<std::pair<char32_t, std::vector<CodePoints>>> adjacency;
  const std::vector<CodePoints>* Neighbours(char32_t key) const;
  double starting_positions = 0;
  double average_degree = 0;
};

struct Dictionaries {
  SortedWords words;          // every ranked list (best rank per word) plus diceware
  SortedWords word_sequence;  // the 14 word-sequence lists, exact ranks
  std::vector<KeyboardGraph> graphs;
  std::string storage;  // the decoded words the views point into
};

const Dictionaries& GetDictionaries();

// True when the (NFKC, case-folded) password is in the common-passwords list.
bool IsCommonPassword(std::string_view folded_password);

template <typename Visit>
std::size_t SortedWords::Walk(const LoweredText& text, std::size_t start, Visit&& visit) const {
  const std::size_t n = text.offsets.size() - 1;
  if (start >= n || entries_.empty()) return start;
  const auto first = static_cast<unsigned char>(text.bytes[text.offsets[start]]);
  std::size_t lo = first_byte_[first], hi = first_byte_[first + 1];
  std::size_t depth = 1;
  for (std::size_t k = start; k < n; ++k) {
    const std::size_t from = k == start ? text.offsets[k] + 1 : text.offsets[k];
    for (std::size_t b = from; b < text.offsets[k + 1] && lo < hi; ++b, ++depth) {
      const auto byte = static_cast<unsigned char>(text.bytes[b]);
      if (depth == 1 && !two_bytes_.empty()) {  // the widest step: from the table
        const std::size_t key = static_cast<std::size_t>(first) * 256 + byte;
        lo = std::max<std::size_t>(lo, two_bytes_[key]);      // within the first byte's range: the next
        hi = std::min<std::size_t>(hi, two_bytes_[key + 1]);  // first byte's one-byte word sorts before its pairs
      } else {
        Narrow(lo, hi, depth, byte);
      }
    }
    if (lo >= hi) return k;
    for (std::size_t e = lo; e < hi && entries_[e].word.size() == depth; ++e) visit(k, entries_[e]);
  }
  return SIZE_MAX;
}

}  // namespace latchkey::strength
