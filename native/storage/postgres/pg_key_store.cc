#include "keys/key_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

class PostgresKeyStore final : public KeyStore {
 public:
  explicit PostgresKeyStore(Database& db) : db_(db) {}

  Status Insert(const SigningKeyRecord& key) override {
    auto c = db_.Acquire();
    Statement insert =
        c->Prepare("INSERT INTO signing_keys (kid, private_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4)");
    return insert.Guarded().Bind(key.kid).Bind(key.private_jwk).Bind(key.created_at).Bind(key.retired_at).Run();
  }

  Status ReplacePrivateJwk(const std::string& kid, const std::string& private_jwk) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE signing_keys SET private_jwk = $1 WHERE kid = $2");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(private_jwk).Bind(kid).Run());
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<std::vector<SigningKeyRecord>> ListAll() override {
    auto c = db_.Acquire();
    Statement rows =
        c->Prepare("SELECT kid, private_jwk, created_at, retired_at FROM signing_keys ORDER BY created_at, position");
    std::vector<SigningKeyRecord> keys;
    while (rows.Next()) keys.push_back({rows.Text(0), rows.Text(1), rows.Int(2), rows.OptionalInt(3)});
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return keys;
  }

  Status RetireAllExcept(const std::string& keep, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement retire = c->Prepare("UPDATE signing_keys SET retired_at = $1 WHERE kid <> $2 AND retired_at IS NULL");
    return retire.Bind(now).Bind(keep).Run();
  }

  Status DeleteRetiredBefore(std::int64_t cutoff) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1");
    return remove.Bind(cutoff).Run();
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<KeyStore> NewKeyStore(Database& db) { return std::make_unique<PostgresKeyStore>(db); }

}  // namespace latchkey::storage::pg
