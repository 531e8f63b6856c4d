// A small libpq layer shaped like storage/sqlite.h, so the PostgreSQL stores
// read like the SQLite ones: a bounded pool of connections (opened on demand,
// re-opened after a lost connection), prepared statements cached per
// connection, and transactions that roll back unless committed. Only prepared
// statements with bound parameters ($1, $2 …) are used; no SQL is ever built
// from input. Database is thread-safe; a Connection is used by one thread at
// a time (the pool hands it out).
#pragma once

#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "latchkey/status.h"

namespace latchkey::storage::pg {

class Connection;

// One execution of a cached prepared statement. It runs on the first Next()
// or Run(); the result is freed when it goes out of scope.
class Statement {
 public:
  Statement(Connection& connection, const char* sql) : connection_(connection), sql_(sql) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(std::string_view text);
  Statement& Bind(const std::string& text) { return Bind(std::string_view(text)); }
  Statement& Bind(const char* text) { return Bind(std::string_view(text)); }
  Statement& Bind(std::int64_t value);
  Statement& Bind(const std::optional<std::string>& text);
  Statement& Bind(const std::optional<std::int64_t>& value);
  Statement& BindNull();
  // Inside a transaction, runs the statement under a savepoint so that a
  // refusal (a unique violation) undoes only itself: PostgreSQL would
  // otherwise abort the whole transaction, where SQLite carries on.
  Statement& Guarded() {
    guarded_ = true;
    return *this;
  }

  // Advances to the next row: true with a row, false when done or on error.
  bool Next();
  // After the first Next(): Ok, kInvalidArgument for a unique-constraint
  // violation (see IsUniqueViolation), or kInternal.
  Status status() const { return status_; }
  bool IsUniqueViolation() const { return sqlstate_ == "23505"; }
  // Runs a statement that returns no rows.
  Status Run();
  // Rows the statement inserted, updated or deleted.
  std::int64_t Changes() const { return changes_; }

  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  void Execute();

  Connection& connection_;
  const char* sql_;
  std::vector<std::optional<std::string>> params_;
  PGresult* result_ = nullptr;
  bool executed_ = false;
  bool guarded_ = false;
  int row_ = -1;
  Status status_;
  std::string sqlstate_;
  std::int64_t changes_ = 0;
};

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // The SQL must be a string literal (or otherwise outlive the connection): it is the cache key.
  Statement Prepare(const char* sql) { return Statement(*this, sql); }
  // Runs SQL text without parameters (BEGIN, DDL).
  Status Exec(const char* sql);
  // Rows changed by the last statement run on this connection.
  std::int64_t Changes() const { return changes_; }
  bool InTransaction() const;
  bool Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

 private:
  friend class Database;
  friend class Statement;
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The server-side name of `sql`, preparing it on first use; nullptr on failure.
  const char* PreparedName(const char* sql);
  // Re-opens a lost connection; prepared statements are gone with it.
  bool Reset();
  // For an idle connection: whether the server has ended it (see pg.cc).
  bool Lost() const;

  PGconn* conn_;
  std::unordered_map<const char*, std::string> statements_;
  std::int64_t changes_ = 0;
};

// BEGIN (READ COMMITTED); rolls back on destruction unless Commit()
// succeeded. Inside a transaction already open on the connection (a unit of
// work), it is a savepoint instead, so a store's own transaction nests.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status status() const { return begun_; }
  Status Commit();

 private:
  Connection& connection_;
  Status begun_;
  bool done_ = false;
  bool nested_ = false;
};

class Database {
 public:
  // Checks the URL and opens the first connection (so that a wrong address
  // or password fails at start); more are opened on demand, at most
  // `connections`. Failures are logged to stderr without the password.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, int connections);
  ~Database();

  class Lease {
   public:
    Lease(Database& db, Connection* connection, bool owned = true) : db_(db), connection_(connection), owned_(owned) {}
    Lease(const Lease&) = delete;
    ~Lease() {
      if (owned_) db_.Release(connection_);
    }
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_; }

   private:
    Database& db_;
    Connection* connection_;
    bool owned_;
  };
  // Blocks until a connection is free. Inside RunInTransaction on this
  // thread, returns that unit's connection instead.
  Lease Acquire();

  // One transaction around `work`; store calls it makes on this thread share
  // its connection (see UnitOfWork). Nested calls join the outer one.
  Status RunInTransaction(const std::function<Status()>& work);

  // Where the database is, for messages: the URL without its password.
  const std::string& description() const { return description_; }

 private:
  Database() = default;
  void Release(Connection* connection);
  std::unique_ptr<Connection> Connect();

  std::string url_;
  std::string description_;
  int capacity_ = 1;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
  std::mutex mutex_;
  std::condition_variable available_;
};

// True for postgres:// and postgresql:// URLs.
bool IsPostgresUrl(std::string_view database);
// The URL with any password replaced by "***" (and the password= parameter
// too), for logs and error messages.
std::string RedactUrl(std::string_view url);

// Applies pending schema migrations (storage/migration_list.h) in one
// transaction under an advisory lock, so instances starting together
// migrate once. Returns the version.
Result<int> Migrate(Database& db);

}  // namespace latchkey::storage::pg
