#include "identity/credential_store.h"
#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

Credential ReadCredential(const Statement& row) {
  return Credential{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Int(5), row.Int(6)};
}

class SqliteCredentialStore final : public CredentialStore {
 public:
  explicit SqliteCredentialStore(Database& db) : db_(db) {}

  Status Put(const Credential& c) override {
    auto connection = db_.Acquire();
    Statement upsert = connection->Prepare(
        "INSERT INTO credentials (id, user_id, type, identifier, secret, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (type, identifier) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at "
        "WHERE credentials.user_id = excluded.user_id");
    upsert.Bind(c.id).Bind(c.user_id).Bind(c.type).Bind(c.identifier).Bind(c.secret).Bind(c.created_at);
    LATCHKEY_RETURN_IF_ERROR(upsert.Bind(c.updated_at).Run());
    // No row changed: the identifier belongs to another user's credential.
    return connection->Changes() == 1 ? Status::Ok() : Status(Code::kInvalidArgument);
  }

  Result<Credential> FindForUser(std::string_view user_id, std::string_view type) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE user_id = ? AND type = ? ORDER BY created_at, id LIMIT 1");
    query.Bind(user_id).Bind(type);
    if (query.Next()) return ReadCredential(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<Credential> FindByIdentifier(std::string_view type, std::string_view identifier) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE type = ? AND identifier = ?");
    query.Bind(type).Bind(identifier);
    if (query.Next()) return ReadCredential(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<std::vector<Credential>> ListForUser(std::string_view user_id) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE user_id = ? ORDER BY created_at, id");
    query.Bind(user_id);
    std::vector<Credential> found;
    while (query.Next()) found.push_back(ReadCredential(query));
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return found;
  }

  Result<bool> ReplaceSecret(std::string_view id, std::string_view expected, std::string_view next,
                             std::int64_t now) override {
    auto connection = db_.Acquire();
    Statement update =
        connection->Prepare("UPDATE credentials SET secret = ?, updated_at = ? WHERE id = ? AND secret = ?");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(next).Bind(now).Bind(id).Bind(expected).Run());
    return connection->Changes() == 1;
  }

  Status Delete(std::string_view id) override {
    auto connection = db_.Acquire();
    Statement remove = connection->Prepare("DELETE FROM credentials WHERE id = ?");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(id).Run());
    return connection->Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<CredentialStore> NewSqliteCredentialStore(Database& db) {
  return std::make_unique<SqliteCredentialStore>(db);
}

}  // namespace latchkey::storage
