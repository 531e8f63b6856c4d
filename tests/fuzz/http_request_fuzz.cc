// The server's HTTP front on untrusted bytes, without sockets: the request
// head parser (native/http/request_head.h) and, for a chunked body, the
// chunked decoder (native/http/chunked_body.h), fed the bytes that follow.
// Properties: a complete head is one of the known methods, consumed no more
// than it was given, and parses the same again from exactly its own bytes; a
// decoded body never exceeds the limit, and the decoder never claims bytes it
// was not given, whether the input comes whole or in two pieces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/chunked_body.h"
#include "http/request_head.h"

using latchkey::http::BodyFraming;
using latchkey::http::ChunkedDecoder;
using latchkey::http::HeadLimits;
using latchkey::http::HeadParse;

namespace {

constexpr std::size_t kMaxBody = 4096;

void DecodeChunked(std::string_view body, std::size_t split) {
  std::string whole, pieces;
  std::size_t used_whole = 0;
  ChunkedDecoder one(kMaxBody);
  const ChunkedDecoder::State whole_state = one.Feed(body, whole, used_whole);
  FUZZ_CHECK(used_whole <= body.size());
  FUZZ_CHECK(whole.size() <= kMaxBody);

  // The same bytes in two pieces decide the same way with the same body.
  ChunkedDecoder two(kMaxBody);
  std::size_t used_first = 0, used_second = 0;
  split = split % (body.size() + 1);
  ChunkedDecoder::State state = two.Feed(body.substr(0, split), pieces, used_first);
  FUZZ_CHECK(used_first <= split);
  if (state == ChunkedDecoder::State::kNeedMore) {
    state = two.Feed(body.substr(split), pieces, used_second);
    FUZZ_CHECK(used_second <= body.size() - split);
  }
  FUZZ_CHECK(pieces.size() <= kMaxBody);
  if (whole_state == ChunkedDecoder::State::kDone) {
    FUZZ_CHECK(state == ChunkedDecoder::State::kDone);
    FUZZ_CHECK(pieces == whole);
    FUZZ_CHECK(used_first + used_second == used_whole);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  HeadLimits limits;
  limits.max_request_line = 512;  // small limits, so fuzzing reaches them
  limits.max_head_bytes = 2048;
  limits.max_headers = 16;
  const HeadParse parsed = ParseRequestHead(bytes, limits);
  if (parsed.state == HeadParse::State::kRefused) {
    FUZZ_CHECK(parsed.status == 400 || parsed.status == 414 || parsed.status == 431 || parsed.status == 501 ||
               parsed.status == 505);
    return 0;
  }
  if (parsed.state == HeadParse::State::kIncomplete) return 0;

  FUZZ_CHECK(parsed.consumed > 0 && parsed.consumed <= size);
  FUZZ_CHECK(latchkey::http::IsKnownMethod(parsed.head.method));
  FUZZ_CHECK(parsed.head.headers.size() <= limits.max_headers);
  // The head alone, without what followed it, parses to the same result.
  const HeadParse again = ParseRequestHead(bytes.substr(0, parsed.consumed), limits);
  FUZZ_CHECK(again.state == HeadParse::State::kComplete);
  FUZZ_CHECK(again.consumed == parsed.consumed);
  FUZZ_CHECK(again.head.method == parsed.head.method && again.head.target == parsed.head.target);
  FUZZ_CHECK(again.head.framing == parsed.head.framing);

  if (parsed.head.framing == BodyFraming::kChunked) {
    const std::string_view body = bytes.substr(parsed.consumed);
    DecodeChunked(body, size > 0 ? data[0] : 0);
  }
  return 0;
}
