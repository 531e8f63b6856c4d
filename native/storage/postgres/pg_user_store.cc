#include "identity/user_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

User ReadUser(const Statement& row) {
  return User{row.Text(0),     row.Text(1), row.Text(2), row.Text(3),        row.Int(4) != 0,
              row.Int(5) != 0, row.Int(6),  row.Int(7),  row.OptionalText(8)};
}

std::string_view Flag(bool value) { return value ? "true" : "false"; }

class PostgresUserStore final : public UserStore {
 public:
  explicit PostgresUserStore(Database& db) : db_(db) {}

  Status Insert(const User& u) override {
    auto c = db_.Acquire();
    Statement insert = c->Prepare(
        "INSERT INTO users (id, email, name, role, email_verified, disabled, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    insert.Guarded().Bind(u.id).Bind(u.email).Bind(u.name).Bind(u.role);
    insert.Bind(Flag(u.email_verified)).Bind(Flag(u.disabled)).Bind(u.created_at).Bind(u.updated_at);
    const Status status = insert.Run();
    if (insert.IsUniqueViolation()) return Code::kEmailTaken;
    return status;
  }

  Status SetEmailVerified(std::string_view id, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE users SET email_verified = true, updated_at = $1 WHERE id = $2");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(now).Bind(id).Run());
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Status SetPendingEmail(std::string_view id, const std::optional<std::string>& email, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE users SET pending_email = $1, updated_at = $2 WHERE id = $3");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(email).Bind(now).Bind(id).Run());
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Status ConfirmEmail(std::string_view id, std::string_view email, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare(
        "UPDATE users SET email = $1, pending_email = NULL, email_verified = true, updated_at = $2 WHERE id = $3");
    const Status status = update.Guarded().Bind(email).Bind(now).Bind(id).Run();
    if (update.IsUniqueViolation()) return Code::kEmailTaken;
    LATCHKEY_RETURN_IF_ERROR(status);
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<User> FindById(std::string_view id) override {
    return FindOne(
        "SELECT id, email, name, role, email_verified, disabled, created_at, updated_at, pending_email "
        "FROM users WHERE id = $1",
        id);
  }

  Result<User> FindByEmail(std::string_view email) override {
    return FindOne(
        "SELECT id, email, name, role, email_verified, disabled, created_at, updated_at, pending_email "
        "FROM users WHERE email = $1",
        email);
  }

  Status UpdateName(std::string_view id, std::string_view name, std::int64_t now) override {
    return UpdateOne("UPDATE users SET name = $1, updated_at = $2 WHERE id = $3", name, now, id);
  }
  Status SetRole(std::string_view id, std::string_view role, std::int64_t now) override {
    return UpdateOne("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3", role, now, id);
  }
  Status SetDisabled(std::string_view id, bool disabled, std::int64_t now) override {
    return UpdateOne("UPDATE users SET disabled = $1::boolean, updated_at = $2 WHERE id = $3", Flag(disabled), now, id);
  }

  Status Delete(std::string_view id) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM users WHERE id = $1");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(id).Run());
    return remove.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<UserPage> List(std::string_view search, std::int64_t limit, std::int64_t offset) override {
    auto c = db_.Acquire();
    // strpos() rather than LIKE: '%' and '_' in the search are plain
    // characters; translate() lowers ASCII only, exactly as SQLite's lower().
    const std::string needle = Lower(search);
    UserPage page;
    {
      Statement count = c->Prepare(
          "SELECT COUNT(*) FROM users WHERE $1::text = '' OR strpos(translate(email, $2, $3), $1) > 0 "
          "OR strpos(translate(name, $2, $3), $1) > 0");
      count.Bind(needle).Bind(kUpper).Bind(kLower);
      if (count.Next()) page.total = count.Int(0);
      LATCHKEY_RETURN_IF_ERROR(count.status());
    }
    Statement rows = c->Prepare(
        "SELECT id, email, name, role, email_verified, disabled, created_at, updated_at, pending_email "
        "FROM users "
        "WHERE $1::text = '' OR strpos(translate(email, $2, $3), $1) > 0 OR strpos(translate(name, $2, $3), $1) > 0 "
        "ORDER BY created_at DESC, id LIMIT $4 OFFSET $5");
    rows.Bind(needle).Bind(kUpper).Bind(kLower).Bind(limit).Bind(offset);
    while (rows.Next()) page.users.push_back(ReadUser(rows));
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return page;
  }

  Result<std::int64_t> CountActiveWithRole(std::string_view role) override {
    auto c = db_.Acquire();
    // FOR UPDATE (in id order, so two callers lock alike): inside a unit
    // that then demotes or disables one of them (the last-admin rule), a
    // second unit doing the same waits, and recounts without the first's.
    // SQLite gets this from its write lock.
    Statement count = c->Prepare(
        "SELECT COUNT(*) FROM (SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id FOR UPDATE) counted");
    count.Bind(role);
    std::int64_t n = 0;
    if (count.Next()) n = count.Int(0);
    LATCHKEY_RETURN_IF_ERROR(count.status());
    return n;
  }

 private:
  static constexpr const char* kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static constexpr const char* kLower = "abcdefghijklmnopqrstuvwxyz";

  static std::string Lower(std::string_view text) {
    std::string out(text);
    for (char& ch : out) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
  }

  Result<User> FindOne(const char* sql, std::string_view key) {
    auto c = db_.Acquire();
    Statement query = c->Prepare(sql);
    query.Bind(key);
    if (query.Next()) return ReadUser(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Status UpdateOne(const char* sql, std::string_view value, std::int64_t now, std::string_view id) {
    auto c = db_.Acquire();
    Statement update = c->Prepare(sql);
    LATCHKEY_RETURN_IF_ERROR(update.Bind(value).Bind(now).Bind(id).Run());
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<UserStore> NewUserStore(Database& db) { return std::make_unique<PostgresUserStore>(db); }

}  // namespace latchkey::storage::pg
