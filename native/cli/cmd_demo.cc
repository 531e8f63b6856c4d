// latchkey demo: a short, real walk through what the core does, with a fresh
// key that is never stored. What the README's run command shows until the
// server lands.
#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "latchkey/password.h"

namespace latchkey::cli {
namespace {

void Step(const std::string& title) { std::cout << "\n== " << title << "\n"; }

void Verdict(const Verifier& verifier, const std::string& label, const std::string& token, std::int64_t now) {
  Result<VerifiedJwt> result = verifier.Verify(token, now);
  std::cout << "  " << label << ": " << (result.ok() ? "valid" : std::string(WireCode(result.code()))) << "\n";
}

}  // namespace

int RunDemo(const Argv& args) {
  if (!args.empty()) {
    std::cout << "usage: latchkey demo\n";
    return args[0] == "--help" ? kExitOk : kExitUsage;
  }
  const std::int64_t now = NowSeconds();

  Step("1. A new Ed25519 signing key; its public half as a JWKS");
  Jwk key = Jwk::GenerateEd25519(SystemRandom());
  Jwks public_set;
  public_set.keys.push_back(std::move(Jwk::FromJson(key.ToJson(false), false)).value());
  std::cout << public_set.ToJson(false).dump(2) << "\n";

  Step("2. An access token for alice (EdDSA, typ at+jwt, 15 minutes)");
  Result<std::string> token = JwtBuilder()
                                  .type("at+jwt")
                                  .issuer("http://127.0.0.1:8080")
                                  .subject("user-alice")
                                  .audience("latchkey-demo")
                                  .issued_at(now)
                                  .expires_at(now + 900)
                                  .jwt_id(Base64UrlEncode(RandomBytes(SystemRandom(), 16)))
                                  .claim("role", "user")
                                  .claim("email", "alice@example.com")
                                  .claim("email_verified", true)
                                  .Sign(key);
  if (!token.ok()) return ReportError(token.code());
  std::cout << "  " << *token << "\n";

  Step("3. Verified against the JWKS (algorithms, issuer, audience, typ fixed by the verifier)");
  VerifierOptions options;
  options.algorithms = {Algorithm::kEdDSA};
  options.issuer = "http://127.0.0.1:8080";
  options.audiences = {"latchkey-demo"};
  options.type = "at+jwt";
  options.required_claims = {"sub"};
  Result<Verifier> verifier = Verifier::Create(public_set.Clone(), options);
  if (!verifier.ok()) return ReportError(verifier.code());
  Result<VerifiedJwt> verified = verifier->Verify(*token, now);
  if (!verified.ok()) return ReportError(verified.code());
  std::cout << verified->claims.dump(2) << "\n";

  Step("4. What the verifier refuses");
  std::string tampered = *token;
  const auto dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  Verdict(*verifier, "payload changed by one character", tampered, now);
  Verdict(*verifier, "the same token 16 minutes later", *token, now + 960);
  const std::string unsigned_token = Base64UrlEncode(R"({"alg":"none","typ":"at+jwt"})") + "." +
                                     token->substr(dot + 1, token->rfind('.') - dot - 1) + ".";
  Verdict(*verifier, "alg none, no signature", unsigned_token, now);
  Jwk other = Jwk::GenerateEd25519(SystemRandom());
  Result<std::string> foreign = JwtBuilder().type("at+jwt").subject("mallory").expires_at(now + 900).Sign(other);
  Verdict(*verifier, "signed by another key", *foreign, now);

  Step("5. Argon2id password hash (t=2, m=19 MiB, p=1) and verification");
  const auto start = std::chrono::steady_clock::now();
  Result<std::string> hash = HashPassword("correct horse battery staple");
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!hash.ok()) return ReportError(hash.code());
  std::cout << "  " << *hash << "  (" << static_cast<int>(elapsed) << " ms)\n";
  std::cout << "  right password: " << WireCode(VerifyPassword(*hash, "correct horse battery staple").code()) << "\n";
  std::cout << "  wrong password: " << WireCode(VerifyPassword(*hash, "correct horse battery stapler").code()) << "\n";
  std::cout << "\nTry `latchkey --help` for the commands behind each step.\n";
  return kExitOk;
}

}  // namespace latchkey::cli
