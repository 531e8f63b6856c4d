// Account field rules (core/account_rules.h) against tests/vectors/email-normalization.json,
// and the display-name rule.
#include <catch2/catch.hpp>

#include "latchkey/account_rules.h"
#include "vector_runner.h"

namespace latchkey {
namespace {

TEST_CASE("email normalisation vectors", "[account_rules]") {
  const Json file = testing::LoadVectorFile(std::string(LATCHKEY_VECTORS_DIR) + "/email-normalization.json");
  REQUIRE(file["cases"].size() >= 30);
  for (const Json& c : file["cases"]) {
    INFO("case " << c["id"].get<std::string>());
    const Result<std::string> got = NormalizeEmail(c["input"].get<std::string>());
    if (c["expect"].is_null()) {
      CHECK(got.code() == Code::kEmailInvalid);
    } else {
      REQUIRE(got.ok());
      CHECK(*got == c["expect"].get<std::string>());
      // Normalising is idempotent: a stored address normalises to itself.
      const Result<std::string> again = NormalizeEmail(*got);
      REQUIRE(again.ok());
      CHECK(*again == *got);
    }
  }
}

TEST_CASE("email normalisation refuses invalid UTF-8 and oversize input", "[account_rules]") {
  CHECK(NormalizeEmail("al\xffice@example.com").code() == Code::kEmailInvalid);
  CHECK(NormalizeEmail("").code() == Code::kEmailInvalid);
  CHECK(NormalizeEmail(std::string(250, 'a') + "@example.com").code() == Code::kEmailInvalid);
}

TEST_CASE("display names: UTF-8, no controls, bounded", "[account_rules]") {
  CHECK(ValidateDisplayName("").ok());
  CHECK(ValidateDisplayName("Jörg Müller").ok());
  CHECK(ValidateDisplayName("bad\x07name").code() == Code::kValidationFailed);
  CHECK(ValidateDisplayName("bad\xffname").code() == Code::kValidationFailed);
  CHECK(ValidateDisplayName(std::string(kMaxNameCodePoints, 'x')).ok());
  CHECK(ValidateDisplayName(std::string(kMaxNameCodePoints + 1, 'x')).code() == Code::kValidationFailed);
}

}  // namespace
}  // namespace latchkey
