// The front's pure parsers: the request head and chunked bodies.
#include <catch2/catch.hpp>

#include <string>

#include "http/chunked_body.h"
#include "http/request_head.h"

using latchkey::http::BodyFraming;
using latchkey::http::ChunkedDecoder;
using latchkey::http::HeadLimits;
using latchkey::http::HeadParse;
using latchkey::http::ParseRequestHead;
using State = HeadParse::State;
using namespace std::string_literals;

namespace {

int RefusedWith(const std::string& head, const HeadLimits& limits = {}) {
  const HeadParse parsed = ParseRequestHead(head, limits);
  return parsed.state == State::kRefused ? parsed.status : 0;
}

}  // namespace

TEST_CASE("a well-formed head parses, at once or a byte at a time") {
  const std::string head =
      "\r\nPOST /auth/login?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length:  12 \r\nConnection: close\r\n\r\nbody";
  const HeadParse parsed = ParseRequestHead(head, {});
  REQUIRE(parsed.state == State::kComplete);
  CHECK(parsed.consumed == head.size() - 4);
  CHECK(parsed.head.method == "POST");
  CHECK(parsed.head.target == "/auth/login?x=1");
  CHECK(parsed.head.framing == BodyFraming::kLength);
  CHECK(parsed.head.content_length == 12);
  CHECK_FALSE(parsed.head.keep_alive);
  CHECK(parsed.head.headers.size() == 3);
  CHECK(parsed.head.headers[1].second == "12");
  for (std::size_t n = 0; n < parsed.consumed; ++n) {
    INFO(n);
    CHECK(ParseRequestHead(head.substr(0, n), {}).state == State::kIncomplete);
  }
}

TEST_CASE("limits refuse as soon as they are passed, complete or not") {
  HeadLimits limits;
  limits.max_request_line = 64;
  limits.max_head_bytes = 256;
  limits.max_headers = 3;
  CHECK(RefusedWith("GET /" + std::string(100, 'a'), limits) == 414);
  CHECK(RefusedWith("GET /" + std::string(100, 'a') + " HTTP/1.1\r\n", limits) == 414);
  CHECK(RefusedWith("GET / HTTP/1.1\r\nX: " + std::string(300, 'b'), limits) == 431);
  CHECK(RefusedWith("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits) == 431);
  CHECK(RefusedWith("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits) == 0);
}

TEST_CASE("ambiguous framing and malformed heads are refused") {
  const std::string start = "POST / HTTP/1.1\r\nHost: a\r\n";
  CHECK(RefusedWith(start + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Transfer-Encoding: chunked \r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Transfer-Encoding:\tchunked\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Transfer-Encoding: Chunked\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Transfer-Encoding: gzip, chunked\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Content-Length: -1\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Content-Length: 1 2\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "Content-Length : 1\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "X: a\r\n b\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "X: a\nY: b\r\n\r\n") == 400);
  CHECK(RefusedWith(start + "X: a\rb\r\n\r\n") == 400);
  CHECK(RefusedWith("POST / HTTP/1.1\r\nHost: a\r\nX: \0\r\n\r\n"s) == 400);
  CHECK(RefusedWith("POST / HTTP/1.1\r\n\r\n") == 400);  // no Host
  CHECK(RefusedWith("POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  CHECK(RefusedWith("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(RefusedWith("BREW / HTTP/1.1\r\nHost: a\r\n\r\n") == 501);
  CHECK(RefusedWith("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505);
  CHECK(RefusedWith("GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  CHECK(RefusedWith("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  CHECK(RefusedWith("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0);
  const HeadParse chunked = ParseRequestHead(start + "Transfer-Encoding: chunked\r\n\r\n", {});
  REQUIRE(chunked.state == State::kComplete);
  CHECK(chunked.head.framing == BodyFraming::kChunked);
}

TEST_CASE("chunked bodies decode across any split, and stop at the limit") {
  const std::string wire = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\nNEXT";
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    ChunkedDecoder decoder(1024);
    std::string body;
    std::size_t used = 0;
    auto state = decoder.Feed(std::string_view(wire).substr(0, split), body, used);
    std::size_t total = used;
    if (state == ChunkedDecoder::State::kNeedMore) {
      state = decoder.Feed(std::string_view(wire).substr(total), body, used);
      total += used;
    }
    INFO(split);
    REQUIRE(state == ChunkedDecoder::State::kDone);
    CHECK(body == "hello world");
    CHECK(wire.substr(total) == "NEXT");
  }
  ChunkedDecoder small(8);
  std::string body;
  std::size_t used = 0;
  CHECK(small.Feed("5\r\nhello\r\n4\r\n", body, used) == ChunkedDecoder::State::kTooLarge);
  for (const char* bad : {"x\r\n", "5\nhello", "5\r\nhelloX\r\n", "fffffffffffffffff\r\n", "5 x\r\n"}) {
    ChunkedDecoder decoder(1 << 20);
    std::string out;
    INFO(bad);
    CHECK(decoder.Feed(bad, out, used) == ChunkedDecoder::State::kMalformed);
  }
}
