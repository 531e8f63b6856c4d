// The test suite's one PostgreSQL server (tests/support/postgres.sh):
// started on first use on 127.0.0.1 and a free port in a temporary folder,
// stopped by its pid when the test program exits. Each test gets a schema of
// its own, so tests share the server but never each other's rows.
#pragma once

#include <string>

namespace latchkey::testing {

class PostgresTestServer {
 public:
  // The running server; starts it on the first call. A server that cannot
  // start fails the calling test (PostgreSQL is installed by .ci/setup.sh).
  static PostgresTestServer& Get();

  // A URL whose connections see only a new, empty schema.
  std::string FreshSchemaUrl();
  // A URL for `schema` (which must exist) with this password.
  std::string Url(const std::string& schema, const std::string& password) const;
  const std::string& password() const { return password_; }
  int port() const { return port_; }
  // Runs SQL as the superuser on the server's `postgres` database; false on error.
  bool Exec(const std::string& sql);

  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;
  ~PostgresTestServer();

 private:
  PostgresTestServer() = default;
  bool Start();

  std::string dir_;
  std::string password_;
  int port_ = 0;
  int schemas_ = 0;
};

}  // namespace latchkey::testing
