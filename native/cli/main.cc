// latchkey: the command-line entry point.
#include <iostream>

#include "cli/commands.h"
#include "cli/io.h"
#include "latchkey/status.h"

namespace {

constexpr const char* kUsage = R"(latchkey: authentication toolkit

usage: latchkey <command> [options]

commands:
  serve     run the auth server (HTTP API, JWKS, the demo page)
  user      add an account (the first admin), change a role, disable
  migrate   apply database migrations
  import-users  bring users (bcrypt hashes) over from another app's SQLite database
  demo      sign and verify a token, show tampering and expiry being caught,
            hash and check a password (all with fresh keys, nothing stored)
  keys      rotate the server's signing key; generate keys, print a JWKS
  token     sign, verify or decode a JWT
  hash      hash a password with Argon2id, verify one, check its cost
  password  check a password against the policy, estimate its strength
  errors    print the table of error codes as JSON

Run `latchkey <command> --help` for the options of each.
)";

int PrintErrors() {
  latchkey::Json table = latchkey::Json::array();
  for (const latchkey::ErrorInfo& info : latchkey::ErrorTable()) {
    table.push_back({{"code", info.wire}, {"http_status", info.http_status}, {"message", info.message}});
  }
  std::cout << table.dump(2) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace latchkey::cli;
  Argv args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string command = args[0];
  const Argv rest(args.begin() + 1, args.end());
  if (command == "serve") return RunServe(rest);
  if (command == "user") return RunUser(rest);
  if (command == "migrate") return RunMigrate(rest);
  if (command == "import-users") return RunImportUsers(rest);
  if (command == "demo") return RunDemo(rest);
  if (command == "keys") return RunKeys(rest);
  if (command == "token") return RunToken(rest);
  if (command == "hash") return RunHash(rest);
  if (command == "password") return RunPassword(rest);
  if (command == "errors") return PrintErrors();
  return UsageError("unknown command '" + command + "'", kUsage);
}
