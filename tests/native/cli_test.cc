// The latchkey CLI as a user runs it: a real process, real files, real stdin.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "latchkey/json.h"

namespace {

struct Run {
  int exit_code;
  std::string out;  // stdout and stderr together
};

// Runs the CLI through the shell with `stdin_text` on its standard input.
Run Latchkey(const std::string& args, const std::string& stdin_text = "") {
  const std::string command = "printf '%s' '" + stdin_text + "' | " + LATCHKEY_CLI + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "latchkey-cli-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST_CASE("help at every level, usage errors exit 2", "[cli]") {
  CHECK(Latchkey("--help").exit_code == 0);
  for (const char* command : {"keys", "token", "hash"}) {
    const Run run = Latchkey(std::string(command) + " --help");
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("usage:") != std::string::npos);
  }
  CHECK(Latchkey("frobnicate").exit_code == 2);
  CHECK(Latchkey("token verify --bogus x").exit_code == 2);
  CHECK(Latchkey("token sign").exit_code == 2);
}

TEST_CASE("errors prints the shared error table", "[cli]") {
  const Run run = Latchkey("errors");
  REQUIRE(run.exit_code == 0);
  latchkey::Result<latchkey::Json> table = latchkey::ParseJson(run.out);
  REQUIRE(table.ok());
  REQUIRE(table->is_array());
  CHECK((*table)[0]["code"] == "ok");
  bool found = false;
  for (const auto& row : *table) found = found || (row["code"] == "token_expired" && row["http_status"] == 401);
  CHECK(found);
}

TEST_CASE("keys, sign and verify round trip through files", "[cli]") {
  TempDir dir;
  const Run generated = Latchkey("keys generate --out " + (dir / "key.json"));
  REQUIRE(generated.exit_code == 0);
  const std::string kid = Trim(generated.out);
  CHECK(kid.size() == 43);
  struct stat info {};
  REQUIRE(::stat((dir / "key.json").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  // Never overwrites a key.
  CHECK(Latchkey("keys generate --out " + (dir / "key.json")).exit_code == 1);

  const Run jwks = Latchkey("keys public --key " + (dir / "key.json"));
  REQUIRE(jwks.exit_code == 0);
  CHECK(jwks.out.find("\"d\"") == std::string::npos);
  CHECK(jwks.out.find(kid) != std::string::npos);
  std::ofstream(dir / "jwks.json") << jwks.out;

  const Run signed_token = Latchkey("token sign --key " + (dir / "key.json") +
                                    " --sub alice --iss https://auth.test --aud app --claim 'role=\"admin\"'");
  REQUIRE(signed_token.exit_code == 0);
  const std::string token = Trim(signed_token.out);

  const std::string verify = "token verify --jwks " + (dir / "jwks.json") + " --iss https://auth.test --typ at+jwt ";
  const Run ok = Latchkey(verify + "--aud app " + token);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("\"role\": \"admin\"") != std::string::npos);
  CHECK(Latchkey(verify + "--aud app -", token + "\n").exit_code == 0);

  const Run wrong_audience = Latchkey(verify + "--aud other " + token);
  CHECK(wrong_audience.exit_code == 1);
  CHECK(wrong_audience.out.find("\"error\":\"token_audience_invalid\"") != std::string::npos);
  const Run expired = Latchkey(verify + "--aud app --now 4102444800 " + token);
  CHECK(expired.exit_code == 1);
  CHECK(expired.out.find("token_expired") != std::string::npos);
  const Run hs_only = Latchkey(verify + "--aud app --alg HS256 " + token);
  CHECK(hs_only.out.find("token_algorithm_not_allowed") != std::string::npos);

  const Run decoded = Latchkey("token decode " + token);
  CHECK(decoded.exit_code == 0);
  CHECK(decoded.out.find("\"verified\": false") != std::string::npos);
}

TEST_CASE("HS256 keys sign and verify; they have no public form", "[cli]") {
  TempDir dir;
  REQUIRE(Latchkey("keys generate --alg HS256 --out " + (dir / "secret.json")).exit_code == 0);
  CHECK(Latchkey("keys public --key " + (dir / "secret.json")).exit_code == 1);
  const std::string token = Trim(Latchkey("token sign --key " + (dir / "secret.json") + " --sub bob").out);
  CHECK(Latchkey("token verify --alg HS256 --jwks " + (dir / "secret.json") + " " + token).exit_code == 0);
}

TEST_CASE("bad key files give an error code, not a crash", "[cli]") {
  TempDir dir;
  std::ofstream(dir / "bad.json") << R"({"kty":"OKP","crv":"Ed25519","x":"short"})";
  std::ofstream(dir / "dup.json") << R"({"kty":"OKP","kty":"oct"})";
  const Run bad = Latchkey("token sign --key " + (dir / "bad.json"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.out.find("jwk_invalid") != std::string::npos);
  CHECK(Latchkey("token sign --key " + (dir / "dup.json")).out.find("json_duplicate_key") != std::string::npos);
  CHECK(Latchkey("token sign --key " + (dir / "missing.json")).exit_code == 1);
}

TEST_CASE("hash reads the password from stdin and verifies it", "[cli]") {
  const Run hashed = Latchkey("hash --iterations 1 --memory-kib 8192", "s3cret pass\n");
  REQUIRE(hashed.exit_code == 0);
  const std::string hash = Trim(hashed.out);
  CHECK(hash.rfind("$argon2id$v=19$m=8192,t=1,p=1$", 0) == 0);
  CHECK(Latchkey("hash verify '" + hash + "'", "s3cret pass\n").exit_code == 0);
  const Run wrong = Latchkey("hash verify '" + hash + "'", "s3cret pasS\n");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.find("password_mismatch") != std::string::npos);
  CHECK(Trim(Latchkey("hash needs-rehash '" + hash + "'").out) == "true");
  CHECK(Trim(Latchkey("hash needs-rehash '" + hash + "' --iterations 1 --memory-kib 8192").out) == "false");
  CHECK(Latchkey("hash --memory-kib 10", "x\n").out.find("password_hash_params_invalid") != std::string::npos);
}

TEST_CASE("demo walks through the core and shows each refusal", "[cli]") {
  const Run demo = Latchkey("demo");
  CHECK(demo.exit_code == 0);
  for (const char* expected : {"token_signature_invalid", "token_expired", "token_algorithm_not_allowed",
                               "token_key_not_found", "right password: ok", "wrong password: password_mismatch"}) {
    CHECK(demo.out.find(expected) != std::string::npos);
  }
}

}  // namespace
