// Text as the estimator sees it: Unicode code points, with the character
// classes of zxcvbn-ts's regular expressions spelled out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::strength {

using CodePoints = std::u32string;

// nullopt when text is not well-formed UTF-8.
std::optional<CodePoints> DecodeUtf8(std::string_view text);
std::string EncodeUtf8(const CodePoints& text);
void AppendUtf8(char32_t c, std::string& out);

// Length in UTF-16 code units. Brute force is costed per UTF-16 unit, as in
// zxcvbn-ts: an emoji or other character beyond U+FFFF counts twice (its
// alphabet is large; 10 guesses per position would undervalue it).
std::size_t Utf16Length(const CodePoints& text);

// Simple (one-to-one) Unicode lowercase mapping.
char32_t Lower(char32_t c);
CodePoints Lower(const CodePoints& text);

// [A-Z\xbf-\xdf] and [a-z\xdf-\xff]: zxcvbn's "upper" and "lower" letters
// (Latin-1 included; \xdf is in both, as there).
inline bool IsUpperClass(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 0xbf && c <= 0xdf); }
inline bool IsLowerClass(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff); }
inline bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

// The password lowercased, as UTF-8, with the byte offset of every code point
// (offsets.size() == code points + 1): what dictionary lookups walk over.
struct LoweredText {
  std::string bytes;
  std::vector<std::size_t> offsets;
};
LoweredText LowerUtf8(const CodePoints& text);

}  // namespace latchkey::strength
