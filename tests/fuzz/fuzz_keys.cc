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
