#include "storage/sqlite.h"

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

namespace latchkey::storage {
namespace {

// SQLite's heap, all connections together (see Database::Open).
constexpr sqlite3_int64 kHeapLimitBytes = 16 << 20;

// SQLite's own message goes to the operator's log, never to a client.
Status Fail(sqlite3* db, const char* what) {
  std::cerr << R"({"level":"error","msg":"sqlite: )" << what << ": " << sqlite3_errmsg(db) << "\"}\n";
  return Code::kInternal;
}

// Waits for another writer in short sleeps: SQLite's own busy_timeout backs
// off to 100 ms naps, which turns a brief lock wait into a latency spike.
int WaitForLock(void* /*unused*/, int attempt) {
  constexpr int kMaxAttempts = 20000;  // about 5 s at 250 us
  if (attempt >= kMaxAttempts) return 0;
  ::usleep(attempt < 20 ? 50 : 250);
  return 1;
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(std::string_view text) {
  sqlite3_bind_text(stmt_, next_index_++, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::Bind(std::int64_t value) {
  sqlite3_bind_int64(stmt_, next_index_++, value);
  return *this;
}
Statement& Statement::Bind(const std::optional<std::string>& text) { return text ? Bind(*text) : BindNull(); }
Statement& Statement::Bind(const std::optional<std::int64_t>& value) { return value ? Bind(*value) : BindNull(); }
Statement& Statement::BindNull() {
  sqlite3_bind_null(stmt_, next_index_++);
  return *this;
}

bool Statement::Next() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    sqlite3* db = sqlite3_db_handle(stmt_);
    extended_code_ = sqlite3_extended_errcode(db);
    status_ = IsUniqueViolation() ? Status(Code::kInvalidArgument) : Fail(db, "step");
  }
  return false;
}

Status Statement::Run() {
  while (Next()) {
  }
  return status_;
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}
std::optional<std::string> Statement::OptionalText(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Text(column);
}
std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return Int(column);
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Statement Connection::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      // A statement that does not compile is a bug in this program.
      (void)Fail(db_, "prepare");
      std::abort();
    }
    it = statements_.emplace(sql, stmt).first;
  }
  return Statement(it->second);
}

Status Connection::Exec(const char* sql) {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK ? Status::Ok() : Fail(db_, "exec");
}

Transaction::Transaction(Connection& connection)
    : connection_(connection), nested_(sqlite3_get_autocommit(connection.db_) == 0) {
  begun_ = connection_.Exec(nested_ ? "SAVEPOINT nested" : "BEGIN IMMEDIATE");
  done_ = !begun_.ok();
}

Transaction::~Transaction() {
  if (done_) return;
  if (nested_) {
    (void)connection_.Exec("ROLLBACK TO nested");
    (void)connection_.Exec("RELEASE nested");
  } else {
    (void)connection_.Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  if (done_) return Code::kInternal;
  const Status status = connection_.Exec(nested_ ? "RELEASE nested" : "COMMIT");
  if (status.ok()) done_ = true;  // on failure the destructor rolls back
  return status;
}

namespace {
// The connection of the unit of work running on this thread, if any.
thread_local Database* ambient_db = nullptr;
thread_local Connection* ambient_connection = nullptr;
}  // namespace

Status Database::RunInTransaction(const std::function<Status()>& work) {
  if (ambient_db == this) return work();
  Lease lease = Acquire();
  Transaction transaction(*lease);
  LATCHKEY_RETURN_IF_ERROR(transaction.status());
  ambient_db = this;
  ambient_connection = &*lease;
  const Status status = work();
  ambient_db = nullptr;
  ambient_connection = nullptr;
  LATCHKEY_RETURN_IF_ERROR(status);
  return transaction.Commit();
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, int connections, bool full_sync) {
  auto db = std::unique_ptr<Database>(new Database());
  db->path_ = path;
  // Each connection has its own page cache (2 MiB by default), and the
  // server opens one per HTTP and hash thread (68 by default): as the file
  // grows, the caches fill one by one and RSS climbs for hours (the soak in
  // bench/README.md). One bound for all of SQLite's heap instead: past it,
  // SQLite reuses cached pages rather than allocating (pages come back from
  // the OS's file cache).
  sqlite3_soft_heap_limit64(kHeapLimitBytes);
  // The file holds password hashes and signing keys: owner-only from the start.
  const mode_t old_mask = ::umask(077);
  for (int i = 0; i < connections; ++i) {
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &handle,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      ::umask(old_mask);
      if (handle) (void)Fail(handle, "open");
      sqlite3_close_v2(handle);
      return Code::kInternal;
    }
    auto connection = std::unique_ptr<Connection>(new Connection(handle));
    sqlite3_busy_handler(handle, WaitForLock, nullptr);
    const char* sync = full_sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", sync}) {
      if (!connection->Exec(pragma).ok()) {
        ::umask(old_mask);
        return Code::kInternal;
      }
    }
    db->free_.push_back(connection.get());
    db->all_.push_back(std::move(connection));
  }
  ::umask(old_mask);
  return db;
}

Database::Lease Database::Acquire() {
  if (ambient_db == this) return Lease(*this, ambient_connection, /*owned=*/false);
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty(); });
  Connection* connection = free_.back();
  free_.pop_back();
  return Lease(*this, connection);
}

void Database::Release(Connection* connection) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(connection);
  }
  available_.notify_one();
}

}  // namespace latchkey::storage
