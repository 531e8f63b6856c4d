// Embind exports of the tools module (latchkey_tools): the password strength
// estimator and policy, JWT signing and Ed25519 keys, Argon2id hashing and
// TOTP, and the test-vector primitives. A wasm module of its own, loaded on demand by the package
// (init({ tools: true })), so that pages which only verify tokens and refresh
// sessions never download the estimator's word lists (issue 15).
#include <emscripten/bind.h>

#include <cmath>
#include <string>
#include <vector>

#include "latchkey/crypto.h"
#include "latchkey/encoding.h"
#include "latchkey/json.h"
#include "latchkey/jwt.h"
#include "latchkey/otp.h"
#include "latchkey/password.h"
#include "latchkey/password_policy.h"
#include "latchkey/strength.h"

namespace latchkey::wasm {
namespace {

std::string Failure(Code code) { return Json{{"ok", false}, {"code", WireCode(code)}}.dump(); }

// Bounded JSON parsing, exposed so the JS tests can hold it to the same limits.
std::string CheckJson(const std::string& text, double max_bytes, double max_depth) {
  Result<Json> json =
      ParseJson(text, JsonLimits{static_cast<std::size_t>(max_bytes), static_cast<std::size_t>(max_depth)});
  return std::string(WireCode(json.code()));
}

std::string Base64UrlToHex(const std::string& text) {
  Result<std::string> bytes = Base64UrlDecode(text);
  if (!bytes.ok()) return Failure(bytes.code());
  return Json{{"ok", true}, {"hex", HexEncode(*bytes)}}.dump();
}

bool Ed25519VerifyHex(const std::string& public_key_hex, const std::string& message_hex,
                      const std::string& signature_hex) {
  Result<std::string> pk = HexDecode(public_key_hex), msg = HexDecode(message_hex), sig = HexDecode(signature_hex);
  if (!pk.ok() || !msg.ok() || !sig.ok()) return false;
  return Ed25519Verify(*pk, *msg, *sig);
}

std::string HmacSha256Hex(const std::string& key_hex, const std::string& message_hex) {
  Result<std::string> key = HexDecode(key_hex), msg = HexDecode(message_hex);
  if (!key.ok() || !msg.ok()) return "";
  return HexEncode(HmacSha256(*key, *msg));
}

std::string Sha256Hex(const std::string& message_hex) {
  Result<std::string> msg = HexDecode(message_hex);
  return msg.ok() ? HexEncode(Sha256(*msg)) : "";
}

std::string SignJwt(const std::string& private_jwk_json, const std::string& typ, const std::string& claims_json) {
  Result<Json> jwk_json = ParseJson(private_jwk_json);
  if (!jwk_json.ok()) return Failure(jwk_json.code());
  Result<Jwk> key = Jwk::FromJson(*jwk_json, /*allow_private=*/true);
  if (!key.ok()) return Failure(key.code());
  Result<Json> claims = ParseJson(claims_json);
  if (!claims.ok()) return Failure(claims.code());
  if (!claims->is_object()) return Failure(Code::kInvalidArgument);
  JwtBuilder builder;
  builder.type(typ);
  for (auto& [name, value] : claims->items()) builder.claim(name, value);
  Result<std::string> token = builder.Sign(*key);
  if (!token.ok()) return Failure(token.code());
  return Json{{"ok", true}, {"token", *token}}.dump();
}

std::string GenerateEd25519Jwk() { return Jwk::GenerateEd25519(SystemRandom()).ToJson(true).dump(); }

// RFC 6238 TOTP of a hex key at a Unix time; "" for bad input.
std::string TotpCode(const std::string& key_hex, double unix_time, const std::string& algorithm, int digits) {
  Result<std::string> key = HexDecode(key_hex);
  if (!key.ok() || (algorithm != "SHA1" && algorithm != "SHA256" && algorithm != "SHA512")) return "";
  const OtpAlgorithm alg = algorithm == "SHA1"     ? OtpAlgorithm::kSha1
                           : algorithm == "SHA256" ? OtpAlgorithm::kSha256
                                                   : OtpAlgorithm::kSha512;
  Result<std::string> code = Totp(*key, static_cast<std::int64_t>(unix_time), TotpParams{alg, digits, 30});
  return code.ok() ? *code : "";
}

// Signs raw bytes with the secret key a 32-byte seed derives (for known-answer tests).
std::string Ed25519SignHex(const std::string& seed_hex, const std::string& message_hex) {
  Result<std::string> seed = HexDecode(seed_hex), msg = HexDecode(message_hex);
  if (!seed.ok() || !msg.ok()) return "";
  Result<Ed25519KeyPair> pair = Ed25519FromSeed(*seed);
  if (!pair.ok()) return "";
  Result<std::string> signature = Ed25519Sign(pair->secret_key.view(), *msg);
  return signature.ok() ? HexEncode(*signature) : "";
}

std::string HashPasswordJson(const std::string& password, double iterations, double memory_kib) {
  const Argon2Params params{static_cast<std::uint64_t>(iterations), static_cast<std::size_t>(memory_kib)};
  Result<std::string> hash = HashPassword(password, params);
  if (!hash.ok()) return Failure(hash.code());
  return Json{{"ok", true}, {"hash", *hash}}.dump();
}

std::string VerifyPasswordCode(const std::string& hash, const std::string& password) {
  return std::string(WireCode(VerifyPassword(hash, password).code()));
}

std::string NeedsRehashJson(const std::string& hash, double iterations, double memory_kib) {
  Result<bool> needs =
      NeedsRehash(hash, Argon2Params{static_cast<std::uint64_t>(iterations), static_cast<std::size_t>(memory_kib)});
  if (!needs.ok()) return Failure(needs.code());
  return Json{{"ok", true}, {"needs_rehash", *needs}}.dump();
}

// A JSON array of strings (user inputs, context words); anything else fails.
Result<std::vector<std::string>> StringList(const std::string& json_text) {
  Result<Json> json = ParseJson(json_text);
  if (!json.ok()) return json.code();
  if (!json->is_array()) return Code::kInvalidArgument;
  std::vector<std::string> out;
  for (const Json& item : *json) {
    if (!item.is_string()) return Code::kInvalidArgument;
    out.push_back(item.get<std::string>());
  }
  return out;
}

StrengthOptions YearOptions(double year) {
  StrengthOptions options;
  if (std::isfinite(year) && year >= 1000 && year <= 9999) options.reference_year = static_cast<int>(year);
  return options;
}

std::string PasswordStrengthJson(const std::string& password, const std::string& user_inputs_json, double year) {
  Result<std::vector<std::string>> inputs = StringList(user_inputs_json);
  if (!inputs.ok()) return Failure(inputs.code());
  Result<StrengthResult> result = EstimateStrength(password, *inputs, YearOptions(year));
  if (!result.ok()) return Failure(result.code());
  Json json = StrengthResultToJsonValue(*result);
  json["ok"] = true;
  return json.dump();
}

std::string CheckPasswordJson(const std::string& password, const std::string& policy_json,
                              const std::string& context_json, double year) {
  Result<Json> policy_value = ParseJson(policy_json);
  if (!policy_value.ok()) return Failure(policy_value.code());
  Result<PasswordPolicy> policy = PasswordPolicy::FromJson(*policy_value);
  if (!policy.ok()) return Failure(policy.code());
  Result<std::vector<std::string>> context = StringList(context_json);
  if (!context.ok()) return Failure(context.code());
  Result<PolicyVerdict> verdict = CheckPassword(password, *policy, *context, YearOptions(year));
  if (!verdict.ok()) return Failure(verdict.code());
  Json json = PolicyVerdictToJson(*verdict);
  json["ok"] = true;
  return json.dump();
}

// The policy with defaults filled in, or the reason it is invalid.
std::string PasswordPolicyJson(const std::string& policy_json) {
  Result<Json> value = ParseJson(policy_json);
  if (!value.ok()) return Failure(value.code());
  Result<PasswordPolicy> policy = PasswordPolicy::FromJson(*value);
  if (!policy.ok()) return Failure(policy.code());
  return Json{{"ok", true}, {"policy", policy->ToJson()}}.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(latchkey_tools) {
  using namespace emscripten;
  function("signJwt", &SignJwt);
  function("sha256Hex", &Sha256Hex);
  function("checkJson", &CheckJson);
  function("base64UrlToHex", &Base64UrlToHex);
  function("ed25519VerifyHex", &Ed25519VerifyHex);
  function("hmacSha256Hex", &HmacSha256Hex);
  function("generateEd25519Jwk", &GenerateEd25519Jwk);
  function("ed25519SignHex", &Ed25519SignHex);
  function("totpCode", &TotpCode);
  function("hashPassword", &HashPasswordJson);
  function("verifyPassword", &VerifyPasswordCode);
  function("needsRehash", &NeedsRehashJson);
  function("passwordStrength", &PasswordStrengthJson);
  function("checkPassword", &CheckPasswordJson);
  function("passwordPolicy", &PasswordPolicyJson);
}

}  // namespace latchkey::wasm
