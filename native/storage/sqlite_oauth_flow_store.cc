#include "storage/sqlite_stores.h"
#include "strategies/oauth/flow_store.h"

namespace latchkey::storage {
namespace {

class SqliteOAuthFlowStore final : public OAuthFlowStore {
 public:
  explicit SqliteOAuthFlowStore(Database& db) : db_(db) {}

  Status Put(const OAuthFlow& flow) override {
    auto c = db_.Acquire();
    Statement insert =
        c->Prepare("INSERT INTO oauth_flows (flow_hash, kind, data, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
    return insert.Bind(flow.flow_hash)
        .Bind(flow.kind)
        .Bind(flow.data)
        .Bind(flow.created_at)
        .Bind(flow.expires_at)
        .Run();
  }

  Result<OAuthFlow> Consume(std::string_view flow_hash, std::string_view kind, std::int64_t now) override {
    auto c = db_.Acquire();
    // One statement: the row is gone for everyone the moment one caller has it.
    Statement take = c->Prepare(
        "DELETE FROM oauth_flows WHERE flow_hash = ? AND kind = ? AND expires_at > ? "
        "RETURNING flow_hash, kind, data, created_at, expires_at");
    take.Bind(flow_hash).Bind(kind).Bind(now);
    if (take.Next()) {
      OAuthFlow flow{take.Text(0), take.Text(1), take.Text(2), take.Int(3), take.Int(4)};
      while (take.Next()) {
      }
      LATCHKEY_RETURN_IF_ERROR(take.status());
      return flow;
    }
    LATCHKEY_RETURN_IF_ERROR(take.status());
    return Code::kNotFound;
  }

  Result<std::int64_t> DeleteExpired(std::int64_t now) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM oauth_flows WHERE expires_at <= ?");
    LATCHKEY_RETURN_IF_ERROR(remove.Bind(now).Run());
    return static_cast<std::int64_t>(c->Changes());
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<OAuthFlowStore> NewSqliteOAuthFlowStore(Database& db) {
  return std::make_unique<SqliteOAuthFlowStore>(db);
}

}  // namespace latchkey::storage
