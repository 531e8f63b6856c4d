// latchkey import-users: brings accounts over from another app's SQLite
// database, keeping their bcrypt hashes until each user's next sign-in.
#include <iostream>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "config/options.h"
#include "importer/user_import.h"

namespace latchkey::cli {
namespace {

constexpr const char* kUsage = R"(usage:
  latchkey import-users --from OTHER.db [--table users] [--email-column email]
      [--hash-column hashed_password] [--name-column full_name] [--role-column role]
      [--dry-run] [--database FILE]
  Copies users with bcrypt hashes ($2a$, $2b$, $2y$) from another app's SQLite
  database (opened read-only) in one transaction: all of them or none. Rows
  with an invalid email, a malformed hash, a duplicate, or an email that already
  has an account here are skipped and reported. Imported users sign in with
  their old password; the hash becomes Argon2id at that moment. Roles other
  than user/admin become user. --dry-run reports and changes nothing.
Every `latchkey serve` option is accepted too, as are LATCHKEY_* variables.
)";

}  // namespace

int RunImportUsers(const Argv& argv) {
  ImportMapping mapping;
  std::string from;
  bool dry_run = false;
  Argv rest;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    std::string* target = nullptr;
    if (arg == "--from") target = &from;
    if (arg == "--table") target = &mapping.table;
    if (arg == "--email-column") target = &mapping.email_column;
    if (arg == "--hash-column") target = &mapping.hash_column;
    if (arg == "--name-column") {
      target = &mapping.name_column;
      mapping.name_column_given = true;
    }
    if (arg == "--role-column") {
      target = &mapping.role_column;
      mapping.role_column_given = true;
    }
    if (arg == "--dry-run") {
      dry_run = true;
    } else if (target) {
      if (i + 1 >= argv.size()) return UsageError(arg + " needs a value", kUsage);
      *target = argv[++i];
    } else {
      rest.push_back(arg);
    }
  }
  if (from.empty()) {
    bool help = false;
    for (const std::string& arg : rest) help = help || arg == "--help" || arg == "-h";
    if (help) {
      std::cout << kUsage;
      return kExitOk;
    }
    return UsageError("--from is required", kUsage);
  }
  ServerConfig config;
  config.hash_threads = 1;
  config.http_threads = 1;
  std::string error;
  bool help = false;
  if (!LoadServerConfig(rest, config, error, help)) return UsageError(error, kUsage);
  if (help) {
    std::cout << kUsage;
    return kExitOk;
  }
  Result<std::unique_ptr<App>> app = OpenApp(config, NowSeconds(), stderr);
  if (!app.ok()) {
    std::cerr << "latchkey: cannot open " << DescribeDatabase(config.database) << "\n";
    return ReportError(app.code());
  }
  App& a = **app;
  Result<ImportReport> report =
      ReadUsersForImport(from, mapping, a.stores->users(), SystemRandom(), NowSeconds(), error);
  if (!report.ok()) {
    std::cerr << "latchkey import-users: " << error << "\n";
    return report.code() == Code::kInvalidArgument ? kExitUsage : ReportError(report.code());
  }
  const Json summary = report->ToJson(dry_run, !dry_run);
  if (!dry_run) {
    RequestContext ctx = CliContext();
    const Status inserted = InsertImportedUsers(*a.stores, *report, [&]() -> Status {
      a.audit->Record(audit_event::kUsersImported, ctx,
                      {std::nullopt, std::nullopt, std::nullopt,
                       Json{{"imported", summary["imported"]}, {"skipped", summary["skipped"]}}});
      return Status::Ok();
    });
    if (!inserted.ok()) {
      std::cerr << "latchkey import-users: nothing imported (the transaction was rolled back)\n";
      return ReportError(inserted.code());
    }
  }
  std::cout << summary.dump() << "\n";
  return kExitOk;
}

}  // namespace latchkey::cli
