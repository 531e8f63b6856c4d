// latchkey keys: generate keys, print public key sets and thumbprints.
#include <charconv>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/jwk.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  latchkey keys rotate [--database FILE]
      A new signing key for the server (see `latchkey keys rotate --help`).
  latchkey keys generate [--alg EdDSA|HS256] [--out FILE]
      A new private JWK (Ed25519 by default; HS256: a 256-bit secret).
      With --out, written to FILE with mode 0600 (never overwritten) and only
      the kid is printed; otherwise printed to stdout.
  latchkey keys public --key FILE
      The public JWKS for a private Ed25519 JWK (or a JWKS) in FILE.
  latchkey keys thumbprint --key FILE
      The RFC 7638 thumbprint of the key in FILE.
)";

}  // namespace

std::optional<long long> ParseInteger(const std::string& text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

Result<Jwks> LoadKeys(const std::string& path) {
  Result<Json> json = ReadJsonFile(path);
  if (!json.ok()) return json.code();
  if (json->is_object() && json->contains("kty")) {
    Result<Jwk> key = Jwk::FromJson(*json, /*allow_private=*/true);
    if (!key.ok()) return key.code();
    Jwks set;
    set.keys.push_back(std::move(key).value());
    return set;
  }
  return Jwks::FromJson(*json, /*allow_private=*/true);
}

int RunKeys(const Argv& argv) {
  if (!argv.empty() && argv[0] == "rotate") return RunKeysRotate(Argv(argv.begin() + 1, argv.end()));
  Args args(argv, {"alg", "out", "key"}, {"help"});
  if (!args.ok()) return UsageError(args.error(), kUsage);
  if (args.has("help") || args.positional().empty()) {
    std::cout << kUsage;
    return args.has("help") ? kExitOk : kExitUsage;
  }
  const std::string& action = args.positional()[0];

  if (action == "generate") {
    const std::string alg = args.get("alg").value_or("EdDSA");
    Result<Jwk> key = Code::kInvalidArgument;
    if (alg == "EdDSA") {
      key = Jwk::GenerateEd25519(SystemRandom());
    } else if (alg == "HS256") {
      std::string secret = RandomBytes(SystemRandom(), 32);
      key = Jwk::HmacSecret(secret);
      SecureZero(secret);
    } else {
      return UsageError("--alg must be EdDSA or HS256", kUsage);
    }
    const std::string text = key->ToJson(/*include_secret=*/true).dump(2) + "\n";
    if (const auto out = args.get("out")) {
      if (!WriteSecretFile(*out, text)) return kExitFailure;
      std::cout << key->kid() << "\n";
      return kExitOk;
    }
    std::cout << text;
    return kExitOk;
  }

  const auto path = args.get("key");
  if (!path) return UsageError("--key FILE is required", kUsage);
  Result<Jwks> keys = LoadKeys(*path);
  if (!keys.ok()) return ReportError(keys.code());

  if (action == "public") {
    Jwks public_keys;
    for (const Jwk& key : keys->keys) {
      if (key.algorithm() != Algorithm::kEdDSA) {
        std::cerr << "latchkey: an HS256 secret has no public form; share it only between servers\n";
        return kExitFailure;
      }
      Result<Jwk> public_key = Jwk::FromJson(key.ToJson(/*include_secret=*/false), /*allow_private=*/false);
      if (!public_key.ok()) return ReportError(public_key.code());
      public_keys.keys.push_back(std::move(public_key).value());
    }
    std::cout << public_keys.ToJson(/*include_secrets=*/false).dump(2) << "\n";
    return kExitOk;
  }
  if (action == "thumbprint") {
    for (const Jwk& key : keys->keys) std::cout << key.Thumbprint() << "\n";
    return kExitOk;
  }
  return UsageError("unknown keys action '" + action + "'", kUsage);
}

}  // namespace latchkey::cli
