// What only the PostgreSQL backend has: migrations under an advisory lock
// (instances starting together migrate once), refusal of a newer schema,
// startup errors that never show the password, and the URL redaction. The
// store contract itself is in storage_conformance_test.cc.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <latch>
#include <sstream>
#include <thread>
#include <vector>

#include "postgres_test_server.h"
#include "storage/migration_list.h"
#include "storage/postgres/pg_stores.h"

namespace latchkey {
namespace {

using storage::pg::OpenPostgresStores;
using storage::pg::PostgresStores;

std::int64_t Scalar(PostgresStores& stores, const char* sql) {
  auto c = stores.db().Acquire();
  storage::pg::Statement query = c->Prepare(sql);
  REQUIRE(query.Next());
  return query.Int(0);
}

// Collects what is written to stderr (fd 2) while it lives.
class CapturedStderr {
 public:
  CapturedStderr() {
    std::fflush(stderr);
    file_ = std::tmpfile();
    REQUIRE(file_ != nullptr);
    saved_ = ::dup(2);
    ::dup2(::fileno(file_), 2);
  }
  ~CapturedStderr() { Restore(); }
  std::string Text() {
    Restore();
    std::rewind(file_);
    std::string text;
    char buffer[512];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, file_)) text.append(buffer, n);
    return text;
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }
  std::FILE* file_ = nullptr;
  int saved_ = -1;
};

TEST_CASE("postgres: instances opening one database together migrate it once", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  constexpr int kInstances = 6;
  std::vector<Result<std::unique_ptr<PostgresStores>>> opened;
  for (int i = 0; i < kInstances; ++i) opened.emplace_back(Code::kInternal);
  std::latch start(kInstances);
  std::vector<std::thread> instances;
  for (int i = 0; i < kInstances; ++i) {
    instances.emplace_back([&, i] {
      start.arrive_and_wait();
      opened[static_cast<std::size_t>(i)] = OpenPostgresStores(url, 1);
    });
  }
  for (std::thread& t : instances) t.join();
  for (const auto& stores : opened) REQUIRE(stores.ok());
  PostgresStores& any = **opened.front();
  CHECK(Scalar(any, "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());
  CHECK(Scalar(any, "SELECT COUNT(DISTINCT version) FROM schema_migrations") == storage::LatestSchemaVersion());
  CHECK(Scalar(any, "SELECT MAX(version) FROM schema_migrations") == storage::LatestSchemaVersion());
  REQUIRE(any.Ping().ok());
}

TEST_CASE("postgres: a reopened database keeps its data and migrates nothing twice", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  std::int64_t applied_at = 0;
  {
    Result<std::unique_ptr<PostgresStores>> first = OpenPostgresStores(url, 2);
    REQUIRE(first.ok());
    User user;
    user.id = "00000001-0000-4000-8000-000000000001";
    user.email = "kept@example.com";
    REQUIRE((*first)->users().Insert(user).ok());
    applied_at = Scalar(**first, "SELECT SUM(applied_at) FROM schema_migrations");
  }
  Result<std::unique_ptr<PostgresStores>> reopened = OpenPostgresStores(url, 2);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->users().FindByEmail("kept@example.com").ok());
  CHECK(Scalar(**reopened, "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());
  CHECK(Scalar(**reopened, "SELECT SUM(applied_at) FROM schema_migrations") == applied_at);
  Result<int> again = storage::pg::Migrate((*reopened)->db());
  REQUIRE(again.ok());
  CHECK(*again == storage::LatestSchemaVersion());
}

TEST_CASE("postgres: a database made by a newer binary is refused", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  {
    Result<std::unique_ptr<PostgresStores>> stores = OpenPostgresStores(url, 1);
    REQUIRE(stores.ok());
    auto c = (*stores)->db().Acquire();
    storage::pg::Statement future =
        c->Prepare("INSERT INTO schema_migrations (version, applied_at) VALUES ($1::integer, 0)");
    REQUIRE(future.Bind(std::int64_t{storage::LatestSchemaVersion() + 1}).Run().ok());
  }
  CapturedStderr err;
  CHECK_FALSE(OpenPostgresStores(url, 1).ok());
  CHECK(err.Text().find("upgrade latchkey") != std::string::npos);
}

TEST_CASE("postgres: open failures are clear and never show the password", "[storage][postgres]") {
  testing::PostgresTestServer& server = testing::PostgresTestServer::Get();
  const std::string secret = "Sup3r-s3cret-pw";

  SECTION("a wrong password") {
    CapturedStderr err;
    Result<std::unique_ptr<PostgresStores>> stores = OpenPostgresStores(server.Url("public", secret), 1);
    CHECK(stores.code() == Code::kServerBusy);
    const std::string text = err.Text();
    CHECK(text.find("password authentication failed") != std::string::npos);
    CHECK(text.find("127.0.0.1") != std::string::npos);
    CHECK(text.find(secret) == std::string::npos);
  }
  SECTION("nothing listening at the address") {
    // A bound socket that does not listen: connecting is refused at once.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t size = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
    const std::string url =
        "postgres://latchkey:" + secret + "@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/postgres";
    CapturedStderr err;
    CHECK(OpenPostgresStores(url, 1).code() == Code::kServerBusy);
    ::close(fd);
    const std::string text = err.Text();
    CHECK(text.find("cannot connect") != std::string::npos);
    CHECK(text.find(secret) == std::string::npos);
  }
  SECTION("a malformed URL") {
    CapturedStderr err;
    CHECK(OpenPostgresStores("postgresql://latchkey:" + secret + "@127.0.0.1/db?no_such_option=1", 1).code() ==
          Code::kInvalidArgument);
    const std::string text = err.Text();
    CHECK(text.find("invalid database URL") != std::string::npos);
    CHECK(text.find(secret) == std::string::npos);
  }
  SECTION("a password given as a parameter") {
    CapturedStderr err;
    const std::string url = "postgresql://latchkey@127.0.0.1:" + std::to_string(server.port()) +
                            "/postgres?password=" + secret + "&sslmode=disable";
    CHECK(OpenPostgresStores(url, 1).code() == Code::kServerBusy);
    CHECK(err.Text().find(secret) == std::string::npos);
  }
}

TEST_CASE("postgres: RedactUrl masks the password wherever the URL has it", "[storage][postgres]") {
  using storage::pg::RedactUrl;
  CHECK(RedactUrl("postgres://app:pw@db:5432/auth") == "postgres://app:***@db:5432/auth");
  CHECK(RedactUrl("postgresql://app:p%40ss@db/auth?sslmode=require") == "postgresql://app:***@db/auth?sslmode=require");
  CHECK(RedactUrl("postgresql://app@db/auth?password=pw&sslmode=require") ==
        "postgresql://app@db/auth?password=***&sslmode=require");
  CHECK(RedactUrl("postgres://db/auth") == "postgres://db/auth");
  CHECK(RedactUrl("postgres://app:a@b@db/auth") == "postgres://app:***@db/auth");
  CHECK(storage::pg::IsPostgresUrl("postgresql://x"));
  CHECK(storage::pg::IsPostgresUrl("postgres://x"));
  CHECK_FALSE(storage::pg::IsPostgresUrl("./postgres.db"));
}

// The last-admin rule (admin/admin_service.cc: count the active admins, then
// demote one, in one unit) run by two instances at once for two different
// admins: one of them must be refused, or no admin would be left.
TEST_CASE("postgres: two units demoting the last two admins at once leave one", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  Result<std::unique_ptr<PostgresStores>> first = OpenPostgresStores(url, 2);
  Result<std::unique_ptr<PostgresStores>> second = OpenPostgresStores(url, 2);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  for (int round = 0; round < 3; ++round) {
    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
      User admin;
      admin.id = "00000001-0000-4000-8000-00000000" + std::to_string(round) + std::to_string(i) + "00";
      admin.email = "admin" + std::to_string(round) + std::to_string(i) + "@example.com";
      admin.role = "admin";
      REQUIRE((*first)->users().Insert(admin).ok());
      ids.push_back(admin.id);
    }
    std::latch start(2);
    std::vector<Status> outcomes(2);
    std::vector<std::thread> units;
    for (int i = 0; i < 2; ++i) {
      PostgresStores& stores = i == 0 ? **first : **second;
      units.emplace_back([&, i] {
        start.arrive_and_wait();
        outcomes[static_cast<std::size_t>(i)] = stores.units().Run([&]() -> Status {
          Result<std::int64_t> admins = stores.users().CountActiveWithRole("admin");
          if (!admins.ok()) return admins.code();
          if (*admins <= 1) return Code::kLastAdmin;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the other unit count too
          return stores.users().SetRole(ids[static_cast<std::size_t>(i)], "user", 1);
        });
      });
    }
    for (std::thread& t : units) t.join();
    const int refused = (outcomes[0].code() == Code::kLastAdmin) + (outcomes[1].code() == Code::kLastAdmin);
    CHECK(refused == 1);
    CHECK((outcomes[0].ok() || outcomes[1].ok()));
    CHECK(*(*first)->users().CountActiveWithRole("admin") == 1);
    // Make this round's admins plain users so the next round starts from two admins.
    for (const std::string& id : ids) REQUIRE((*first)->users().SetRole(id, "user", 2).ok());
  }
}

TEST_CASE("postgres: the pool opens no more connections than it is given", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  Result<std::unique_ptr<PostgresStores>> stores = OpenPostgresStores(url + "&application_name=pool_probe", 3);
  REQUIRE(stores.ok());
  std::vector<std::thread> callers;
  std::latch start(12);
  std::atomic<int> answered{0};
  for (int i = 0; i < 12; ++i) {
    callers.emplace_back([&] {
      start.arrive_and_wait();
      for (int j = 0; j < 20; ++j) answered += (*stores)->users().FindById("nobody").code() == Code::kNotFound;
    });
  }
  for (std::thread& t : callers) t.join();
  CHECK(answered == 12 * 20);
  const std::int64_t open =
      Scalar(**stores, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'pool_probe'");
  CHECK(open >= 1);
  CHECK(open <= 3);
}

}  // namespace
}  // namespace latchkey
