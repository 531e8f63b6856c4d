// latchkey token: sign, verify and decode JWTs with the core.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/encoding.h"
#include "latchkey/jwt.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  latchkey token sign --key FILE [--sub S] [--iss I] [--aud A]... [--ttl SECONDS]
                      [--typ TYPE] [--claim NAME=JSON]...
      Signs a JWT with the private JWK in FILE: iat is now, exp now + ttl
      (default 900), a random jti; typ defaults to at+jwt.
  latchkey token verify --jwks FILE [--alg EdDSA|HS256]... [--iss I] [--aud A]...
                        [--leeway SECONDS] [--typ TYPE] [--require CLAIM]...
                        [--now SECONDS] TOKEN|-
      Verifies TOKEN (or one read from stdin with -) against the keys in FILE
      (a JWKS or a JWK). Prints the header and claims and exits 0, or prints
      the error code and exits 1. --alg defaults to EdDSA.
  latchkey token decode TOKEN
      Prints header and claims WITHOUT verifying anything: for debugging only.
)";

int Sign(const Args& args) {
  const auto key_path = args.get("key");
  if (!key_path) return UsageError("--key FILE is required", kUsage);
  Result<Jwks> keys = LoadKeys(*key_path);
  if (!keys.ok()) return ReportError(keys.code());
  if (keys->keys.size() != 1) return UsageError("--key must hold exactly one key", kUsage);

  const std::optional<long long> ttl = ParseInteger(args.get("ttl").value_or("900"));
  if (!ttl || *ttl <= 0) return UsageError("--ttl must be a positive number of seconds", kUsage);
  const std::int64_t now = NowSeconds();

  JwtBuilder builder;
  builder.type(args.get("typ").value_or("at+jwt")).issued_at(now).expires_at(now + *ttl);
  builder.jwt_id(Base64UrlEncode(RandomBytes(SystemRandom(), 16)));
  if (const auto sub = args.get("sub")) builder.subject(*sub);
  if (const auto iss = args.get("iss")) builder.issuer(*iss);
  const std::vector<std::string> audiences = args.all("aud");
  if (audiences.size() == 1) builder.audience(audiences[0]);
  if (audiences.size() > 1) builder.audiences(audiences);
  for (const std::string& claim : args.all("claim")) {
    const auto eq = claim.find('=');
    if (eq == std::string::npos || eq == 0) return UsageError("--claim takes NAME=JSON", kUsage);
    Result<Json> value = ParseJson(claim.substr(eq + 1));
    if (!value.ok()) return UsageError("the value of --claim " + claim.substr(0, eq) + " is not JSON", kUsage);
    builder.claim(claim.substr(0, eq), std::move(value).value());
  }
  Result<std::string> token = builder.Sign(keys->keys[0]);
  if (!token.ok()) return ReportError(token.code());
  std::cout << *token << "\n";
  return kExitOk;
}

int Verify(const Args& args) {
  const auto jwks_path = args.get("jwks");
  if (!jwks_path) return UsageError("--jwks FILE is required", kUsage);
  if (args.positional().size() != 2) return UsageError("give one TOKEN, or - to read it from stdin", kUsage);
  std::string token = args.positional()[1];
  if (token == "-" && !std::getline(std::cin, token)) return UsageError("no token on stdin", kUsage);

  Result<Jwks> keys = LoadKeys(*jwks_path);
  if (!keys.ok()) return ReportError(keys.code());
  VerifierOptions options;
  std::vector<std::string> algs = args.all("alg");
  if (algs.empty()) algs.push_back("EdDSA");
  for (const std::string& name : algs) {
    const std::optional<Algorithm> alg = AlgorithmFromName(name);
    if (!alg) return UsageError("--alg must be EdDSA or HS256", kUsage);
    options.algorithms.push_back(*alg);
  }
  options.issuer = args.get("iss");
  options.audiences = args.all("aud");
  options.required_claims = args.all("require");
  options.type = args.get("typ");
  if (const auto leeway = args.get("leeway")) {
    const std::optional<long long> seconds = ParseInteger(*leeway);
    if (!seconds) return UsageError("--leeway must be a number of seconds", kUsage);
    options.leeway_seconds = *seconds;
  }
  std::int64_t now = NowSeconds();
  if (const auto now_text = args.get("now")) {
    const std::optional<long long> seconds = ParseInteger(*now_text);
    if (!seconds) return UsageError("--now must be seconds since the epoch", kUsage);
    now = *seconds;
  }

  Result<Verifier> verifier = Verifier::Create(std::move(keys).value(), std::move(options));
  if (!verifier.ok()) return ReportError(verifier.code());
  Result<VerifiedJwt> verified = verifier->Verify(token, now);
  if (!verified.ok()) return ReportError(verified.code());
  std::cout << Json{{"valid", true}, {"header", verified->header}, {"claims", verified->claims}}.dump(2) << "\n";
  return kExitOk;
}

int Decode(const Args& args) {
  if (args.positional().size() != 2) return UsageError("give one TOKEN", kUsage);
  const std::string& token = args.positional()[1];
  const auto first = token.find('.');
  const auto second = first == std::string::npos ? first : token.find('.', first + 1);
  if (second == std::string::npos) return ReportError(Code::kTokenMalformed);
  Json out = {{"verified", false}};
  const std::string_view parts[2] = {std::string_view(token).substr(0, first),
                                     std::string_view(token).substr(first + 1, second - first - 1)};
  const char* names[2] = {"header", "claims"};
  for (int i = 0; i < 2; ++i) {
    Result<std::string> text = Base64UrlDecode(parts[i]);
    if (!text.ok()) return ReportError(Code::kTokenMalformed);
    Result<Json> json = ParseJson(*text);
    if (!json.ok()) return ReportError(Code::kTokenMalformed);
    out[names[i]] = std::move(json).value();
  }
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

int RunToken(const Argv& argv) {
  Args args(argv, {"key", "sub", "iss", "aud", "ttl", "typ", "claim", "jwks", "alg", "leeway", "require", "now"},
            {"help"});
  if (!args.ok()) return UsageError(args.error(), kUsage);
  if (args.has("help") || args.positional().empty()) {
    std::cout << kUsage;
    return args.has("help") ? kExitOk : kExitUsage;
  }
  const std::string& action = args.positional()[0];
  if (action == "sign") return Sign(args);
  if (action == "verify") return Verify(args);
  if (action == "decode") return Decode(args);
  return UsageError("unknown token action '" + action + "'", kUsage);
}

}  // namespace latchkey::cli
