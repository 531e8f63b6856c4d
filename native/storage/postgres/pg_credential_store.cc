#include "identity/credential_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

Credential ReadCredential(const Statement& row) {
  return Credential{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Int(5), row.Int(6)};
}

class PostgresCredentialStore final : public CredentialStore {
 public:
  explicit PostgresCredentialStore(Database& db) : db_(db) {}

  Status Put(const Credential& c) override {
    auto connection = db_.Acquire();
    Statement upsert = connection->Prepare(
        "INSERT INTO credentials (id, user_id, type, identifier, secret, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (type, identifier) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at "
        "WHERE credentials.user_id = excluded.user_id");
    upsert.Guarded().Bind(c.id).Bind(c.user_id).Bind(c.type).Bind(c.identifier).Bind(c.secret).Bind(c.created_at);
    LATCHKEY_RETURN_IF_ERROR(upsert.Bind(c.updated_at).Run());
    // No row changed: the identifier belongs to another user's credential.
    return upsert.Changes() == 1 ? Status::Ok() : Status(Code::kInvalidArgument);
  }

  Result<Credential> FindForUser(std::string_view user_id, std::string_view type) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE user_id = $1 AND type = $2 ORDER BY created_at, id LIMIT 1");
    query.Bind(user_id).Bind(type);
    if (query.Next()) return ReadCredential(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<Credential> FindByIdentifier(std::string_view type, std::string_view identifier) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE type = $1 AND identifier = $2");
    query.Bind(type).Bind(identifier);
    if (query.Next()) return ReadCredential(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<std::vector<Credential>> ListForUser(std::string_view user_id) override {
    auto connection = db_.Acquire();
    Statement query = connection->Prepare(
        "SELECT id, user_id, type, identifier, secret, created_at, updated_at FROM credentials "
        "WHERE user_id = $1 ORDER BY created_at, id");
    query.Bind(user_id);
    std::vector<Credential> found;
    while (query.Next()) found.push_back(ReadCredential(query));
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return found;
  }

  Result<bool> ReplaceSecret(std::string_view id, std::string_view expected, std::string_view next,
                             std::int64_t now) override {
    auto connection = db_.Acquire();
    // One statement: of two concurrent swaps from the same secret, the second
    // waits for the first's row lock, re-checks `secret = expected`, and fails.
    Statement update =
        connection->Prepare("UPDATE credentials SET secret = $1, updated_at = $2 WHERE id = $3 AND secret = $4");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(next).Bind(now).Bind(id).Bind(expected).Run());
    return update.Changes() == 1;
  }

  Status Delete(std::string_view id) override {
    auto connection = db_.Acquire();
    Statement remove = connection->Prepare("DELETE FROM credentials WHERE id = $1");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(id).Run());
    return remove.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<CredentialStore> NewCredentialStore(Database& db) {
  return std::make_unique<PostgresCredentialStore>(db);
}

}  // namespace latchkey::storage::pg
