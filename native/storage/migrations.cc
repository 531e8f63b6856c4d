// Versioned schema migrations for both backends (storage/migration_list.h),
// and SQLite's Migrate(). Append new versions with both texts; never edit one
// that has shipped. PostgreSQL's texts differ where the dialects do: BIGINT
// times, BOOLEAN flags, identity columns, and byte-order ("C") collation on
// keys and addresses so that ordering and uniqueness match SQLite's.
#include <array>

#include "storage/sqlite.h"

namespace latchkey::storage {
namespace {

constexpr std::array kMigrations = {
    Migration{1, R"sql(
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL DEFAULT '',
  password_hash  TEXT NOT NULL,
  role           TEXT NOT NULL DEFAULT 'user',
  email_verified INTEGER NOT NULL DEFAULT 0,
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX users_role ON users(role);

CREATE TABLE sessions (
  id             TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL,
  last_used_at   INTEGER NOT NULL,
  revoked_at     INTEGER,
  revoked_reason TEXT,
  user_agent     TEXT NOT NULL DEFAULT '',
  ip             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Refresh tokens are stored only as hashes. successor_sealed holds the next
-- token encrypted under a key derived from this one (core/refresh.h).
CREATE TABLE refresh_tokens (
  token_hash       TEXT PRIMARY KEY,
  session_id       TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  generation       INTEGER NOT NULL,
  created_at       INTEGER NOT NULL,
  used_at          INTEGER,
  successor_hash   TEXT,
  successor_sealed TEXT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY,
  private_jwk TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  retired_at  INTEGER
);

CREATE TABLE audit_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  user_id    TEXT,
  actor_id   TEXT,
  session_id TEXT,
  ip         TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_user ON audit_events(user_id, id);
CREATE INDEX audit_events_event ON audit_events(event, id);
CREATE INDEX audit_events_at ON audit_events(at);
)sql",
              R"sql(
CREATE TABLE users (
  id             TEXT COLLATE "C" PRIMARY KEY,
  email          TEXT COLLATE "C" NOT NULL UNIQUE,
  name           TEXT NOT NULL DEFAULT '',
  password_hash  TEXT NOT NULL,
  role           TEXT COLLATE "C" NOT NULL DEFAULT 'user',
  email_verified BOOLEAN NOT NULL DEFAULT false,
  disabled       BOOLEAN NOT NULL DEFAULT false,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL
);
CREATE INDEX users_role ON users(role);

CREATE TABLE sessions (
  id             TEXT COLLATE "C" PRIMARY KEY,
  user_id        TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at     BIGINT NOT NULL,
  last_used_at   BIGINT NOT NULL,
  revoked_at     BIGINT,
  revoked_reason TEXT,
  user_agent     TEXT NOT NULL DEFAULT '',
  ip             TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
  token_hash       TEXT COLLATE "C" PRIMARY KEY,
  session_id       TEXT COLLATE "C" NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  generation       BIGINT NOT NULL,
  created_at       BIGINT NOT NULL,
  used_at          BIGINT,
  successor_hash   TEXT COLLATE "C",
  successor_sealed TEXT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

-- position: insertion order, SQLite's rowid.
CREATE TABLE signing_keys (
  kid         TEXT COLLATE "C" PRIMARY KEY,
  private_jwk TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  retired_at  BIGINT,
  position    BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE audit_events (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         BIGINT NOT NULL,
  event      TEXT COLLATE "C" NOT NULL,
  user_id    TEXT COLLATE "C",
  actor_id   TEXT COLLATE "C",
  session_id TEXT COLLATE "C",
  ip         TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_user ON audit_events(user_id, id);
CREATE INDEX audit_events_event ON audit_events(event, id);
CREATE INDEX audit_events_at ON audit_events(at);
)sql"},
    // Recovery and verification: one-time tokens (hashes only) and the
    // address an email change waits to confirm.
    Migration{2, R"sql(
ALTER TABLE users ADD COLUMN pending_email TEXT;

CREATE TABLE one_time_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL,
  email      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id, purpose);
)sql",
              R"sql(
ALTER TABLE users ADD COLUMN pending_email TEXT COLLATE "C";

CREATE TABLE one_time_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT COLLATE "C" NOT NULL,
  email      TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id, purpose);
)sql"},
    // Credentials leave the user row: one row per credential, keyed by type
    // (identity/credential_store.h). Today's hashes (Argon2id, or imported
    // bcrypt) become password credentials whose identifier is the user id.
    // Sessions record how and when their user signed in.
    Migration{3, R"sql(
CREATE TABLE credentials (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type       TEXT NOT NULL,
  identifier TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (type, identifier)
);
CREATE INDEX credentials_user ON credentials(user_id, type);

INSERT INTO credentials (id, user_id, type, identifier, secret, created_at, updated_at)
  SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
           substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
           substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
         id, 'password', id, password_hash, created_at, updated_at
  FROM users WHERE password_hash <> '';
ALTER TABLE users DROP COLUMN password_hash;

ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';
ALTER TABLE sessions ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET auth_time = created_at;
)sql",
              R"sql(
CREATE TABLE credentials (
  id         TEXT COLLATE "C" PRIMARY KEY,
  user_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type       TEXT COLLATE "C" NOT NULL,
  identifier TEXT COLLATE "C" NOT NULL,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (type, identifier)
);
CREATE INDEX credentials_user ON credentials(user_id, type);

INSERT INTO credentials (id, user_id, type, identifier, secret, created_at, updated_at)
  SELECT gen_random_uuid()::text, id, 'password', id, password_hash, created_at, updated_at
  FROM users WHERE password_hash <> '';
ALTER TABLE users DROP COLUMN password_hash;

ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT '["pwd"]';
ALTER TABLE sessions ADD COLUMN auth_time BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET auth_time = created_at;
)sql"},
    // One-time tokens carry their flow's state to the next step (the MFA
    // sign-in's first-step methods).
    Migration{4, R"sql(
ALTER TABLE one_time_tokens ADD COLUMN data TEXT NOT NULL DEFAULT '';
)sql",
              R"sql(
ALTER TABLE one_time_tokens ADD COLUMN data TEXT NOT NULL DEFAULT '';
)sql"},
    // Social sign-in: the state between the redirect to the provider and the
    // callback, and the one-time code between the callback and the token
    // exchange (strategies/oauth/flow_store.h). Not tied to a user: the
    // first step has none yet. Identities are credentials of type "oidc".
    Migration{5, R"sql(
CREATE TABLE oauth_flows (
  flow_hash  TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX oauth_flows_expiry ON oauth_flows(expires_at);
)sql",
              R"sql(
CREATE TABLE oauth_flows (
  flow_hash  TEXT COLLATE "C" PRIMARY KEY,
  kind       TEXT COLLATE "C" NOT NULL,
  data       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX oauth_flows_expiry ON oauth_flows(expires_at);
)sql"},
    // Mails waiting to be sent (mail/mail_store.h): durable, claimed by any
    // instance's worker under a lease, retried with backoff.
    Migration{6, R"sql(
CREATE TABLE mail_queue (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  created_at      INTEGER NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at);
)sql",
              R"sql(
CREATE TABLE mail_queue (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            TEXT COLLATE "C" NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text_body       TEXT NOT NULL,
  html_body       TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  created_at      BIGINT NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue(next_attempt_at);
)sql"},
};

// Every version has both texts, and versions count up from 1 without gaps.
constexpr bool ListIsComplete() {
  int expected = 1;
  for (const Migration& migration : kMigrations) {
    if (migration.version != expected++ || migration.sqlite == nullptr || migration.postgres == nullptr) return false;
  }
  return true;
}
static_assert(ListIsComplete(), "a migration lacks its SQLite or PostgreSQL text, or versions have a gap");

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations.back().version; }

Result<int> Migrate(Database& db, int target) {
  if (target <= 0) target = LatestSchemaVersion();
  auto connection = db.Acquire();
  LATCHKEY_RETURN_IF_ERROR(connection->Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  Transaction transaction(*connection);
  LATCHKEY_RETURN_IF_ERROR(transaction.status());
  int current = 0;
  {
    Statement query = connection->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (query.Next()) current = static_cast<int>(query.Int(0));
    LATCHKEY_RETURN_IF_ERROR(query.status());
  }
  if (current > LatestSchemaVersion()) return Code::kInternal;  // a newer binary made this database
  for (const Migration& migration : kMigrations) {
    if (migration.version <= current || migration.version > target) continue;
    LATCHKEY_RETURN_IF_ERROR(connection->Exec(migration.sqlite));
    Statement record =
        connection->Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES (?, strftime('%s','now'))");
    LATCHKEY_RETURN_IF_ERROR(record.Bind(std::int64_t{migration.version}).Run());
    current = migration.version;
  }
  LATCHKEY_RETURN_IF_ERROR(transaction.Commit());
  return current;
}

}  // namespace latchkey::storage
