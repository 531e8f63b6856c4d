#include "recovery/one_time_token_store.h"
#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

OneTimeToken ReadToken(const Statement& row) {
  return OneTimeToken{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4), row.Int(5), row.Text(6)};
}

class SqliteOneTimeTokenStore final : public OneTimeTokenStore {
 public:
  explicit SqliteOneTimeTokenStore(Database& db) : db_(db) {}

  Status Issue(const OneTimeToken& t) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());
    {
      Statement older = c->Prepare("DELETE FROM one_time_tokens WHERE user_id = ? AND purpose = ?");
      LATCHKEY_RETURN_IF_ERROR(older.Bind(t.user_id).Bind(t.purpose).Run());
    }
    {
      Statement insert = c->Prepare(
          "INSERT INTO one_time_tokens (token_hash, user_id, purpose, email, created_at, expires_at, data) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)");
      LATCHKEY_RETURN_IF_ERROR(insert.Bind(t.token_hash)
                                   .Bind(t.user_id)
                                   .Bind(t.purpose)
                                   .Bind(t.email)
                                   .Bind(t.created_at)
                                   .Bind(t.expires_at)
                                   .Bind(t.data)
                                   .Run());
    }
    return transaction.Commit();
  }

  Result<OneTimeToken> Find(std::string_view token_hash, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement query = c->Prepare(
        "SELECT token_hash, user_id, purpose, email, created_at, expires_at, data FROM one_time_tokens "
        "WHERE token_hash = ? AND expires_at > ?");
    query.Bind(token_hash).Bind(now);
    if (query.Next()) return ReadToken(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<OneTimeToken> Consume(std::string_view token_hash, std::string_view purpose, std::int64_t now) override {
    auto c = db_.Acquire();
    // One statement: the row is gone for everyone the moment one caller has it.
    Statement take = c->Prepare(
        "DELETE FROM one_time_tokens WHERE token_hash = ? AND purpose = ? AND expires_at > ? "
        "RETURNING token_hash, user_id, purpose, email, created_at, expires_at, data");
    take.Bind(token_hash).Bind(purpose).Bind(now);
    if (take.Next()) {
      OneTimeToken token = ReadToken(take);
      while (take.Next()) {
      }
      LATCHKEY_RETURN_IF_ERROR(take.status());
      return token;
    }
    LATCHKEY_RETURN_IF_ERROR(take.status());
    return Code::kNotFound;
  }

  Status RevokeAll(std::string_view user_id, std::string_view purpose) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM one_time_tokens WHERE user_id = ? AND purpose = ?");
    return remove.Bind(user_id).Bind(purpose).Run();
  }

  Result<std::int64_t> DeleteExpired(std::int64_t now) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM one_time_tokens WHERE expires_at <= ?");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(now).Run());
    return static_cast<std::int64_t>(c->Changes());
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<OneTimeTokenStore> NewSqliteOneTimeTokenStore(Database& db) {
  return std::make_unique<SqliteOneTimeTokenStore>(db);
}

}  // namespace latchkey::storage
