#include "keys/key_store.h"
#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

class SqliteKeyStore final : public KeyStore {
 public:
  explicit SqliteKeyStore(Database& db) : db_(db) {}

  Status Insert(const SigningKeyRecord& key) override {
    auto c = db_.Acquire();
    Statement insert =
        c->Prepare("INSERT INTO signing_keys (kid, private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?)");
    return insert.Bind(key.kid).Bind(key.private_jwk).Bind(key.created_at).Bind(key.retired_at).Run();
  }

  Result<bool> InstallCurrent(const SigningKeyRecord& key, bool only_if_none) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);  // BEGIN IMMEDIATE: the database's write lock
    LATCHKEY_RETURN_IF_ERROR(transaction.status());
    if (only_if_none) {
      Statement current = c->Prepare("SELECT 1 FROM signing_keys WHERE retired_at IS NULL LIMIT 1");
      const bool exists = current.Next();
      LATCHKEY_RETURN_IF_ERROR(current.status());
      if (exists) return false;
    }
    Statement insert =
        c->Prepare("INSERT INTO signing_keys (kid, private_jwk, created_at, retired_at) VALUES (?, ?, ?, NULL)");
    LATCHKEY_RETURN_IF_ERROR(insert.Bind(key.kid).Bind(key.private_jwk).Bind(key.created_at).Run());
    Statement retire = c->Prepare("UPDATE signing_keys SET retired_at = ? WHERE kid != ? AND retired_at IS NULL");
    LATCHKEY_RETURN_IF_ERROR(retire.Bind(key.created_at).Bind(key.kid).Run());
    LATCHKEY_RETURN_IF_ERROR(transaction.Commit());
    return true;
  }

  Status ReplacePrivateJwk(const std::string& kid, const std::string& private_jwk) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE signing_keys SET private_jwk = ? WHERE kid = ?");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(private_jwk).Bind(kid).Run());
    return c->Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<std::vector<SigningKeyRecord>> ListAll() override {
    auto c = db_.Acquire();
    Statement rows =
        c->Prepare("SELECT kid, private_jwk, created_at, retired_at FROM signing_keys ORDER BY created_at, rowid");
    std::vector<SigningKeyRecord> keys;
    while (rows.Next()) keys.push_back({rows.Text(0), rows.Text(1), rows.Int(2), rows.OptionalInt(3)});
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return keys;
  }

  Status RetireAllExcept(const std::string& keep, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement retire = c->Prepare("UPDATE signing_keys SET retired_at = ? WHERE kid != ? AND retired_at IS NULL");
    return retire.Bind(now).Bind(keep).Run();
  }

  Status DeleteRetiredBefore(std::int64_t cutoff) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < ?");
    return remove.Bind(cutoff).Run();
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<KeyStore> NewSqliteKeyStore(Database& db) { return std::make_unique<SqliteKeyStore>(db); }

}  // namespace latchkey::storage
