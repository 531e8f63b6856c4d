#include "http/chunked_body.h"

#include <algorithm>

namespace latchkey::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsLineChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// chunk-size [ chunk-ext ]: 1*HEXDIG, then nothing or ";" and extensions.
bool ParseSizeLine(std::string_view line, std::uint64_t& size) {
  std::size_t i = 0;
  size = 0;
  for (; i < line.size() && HexValue(line[i]) >= 0; ++i) {
    if (i >= 15) return false;  // 15 hex digits are far beyond any limit
    size = size * 16 + static_cast<std::uint64_t>(HexValue(line[i]));
  }
  if (i == 0) return false;
  if (i == line.size()) return true;
  // Extensions are ignored, but only after a ";" (optionally after spaces).
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size() || line[i] != ';') return false;
  return std::all_of(line.begin() + static_cast<std::ptrdiff_t>(i), line.end(),
                     [](char c) { return IsLineChar(static_cast<unsigned char>(c)); });
}

}  // namespace

ChunkedDecoder::State ChunkedDecoder::Feed(std::string_view input, std::string& body, std::size_t& consumed) {
  std::size_t i = 0;
  for (;;) {
    if (step_ == Step::kData) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
      body.append(input.data() + i, n);
      i += n;
      remaining_ -= n;
      if (remaining_ > 0) {
        consumed = i;
        return State::kNeedMore;
      }
      step_ = Step::kDataEnd;
      continue;
    }
    // The other steps read one CRLF-terminated line.
    const std::size_t newline = input.find('\n', i);
    const std::size_t end = newline == std::string_view::npos ? input.size() : newline + 1;
    line_.append(input.data() + i, end - i);
    i = end;
    if (line_.size() > kMaxLine + 2) return State::kMalformed;
    if (newline == std::string_view::npos) {
      consumed = i;
      return State::kNeedMore;
    }
    if (line_.size() < 2 || line_[line_.size() - 2] != '\r') return State::kMalformed;  // bare LF
    const std::string line = line_.substr(0, line_.size() - 2);
    line_.clear();
    switch (step_) {
      case Step::kSize: {
        std::uint64_t size = 0;
        if (!ParseSizeLine(line, size)) return State::kMalformed;
        if (size > max_body_ - std::min(max_body_, body.size())) return State::kTooLarge;
        remaining_ = size;
        step_ = size == 0 ? Step::kTrailer : Step::kData;
        break;
      }
      case Step::kDataEnd:
        if (!line.empty()) return State::kMalformed;
        step_ = Step::kSize;
        break;
      case Step::kTrailer:
        if (line.empty()) {
          consumed = i;
          return State::kDone;
        }
        trailer_bytes_ += line.size();
        if (trailer_bytes_ > 8 * kMaxLine || line.front() == ' ' || line.front() == '\t' ||
            line.find(':') == std::string::npos ||
            !std::all_of(line.begin(), line.end(), [](char c) { return IsLineChar(static_cast<unsigned char>(c)); })) {
          return State::kMalformed;
        }
        break;
      case Step::kData:
        break;  // handled above
    }
  }
}

}  // namespace latchkey::http
