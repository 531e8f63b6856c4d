#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "latchkey/json.h"

namespace latchkey {
namespace {

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_CASE("bounded JSON parses ordinary documents", "[json]") {
  Result<Json> json = ParseJson(R"({"a": [1, 2.5, "x", true, null, {"b": {}}], "c": "d\u00e9"})");
  REQUIRE(json.ok());
  CHECK((*json)["a"][1] == 2.5);
  CHECK((*json)["c"] == "d\xc3\xa9");
}

TEST_CASE("bounded JSON enforces the size limit", "[json]") {
  const std::string text = R"({"k":"0123456789"})";
  CHECK(ParseJson(text, JsonLimits{text.size(), 32}).ok());
  CHECK(ParseJson(text, JsonLimits{text.size() - 1, 32}).code() == Code::kJsonTooLarge);
}

TEST_CASE("bounded JSON enforces the depth limit exactly", "[json]") {
  CHECK(ParseJson(Nested(32), JsonLimits{1000, 32}).ok());
  CHECK(ParseJson(Nested(33), JsonLimits{1000, 32}).code() == Code::kJsonTooDeep);
  CHECK(ParseJson(R"({"a":{"b":{"c":1}}})", JsonLimits{1000, 3}).ok());
  CHECK(ParseJson(R"({"a":{"b":{"c":{}}}})", JsonLimits{1000, 3}).code() == Code::kJsonTooDeep);
  // Far past the limit: stops early instead of recursing.
  CHECK(ParseJson(Nested(100000), JsonLimits{1 << 20, 32}).code() == Code::kJsonTooDeep);
  CHECK(ParseJson("1", JsonLimits{10, 1}).ok());
}

TEST_CASE("bounded JSON rejects duplicate member names at any depth", "[json]") {
  CHECK(ParseJson(R"({"a":1,"a":2})").code() == Code::kJsonDuplicateKey);
  CHECK(ParseJson(R"({"x":{"a":1,"a":1}})").code() == Code::kJsonDuplicateKey);
  CHECK(ParseJson(R"([{"a":1},{"a":1,"b":2,"a":3}])").code() == Code::kJsonDuplicateKey);
  CHECK(ParseJson(R"({"a":[{"a":1}],"a":2})").code() == Code::kJsonDuplicateKey);
  // The same name spelled with an escape is still the same name.
  CHECK(ParseJson(R"({"sub":1,"s\u0075b":2})").code() == Code::kJsonDuplicateKey);
  CHECK(ParseJson(R"({"a":{"a":{"a":1}}})").ok());
}

TEST_CASE("bounded JSON rejects invalid UTF-8, BOMs, surrogates and trailing data", "[json]") {
  CHECK(ParseJson("{\"a\":\"\xc0\xaf\"}").code() == Code::kUtf8Invalid);
  CHECK(ParseJson("{\"a\":\"\xff\"}").code() == Code::kUtf8Invalid);
  CHECK(ParseJson("\xef\xbb\xbf{}").code() == Code::kJsonInvalid);
  CHECK(ParseJson(R"({"a":"\ud800"})").code() == Code::kJsonInvalid);
  CHECK(ParseJson(R"({"a":"\udc00\ud800"})").code() == Code::kJsonInvalid);
  CHECK(ParseJson(R"({"a":"\ud83d\udd11"})").ok());  // a valid pair
  CHECK(ParseJson("{} x").code() == Code::kJsonInvalid);
  CHECK(ParseJson("{},").code() == Code::kJsonInvalid);
  CHECK(ParseJson(R"({"a":1,})").code() == Code::kJsonInvalid);
  CHECK(ParseJson("{\"a\":\"\x01\"}").code() == Code::kJsonInvalid);
  CHECK(ParseJson("").code() == Code::kJsonInvalid);
  CHECK(ParseJson("/* c */ {}").code() == Code::kJsonInvalid);
  CHECK(ParseJson("1e400").code() == Code::kJsonInvalid);
}

TEST_CASE("SerializeJson refuses what it cannot write faithfully", "[json]") {
  CHECK(*SerializeJson(Json{{"b", 1}, {"a", "x"}}) == R"({"a":"x","b":1})");
  CHECK(SerializeJson(Json{{"a", "\xff"}}).code() == Code::kUtf8Invalid);
  CHECK(SerializeJson(Json{{"\xff", 1}}).code() == Code::kUtf8Invalid);
  CHECK(SerializeJson(Json::array({std::nan("")})).code() == Code::kInvalidArgument);
  CHECK(SerializeJson(Json{{"a", {{"b", std::numeric_limits<double>::infinity()}}}}).code() == Code::kInvalidArgument);
}

}  // namespace
}  // namespace latchkey
