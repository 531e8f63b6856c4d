// Decodes a chunked request body (RFC 9112 §7.1) as its bytes arrive, with a
// bound on the decoded size that is checked before a chunk's data is read, so
// an oversized body is refused after its first oversized chunk size line.
// Pure: bytes in, decoded bytes out. Chunk extensions and trailer fields are
// read (within line limits) and dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace latchkey::http {

class ChunkedDecoder {
 public:
  enum class State { kNeedMore, kDone, kMalformed, kTooLarge };

  explicit ChunkedDecoder(std::size_t max_body) : max_body_(max_body) {}

  // Consumes what it can of `input`, appending data to `body`; `consumed` is
  // set to the bytes used (after kDone, the rest belongs to the next request).
  State Feed(std::string_view input, std::string& body, std::size_t& consumed);

 private:
  enum class Step { kSize, kData, kDataEnd, kTrailer };
  static constexpr std::size_t kMaxLine = 1024;  // a size line with extensions, or a trailer field

  std::size_t max_body_;
  Step step_ = Step::kSize;
  std::uint64_t remaining_ = 0;  // of the current chunk's data
  std::string line_;             // a size or trailer line not yet complete
  std::size_t trailer_bytes_ = 0;
};

}  // namespace latchkey::http
