#include "storage/postgres/pg_stores.h"
#include "strategies/oauth/flow_store.h"

namespace latchkey::storage::pg {
namespace {

class PostgresOAuthFlowStore final : public OAuthFlowStore {
 public:
  explicit PostgresOAuthFlowStore(Database& db) : db_(db) {}

  Status Put(const OAuthFlow& flow) override {
    auto c = db_.Acquire();
    Statement insert = c->Prepare(
        "INSERT INTO oauth_flows (flow_hash, kind, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)");
    return insert.Bind(flow.flow_hash)
        .Bind(flow.kind)
        .Bind(flow.data)
        .Bind(flow.created_at)
        .Bind(flow.expires_at)
        .Run();
  }

  Result<OAuthFlow> Consume(std::string_view flow_hash, std::string_view kind, std::int64_t now) override {
    auto c = db_.Acquire();
    // One statement: of two concurrent deletes of the row, the second waits
    // for the first and then finds it gone.
    Statement take = c->Prepare(
        "DELETE FROM oauth_flows WHERE flow_hash = $1 AND kind = $2 AND expires_at > $3 "
        "RETURNING flow_hash, kind, data, created_at, expires_at");
    take.Bind(flow_hash).Bind(kind).Bind(now);
    if (take.Next()) return OAuthFlow{take.Text(0), take.Text(1), take.Text(2), take.Int(3), take.Int(4)};
    LATCHKEY_RETURN_IF_ERROR(take.status());
    return Code::kNotFound;
  }

  Result<std::int64_t> DeleteExpired(std::int64_t now) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM oauth_flows WHERE expires_at <= $1");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(now).Run());
    return remove.Changes();
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<OAuthFlowStore> NewOAuthFlowStore(Database& db) { return std::make_unique<PostgresOAuthFlowStore>(db); }

}  // namespace latchkey::storage::pg
