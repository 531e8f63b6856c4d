// L33t dictionary matches ("p4ssw0rd"): zxcvbn-ts's unmunger. The password is
// rewritten with every combination of substitutions (first all substitutable
// positions substituted, then partial ones; at most 100 variants; never more
// than three same substitutions in a row), each variant is matched against
// the dictionaries, and matches that contain a substitution are kept, mapped
// back to the original positions. Enumeration order and limits are
// zxcvbn-ts's, so the matches are the same.
//
// Consecutive variants differ only from some position on, so a walk that
// stopped before that position would find what it found last time: it is
// skipped, which makes a hundred variants cost little more than one.
#include <algorithm>
#include <array>

#include "strength/internal.h"

namespace latchkey::strength {
namespace {

constexpr std::size_t kMaxVariants = 100;

struct TrieNode {
  std::array<int, 128> children;  // substitutions are ASCII; -1: none

  TrieNode() { children.fill(-1); }
  int Child(char32_t c) const { return c < 128 ? children[c] : -1; }
  std::vector<char32_t> letters;  // what this node's substitution may stand for
  CodePoints substitution;
};

// The substitution table of zxcvbn-ts 4 (data/l33tTable.ts), letter by letter.
std::vector<TrieNode> BuildTrie() {
  static const std::pair<char32_t, std::vector<CodePoints>> kTable[] = {
      {U'a', {U"4", U"@"}},
      {U'b', {U"8"}},
      {U'c', {U"(", U"{", U"[", U"<"}},
      {U'd', {U"6", U"|)"}},
      {U'e', {U"3"}},
      {U'f', {U"#"}},
      {U'g', {U"6", U"9", U"&"}},
      {U'h', {U"#", U"|-|"}},
      {U'i', {U"1", U"!", U"|"}},
      {U'k', {U"<", U"|<"}},
      {U'l', {U"!", U"1", U"|", U"7"}},
      {U'm', {U"^^", U"nn", U"2n", UR"(/\\/\\)"}},
      {U'n', {U"//"}},
      {U'o', {U"0", U"()"}},
      {U'q', {U"9"}},
      {U'u', {U"|_|"}},
      {U's', {U"$", U"5"}},
      {U't', {U"+", U"7"}},
      {U'v', {U"<", U">", U"/"}},
      {U'w', {U"^/", U"uu", U"vv", U"2u", U"2v", UR"(\\/\\/)"}},
      {U'x', {U"%", U"><"}},
      {U'z', {U"2"}},
  };
  std::vector<TrieNode> nodes(1);
  for (const auto& [letter, substitutions] : kTable) {
    for (const CodePoints& sub : substitutions) {
      int node = 0;
      for (char32_t c : sub) {
        const int existing = nodes[static_cast<std::size_t>(node)].Child(c);
        if (existing >= 0) {
          node = existing;
          continue;
        }
        nodes.push_back({});
        nodes.back().substitution = nodes[static_cast<std::size_t>(node)].substitution + c;
        const int child = static_cast<int>(nodes.size() - 1);
        nodes[static_cast<std::size_t>(node)].children[c] = child;
        node = child;
      }
      nodes[static_cast<std::size_t>(node)].letters.push_back(letter);
    }
  }
  return nodes;
}

const std::vector<TrieNode>& Trie() {
  static const std::vector<TrieNode> trie = BuildTrie();
  return trie;
}

// zxcvbn-ts's getCleanPasswords, step for step.
class Unmunger {
 public:
  explicit Unmunger(const CodePoints& password) : password_(password), next_sub_(password.size() + 1) {
    // next_sub_[k]: the first position from k where a substitution could
    // start. Between here and there every step is a literal character.
    const std::vector<TrieNode>& trie = Trie();
    next_sub_[password.size()] = password.size();
    for (std::size_t k = password.size(); k-- > 0;) {
      next_sub_[k] = trie[0].Child(password[k]) >= 0 ? k : next_sub_[k + 1];
    }
  }

  std::vector<L33tVariant> All() {
    Helper(true, true, 0, 0, 0);
    Helper(false, true, 0, 0, 0);
    return std::move(variants_);
  }

 private:
  void Helper(bool only_full, bool is_full, std::size_t index, const CodePoints* last_sub, int consecutive) {
    if (variants_.size() >= kMaxVariants) return;
    if (next_sub_[index] > index) {  // literal characters only: take them at once
      const std::size_t to = next_sub_[index];
      buffer_.append(password_, index, to - index);
      Helper(only_full, is_full, to, last_sub, consecutive);
      buffer_.resize(buffer_.size() - (to - index));
      return;
    }
    if (index == password_.size()) {
      if (only_full == is_full) variants_.push_back({buffer_, changes_, {}});
      return;
    }
    const std::vector<TrieNode>& trie = Trie();
    int nodes[8];  // substitutions are at most 6 characters long
    int count = 0;
    int node = 0;
    for (std::size_t k = index; k < password_.size() && count < 8; ++k) {
      node = trie[static_cast<std::size_t>(node)].Child(password_[k]);
      if (node < 0) break;
      nodes[count++] = node;
    }
    bool has_subs = false;
    for (int n = count - 1; n >= 0; --n) {  // widest substitution first
      const TrieNode& current = trie[static_cast<std::size_t>(nodes[n])];
      if (current.letters.empty()) continue;
      const bool same = last_sub != nullptr && *last_sub == current.substitution;
      if (same && consecutive >= 3) continue;
      has_subs = true;
      for (char32_t letter : current.letters) {
        buffer_.push_back(letter);
        changes_.push_back({buffer_.size() - 1, letter, &current.substitution});
        Helper(only_full, is_full, index + current.substitution.size(), &current.substitution,
               same ? consecutive + 1 : 1);
        changes_.pop_back();
        buffer_.pop_back();
        if (variants_.size() >= kMaxVariants) return;
      }
    }
    if (!only_full || !has_subs) {
      buffer_.push_back(password_[index]);
      Helper(only_full, is_full && !has_subs, index + 1, last_sub, consecutive);
      buffer_.pop_back();
    }
  }

  const CodePoints& password_;
  std::vector<std::size_t> next_sub_;
  CodePoints buffer_;
  std::vector<L33tChange> changes_;
  std::vector<L33tVariant> variants_;
};

}  // namespace

std::vector<L33tVariant> UnmungeL33t(const CodePoints& password) {
  std::vector<L33tVariant> variants = Unmunger(password).All();
  for (L33tVariant& v : variants) v.lowered = LowerUtf8(v.text);
  return variants;
}

void MatchL33tWords(const CodePoints& password, const std::vector<L33tVariant>& variants, const Context& context,
                    WordSet set, std::vector<Match>& out) {
  const int full_end = static_cast<int>(password.size()) - 1;
  std::vector<Match> found;
  bool has_full_match = false;
  std::vector<std::size_t> last_looked;  // per start: where the previous variant's walk stopped
  const CodePoints* previous = nullptr;
  for (const L33tVariant& variant : variants) {
    if (has_full_match) break;
    // The variant differs from the previous one only in [differs, same_from):
    // before, the same characters at the same places; after (when both have
    // the same length), the same characters standing for the same original
    // ones. A walk that stays in either part finds what it found last time.
    const std::size_t n = variant.text.size();
    std::size_t differs = 0;
    std::size_t same_from = n;
    if (previous != nullptr) {
      while (differs < n && differs < previous->size() && variant.text[differs] == (*previous)[differs]) ++differs;
      if (previous->size() == n) {
        while (same_from > differs && variant.text[same_from - 1] == (*previous)[same_from - 1]) --same_from;
      }
    }
    previous = &variant.text;
    last_looked.resize(n, SIZE_MAX);
    const LoweredText& lowered = variant.lowered;
    for (std::size_t start = 0; start < variant.text.size(); ++start) {
      if (start < differs && last_looked[start] < differs) continue;  // same walk as last time
      if (start >= same_from) continue;
      last_looked[start] = WalkWords(lowered, start, context, set, [&](std::size_t end, const WordEntry& entry) {
        // Map the variant's [start, end] back onto the password.
        int i = static_cast<int>(start), j = static_cast<int>(end);
        std::vector<L33tSub> subs;
        for (const L33tChange& change : variant.changes) {
          const int diff = static_cast<int>(change.substitution->size()) - 1;
          if (change.i < start) {
            i += diff;
            j += diff;
          } else if (change.i <= end) {
            j += diff;
            const bool known = std::any_of(subs.begin(), subs.end(), [&](const L33tSub& s) {
              return s.letter[0] == change.letter && s.substitution == *change.substitution;
            });
            if (!known) subs.push_back({CodePoints(1, change.letter), *change.substitution});
          }
        }
        if (!has_full_match) has_full_match = i == 0 && j == full_end;
        // No substitution inside: a plain dictionary match (zxcvbn-ts compares
        // the lowercased token with the word; every substitution differs from
        // its letter, so this is the same test).
        if (subs.empty()) return;
        CodePoints word = Lower(variant.text.substr(start, end - start + 1));
        const bool seen = std::any_of(found.begin(), found.end(), [&](const Match& m) {
          return m.i == i && m.j == j && m.dictionary == entry.dictionary && m.matched_word == word;
        });
        if (seen) return;
        CodePoints token = password.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(j - i + 1));
        Match m;
        m.pattern = Pattern::kDictionary;
        m.i = i;
        m.j = j;
        m.token = std::move(token);
        m.matched_word = std::move(word);
        m.dictionary = entry.dictionary;
        m.rank = entry.rank;
        m.l33t = true;
        m.subs = std::move(subs);
        found.push_back(std::move(m));
      });
    }
  }
  // Single-character l33t matches ("4" as "a") are noise.
  for (Match& m : found) {
    if (m.token.size() > 1) out.push_back(std::move(m));
  }
}

}  // namespace latchkey::strength
