#include "latchkey/json.h"
#include "sessions/session_store.h"
#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

// amr is stored as a JSON array of method names.
std::string AmrText(const std::vector<std::string>& amr) { return Json(amr).dump(); }

std::vector<std::string> ParseAmr(const std::string& text) {
  std::vector<std::string> amr;
  if (Result<Json> parsed = ParseJson(text); parsed.ok() && parsed->is_array()) {
    for (const Json& method : *parsed) {
      if (method.is_string()) amr.push_back(method.get<std::string>());
    }
  }
  return amr;
}

Session ReadSession(const Statement& row) {
  return Session{row.Text(0),           row.Text(1), row.Int(2),  row.Int(3),
                 row.OptionalInt(4),    row.Text(5), row.Text(6), row.Text(7),
                 ParseAmr(row.Text(8)), row.Int(9)};
}

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(Database& db) : db_(db) {}

  Status Create(const Session& s, const RefreshRecord& first) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());
    Statement insert = c->Prepare(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, user_agent, ip, amr, auth_time) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    insert.Bind(s.id).Bind(s.user_id).Bind(s.created_at).Bind(s.last_used_at).Bind(s.user_agent).Bind(s.ip);
    LATCHKEY_RETURN_IF_ERROR(insert.Bind(AmrText(s.amr)).Bind(s.auth_time).Run());
    LATCHKEY_RETURN_IF_ERROR(InsertToken(*c, first));
    return transaction.Commit();
  }

  Result<Session> Find(std::string_view session_id) override {
    auto c = db_.Acquire();
    return FindSession(*c, session_id);
  }

  Result<RotationOutcome> Rotate(
      std::string_view token_hash, std::int64_t now,
      const std::function<RotationPlan(const RefreshTokenState&, const Session&)>& plan) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());

    RefreshRecord token;
    {
      Statement query = c->Prepare(
          "SELECT token_hash, session_id, generation, created_at, used_at, successor_hash, successor_sealed "
          "FROM refresh_tokens WHERE token_hash = ?");
      query.Bind(token_hash);
      if (!query.Next()) {
        LATCHKEY_RETURN_IF_ERROR(query.status());
        return Code::kRefreshTokenInvalid;
      }
      token = RefreshRecord{query.Text(0),        query.Text(1), query.Int(2), query.Int(3),
                            query.OptionalInt(4), query.Text(5), query.Text(6)};
    }
    Result<Session> session = FindSession(*c, token.session_id);
    if (!session.ok()) return session.code();

    RefreshTokenState state;
    state.session_revoked = session->revoked_at.has_value();
    state.session_created_at = session->created_at;
    state.session_last_used_at = session->last_used_at;
    state.token_used = token.used_at.has_value();
    state.token_used_at = token.used_at.value_or(0);
    if (state.token_used) {
      Statement successor = c->Prepare("SELECT used_at IS NULL FROM refresh_tokens WHERE token_hash = ?");
      successor.Bind(token.successor_hash);
      state.successor_is_current = successor.Next() && successor.Int(0) == 1;
      LATCHKEY_RETURN_IF_ERROR(successor.status());
    }

    const RotationPlan chosen = plan(state, *session);
    RotationOutcome outcome{chosen.decision, std::move(session).value(), ""};
    switch (chosen.decision.action) {
      case RefreshAction::kRotate: {
        RefreshRecord next = chosen.successor;
        next.session_id = token.session_id;
        next.generation = token.generation + 1;
        LATCHKEY_RETURN_IF_ERROR(InsertToken(*c, next));
        Statement used = c->Prepare(
            "UPDATE refresh_tokens SET used_at = ?, successor_hash = ?, successor_sealed = ? "
            "WHERE token_hash = ? AND used_at IS NULL");
        LATCHKEY_RETURN_IF_ERROR(used.Bind(now).Bind(next.token_hash).Bind(chosen.sealed).Bind(token_hash).Run());
        Statement touch = c->Prepare("UPDATE sessions SET last_used_at = ? WHERE id = ?");
        LATCHKEY_RETURN_IF_ERROR(touch.Bind(now).Bind(token.session_id).Run());
        outcome.sealed_successor = chosen.sealed;
        outcome.session.last_used_at = now;
        break;
      }
      case RefreshAction::kReturnSuccessor:
        outcome.sealed_successor = token.successor_sealed;
        break;
      case RefreshAction::kRevokeSession:
        LATCHKEY_RETURN_IF_ERROR(RevokeSession(*c, token.session_id, now, chosen.reason));
        outcome.session.revoked_at = now;
        outcome.session.revoked_reason = chosen.reason;
        break;
      case RefreshAction::kReject:
        break;
    }
    LATCHKEY_RETURN_IF_ERROR(transaction.Commit());
    return outcome;
  }

  Status Revoke(std::string_view session_id, std::int64_t now, std::string_view reason) override {
    auto c = db_.Acquire();
    LATCHKEY_RETURN_IF_ERROR(RevokeSession(*c, session_id, now, reason));
    return c->Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Status SetAuthentication(std::string_view session_id, const std::vector<std::string>& amr,
                           std::int64_t now) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE sessions SET amr = ?, auth_time = ? WHERE id = ? AND revoked_at IS NULL");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(AmrText(amr)).Bind(now).Bind(session_id).Run());
    return c->Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<std::int64_t> RevokeAllForUser(std::string_view user_id, std::int64_t now, std::string_view reason,
                                        std::optional<std::string_view> keep) override {
    auto c = db_.Acquire();
    Statement revoke = c->Prepare(
        "UPDATE sessions SET revoked_at = ?, revoked_reason = ? "
        "WHERE user_id = ? AND revoked_at IS NULL AND id != ?");
    LATCHKEY_RETURN_IF_ERROR(revoke.Bind(now).Bind(reason).Bind(user_id).Bind(keep.value_or("")).Run());
    return std::int64_t{c->Changes()};
  }

  Result<std::vector<Session>> ListActive(std::string_view user_id) override {
    auto c = db_.Acquire();
    Statement rows = c->Prepare(
        "SELECT id, user_id, created_at, last_used_at, revoked_at, COALESCE(revoked_reason, ''), user_agent, ip, amr, "
        "auth_time "
        "FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id");
    rows.Bind(user_id);
    std::vector<Session> sessions;
    while (rows.Next()) sessions.push_back(ReadSession(rows));
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return sessions;
  }

 private:
  static Status InsertToken(Connection& c, const RefreshRecord& t) {
    Statement insert =
        c.Prepare("INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)");
    return insert.Bind(t.token_hash).Bind(t.session_id).Bind(t.generation).Bind(t.created_at).Run();
  }

  static Result<Session> FindSession(Connection& c, std::string_view id) {
    Statement query = c.Prepare(
        "SELECT id, user_id, created_at, last_used_at, revoked_at, COALESCE(revoked_reason, ''), user_agent, ip, amr, "
        "auth_time "
        "FROM sessions WHERE id = ?");
    query.Bind(id);
    if (query.Next()) return ReadSession(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  static Status RevokeSession(Connection& c, std::string_view id, std::int64_t now, std::string_view reason) {
    Statement revoke =
        c.Prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL");
    return revoke.Bind(now).Bind(reason).Bind(id).Run();
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<SessionStore> NewSqliteSessionStore(Database& db) { return std::make_unique<SqliteSessionStore>(db); }

}  // namespace latchkey::storage
