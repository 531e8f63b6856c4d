#include "vector_runner.h"

#include <fstream>
#include <sstream>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "latchkey/otp.h"

namespace latchkey::testing {
namespace {

std::string Str(const Json& value, const char* name) {
  const auto it = value.find(name);
  return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Hex(const std::string& hex) {
  Result<std::string> bytes = HexDecode(hex);
  return bytes.ok() ? *bytes : std::string("\x01invalid-hex");
}

std::string VerifyWithConfig(const Json& config, const std::string& token, std::int64_t now) {
  Result<Verifier> verifier = Verifier::FromConfig(config);
  if (!verifier.ok()) return std::string(WireCode(verifier.code()));
  return std::string(WireCode(verifier->Verify(token, now).code()));
}

// Records one named check of an RFC vector: the first failing check wins.
struct Checks {
  std::string verdict = "pass";
  void Expect(bool ok, const std::string& what) {
    if (!ok && verdict == "pass") verdict = "fail: " + what;
  }
};

std::string RunRfcVector(const Json& vector) {
  const std::string name = Str(vector, "name");
  const Json& in = vector["inputs"];
  const Json& want = vector["expected"];
  Checks checks;
  if (name.rfind("hmac-sha256-rfc4231", 0) == 0) {
    std::string mac = HmacSha256(Hex(Str(in, "key_hex")), Hex(Str(in, "data_hex")));
    if (want.contains("truncate_to_bytes")) mac.resize(want["truncate_to_bytes"].get<std::size_t>());
    checks.Expect(HexEncode(mac) == Str(want, "mac_hex"), "mac");
  } else if (name == "jws-hs256-rfc7515-a1") {
    checks.Expect(Base64UrlEncode(Str(in, "protected_header_utf8")) == Str(want, "protected_header_b64url"), "header");
    checks.Expect(Base64UrlEncode(Str(in, "payload_utf8")) == Str(want, "payload_b64url"), "payload");
    Result<Jwk> key = Jwk::FromJson(in["jwk"], false);
    checks.Expect(key.ok() && HexEncode(key->secret()) == Str(in, "key_hex"), "jwk");
    const std::string mac = key.ok() ? HmacSha256(key->secret(), Str(want, "signing_input_ascii")) : "";
    checks.Expect(Base64UrlEncode(mac) == Str(want, "signature_b64url"), "signature");
    Json config = {{"algorithms", {"HS256"}}, {"jwks", {{"keys", {in["jwk"]}}}}, {"leeway_seconds", 0}};
    checks.Expect(VerifyWithConfig(config, Str(want, "compact_serialization"), 1300819379) == "ok", "verify");
    checks.Expect(VerifyWithConfig(config, Str(want, "compact_serialization"), 1300819380) == "token_expired",
                  "expiry");
  } else if (name == "okp-ed25519-keys-rfc8037-a1-a2") {
    Result<Jwk> key = Jwk::FromJson(in["private_jwk"], true);
    checks.Expect(key.ok(), "parse");
    checks.Expect(key.ok() && HexEncode(key->public_key()) == Str(want, "x_hex"), "x");
    checks.Expect(key.ok() && key->ToJson(false)["x"] == want["public_jwk"]["x"], "export");
    checks.Expect(key.ok() && key->ToJson(true)["d"] == in["private_jwk"]["d"], "export private");
  } else if (name == "jwk-thumbprint-ed25519-rfc8037-a3") {
    Result<Jwk> key = Jwk::FromJson(in["public_jwk"], false);
    checks.Expect(key.ok() && key->Thumbprint() == Str(want, "thumbprint_b64url"), "thumbprint");
    checks.Expect(key.ok() && key->kid() == Str(want, "thumbprint_b64url"), "kid");
  } else if (name == "jws-eddsa-ed25519-rfc8037-a4-a5") {
    Result<Jwk> key = Jwk::FromJson(in["private_jwk"], true);
    checks.Expect(key.ok(), "parse");
    const std::string input = Str(want, "signing_input_ascii");
    checks.Expect(
        Base64UrlEncode(Str(in, "protected_header_utf8")) + "." + Base64UrlEncode(Str(in, "payload_utf8")) == input,
        "signing input");
    Result<std::string> signature = key.ok() ? Ed25519Sign(key->secret(), input) : Result<std::string>(Code::kInternal);
    checks.Expect(signature.ok() && HexEncode(*signature) == Str(want, "signature_hex"), "signature");
    checks.Expect(key.ok() && Ed25519Verify(key->public_key(), input, Hex(Str(want, "signature_hex"))), "verify");
  } else if (name == "totp-rfc6238-appendix-b") {
    for (const Json& row : want) {
      const std::string mode = Str(row, "mode");
      const OtpAlgorithm algorithm = mode == "SHA1"     ? OtpAlgorithm::kSha1
                                     : mode == "SHA256" ? OtpAlgorithm::kSha256
                                                        : OtpAlgorithm::kSha512;
      const TotpParams params{algorithm, in["digits"].get<int>(), in["time_step_seconds"].get<std::int64_t>()};
      Result<std::string> code =
          Totp(Hex(in["seed_hex"][mode].get<std::string>()), row["unix_time"].get<std::int64_t>(), params);
      checks.Expect(code.ok() && *code == Str(row, "totp"), "totp " + mode + " at " + row["utc"].get<std::string>());
    }
  } else if (name == "pkce-s256-rfc7636-appendix-b") {
    checks.Expect(Base64UrlEncode(Sha256(Str(in, "code_verifier"))) == Str(want, "code_challenge"), "challenge");
  } else {
    return "not_applicable";
  }
  return checks.verdict;
}

// The derived negatives name their verifier in a shape of their own.
std::string RunDerivedNegative(const Json& vector) {
  const Json& spec = vector["verifier_config"];
  const Json& key = spec["key"].contains("public_jwk") ? spec["key"]["public_jwk"] : spec["key"]["jwk"];
  Json config = {{"algorithms", spec["allowed_algs"]}, {"jwks", {{"keys", {key}}}}, {"leeway_seconds", 0}};
  const std::int64_t now = spec.contains("clock_unix") ? spec["clock_unix"].get<std::int64_t>() : 1300819379;
  return VerifyWithConfig(config, Str(vector, "token"), now) == "ok" ? "accept" : "reject";
}

}  // namespace

std::vector<CaseVerdict> RunJwtCases(const Json& file) {
  std::vector<CaseVerdict> out;
  for (const Json& c : file["cases"]) {
    out.push_back({Str(c, "id"), Str(c, "expect"),
                   VerifyWithConfig(c["verifier"], Str(c, "token"), c["now"].get<std::int64_t>())});
  }
  return out;
}

std::vector<CaseVerdict> RunWycheproofEd25519(const Json& file) {
  std::vector<CaseVerdict> out;
  for (const Json& group : file["testGroups"]) {
    const std::string pk = group.contains("publicKey") ? Str(group["publicKey"], "pk") : Str(group["key"], "pk");
    for (const Json& test : group["tests"]) {
      const bool valid = Ed25519Verify(Hex(pk), Hex(Str(test, "msg")), Hex(Str(test, "sig")));
      out.push_back({std::to_string(test["tcId"].get<int>()), Str(test, "result"), valid ? "valid" : "invalid"});
    }
  }
  return out;
}

std::vector<CaseVerdict> RunWycheproofHmac(const Json& file) {
  std::vector<CaseVerdict> out;
  for (const Json& group : file["testGroups"]) {
    const std::size_t tag_bytes = group["tagSize"].get<std::size_t>() / 8;
    for (const Json& test : group["tests"]) {
      const std::string mac = HmacSha256(Hex(Str(test, "key")), Hex(Str(test, "msg")));
      const bool valid = ConstantTimeEqual(mac.substr(0, tag_bytes), Hex(Str(test, "tag")));
      out.push_back({std::to_string(test["tcId"].get<int>()), Str(test, "result"), valid ? "valid" : "invalid"});
    }
  }
  return out;
}

namespace {

// One Wycheproof signature group through the JWT code's own check: the key as
// a JWK (refused keys verify nothing), the message as the signing input.
void RunSignatureGroup(Algorithm algorithm, const Json& jwk, const Json& group, std::vector<CaseVerdict>& out) {
  Result<Jwk> key = Jwk::FromJson(jwk, /*allow_private=*/false);
  for (const Json& test : group["tests"]) {
    const bool valid = key.ok() && VerifyJwsSignature(algorithm, *key, Hex(Str(test, "msg")), Hex(Str(test, "sig")));
    out.push_back({std::to_string(test["tcId"].get<int>()), Str(test, "result"), valid ? "valid" : "invalid"});
  }
}

}  // namespace

std::vector<CaseVerdict> RunWycheproofRsa(const Json& file, bool pss) {
  std::vector<CaseVerdict> out;
  for (const Json& group : file["testGroups"]) {
    const Json jwk = {
        {"kty", "RSA"}, {"n", Base64UrlEncode(Hex(Str(group, "n")))}, {"e", Base64UrlEncode(Hex(Str(group, "e")))}};
    RunSignatureGroup(pss ? Algorithm::kPS256 : Algorithm::kRS256, jwk, group, out);
  }
  return out;
}

std::vector<CaseVerdict> RunWycheproofEcdsaP1363(const Json& file) {
  std::vector<CaseVerdict> out;
  for (const Json& group : file["testGroups"]) {
    const Json& point = group["publicKey"];
    const Json jwk = {{"kty", "EC"},
                      {"crv", "P-256"},
                      {"x", Base64UrlEncode(Hex(Str(point, "wx")))},
                      {"y", Base64UrlEncode(Hex(Str(point, "wy")))}};
    RunSignatureGroup(Algorithm::kES256, jwk, group, out);
  }
  return out;
}

std::vector<CaseVerdict> RunRfcVectors(const Json& file) {
  std::vector<CaseVerdict> out;
  for (const Json& vector : file["vectors"]) {
    const std::string name = Str(vector, "name");
    out.push_back({name, "pass", RunRfcVector(vector)});
  }
  for (const Json& vector : file["derived_negative_vectors"]) {
    out.push_back({Str(vector, "name"), Str(vector, "expected"), RunDerivedNegative(vector)});
  }
  return out;
}

std::vector<CaseVerdict> RunVectors(const std::string& kind, const Json& file) {
  if (kind == "jwt") return RunJwtCases(file);
  if (kind == "ed25519") return RunWycheproofEd25519(file);
  if (kind == "hmac") return RunWycheproofHmac(file);
  if (kind == "rfc") return RunRfcVectors(file);
  if (kind == "rsa_pkcs1") return RunWycheproofRsa(file, /*pss=*/false);
  if (kind == "rsa_pss") return RunWycheproofRsa(file, /*pss=*/true);
  if (kind == "ecdsa_p1363") return RunWycheproofEcdsaP1363(file);
  return {};
}

Json LoadVectorFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Result<Json> json = ParseJson(buffer.str(), JsonLimits{16 << 20, 64});
  return json.ok() ? std::move(json).value() : Json();
}

}  // namespace latchkey::testing
