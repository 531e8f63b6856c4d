#include "strength/dictionary.h"

#include <algorithm>
#include <charconv>

#include "latchkey/encoding.h"
#include "strength/data.h"

namespace latchkey::strength {
namespace {

constexpr std::string_view kNames[] = {
    "diceware",         "passwords",         "common_words",    "first_names",  "last_names",
    "wikipedia",        "cardinal_numbers",  "ordinal_numbers", "days_of_week", "months",
    "seasons",          "time_periods",      "rainbow_colors",  "directions",   "intermediate_directions",
    "size_progression", "military_alphabet", "planets",         "zodiac_signs", "chinese_zodiac",
    "user_inputs",
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

double ParseNumber(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return static_cast<double>(value);
}

void AddGraph(std::string_view name, const std::vector<std::string_view>& lines, std::size_t& index,
              Dictionaries& out) {
  KeyboardGraph graph;
  graph.name = std::string(name);
  graph.keypad = name.find("keypad") != std::string_view::npos;
  double degree_sum = 0;
  for (; index < lines.size() && !lines[index].empty() && static_cast<unsigned char>(lines[index][0]) >= 0x20;
       ++index) {
    std::vector<CodePoints> fields;
    std::string_view line = lines[index];
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = line.find('\t', start);
      fields.push_back(*DecodeUtf8(line.substr(start, tab == std::string_view::npos ? tab : tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    const char32_t key = fields[0].empty() ? 0 : fields[0][0];
    fields.erase(fields.begin());
    for (const CodePoints& f : fields) degree_sum += f.empty() ? 0 : 1;
    graph.adjacency.emplace_back(key, std::move(fields));
  }
  std::sort(graph.adjacency.begin(), graph.adjacency.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  graph.starting_positions = static_cast<double>(graph.adjacency.size());
  graph.average_degree = degree_sum / graph.starting_positions;
  out.graphs.push_back(std::move(graph));
}

Dictionaries Build() {
  Dictionaries out;
  std::size_t total = 0;
  for (std::size_t c = 0; c < kDataChunkCount; ++c) total += kDataChunks[c].size();
  out.storage.reserve(total);
  for (std::size_t c = 0; c < kDataChunkCount; ++c) out.storage.append(kDataChunks[c]);

  // Words are front-coded: each line's first byte is '0' + the number of
  // bytes shared with the previous word. Decoded words are written over the
  // storage in place (a decoded word is never longer than what has been read).
  const std::vector<std::string_view> lines = SplitLines(out.storage);
  std::string decoded;
  decoded.reserve(total);
  struct Pending {
    std::size_t offset, size;
    DictionaryId dictionary;
    std::uint8_t flags;
    double rank;
    bool sequence;
  };
  std::vector<Pending> pending;
  std::string previous;
  DictionaryId dictionary = DictionaryId::kPasswords;
  std::uint8_t flags = 0;
  double rank = 0;
  bool sequence = false;
  int sequence_index = -1;
  for (std::size_t index = 0; index < lines.size();) {
    std::string_view line = lines[index];
    if (line.empty()) {
      ++index;
      continue;
    }
    if (line[0] == '\x02') {  // group: "<dictionary + 1> <rank> <flags>"
      const std::size_t a = line.find(' '), b = line.find(' ', a + 1);
      const int d = static_cast<int>(ParseNumber(line.substr(1, a - 1))) - 1;
      rank = ParseNumber(line.substr(a + 1, b - a - 1));
      flags = static_cast<std::uint8_t>(ParseNumber(line.substr(b + 1)));
      if (d < 0) flags |= kFlagNoRank;
      dictionary = d < 0 ? DictionaryId::kPasswords : static_cast<DictionaryId>(d);
      sequence = false;
      previous.clear();
      ++index;
      continue;
    }
    if (line[0] == '\x01') {  // a word-sequence list, in rank order
      ++sequence_index;
      dictionary = static_cast<DictionaryId>(static_cast<int>(DictionaryId::kWordSequenceFirst) + sequence_index);
      sequence = true;
      rank = 0;
      previous.clear();
      ++index;
      continue;
    }
    if (line[0] == '\x03') {
      ++index;
      AddGraph(line.substr(1), lines, index, out);
      continue;
    }
    const std::size_t shared = static_cast<std::size_t>(line[0] - '0');
    previous.resize(shared);
    previous.append(line.substr(1));
    if (sequence) rank += 1;
    pending.push_back({decoded.size(), previous.size(), dictionary, flags, rank, sequence});
    decoded.append(previous);
    ++index;
  }
  out.storage = std::move(decoded);
  for (const Pending& p : pending) {
    const std::string_view word(out.storage.data() + p.offset, p.size);
    if (p.sequence) {
      out.word_sequence.Add(word, p.dictionary, 0, p.rank);
      continue;
    }
    out.words.Add(word, p.dictionary, p.flags, p.rank);  // kFlagNoRank: on the blocklist only
  }
  out.words.Finish();
  out.word_sequence.Finish();
  return out;
}

}  // namespace

std::string_view DictionaryName(DictionaryId id) {
  const auto index = static_cast<std::size_t>(id);
  return index < std::size(kNames) ? kNames[index] : "unknown";
}

const std::vector<CodePoints>* KeyboardGraph::Neighbours(char32_t key) const {
  auto it = std::lower_bound(adjacency.begin(), adjacency.end(), key,
                             [](const auto& entry, char32_t k) { return entry.first < k; });
  return it != adjacency.end() && it->first == key ? &it->second : nullptr;
}

void SortedWords::Add(std::string_view word, DictionaryId dictionary, std::uint8_t flags, double rank) {
  std::uint64_t head = 0;
  for (std::size_t k = 0; k < 8; ++k) {
    head = (head << 8) | (k < word.size() ? static_cast<unsigned char>(word[k]) : 0);
  }
  entries_.push_back({word, dictionary, flags, rank, head});
}

void SortedWords::Finish() {
  // The 8-byte heads order like the words' first bytes (words hold no NUL),
  // so most comparisons never touch the words themselves.
  std::stable_sort(entries_.begin(), entries_.end(), [](const WordEntry& a, const WordEntry& b) {
    if (a.head != b.head) return a.head < b.head;
    if (a.word != b.word) return a.word < b.word;
    return a.dictionary < b.dictionary;
  });
  std::size_t e = 0;
  for (std::size_t b = 0; b < 256; ++b) {
    first_byte_[b] = static_cast<std::uint32_t>(e);
    while (e < entries_.size() && static_cast<unsigned char>(entries_[e].word[0]) == b) ++e;
  }
  first_byte_[256] = static_cast<std::uint32_t>(entries_.size());
  for (const WordEntry& entry : entries_) {
    std::size_t points = 0;
    for (char c : entry.word) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    max_code_points_ = std::max(max_code_points_, points);
  }
  // two_bytes_[key]: the first entry sorting at or after the two bytes `key`
  // (b0 * 256 + b1). In doubled units a word of one byte b0 sorts at
  // 2 * b0 * 256 - 1, just before every longer word that starts with b0.
  // Worth its 256 KiB only for the big lists (not for a call's user inputs).
  if (entries_.size() < 4096) return;
  two_bytes_.assign(256 * 256 + 1, 0);
  auto doubled = [](std::string_view w) {
    const long first = static_cast<unsigned char>(w[0]);
    return w.size() > 1 ? 2 * (first * 256 + static_cast<unsigned char>(w[1])) : 2 * first * 256 - 1;
  };
  e = 0;
  for (long key = 0; key <= 256 * 256; ++key) {
    while (e < entries_.size() && doubled(entries_[e].word) < 2 * key) ++e;
    two_bytes_[static_cast<std::size_t>(key)] = static_cast<std::uint32_t>(e);
  }
}

void SortedWords::Narrow(std::size_t& lo, std::size_t& hi, std::size_t depth, unsigned char b) const {
  auto key = [depth](const WordEntry& e) { return e.ByteAt(depth); };
  const auto begin = entries_.begin() + static_cast<std::ptrdiff_t>(lo);
  const auto end = entries_.begin() + static_cast<std::ptrdiff_t>(hi);
  const auto first = std::partition_point(begin, end, [&](const WordEntry& e) { return key(e) < b; });
  const auto last = std::partition_point(first, end, [&](const WordEntry& e) { return key(e) <= b; });
  lo = static_cast<std::size_t>(first - entries_.begin());
  hi = static_cast<std::size_t>(last - entries_.begin());
}

std::pair<const WordEntry*, const WordEntry*> SortedWords::Find(std::string_view word) const {
  const auto less = [](const WordEntry& e, std::string_view w) { return e.word < w; };
  const auto first = std::lower_bound(entries_.begin(), entries_.end(), word, less);
  auto last = first;
  while (last != entries_.end() && last->word == word) ++last;
  return {entries_.data() + (first - entries_.begin()), entries_.data() + (last - entries_.begin())};
}

const Dictionaries& GetDictionaries() {
  static const Dictionaries dictionaries = Build();
  return dictionaries;
}

bool IsCommonPassword(std::string_view folded_password) {
  const auto [first, last] = GetDictionaries().words.Find(folded_password);
  for (const WordEntry* e = first; e != last; ++e) {
    if (e->flags & kFlagPasswordList) return true;
  }
  return false;
}

}  // namespace latchkey::strength
