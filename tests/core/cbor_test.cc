// The strict CBOR reader: what it accepts, and every refusal cbor.h lists.
#include <catch2/catch.hpp>

#include "latchkey/cbor.h"
#include "latchkey/encoding.h"

namespace latchkey::cbor {
namespace {

std::string Hex(const char* hex) { return *HexDecode(hex); }
Code DecodeHex(const char* hex, const Limits& limits = {}) { return Decode(Hex(hex), limits).code(); }

TEST_CASE("cbor: integers, strings, arrays, maps and simple values decode", "[cbor]") {
  std::int64_t n = 0;
  Result<Value> v = Decode(Hex("17"));
  REQUIRE(v.ok());
  CHECK((v->type() == Value::Type::kUnsigned && v->AsInt64(&n) && n == 23));
  v = Decode(Hex("1818"));
  CHECK((v.ok() && v->AsInt64(&n) && n == 24));
  v = Decode(Hex("390100"));  // -257, RS256
  CHECK((v.ok() && v->type() == Value::Type::kNegative && v->AsInt64(&n) && n == -257));
  v = Decode(Hex("3b7fffffffffffffff"));  // INT64_MIN
  CHECK((v.ok() && v->AsInt64(&n) && n == INT64_MIN));
  v = Decode(Hex("1bffffffffffffffff"));  // 2^64 - 1 does not fit int64
  CHECK((v.ok() && !v->AsInt64(&n)));
  v = Decode(Hex("3bffffffffffffffff"));
  CHECK((v.ok() && !v->AsInt64(&n)));
  v = Decode(Hex("4401020304"));
  CHECK((v.ok() && v->type() == Value::Type::kBytes && v->bytes() == Hex("01020304")));
  v = Decode(Hex("62c3a9"));  // "é"
  CHECK((v.ok() && v->type() == Value::Type::kText && v->bytes() == "\xc3\xa9"));
  v = Decode(Hex("f4"));
  CHECK((v.ok() && v->type() == Value::Type::kBool && !v->boolean()));
  v = Decode(Hex("f5"));
  CHECK((v.ok() && v->boolean()));
  v = Decode(Hex("f6"));
  CHECK((v.ok() && v->type() == Value::Type::kNull));
  v = Decode(Hex("83010203"));
  REQUIRE(v.ok());
  CHECK(v->array().size() == 3);
  // {1: 2, 3: -7, "fmt": "none"}
  v =
      Decode(Hex("a3010203266366"
                 "6d74"
                 "646e6f6e65"));
  REQUIRE(v.ok());
  REQUIRE(v->type() == Value::Type::kMap);
  REQUIRE(v->Find(3) != nullptr);
  CHECK((v->Find(3)->AsInt64(&n) && n == -7));
  REQUIRE(v->Find("fmt") != nullptr);
  CHECK(v->Find("fmt")->bytes() == "none");
  CHECK(v->Find(4) == nullptr);
  CHECK(v->Find("none") == nullptr);
  CHECK(v->map().size() == 3);
}

TEST_CASE("cbor: indefinite lengths, tags, floats and other simple values are refused", "[cbor]") {
  CHECK(DecodeHex("5f4101ff") == Code::kCborInvalid);      // indefinite bytes
  CHECK(DecodeHex("7f6161ff") == Code::kCborInvalid);      // indefinite text
  CHECK(DecodeHex("9f01ff") == Code::kCborInvalid);        // indefinite array
  CHECK(DecodeHex("bf0102ff") == Code::kCborInvalid);      // indefinite map
  CHECK(DecodeHex("ff") == Code::kCborInvalid);            // a lone break
  CHECK(DecodeHex("c11a514b67b0") == Code::kCborInvalid);  // tag 1
  CHECK(DecodeHex("d84043010203") == Code::kCborInvalid);  // tag 64
  CHECK(DecodeHex("f93c00") == Code::kCborInvalid);        // half float
  CHECK(DecodeHex("fa3f800000") == Code::kCborInvalid);    // single
  CHECK(DecodeHex("fb3ff0000000000000") == Code::kCborInvalid);
  CHECK(DecodeHex("f7") == Code::kCborInvalid);    // undefined
  CHECK(DecodeHex("f0") == Code::kCborInvalid);    // simple(16)
  CHECK(DecodeHex("f820") == Code::kCborInvalid);  // simple(32)
  CHECK(DecodeHex("1c") == Code::kCborInvalid);    // reserved additional information
  CHECK(DecodeHex("5d") == Code::kCborInvalid);
}

TEST_CASE("cbor: integers and lengths must be in their shortest form", "[cbor]") {
  CHECK(DecodeHex("1817") == Code::kCborInvalid);
  CHECK(DecodeHex("190018") == Code::kCborInvalid);
  CHECK(DecodeHex("1900ff") == Code::kCborInvalid);
  CHECK(DecodeHex("19ffff") == Code::kOk);
  CHECK(DecodeHex("1a0000ffff") == Code::kCborInvalid);
  CHECK(DecodeHex("1b00000000ffffffff") == Code::kCborInvalid);
  CHECK(DecodeHex("1b0000000100000000") == Code::kOk);
  CHECK(DecodeHex("3817") == Code::kCborInvalid);      // -24 in two bytes
  CHECK(DecodeHex("580101") == Code::kCborInvalid);    // byte string length 1 in two bytes
  CHECK(DecodeHex("78016161") == Code::kCborInvalid);  // text
  CHECK(DecodeHex("980101") == Code::kCborInvalid);    // array count
  CHECK(DecodeHex("b8010102") == Code::kCborInvalid);  // map count
  CHECK(DecodeHex("5900020102") == Code::kCborInvalid);
}

TEST_CASE("cbor: text must be UTF-8", "[cbor]") {
  CHECK(DecodeHex("61ff") == Code::kCborInvalid);
  CHECK(DecodeHex("62c0af") == Code::kCborInvalid);    // overlong
  CHECK(DecodeHex("63eda080") == Code::kCborInvalid);  // surrogate
  CHECK(DecodeHex("61c3") == Code::kCborInvalid);      // cut short
  CHECK(DecodeHex("41ff") == Code::kOk);               // the same byte as a byte string
}

TEST_CASE("cbor: map keys are unique integers or strings", "[cbor]") {
  CHECK(DecodeHex("a201020103") == Code::kCborInvalid);      // {1: 2, 1: 3}
  CHECK(DecodeHex("a2616101616102") == Code::kCborInvalid);  // {"a": 1, "a": 2}
  CHECK(DecodeHex("a220012002") == Code::kCborInvalid);      // {-1: 1, -1: 2}
  CHECK(DecodeHex("a201012001") == Code::kOk);               // {1: 1, -1: 1}
  CHECK(DecodeHex("a24101016101"
                  "02") == Code::kOk);               // h'01' and "\x01" differ
  CHECK(DecodeHex("a1f501") == Code::kCborInvalid);  // {true: 1}
  CHECK(DecodeHex("a1f601") == Code::kCborInvalid);  // {null: 1}
  CHECK(DecodeHex("a18001") == Code::kCborInvalid);  // {[]: 1}
  CHECK(DecodeHex("a1a001") == Code::kCborInvalid);  // {{}: 1}
}

TEST_CASE("cbor: depth, item count and input size limits", "[cbor]") {
  // Eight nested arrays are the default limit; nine are refused.
  CHECK(DecodeHex("8181818181818180") == Code::kOk);
  CHECK(DecodeHex("818181818181818180") == Code::kCborInvalid);
  CHECK(DecodeHex("a101a101a101a101a101a101a101a0") == Code::kOk);
  CHECK(DecodeHex("a101a101a101a101a101a101a101a101a0") == Code::kCborInvalid);
  CHECK(DecodeHex("8180", Limits{64, 1, 100}) == Code::kCborInvalid);
  CHECK(DecodeHex("80", Limits{64, 1, 100}) == Code::kOk);
  CHECK(DecodeHex("01", Limits{64, 0, 100}) == Code::kOk);  // scalars open nothing
  // Items: the array and its three elements are four.
  CHECK(DecodeHex("83010203", Limits{64, 8, 4}) == Code::kOk);
  CHECK(DecodeHex("83010203", Limits{64, 8, 3}) == Code::kCborInvalid);
  CHECK(DecodeHex("a10102", Limits{64, 8, 2}) == Code::kCborInvalid);  // a key is an item
  CHECK(DecodeHex("83010203", Limits{3, 8, 100}) == Code::kCborInvalid);
  CHECK(DecodeHex("83010203", Limits{4, 8, 100}) == Code::kOk);
  // A long flat array under the default item limit, and one over it.
  std::string flat = Hex("991000") + std::string(4096, '\x01');
  CHECK(Decode(flat).code() == Code::kCborInvalid);  // 4097 items
  flat = Hex("990fff") + std::string(4095, '\x01');
  CHECK(Decode(flat).ok());
}

TEST_CASE("cbor: lengths and counts past the end cost nothing and are refused", "[cbor]") {
  CHECK(DecodeHex("") == Code::kCborInvalid);
  CHECK(DecodeHex("430102") == Code::kCborInvalid);
  CHECK(DecodeHex("630102") == Code::kCborInvalid);
  CHECK(DecodeHex("19ff") == Code::kCborInvalid);                // argument cut short
  CHECK(DecodeHex("5bffffffffffffffff") == Code::kCborInvalid);  // 2^64 - 1 bytes
  CHECK(DecodeHex("7bffffffffffffffff") == Code::kCborInvalid);
  CHECK(DecodeHex("9bffffffffffffffff") == Code::kCborInvalid);  // 2^64 - 1 elements
  CHECK(DecodeHex("bbffffffffffffffff") == Code::kCborInvalid);
  CHECK(DecodeHex("5a7fffffff00") == Code::kCborInvalid);
  CHECK(DecodeHex("8301") == Code::kCborInvalid);
  CHECK(DecodeHex("a20102") == Code::kCborInvalid);
  CHECK(DecodeHex("a101") == Code::kCborInvalid);  // a key without its value
}

TEST_CASE("cbor: Decode refuses trailing bytes; DecodePrefix reports what it consumed", "[cbor]") {
  CHECK(DecodeHex("0101") == Code::kCborInvalid);
  CHECK(DecodeHex("a0a0") == Code::kCborInvalid);
  std::size_t consumed = 0;
  Result<Value> v = DecodePrefix(Hex("a201020304ff00"), &consumed);
  REQUIRE(v.ok());
  CHECK(consumed == 5);
  CHECK(v->map().size() == 2);
  v = DecodePrefix(Hex("4101"), &consumed);
  REQUIRE(v.ok());
  CHECK(consumed == 2);
  CHECK(DecodePrefix(Hex("ff01"), &consumed).code() == Code::kCborInvalid);
  // The input limit applies to the whole buffer handed over.
  CHECK(DecodePrefix(Hex("0102"), &consumed, Limits{1, 8, 10}).code() == Code::kCborInvalid);
}

}  // namespace
}  // namespace latchkey::cbor
