// A strict HTTP/1.x request head parser: bytes in, a parsed head or the
// status to refuse it with out. Pure (no I/O, no clock, no allocation beyond
// its result), so it can be fuzzed and tested alone. It refuses what a proxy
// in front could read differently (request smuggling): several
// Content-Length, Content-Length with Transfer-Encoding, any
// Transfer-Encoding but exactly "chunked", bare CR or LF, obs-fold, spaces
// before a colon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::http {

struct HeadLimits {
  std::size_t max_request_line = 8 * 1024;  // bytes, CRLF excluded: beyond it 414
  std::size_t max_head_bytes = 16 * 1024;   // request line and headers: beyond it 431
  std::size_t max_headers = 100;            // header lines: beyond it 431
};

enum class BodyFraming { kNone, kLength, kChunked };

struct RequestHead {
  std::string method;                                        // one of the methods the server implements
  std::string target;                                        // origin-form ("/path?query"), or "*"
  int minor_version = 1;                                     // HTTP/1.0 or HTTP/1.1
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values without surrounding OWS
  BodyFraming framing = BodyFraming::kNone;
  std::uint64_t content_length = 0;  // with kLength
  bool keep_alive = true;            // from the version and Connection
  bool expect_continue = false;      // Expect: 100-continue
};

struct HeadParse {
  enum class State { kIncomplete, kComplete, kRefused };
  State state = State::kIncomplete;
  int status = 0;            // with kRefused: 400, 414, 431, 501 or 505
  std::size_t consumed = 0;  // with kComplete: bytes of the head, final CRLF included
  RequestHead head;          // with kComplete
};

// Parses the head at the start of `bytes`. kIncomplete means no decision yet
// (more bytes needed, and those seen are within the limits). Leading empty
// lines (RFC 9112 §2.2) are skipped and counted in `consumed`.
HeadParse ParseRequestHead(std::string_view bytes, const HeadLimits& limits);

// Whether `method` is one the server implements (others are refused with 501).
bool IsKnownMethod(std::string_view method);

}  // namespace latchkey::http
