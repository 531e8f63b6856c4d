// Identities: a user without secrets, and the storage interface for users.
// How a user proves who they are lives in credential_store.h, one row per
// credential. Implemented for SQLite in storage/sqlite_user_store.cc; the
// conformance suite in tests/native/storage_conformance_test.cc holds every
// implementation to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/roles.h"
#include "latchkey/status.h"

namespace latchkey {

struct User {
  std::string id;     // UUID v4 (identity/ids.h)
  std::string email;  // normalised (core/account_rules.h)
  std::string name;
  std::string role = std::string(role::kUser);
  bool email_verified = false;
  bool disabled = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::string> pending_email;  // a new address waiting to be verified
};

struct UserPage {
  std::vector<User> users;
  std::int64_t total = 0;  // matching users, all pages
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  // kEmailTaken when the email (or id) exists.
  virtual Status Insert(const User& user) = 0;
  // kNotFound when absent.
  virtual Result<User> FindById(std::string_view id) = 0;
  virtual Result<User> FindByEmail(std::string_view email) = 0;
  virtual Status UpdateName(std::string_view id, std::string_view name, std::int64_t now) = 0;
  virtual Status SetRole(std::string_view id, std::string_view role, std::int64_t now) = 0;
  virtual Status SetDisabled(std::string_view id, bool disabled, std::int64_t now) = 0;
  virtual Status SetEmailVerified(std::string_view id, std::int64_t now) = 0;
  virtual Status SetPendingEmail(std::string_view id, const std::optional<std::string>& email, std::int64_t now) = 0;
  // Makes `email` the address (verified, nothing pending); kEmailTaken when
  // another account has it.
  virtual Status ConfirmEmail(std::string_view id, std::string_view email, std::int64_t now) = 0;
  // Deletes the user and, through the schema, their credentials, sessions and tokens.
  virtual Status Delete(std::string_view id) = 0;
  // Newest first; `search` matches email or name (substring, case-insensitive for ASCII).
  virtual Result<UserPage> List(std::string_view search, std::int64_t limit, std::int64_t offset) = 0;
  virtual Result<std::int64_t> CountActiveWithRole(std::string_view role) = 0;
};

}  // namespace latchkey
