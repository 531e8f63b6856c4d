// Reads users from another application's SQLite database (opened read-only)
// through a table/column mapping, keeps their bcrypt hashes, and inserts them
// all in one transaction, or none. Names in the mapping are validated as
// plain identifiers and quoted; no value from the source is ever put in SQL.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <functional>

#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "latchkey/crypto.h"
#include "latchkey/json.h"
#include "storage/store_set.h"

namespace latchkey {

struct ImportMapping {
  std::string table = "users";
  std::string email_column = "email";
  std::string hash_column = "hashed_password";
  std::string name_column = "full_name";  // optional: missing column means no names
  std::string role_column = "role";       // optional: missing column means role "user"
  bool name_column_given = false;         // given explicitly: must exist
  bool role_column_given = false;
};

struct ImportSkip {
  std::int64_t row = 0;  // 1-based position in the source table
  std::string reason;    // invalid_email, malformed_hash, unsupported_hash, cost_out_of_range,
                         // duplicate_in_source, email_taken, invalid_name
};

// A user to insert, with their bcrypt hash as a password credential.
struct ImportedUser {
  User user;
  Credential password;
};

struct ImportReport {
  std::int64_t read = 0;
  std::vector<ImportedUser> users;  // to insert
  std::vector<ImportSkip> skipped;
  std::int64_t roles_defaulted = 0;  // roles other than user/admin became "user"
  Json ToJson(bool dry_run, bool imported) const;
};

// [A-Za-z_][A-Za-z0-9_]{0,63}
bool IsPlainIdentifier(const std::string& name);

// Reads and checks every row against `existing` (our users). `error` says
// what is wrong when the source cannot be read (kInvalidArgument / kNotFound).
Result<ImportReport> ReadUsersForImport(const std::string& source_path, const ImportMapping& mapping,
                                        UserStore& existing, RandomSource& random, std::int64_t now,
                                        std::string& error);

// Inserts every user of the report with their credential, and runs `then`
// (the audit event), in one unit of work: all or nothing. kEmailTaken on a conflict.
Status InsertImportedUsers(StoreSet& stores, const ImportReport& report, const std::function<Status()>& then);

}  // namespace latchkey
