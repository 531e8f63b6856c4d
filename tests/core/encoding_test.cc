#include <catch2/catch.hpp>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"

namespace latchkey {
namespace {

TEST_CASE("base64url round-trips every length", "[encoding]") {
  for (std::size_t size = 0; size < 100; ++size) {
    const std::string bytes = RandomBytes(SystemRandom(), size);
    const std::string text = Base64UrlEncode(bytes);
    CHECK(text.find('=') == std::string::npos);
    CHECK(text.size() == (size * 4 + 2) / 3);
    Result<std::string> decoded = Base64UrlDecode(text);
    REQUIRE(decoded.ok());
    CHECK(*decoded == bytes);
  }
}

TEST_CASE("base64url known answers (RFC 4648 §10, url alphabet)", "[encoding]") {
  CHECK(Base64UrlEncode("") == "");
  CHECK(Base64UrlEncode("f") == "Zg");
  CHECK(Base64UrlEncode("fo") == "Zm8");
  CHECK(Base64UrlEncode("foo") == "Zm9v");
  CHECK(Base64UrlEncode("foobar") == "Zm9vYmFy");
  CHECK(Base64UrlEncode("\xfb\xff") == "-_8");
  CHECK(*Base64UrlDecode("-_8") == "\xfb\xff");
}

TEST_CASE("base64url rejects everything but the canonical form", "[encoding]") {
  for (const char* bad :
       {"Zg==", "Zg=", "Zm9v=", "+/8", "Zm 9v", "Zm9v\n", "Z", "Zm9vY", "Zh", "Zm9", "-_9", "Zm8.", "\x80\x80"}) {
    INFO(bad);
    const Result<std::string> decoded = Base64UrlDecode(bad);
    CHECK(decoded.code() == Code::kBase64UrlInvalid);
  }
  // "Zh" and "Zm9" are rejected for their unused trailing bits: Zg and Zm8 are canonical.
  CHECK(Base64UrlDecode("Zg").ok());
  CHECK(Base64UrlDecode("Zm8").ok());
}

TEST_CASE("hex round-trips and rejects non-hex", "[encoding]") {
  CHECK(HexEncode(std::string("\x00\xff\x10", 3)) == "00ff10");
  CHECK(*HexDecode("00FF10") == std::string("\x00\xff\x10", 3));
  CHECK(!HexDecode("0").ok());
  CHECK(!HexDecode("zz").ok());
}

TEST_CASE("UTF-8 validation follows RFC 3629", "[encoding]") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("plain ascii"));
  CHECK(IsValidUtf8("d\xc3\xa9j\xc3\xa0 vu"));     // déjà vu
  CHECK(IsValidUtf8("\xe6\x97\xa5\xe6\x9c\xac"));  // CJK
  CHECK(IsValidUtf8("\xf0\x9f\x94\x91"));          // emoji, 4 bytes
  CHECK(IsValidUtf8("\xf4\x8f\xbf\xbf"));          // U+10FFFF
  CHECK(!IsValidUtf8("\x80"));                     // lone continuation
  CHECK(!IsValidUtf8("\xc0\xaf"));                 // overlong '/'
  CHECK(!IsValidUtf8("\xe0\x80\xaf"));             // overlong, 3 bytes
  CHECK(!IsValidUtf8("\xed\xa0\x80"));             // surrogate U+D800
  CHECK(!IsValidUtf8("\xf4\x90\x80\x80"));         // above U+10FFFF
  CHECK(!IsValidUtf8("\xf5\x80\x80\x80"));
  CHECK(!IsValidUtf8("\xe6\x97"));  // truncated
  CHECK(!IsValidUtf8("abc\xc3"));   // truncated at the end
  CHECK(!IsValidUtf8("\xc3\x28"));  // bad continuation
}

}  // namespace
}  // namespace latchkey
