#include "fuzz_keys.h"

#include <cstdlib>
#include <string_view>
#include <vector>

namespace fuzz {
namespace {

// Public test material from tests/vectors/jwt-cases.json: never use elsewhere.
constexpr std::string_view kEdA =
    R"({"kty":"OKP","crv":"Ed25519","x":"lZ-v97AocEaz0kRufh7_EJFa39ueaXXSZa8tKrCuaTY",)"
    R"("d":"MHFKPEp96Ol_8j7hI5Wq1xGUDp7jkaQVWb7bY_7YkSM","kid":"FAgEGnRPWkHafWbgyUrivuS8oYNoaeu8IloKco26l8c"})";
constexpr std::string_view kEdAPublic =
    R"({"kty":"OKP","crv":"Ed25519","x":"lZ-v97AocEaz0kRufh7_EJFa39ueaXXSZa8tKrCuaTY",)"
    R"("kid":"FAgEGnRPWkHafWbgyUrivuS8oYNoaeu8IloKco26l8c"})";
constexpr std::string_view kEdB = R"({"kty":"OKP","crv":"Ed25519","x":"xdICqP5anwwfkU8LttETnz61o2lbx31_8Tf7pzbSbvs",)"
                                  R"("kid":"_AjPW4RTVPK-0cv4Xe1B98UqAniONoP_Besn3vIQbTk"})";
constexpr std::string_view kHsA =
    R"({"kty":"oct","k":"isKj1h7zB3gydayUhvE9bjgeySvRxwm1WIiVPGRlnwg","kid":"Kkp5TUmcuCGf_MsZ7PoE-CGS_b0XGmAPHiU7VkWxrBg"})";

// rs_a (2048-bit RSA) and ec_a (P-256), public halves, for RS256/PS256/ES256.
constexpr std::string_view kRsA =
    R"({"kty":"RSA","n":"w4MmKF4K3g16P_1gxRjgYF8YOFjTMDNF9Fay1Fqld3k3DKuV8nzGx7nDW3J8FakAGGt4qm10rc6t2NMUv4)"
    R"(-BAhlzXsXclsdd0d6PUAU-ymBf-Au6EfLyZkCAC2UBfl-_czSl5UH-bVcnw11LSaF3R5SIJh2lvQYlKe9QAAqdNsqdGrEqD9Vaxq)"
    R"(LtEi4-mHDoUeqthLvDMu7Gt0aQPIs0ZRUFc7XktGryfZVi8rkQH7a1o-vvjv322n5uR_kSA8AlZBzkBnSGa5RD0eLb7fueAas_Jp)"
    R"(-BoZUyjtyXGpXBF5ztVdg24HyEoI40M7aoXQ_OK8M1qinqj3svj4W43oxYTQ","e":"AQAB","kid":"Ozwgzq-D_x9HjtQ0oan9)"
    R"(HKGuTKZqcyqoPb1uHy6DwrQ"})";
constexpr std::string_view kEcA =
    R"({"kty":"EC","crv":"P-256","x":"ShdO8WO2KRixZ0E3pjQqz5D4AZK9cUX2IwV8NoZy3LA","y":"uhXHm4xpG10wUJwMehO6GjQIG6YaFU4_ZBrWV-jSgeI","kid":"OmypNvK8uQ6w6xjz_r3K7J4gWwbO8j4FnLpYKFOWw90"})";

latchkey::Jwk Key(std::string_view text, bool allow_private) {
  latchkey::Result<latchkey::Json> json = latchkey::ParseJson(text);
  if (!json.ok()) std::abort();
  latchkey::Result<latchkey::Jwk> key = latchkey::Jwk::FromJson(*json, allow_private);
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

latchkey::Verifier Make(std::vector<std::string_view> keys, latchkey::VerifierOptions options) {
  latchkey::Jwks set;
  for (std::string_view key : keys) set.keys.push_back(Key(key, false));
  latchkey::Result<latchkey::Verifier> verifier = latchkey::Verifier::Create(std::move(set), std::move(options));
  if (!verifier.ok()) std::abort();
  return std::move(verifier).value();
}

std::vector<latchkey::Verifier> Build() {
  std::vector<latchkey::Verifier> out;
  latchkey::VerifierOptions strict;
  strict.algorithms = {latchkey::Algorithm::kEdDSA};
  strict.issuer = "https://auth.example.test";
  strict.audiences = {"latchkey-demo", "other"};
  strict.type = "at+jwt";
  strict.required_claims = {"sid"};
  // hs_a is in the set too: the EdDSA-only allow-list must keep it unused.
  out.push_back(Make({kEdAPublic, kEdB, kHsA}, strict));
  latchkey::VerifierOptions hs;
  hs.algorithms = {latchkey::Algorithm::kHS256};
  hs.leeway_seconds = 0;
  out.push_back(Make({kHsA}, hs));
  latchkey::VerifierOptions both;
  both.algorithms = {latchkey::Algorithm::kEdDSA, latchkey::Algorithm::kHS256};
  both.max_token_bytes = 2048;
  both.max_json_depth = 4;
  out.push_back(Make({kEdAPublic, kHsA}, both));
  // The provider algorithms: RSA without alg (RS256 and PS256) and P-256.
  latchkey::VerifierOptions pk;
  pk.algorithms = {latchkey::Algorithm::kRS256, latchkey::Algorithm::kPS256, latchkey::Algorithm::kES256};
  out.push_back(Make({kRsA, kEcA, kEdAPublic}, pk));
  return out;
}

}  // namespace

std::span<const latchkey::Verifier> Verifiers() {
  static const std::vector<latchkey::Verifier> verifiers = Build();
  return verifiers;
}

const latchkey::Jwk& SigningKeyEdA() {
  static const latchkey::Jwk key = Key(kEdA, true);
  return key;
}

const latchkey::Jwk& SigningKeyHsA() {
  static const latchkey::Jwk key = Key(kHsA, true);
  return key;
}

}  // namespace fuzz
