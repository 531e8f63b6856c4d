// tests/vectors/strength-matchers.json: one password per matcher, the
// pattern chosen, where, and the score. The wasm tests run the same file.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "latchkey/strength.h"

namespace latchkey {
namespace {

Json LoadMatcherVectors() {
  std::ifstream in(LATCHKEY_VECTORS_DIR "/strength-matchers.json", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Result<Json> json = ParseJson(text.str(), {1 << 20, 16});
  REQUIRE(json.ok());
  return *json;
}

TEST_CASE("strength vectors: each matcher's password decomposes as expected", "[strength]") {
  const Json file = LoadMatcherVectors();
  const StrengthOptions options{static_cast<int>(file["reference_year"].get<std::int64_t>())};
  REQUIRE(file["cases"].size() >= 15);
  for (const Json& c : file["cases"]) {
    const std::string password = c["password"].get<std::string>();
    INFO(password);
    Result<StrengthResult> r = EstimateStrength(password, {}, options);
    REQUIRE(r.ok());
    const Json actual = StrengthResultToJsonValue(*r);
    CHECK(actual["score"] == c["score"]);
    CHECK((actual["feedback"]["warning"].is_null() ? Json(nullptr) : actual["feedback"]["warning"]["code"]) ==
          c["warning"]);
    REQUIRE(actual["sequence"].size() == c["sequence"].size());
    for (std::size_t k = 0; k < c["sequence"].size(); ++k) {
      for (const auto& [name, value] : c["sequence"][k].items()) {
        INFO(name);
        CHECK(actual["sequence"][k][name] == value);
      }
    }
  }
}

}  // namespace
}  // namespace latchkey
