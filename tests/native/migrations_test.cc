// Schema migrations on SQLite: a database made by an earlier release (schema
// 2, hashes on the user row) moves its hashes into credentials, keeps them
// verifiable, and gives its sessions an auth_time.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "passwords/bcrypt_hash.h"
#include "storage/sqlite.h"
#include "storage/sqlite_stores.h"

namespace latchkey {
namespace {

class TempDatabase {
 public:
  TempDatabase() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/latchkey-migrate-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
  }
  ~TempDatabase() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path() const { return dir_ + "/latchkey.db"; }

 private:
  std::string dir_;
};

// A $2b$ hash of "correct horse battery staple" at cost 4 (python3-bcrypt).
constexpr const char* kBcrypt = "$2b$04$z6b94NvwLWdKYaHO8pp1qeh8uOXtlS1UWjVWy4cgpB6bTmrNxh6mG";

TEST_CASE("migration 3 moves password hashes into credentials", "[storage][migrations]") {
  TempDatabase temp;
  {
    Result<std::unique_ptr<storage::Database>> db = storage::Database::Open(temp.path(), 1);
    REQUIRE(db.ok());
    REQUIRE(storage::Migrate(**db, 2).value() == 2);
    auto c = (*db)->Acquire();
    REQUIRE(c->Exec("INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES "
                    "('u1', 'one@example.com', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 10, 11), "
                    "('u2', 'two@example.com', '$2b$04$z6b94NvwLWdKYaHO8pp1qeh8uOXtlS1UWjVWy4cgpB6bTmrNxh6mG', 20, 21)")
                .ok());
    REQUIRE(c->Exec("INSERT INTO sessions (id, user_id, created_at, last_used_at) VALUES ('s1', 'u1', 100, 150)").ok());
  }
  Result<std::unique_ptr<storage::SqliteStores>> stores = storage::OpenSqliteStores(temp.path(), 2);
  REQUIRE(stores.ok());
  StoreSet& set = **stores;

  Result<Credential> one = set.credentials().FindForUser("u1", credential_type::kPassword);
  REQUIRE(one.ok());
  CHECK(one->secret == "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
  CHECK(one->identifier == "u1");
  CHECK(one->created_at == 10);
  CHECK(one->updated_at == 11);
  CHECK(one->id.size() == 36);
  CHECK(one->id[14] == '4');
  Result<Credential> two = set.credentials().FindForUser("u2", credential_type::kPassword);
  REQUIRE(two.ok());
  CHECK(two->secret == kBcrypt);
  // The imported bcrypt hash still verifies after the move.
  CHECK(VerifyBcrypt(two->secret, "correct horse battery staple").ok());
  CHECK(one->id != two->id);

  Result<Session> session = set.sessions().Find("s1");
  REQUIRE(session.ok());
  CHECK(session->auth_time == 100);
  CHECK(session->amr == std::vector<std::string>{"pwd"});

  // The user row no longer holds a secret.
  auto c = (*stores)->db().Acquire();
  storage::Statement columns =
      c->Prepare("SELECT COUNT(*) FROM pragma_table_info('users') WHERE name = 'password_hash'");
  REQUIRE(columns.Next());
  CHECK(columns.Int(0) == 0);
}

}  // namespace
}  // namespace latchkey
