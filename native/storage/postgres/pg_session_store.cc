#include "latchkey/json.h"
#include "sessions/session_store.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

// amr is stored as a JSON array of method names (as on SQLite).
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

class PostgresSessionStore final : public SessionStore {
 public:
  explicit PostgresSessionStore(Database& db) : db_(db) {}

  Status Create(const Session& s, const RefreshRecord& first) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());
    Statement insert = c->Prepare(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, user_agent, ip, amr, auth_time) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    insert.Bind(s.id).Bind(s.user_id).Bind(s.created_at).Bind(s.last_used_at).Bind(s.user_agent).Bind(s.ip);
    LATCHKEY_RETURN_IF_ERROR(insert.Bind(AmrText(s.amr)).Bind(s.auth_time).Run());
    LATCHKEY_RETURN_IF_ERROR(InsertToken(*c, first));
    return transaction.Commit();
  }

  Result<Session> Find(std::string_view session_id) override {
    auto c = db_.Acquire();
    return FindSession(*c, session_id, /*lock=*/false);
  }

  // The rotation race (two instances, one token, the same moment) is settled
  // by a row lock, SELECT … FOR UPDATE on the session, not by a conditional
  // UPDATE: core's plan must decide on a consistent view of the token, its
  // successor and the session, and the loser must then see the winner's
  // successor to hand it back (kReturnSuccessor). With the session row locked
  // first, every rotation, reuse check and revocation of one session runs one
  // after the other, exactly as under SQLite's write lock, and a READ
  // COMMITTED statement issued after the lock sees everything the previous
  // holder committed. A conditional UPDATE would let both read "unused", make
  // the loser roll back its successor and retry its read: more code for the
  // same waiting. Other sessions never wait.
  Result<RotationOutcome> Rotate(
      std::string_view token_hash, std::int64_t now,
      const std::function<RotationPlan(const RefreshTokenState&, const Session&)>& plan) override {
    auto c = db_.Acquire();
    Transaction transaction(*c);
    LATCHKEY_RETURN_IF_ERROR(transaction.status());

    std::string session_id;  // a token's session never changes: safe to read before the lock
    {
      Statement owner = c->Prepare("SELECT session_id FROM refresh_tokens WHERE token_hash = $1");
      owner.Bind(token_hash);
      if (!owner.Next()) {
        LATCHKEY_RETURN_IF_ERROR(owner.status());
        return Code::kRefreshTokenInvalid;
      }
      session_id = owner.Text(0);
    }
    Result<Session> session = FindSession(*c, session_id, /*lock=*/true);
    if (!session.ok()) return session.code() == Code::kNotFound ? Code::kRefreshTokenInvalid : session.code();

    RefreshRecord token;
    {
      Statement query = c->Prepare(
          "SELECT token_hash, session_id, generation, created_at, used_at, COALESCE(successor_hash, ''), "
          "COALESCE(successor_sealed, '') FROM refresh_tokens WHERE token_hash = $1");
      query.Bind(token_hash);
      if (!query.Next()) {
        LATCHKEY_RETURN_IF_ERROR(query.status());
        return Code::kRefreshTokenInvalid;  // deleted with its session meanwhile
      }
      token = RefreshRecord{query.Text(0),        query.Text(1), query.Int(2), query.Int(3),
                            query.OptionalInt(4), query.Text(5), query.Text(6)};
    }

    RefreshTokenState state;
    state.session_revoked = session->revoked_at.has_value();
    state.session_created_at = session->created_at;
    state.session_last_used_at = session->last_used_at;
    state.token_used = token.used_at.has_value();
    state.token_used_at = token.used_at.value_or(0);
    if (state.token_used) {
      Statement successor = c->Prepare("SELECT used_at IS NULL FROM refresh_tokens WHERE token_hash = $1");
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
            "UPDATE refresh_tokens SET used_at = $1, successor_hash = $2, successor_sealed = $3 "
            "WHERE token_hash = $4 AND used_at IS NULL");
        LATCHKEY_RETURN_IF_ERROR(used.Bind(now).Bind(next.token_hash).Bind(chosen.sealed).Bind(token_hash).Run());
        // Under the session lock nobody else can have used it; if that ever
        // broke, two successors would exist: refuse instead.
        if (used.Changes() != 1) return Code::kInternal;
        Statement touch = c->Prepare("UPDATE sessions SET last_used_at = $1 WHERE id = $2");
        LATCHKEY_RETURN_IF_ERROR(touch.Bind(now).Bind(token.session_id).Run());
        outcome.sealed_successor = chosen.sealed;
        outcome.session.last_used_at = now;
        break;
      }
      case RefreshAction::kReturnSuccessor:
        outcome.sealed_successor = token.successor_sealed;
        break;
      case RefreshAction::kRevokeSession:
        LATCHKEY_RETURN_IF_ERROR(RevokeSession(*c, token.session_id, now, chosen.reason).status);
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
    const Revoked revoked = RevokeSession(*c, session_id, now, reason);
    LATCHKEY_RETURN_IF_ERROR(revoked.status);
    return revoked.changes == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Status SetAuthentication(std::string_view session_id, const std::vector<std::string>& amr,
                           std::int64_t now) override {
    auto c = db_.Acquire();
    Statement update = c->Prepare("UPDATE sessions SET amr = $1, auth_time = $2 WHERE id = $3 AND revoked_at IS NULL");
    LATCHKEY_RETURN_IF_ERROR(update.Bind(AmrText(amr)).Bind(now).Bind(session_id).Run());
    return update.Changes() == 1 ? Status::Ok() : Status(Code::kNotFound);
  }

  Result<std::int64_t> RevokeAllForUser(std::string_view user_id, std::int64_t now, std::string_view reason,
                                        std::optional<std::string_view> keep) override {
    auto c = db_.Acquire();
    Statement revoke = c->Prepare(
        "UPDATE sessions SET revoked_at = $1, revoked_reason = $2 "
        "WHERE user_id = $3 AND revoked_at IS NULL AND id <> $4");
    LATCHKEY_RETURN_IF_ERROR(revoke.Bind(now).Bind(reason).Bind(user_id).Bind(keep.value_or("")).Run());
    return revoke.Changes();
  }

  Result<std::vector<Session>> ListActive(std::string_view user_id) override {
    auto c = db_.Acquire();
    Statement rows = c->Prepare(
        "SELECT id, user_id, created_at, last_used_at, revoked_at, COALESCE(revoked_reason, ''), user_agent, ip, amr, "
        "auth_time "
        "FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id");
    rows.Bind(user_id);
    std::vector<Session> sessions;
    while (rows.Next()) sessions.push_back(ReadSession(rows));
    LATCHKEY_RETURN_IF_ERROR(rows.status());
    return sessions;
  }

 private:
  struct Revoked {
    Status status;
    std::int64_t changes = 0;
  };

  static Status InsertToken(Connection& c, const RefreshRecord& t) {
    Statement insert = c.Prepare(
        "INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES ($1, $2, $3, $4)");
    return insert.Bind(t.token_hash).Bind(t.session_id).Bind(t.generation).Bind(t.created_at).Run();
  }

  static Result<Session> FindSession(Connection& c, std::string_view id, bool lock) {
    Statement query = c.Prepare(
        lock
            ? "SELECT id, user_id, created_at, last_used_at, revoked_at, COALESCE(revoked_reason, ''), user_agent, ip, "
              "amr, auth_time FROM sessions WHERE id = $1 FOR UPDATE"
            : "SELECT id, user_id, created_at, last_used_at, revoked_at, COALESCE(revoked_reason, ''), user_agent, ip, "
              "amr, auth_time FROM sessions WHERE id = $1");
    query.Bind(id);
    if (query.Next()) return ReadSession(query);
    LATCHKEY_RETURN_IF_ERROR(query.status());
    return Code::kNotFound;
  }

  static Revoked RevokeSession(Connection& c, std::string_view id, std::int64_t now, std::string_view reason) {
    Statement revoke =
        c.Prepare("UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL");
    Revoked revoked;
    revoked.status = revoke.Bind(now).Bind(reason).Bind(id).Run();
    revoked.changes = revoke.Changes();
    return revoked;
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<SessionStore> NewSessionStore(Database& db) { return std::make_unique<PostgresSessionStore>(db); }

}  // namespace latchkey::storage::pg
