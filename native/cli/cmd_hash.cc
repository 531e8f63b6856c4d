// latchkey hash: Argon2id password hashes from the command line. Passwords
// are read from stdin (without echo on a terminal), never from arguments,
// which other users can see in the process list.
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/crypto.h"
#include "latchkey/password.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  latchkey hash [--iterations T] [--memory-kib M]
      Reads a password from stdin and prints its Argon2id hash
      (default t=2, m=19456 KiB, p=1: OWASP's recommendation).
  latchkey hash verify HASH
      Reads a password from stdin; exits 0 if it matches HASH, 1 if not.
  latchkey hash needs-rehash HASH [--iterations T] [--memory-kib M]
      Prints true when HASH was made with other costs than these.
)";

bool ReadParams(const Args& args, Argon2Params& params) {
  if (const auto t = args.get("iterations")) {
    const std::optional<long long> value = ParseInteger(*t);
    if (!value || *value < 1) return false;
    params.iterations = static_cast<std::uint64_t>(*value);
  }
  if (const auto m = args.get("memory-kib")) {
    const std::optional<long long> value = ParseInteger(*m);
    if (!value || *value < 1) return false;
    params.memory_kib = static_cast<std::size_t>(*value);
  }
  return true;
}

}  // namespace

int RunHash(const Argv& argv) {
  Args args(argv, {"iterations", "memory-kib"}, {"help"});
  if (!args.ok()) return UsageError(args.error(), kUsage);
  if (args.has("help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  Argon2Params params;
  if (!ReadParams(args, params)) return UsageError("costs must be positive integers", kUsage);
  const std::vector<std::string>& positional = args.positional();

  if (positional.empty()) {
    std::optional<std::string> password = ReadSecretLine("password: ");
    if (!password) return UsageError("no password on stdin", kUsage);
    Result<std::string> hash = HashPassword(*password, params);
    SecureZero(*password);
    if (!hash.ok()) return ReportError(hash.code());
    std::cout << *hash << "\n";
    return kExitOk;
  }
  if (positional.size() == 2 && positional[0] == "verify") {
    std::optional<std::string> password = ReadSecretLine("password: ");
    if (!password) return UsageError("no password on stdin", kUsage);
    const Status status = VerifyPassword(positional[1], *password);
    SecureZero(*password);
    if (!status.ok()) return ReportError(status.code());
    std::cout << "match\n";
    return kExitOk;
  }
  if (positional.size() == 2 && positional[0] == "needs-rehash") {
    Result<bool> needs = NeedsRehash(positional[1], params);
    if (!needs.ok()) return ReportError(needs.code());
    std::cout << (*needs ? "true" : "false") << "\n";
    return kExitOk;
  }
  return UsageError("unknown hash action", kUsage);
}

}  // namespace latchkey::cli
