// A JWK set from JSON text, as a verifier or the CLI reads one.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/jwk.h"

namespace {

void Parse(const latchkey::Json& json, bool allow_private) {
  latchkey::Result<latchkey::Jwks> set = latchkey::Jwks::FromJson(json, allow_private);
  if (!set.ok()) return;
  std::set<std::string> kids;
  for (const latchkey::Jwk& key : set->keys) FUZZ_CHECK(kids.insert(key.kid()).second);
  latchkey::Result<latchkey::Jwks> again = latchkey::Jwks::FromJson(set->ToJson(true), true);
  FUZZ_CHECK(again.ok() && again->keys.size() == set->keys.size());
  for (std::size_t i = 0; i < set->keys.size(); ++i) {
    FUZZ_CHECK(again->keys[i].kid() == set->keys[i].kid());
    FUZZ_CHECK(again->keys[i].secret() == set->keys[i].secret());
  }
  // The public form never carries a secret.
  const latchkey::Json published = set->ToJson(false);
  for (const auto& key : published["keys"]) FUZZ_CHECK(!key.contains("d") && !key.contains("k"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  latchkey::Result<latchkey::Json> json =
      latchkey::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!json.ok()) return 0;
  Parse(*json, false);
  Parse(*json, true);
  return 0;
}
