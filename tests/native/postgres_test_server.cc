#include "postgres_test_server.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <sstream>

namespace latchkey::testing {
namespace {

std::string Script() { return std::string(LATCHKEY_SOURCE_DIR) + "/tests/support/postgres.sh"; }

}  // namespace

PostgresTestServer& PostgresTestServer::Get() {
  // Destroyed at exit, which stops the server.
  static std::unique_ptr<PostgresTestServer> server;
  static std::once_flag once;
  static bool started = false;
  std::call_once(once, [] {
    server.reset(new PostgresTestServer());
    started = server->Start();
  });
  REQUIRE(started);
  return *server;
}

bool PostgresTestServer::Start() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/latchkey-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return false;
  dir_ = pattern;
  const std::string command = "bash '" + Script() + "' start '" + dir_ + "' " + std::to_string(::getpid());
  FILE* out = ::popen(command.c_str(), "r");
  if (out == nullptr) return false;
  char line[256] = {};
  const bool read = std::fgets(line, sizeof line, out) != nullptr;
  const int status = ::pclose(out);
  if (!read || status != 0) return false;
  std::istringstream fields(line);
  int pid = 0;
  fields >> port_ >> pid >> password_;
  return port_ > 0 && !password_.empty();
}

PostgresTestServer::~PostgresTestServer() {
  if (dir_.empty()) return;
  const std::string command = "bash '" + Script() + "' stop '" + dir_ + "'";
  if (std::system(command.c_str()) != 0)
    std::fprintf(stderr, "could not stop the test PostgreSQL in %s\n", dir_.c_str());
}

std::string PostgresTestServer::Url(const std::string& schema, const std::string& password) const {
  return "postgresql://latchkey:" + password + "@127.0.0.1:" + std::to_string(port_) +
         "/postgres?options=-csearch_path%3D" + schema;
}

bool PostgresTestServer::Exec(const std::string& sql) {
  const std::string url = "postgresql://latchkey:" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/postgres";
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PGresult* result = PQexec(conn, sql.c_str());
    ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    if (!ok) UNSCOPED_INFO("postgres: " << PQresultErrorMessage(result));
    PQclear(result);
  }
  PQfinish(conn);
  return ok;
}

std::string PostgresTestServer::FreshSchemaUrl() {
  const std::string schema = "test_" + std::to_string(++schemas_);
  REQUIRE(Exec("CREATE SCHEMA " + schema));
  return Url(schema, password_);
}

}  // namespace latchkey::testing
