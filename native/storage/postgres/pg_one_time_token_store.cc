#include "recovery/one_time_token_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

OneTimeToken ReadToken(const Statement& row) {
  return OneTimeToken{row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Int(4), row.Int(5), row.Text(6)};
}

class PostgresOneTimeTokenStore final : public OneTimeTokenStore {
 public:
  explicit PostgresOneTimeTokenStore(Database& db) : db_(db) {}

  Status Issue(const OneTimeToken& t) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());
    {
      // The user's row lock serializes two issues for one user (SQLite's
      // write lock does it there): otherwise each deletes the other's older
      // tokens before either inserts, and both new tokens survive.
      Statement lock = c->Prepare("SELECT 1 FROM users WHERE id = $1 FOR UPDATE");
      LATCHKEY_RETURN_IF_ERROR(lock.Bind(t.user_id).Run());
    }
    {
      Statement older = c->Prepare("DELETE FROM one_time_tokens WHERE user_id = $1 AND purpose = $2");
      LATCHKEY_RETURN_IF_ERROR(older.Bind(t.user_id).Bind(t.purpose).Run());
    }
    {
      Statement insert = c->Prepare(
          "INSERT INTO one_time_tokens (token_hash, user_id, purpose, email, created_at, expires_at, data) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7)");
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
        "WHERE token_hash = $1 AND expires_at > $2");
    query.Bind(token_hash).Bind(now);
    if (query.Next()) return ReadToken(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  Result<OneTimeToken> Consume(std::string_view token_hash, std::string_view purpose, std::int64_t now) override {
    auto c = db_.Acquire();
    // One statement: of two concurrent deletes of the row, the second waits
    // for the first and then finds it gone.
    Statement take = c->Prepare(
        "DELETE FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 "
        "RETURNING token_hash, user_id, purpose, email, created_at, expires_at, data");
    take.Bind(token_hash).Bind(purpose).Bind(now);
    if (take.Next()) return ReadToken(take);
    LATCHKEY_RETURN_IF_ERROR(take.status());
    return Code::kNotFound;
  }

  Status RevokeAll(std::string_view user_id, std::string_view purpose) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM one_time_tokens WHERE user_id = $1 AND purpose = $2");
    return remove.Bind(user_id).Bind(purpose).Run();
  }

  Result<std::int64_t> DeleteExpired(std::int64_t now) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM one_time_tokens WHERE expires_at <= $1");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(now).Run());
    return remove.Changes();
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<OneTimeTokenStore> NewOneTimeTokenStore(Database& db) {
  return std::make_unique<PostgresOneTimeTokenStore>(db);
}

}  // namespace latchkey::storage::pg
