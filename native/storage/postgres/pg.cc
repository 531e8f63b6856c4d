#include "storage/postgres/pg.h"

#include <poll.h>

#include <cstdlib>
#include <iostream>

namespace latchkey::storage::pg {
namespace {

// PostgreSQL's primary message goes to the operator's log, never to a client.
// Only the primary message: its DETAIL may quote row values (an email).
void LogError(const char* what, const std::string& message) {
  std::string clean;
  for (char ch : message) {
    if (ch == '"' || ch == '\\') clean += '\\';
    clean += (ch == '\n' || ch == '\r') ? ' ' : ch;
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  std::cerr << R"({"level":"error","msg":"postgres: )" << what << ": " << clean << "\"}\n";
}

// The server is unreachable (down, restarting, connection lost): 503, so
// clients retry, rather than a 500.
bool IsConnectionFailure(const std::string& sqlstate, PGconn* conn) {
  return PQstatus(conn) != CONNECTION_OK || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

}  // namespace

// ---------------------------------------------------------------------------
// Statement

Statement::~Statement() {
  if (result_) PQclear(result_);
}

Statement& Statement::Bind(std::string_view text) {
  params_.emplace_back(std::string(text));
  return *this;
}
Statement& Statement::Bind(std::int64_t value) {
  params_.emplace_back(std::to_string(value));
  return *this;
}
Statement& Statement::Bind(const std::optional<std::string>& text) { return text ? Bind(*text) : BindNull(); }
Statement& Statement::Bind(const std::optional<std::int64_t>& value) { return value ? Bind(*value) : BindNull(); }
Statement& Statement::BindNull() {
  params_.emplace_back(std::nullopt);
  return *this;
}

void Statement::Execute() {
  executed_ = true;
  PGconn* conn = connection_.conn_;
  const bool savepoint = guarded_ && connection_.InTransaction();
  if (savepoint) {
    status_ = connection_.Exec("SAVEPOINT guarded");
    if (!status_.ok()) return;
  }
  const char* name = connection_.PreparedName(sql_);
  if (name == nullptr) {
    status_ = PQstatus(conn) != CONNECTION_OK ? Code::kServerBusy : Code::kInternal;
    return;
  }
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const auto& param : params_) values.push_back(param ? param->c_str() : nullptr);
  result_ = PQexecPrepared(conn, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
  const ExecStatusType rc = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (rc == PGRES_TUPLES_OK || rc == PGRES_COMMAND_OK) {
    const char* tuples = PQcmdTuples(result_);
    changes_ = (tuples && *tuples) ? std::strtoll(tuples, nullptr, 10) : 0;
    connection_.changes_ = changes_;
    if (savepoint) status_ = connection_.Exec("RELEASE SAVEPOINT guarded");
    return;
  }
  const char* state = result_ ? PQresultErrorField(result_, PG_DIAG_SQLSTATE) : nullptr;
  sqlstate_ = state ? state : "";
  connection_.changes_ = 0;
  if (IsUniqueViolation()) {
    status_ = Code::kInvalidArgument;
  } else if (IsConnectionFailure(sqlstate_, conn)) {
    LogError("connection", PQerrorMessage(conn));
    status_ = Code::kServerBusy;
  } else {
    const char* primary = result_ ? PQresultErrorField(result_, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    LogError("statement", primary ? primary : "failed");
    status_ = Code::kInternal;
  }
  if (savepoint && PQstatus(conn) == CONNECTION_OK) {
    (void)connection_.Exec("ROLLBACK TO SAVEPOINT guarded");
    (void)connection_.Exec("RELEASE SAVEPOINT guarded");
  }
}

bool Statement::Next() {
  if (!executed_) Execute();
  if (!status_.ok() || result_ == nullptr) return false;
  if (row_ + 1 >= PQntuples(result_)) return false;
  ++row_;
  return true;
}

Status Statement::Run() {
  while (Next()) {
  }
  return status_;
}

std::string Statement::Text(int column) const {
  return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}
std::optional<std::string> Statement::OptionalText(int column) const {
  if (PQgetisnull(result_, row_, column)) return std::nullopt;
  return Text(column);
}
std::int64_t Statement::Int(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  // Booleans come back as "t" / "f".
  if (text[0] == 't') return 1;
  if (text[0] == 'f') return 0;
  return std::strtoll(text, nullptr, 10);
}
std::optional<std::int64_t> Statement::OptionalInt(int column) const {
  if (PQgetisnull(result_, row_, column)) return std::nullopt;
  return Int(column);
}

// ---------------------------------------------------------------------------
// Connection

Connection::~Connection() { PQfinish(conn_); }

bool Connection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

const char* Connection::PreparedName(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second.c_str();
  std::string name = "lk" + std::to_string(statements_.size() + 1);
  PGresult* prepared = PQprepare(conn_, name.c_str(), sql, 0, nullptr);
  const bool ok = prepared && PQresultStatus(prepared) == PGRES_COMMAND_OK;
  if (!ok) {
    const char* primary = prepared ? PQresultErrorField(prepared, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    LogError("prepare", primary ? primary : PQerrorMessage(conn_));
  }
  PQclear(prepared);
  if (!ok) return nullptr;
  return statements_.emplace(sql, std::move(name)).first->second.c_str();
}

Status Connection::Exec(const char* sql) {
  PGresult* result = PQexec(conn_, sql);
  const bool ok = result && (PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK);
  Status status;
  if (!ok) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    LogError("exec", primary ? primary : PQerrorMessage(conn_));
    status = IsConnectionFailure(state ? state : "", conn_) ? Code::kServerBusy : Code::kInternal;
  }
  PQclear(result);
  return status;
}

// libpq learns that a server ended a connection (a restart's "terminating
// connection", or a closed socket) only when the next statement fails, which
// would cost a caller a 503 per pooled connection after every restart. An
// idle connection has nothing to read unless the server ended it, so a
// socket found readable without blocking means: lost, reconnect first.
bool Connection::Lost() const {
  if (Broken()) return true;
  pollfd idle{PQsocket(conn_), POLLIN, 0};
  return poll(&idle, 1, 0) > 0;
}

bool Connection::Reset() {
  statements_.clear();
  PQreset(conn_);
  return PQstatus(conn_) == CONNECTION_OK;
}

// ---------------------------------------------------------------------------
// Transaction

Transaction::Transaction(Connection& connection) : connection_(connection), nested_(connection.InTransaction()) {
  begun_ = connection_.Exec(nested_ ? "SAVEPOINT nested" : "BEGIN");
  done_ = !begun_.ok();
}

Transaction::~Transaction() {
  if (done_ || connection_.Broken()) return;
  if (nested_) {
    (void)connection_.Exec("ROLLBACK TO SAVEPOINT nested");
    (void)connection_.Exec("RELEASE SAVEPOINT nested");
  } else {
    (void)connection_.Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  if (done_) return Code::kInternal;
  const Status status = connection_.Exec(nested_ ? "RELEASE SAVEPOINT nested" : "COMMIT");
  if (status.ok()) done_ = true;  // on failure the destructor rolls back
  return status;
}

// ---------------------------------------------------------------------------
// Database

namespace {
// The connection of the unit of work running on this thread, if any.
thread_local Database* ambient_db = nullptr;
thread_local Connection* ambient_connection = nullptr;
}  // namespace

bool IsPostgresUrl(std::string_view database) {
  return database.rfind("postgres://", 0) == 0 || database.rfind("postgresql://", 0) == 0;
}

std::string RedactUrl(std::string_view url) {
  std::string out(url);
  // postgres://user:password@host…: the password sits between the first ':'
  // after the scheme and the last '@' of the authority.
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    std::size_t end = out.find_first_of("/?", start);
    if (end == std::string::npos) end = out.size();
    const std::size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // …?password=secret&…
  for (std::size_t pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    const std::size_t value = pos + 9;
    const std::size_t end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

// Always returns a connection; one that failed is Broken() and is retried
// (PQreset) the next time it is handed out.
std::unique_ptr<Connection> Database::Connect() {
  // A default connect timeout (the URL's own connect_timeout comes later and
  // wins): an unreachable address fails the start instead of hanging it.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "latchkey", url_.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) std::abort();  // out of memory
  // Server notices ("relation already exists, skipping") are not for the log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host and the failure, never the password.
    LogError(("cannot connect to " + description_).c_str(), PQerrorMessage(conn));
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, int connections) {
  auto db = std::unique_ptr<Database>(new Database());
  db->url_ = url;
  db->description_ = RedactUrl(url);
  db->capacity_ = std::max(1, connections);
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    LogError(("invalid database URL " + db->description_).c_str(), error ? error : "cannot parse");
    PQfreemem(error);
    return Code::kInvalidArgument;
  }
  PQconninfoFree(options);
  std::unique_ptr<Connection> first = db->Connect();
  if (first->Broken()) return Code::kServerBusy;
  db->free_.push_back(first.get());
  db->all_.push_back(std::move(first));
  return db;
}

Database::~Database() = default;

Database::Lease Database::Acquire() {
  if (ambient_db == this) return Lease(*this, ambient_connection, /*owned=*/false);
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !free_.empty() || static_cast<int>(all_.size()) < capacity_; });
  if (free_.empty()) {
    // Room for one more: open it outside the lock (it takes a round trip or three).
    all_.push_back(nullptr);
    const std::size_t slot = all_.size() - 1;
    lock.unlock();
    std::unique_ptr<Connection> connection = Connect();
    lock.lock();
    all_[slot] = std::move(connection);
    return Lease(*this, all_[slot].get());
  }
  Connection* connection = free_.back();
  free_.pop_back();
  lock.unlock();
  // Lost (server restarted): reconnect now; if that fails too, its first
  // statement fails with kServerBusy and the next caller tries again.
  if (connection->Lost()) (void)connection->Reset();
  return Lease(*this, connection);
}

void Database::Release(Connection* connection) {
  // A connection left inside a transaction (a bug, or a lost COMMIT) must not
  // carry it to the next caller.
  if (!connection->Broken() && connection->InTransaction()) (void)connection->Exec("ROLLBACK");
  {
    std::lock_guard lock(mutex_);
    free_.push_back(connection);
  }
  available_.notify_one();
}

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

}  // namespace latchkey::storage::pg
