// A small SQLite layer: a pool of connections (WAL, foreign keys, busy
// timeout), cached prepared statements, and transactions that roll back
// unless committed. Only prepared statements with bound parameters are used;
// no SQL is ever built from input. Database is thread-safe; a Connection is
// used by one thread at a time (the pool hands it out).
#pragma once

#include <sqlite3.h>

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
#include "storage/migration_list.h"

namespace latchkey::storage {

// A cached statement, reset when it goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& Bind(std::string_view text);
  Statement& Bind(const std::string& text) { return Bind(std::string_view(text)); }
  Statement& Bind(std::int64_t value);
  Statement& Bind(const std::optional<std::string>& text);
  Statement& Bind(const std::optional<std::int64_t>& value);
  Statement& BindNull();

  // Advances to the next row: true with a row, false when done or on error.
  bool Next();
  // After the last Next(): Ok, kInvalidArgument for a unique-constraint
  // violation (see IsUniqueViolation), or kInternal.
  Status status() const { return status_; }
  bool IsUniqueViolation() const {
    return extended_code_ == SQLITE_CONSTRAINT_UNIQUE || extended_code_ == SQLITE_CONSTRAINT_PRIMARYKEY;
  }
  // Runs a statement that returns no rows.
  Status Run();

  std::string Text(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  std::int64_t Int(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  sqlite3_stmt* stmt_;
  int next_index_ = 1;
  Status status_;
  int extended_code_ = SQLITE_OK;
};

class Connection {
 public:
  ~Connection();
  // The SQL must be a string literal (or otherwise outlive the connection): it is the cache key.
  Statement Prepare(const char* sql);
  Status Exec(const char* sql);
  int Changes() const { return sqlite3_changes(db_); }

 private:
  friend class Database;
  friend class Transaction;
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// BEGIN IMMEDIATE (takes the write lock at once, so read-modify-write cannot
// race another writer); rolls back on destruction unless Commit() succeeded.
// Inside a transaction already open on the connection (a unit of work), it is
// a savepoint instead, so a store's own transaction nests in the unit.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
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
  // Opens (creating if needed, mode 0600) and configures `connections`
  // connections. full_sync: every commit reaches the disk before it returns
  // (survives power loss); otherwise WAL commits survive a process crash but
  // the last ones may be lost with the machine.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, int connections, bool full_sync = true);

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
  // it (see UnitOfWork). Nested calls join the outer one.
  Status RunInTransaction(const std::function<Status()>& work);

  const std::string& path() const { return path_; }

 private:
  void Release(Connection* connection);

  std::string path_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
  std::mutex mutex_;
  std::condition_variable available_;
};

// Applies pending schema migrations up to `target` (default: all) in one
// transaction. Returns the version.
Result<int> Migrate(Database& db, int target = 0);

}  // namespace latchkey::storage
