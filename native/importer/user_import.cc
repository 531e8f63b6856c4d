#include "importer/user_import.h"

#include <sqlite3.h>

#include <memory>
#include <set>

#include "identity/ids.h"
#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"
#include "passwords/bcrypt_hash.h"

namespace latchkey {
namespace {

std::string Quote(const std::string& identifier) { return "\"" + identifier + "\""; }

std::string ColumnText(sqlite3_stmt* stmt, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column))) : std::string();
}

struct SourceDb {
  sqlite3* db = nullptr;
  ~SourceDb() { sqlite3_close(db); }
};

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

// The table's column names, or empty when the table does not exist.
std::set<std::string> Columns(sqlite3* db, const std::string& table) {
  std::set<std::string> columns;
  Statement info;
  const std::string sql = "SELECT name FROM pragma_table_info(?)";
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &info.stmt, nullptr) != SQLITE_OK) return columns;
  sqlite3_bind_text(info.stmt, 1, table.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(info.stmt) == SQLITE_ROW) columns.insert(ColumnText(info.stmt, 0));
  return columns;
}

}  // namespace

bool IsPlainIdentifier(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

Json ImportReport::ToJson(bool dry_run, bool imported) const {
  Json reasons = Json::object();
  Json rows = Json::array();
  for (const ImportSkip& skip : skipped) {
    reasons[skip.reason] = reasons.value(skip.reason, 0) + 1;
    rows.push_back({{"row", skip.row}, {"reason", skip.reason}});
  }
  return Json{{"dry_run", dry_run},
              {"read", read},
              {"imported", imported ? static_cast<std::int64_t>(users.size()) : 0},
              {"would_import", static_cast<std::int64_t>(users.size())},
              {"skipped", static_cast<std::int64_t>(skipped.size())},
              {"skipped_by_reason", std::move(reasons)},
              {"skipped_rows", std::move(rows)},
              {"roles_defaulted", roles_defaulted}};
}

Result<ImportReport> ReadUsersForImport(const std::string& source_path, const ImportMapping& m, UserStore& existing,
                                        RandomSource& random, std::int64_t now, std::string& error) {
  for (const std::string* name : {&m.table, &m.email_column, &m.hash_column, &m.name_column, &m.role_column}) {
    if (!name->empty() && !IsPlainIdentifier(*name)) {
      error = "not a plain identifier (letters, digits, _): " + *name;
      return Code::kInvalidArgument;
    }
  }
  SourceDb source;
  if (sqlite3_open_v2(source_path.c_str(), &source.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open the source database read-only";
    return Code::kNotFound;
  }
  const std::set<std::string> columns = Columns(source.db, m.table);
  if (columns.empty()) {
    error = "no table " + m.table + " in the source database";
    return Code::kNotFound;
  }
  for (const std::string* required : {&m.email_column, &m.hash_column}) {
    if (!columns.count(*required)) {
      error = "no column " + *required + " in " + m.table;
      return Code::kNotFound;
    }
  }
  const bool has_name = !m.name_column.empty() && columns.count(m.name_column);
  const bool has_role = !m.role_column.empty() && columns.count(m.role_column);
  if ((m.name_column_given && !m.name_column.empty() && !has_name) ||
      (m.role_column_given && !m.role_column.empty() && !has_role)) {
    error = "a mapped column is not in " + m.table;
    return Code::kNotFound;
  }
  // Identifiers are validated above and quoted; values are only ever read.
  const std::string sql = "SELECT " + Quote(m.email_column) + ", " + Quote(m.hash_column) + ", " +
                          (has_name ? Quote(m.name_column) : "''") + ", " + (has_role ? Quote(m.role_column) : "''") +
                          " FROM " + Quote(m.table) + " ORDER BY rowid";
  Statement rows;
  if (sqlite3_prepare_v2(source.db, sql.c_str(), -1, &rows.stmt, nullptr) != SQLITE_OK) {
    // WITHOUT ROWID tables: read in their own order.
    const std::string plain = sql.substr(0, sql.size() - std::string(" ORDER BY rowid").size());
    if (sqlite3_prepare_v2(source.db, plain.c_str(), -1, &rows.stmt, nullptr) != SQLITE_OK) {
      error = "cannot read " + m.table;
      return Code::kInvalidArgument;
    }
  }

  ImportReport report;
  std::set<std::string> seen;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(rows.stmt)) == SQLITE_ROW) {
    const std::int64_t row = ++report.read;
    auto skip = [&](const char* reason) { report.skipped.push_back({row, reason}); };
    Result<std::string> email = NormalizeEmail(ColumnText(rows.stmt, 0));
    if (!email.ok()) {
      skip("invalid_email");
      continue;
    }
    const std::string hash = ColumnText(rows.stmt, 1);
    const char* why = "malformed_hash";
    if (!ValidateBcryptHash(hash, &why).ok()) {
      skip(why);
      continue;
    }
    const std::string name = ColumnText(rows.stmt, 2);
    if (!ValidateDisplayName(name).ok()) {
      skip("invalid_name");
      continue;
    }
    if (!seen.insert(*email).second) {
      skip("duplicate_in_source");
      continue;
    }
    Result<User> taken = existing.FindByEmail(*email);
    if (taken.ok()) {
      skip("email_taken");
      continue;
    }
    if (taken.code() != Code::kNotFound) return taken.code();
    std::string role = ColumnText(rows.stmt, 3);
    if (role != role::kUser && role != role::kAdmin) {
      if (has_role) ++report.roles_defaulted;
      role = std::string(role::kUser);
    }
    ImportedUser imported;
    User& user = imported.user;
    user.id = NewUuid(random);
    user.email = std::move(email).value();
    user.name = name;
    user.role = role;
    user.created_at = user.updated_at = now;
    imported.password =
        Credential{NewUuid(random), user.id, std::string(credential_type::kPassword), user.id, hash, now, now};
    report.users.push_back(std::move(imported));
  }
  if (step != SQLITE_DONE) {
    error = "error while reading " + m.table;
    return Code::kInternal;
  }
  return report;
}

Status InsertImportedUsers(StoreSet& stores, const ImportReport& report, const std::function<Status()>& then) {
  return stores.units().Run([&]() -> Status {
    for (const ImportedUser& imported : report.users) {
      LATCHKEY_RETURN_IF_ERROR(stores.users().Insert(imported.user));
      LATCHKEY_RETURN_IF_ERROR(stores.credentials().Put(imported.password));
    }
    return then();
  });
}

}  // namespace latchkey
