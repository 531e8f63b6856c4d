#include "strength/text.h"

#include <utf8proc.h>

#include "latchkey/encoding.h"

namespace latchkey::strength {

std::optional<CodePoints> DecodeUtf8(std::string_view text) {
  if (!IsValidUtf8(text)) return std::nullopt;
  CodePoints out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k <= extra; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string EncodeUtf8(const CodePoints& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t c : text) AppendUtf8(c, out);
  return out;
}

std::size_t Utf16Length(const CodePoints& text) {
  std::size_t units = text.size();
  for (char32_t c : text) units += c > 0xFFFF;
  return units;
}

char32_t Lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

CodePoints Lower(const CodePoints& text) {
  CodePoints out(text);
  for (char32_t& c : out) c = Lower(c);
  return out;
}

LoweredText LowerUtf8(const CodePoints& text) {
  LoweredText out;
  out.offsets.resize(text.size() + 1);
  out.bytes.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    out.offsets[k] = out.bytes.size();
    const char32_t c = text[k];
    if (c < 0x80) {
      out.bytes.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    } else {
      AppendUtf8(Lower(c), out.bytes);
    }
  }
  out.offsets[text.size()] = out.bytes.size();
  return out;
}

}  // namespace latchkey::strength
