// latchkey user / migrate / keys rotate: administration from the command line,
// through the same services as the server (same rules, same audit log).
#include <iostream>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "config/options.h"
#include "identity/email_collisions.h"
#include "latchkey/account_rules.h"
#include "storage/sqlite.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUserUsage = R"(usage:
  latchkey user add EMAIL [--admin | --role ROLE] [--name NAME] [--database FILE]
      Creates an account; the password is read from stdin (no echo on a terminal).
  latchkey user set-role EMAIL ROLE [--database FILE]
  latchkey user disable EMAIL [--database FILE]     (also ends the user's sessions)
  latchkey user enable EMAIL [--database FILE]
Every `latchkey serve` option is accepted too (e.g. --argon2-memory-kib), as are
the LATCHKEY_* environment variables.
)";

// Splits out the user command's own flags, leaving serve options to LoadServerConfig.
struct UserFlags {
  bool admin = false;
  std::string role = std::string(role::kUser);
  std::string name;
};

bool TakeUserFlags(Argv& args, UserFlags& flags, std::string& error) {
  Argv rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--admin") {
      flags.admin = true;
      flags.role = std::string(role::kAdmin);
    } else if ((args[i] == "--role" || args[i] == "--name") && i + 1 < args.size()) {
      (args[i] == "--role" ? flags.role : flags.name) = args[i + 1];
      ++i;
    } else if (args[i] == "--role" || args[i] == "--name") {
      error = args[i] + " needs a value";
      return false;
    } else {
      rest.push_back(args[i]);
    }
  }
  args = rest;
  return true;
}

Result<std::unique_ptr<App>> Open(const Argv& args, std::vector<std::string>& positional, int& exit_code,
                                  const char* usage) {
  ServerConfig config;
  config.hash_threads = 1;
  config.http_threads = 1;
  std::string error;
  bool help = false;
  if (!LoadServerConfig(args, config, error, help, &positional)) {
    exit_code = UsageError(error, usage);
    return Code::kInvalidArgument;
  }
  if (help) {
    std::cout << usage;
    exit_code = kExitOk;
    return Code::kInvalidArgument;
  }
  Result<std::unique_ptr<App>> app = OpenApp(config, NowSeconds(), stderr);
  if (!app.ok()) {
    ReportOpenFailure(config.database, app.code());
    exit_code = ReportError(app.code());
  }
  return app;
}

}  // namespace

int RunUser(const Argv& argv) {
  Argv args = argv;
  UserFlags flags;
  std::string error;
  if (!TakeUserFlags(args, flags, error)) return UsageError(error, kUserUsage);
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  Result<std::unique_ptr<App>> app = Open(args, positional, exit_code, kUserUsage);
  if (!app.ok()) return exit_code;
  App& a = **app;
  RequestContext ctx = CliContext();
  if (positional.size() < 2) return UsageError("give an action and an EMAIL", kUserUsage);
  const std::string& action = positional[0];
  Result<std::string> email = NormalizeEmail(positional[1]);
  if (!email.ok()) return ReportError(email.code());

  if (action == "add" && positional.size() == 2) {
    std::optional<std::string> password = ReadSecretLine("password: ");
    if (!password) return UsageError("no password on stdin", kUserUsage);
    Result<User> user = a.passwords->CreateUser(*email, *password, flags.name, flags.role, ctx);
    SecureZero(*password);
    if (!user.ok()) return ReportError(user.code());
    std::cout << Json{{"id", user->id}, {"email", user->email}, {"role", user->role}}.dump() << "\n";
    return kExitOk;
  }
  Result<User> user = a.stores->users().FindByEmail(*email);
  if (!user.ok()) return ReportError(user.code());
  Result<User> updated = Code::kInvalidArgument;
  if (action == "set-role" && positional.size() == 3) {
    updated = a.admin->UpdateUser(Actor::Operator(), user->id, positional[2], std::nullopt, ctx);
  } else if ((action == "disable" || action == "enable") && positional.size() == 2) {
    updated = a.admin->UpdateUser(Actor::Operator(), user->id, std::nullopt, action == "disable", ctx);
  } else {
    return UsageError("unknown user action or wrong arguments", kUserUsage);
  }
  if (!updated.ok()) return ReportError(updated.code());
  std::cout << Json{{"id", updated->id},
                    {"email", updated->email},
                    {"role", updated->role},
                    {"disabled", updated->disabled}}
                   .dump()
            << "\n";
  return kExitOk;
}

int RunMigrate(const Argv& args) {
  constexpr const char* kUsage =
      "usage: latchkey migrate [--database FILE]\n  Applies pending schema migrations and prints the version, and\n"
      "  the accounts whose addresses today's email rule would merge or refuse (nothing is merged).\n";
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  Result<std::unique_ptr<App>> app = Open(args, positional, exit_code, kUsage);
  if (!app.ok()) return exit_code;
  if (!positional.empty()) return UsageError("unexpected argument", kUsage);
  Result<std::vector<EmailCollision>> collisions = FindEmailCollisions((*app)->stores->users());
  if (!collisions.ok()) return ReportError(collisions.code());
  std::cout << Json{{"schema_version", storage::LatestSchemaVersion()},
                    {"email_collisions", EmailCollisionsJson(*collisions)}}
                   .dump()
            << "\n";
  if (!collisions->empty()) {
    std::cerr << "latchkey migrate: " << collisions->size()
              << " address(es) collide or are refused under the current email rule; nothing was merged: "
                 "resolve them by hand (see email_collisions above)\n";
  }
  return kExitOk;
}

int RunKeysRotate(const Argv& args) {
  constexpr const char* kUsage =
      "usage: latchkey keys rotate [--database FILE|URL]\n"
      "  New signing key; old public keys stay published while their tokens live. Running servers\n"
      "  pick it up as it commits on PostgreSQL (LISTEN/NOTIFY), otherwise within\n"
      "  --key-reload-interval (30 s).\n";
  std::vector<std::string> positional;
  int exit_code = kExitOk;
  Result<std::unique_ptr<App>> app = Open(args, positional, exit_code, kUsage);
  if (!app.ok()) return exit_code;
  RequestContext ctx = CliContext();
  Result<std::string> kid = (*app)->admin->RotateKeys(Actor::Operator(), ctx);
  if (!kid.ok()) return ReportError(kid.code());
  std::cout << Json{{"kid", *kid}}.dump() << "\n";
  return kExitOk;
}

}  // namespace latchkey::cli
