// The storage conformance suite: one set of tests for the four store
// interfaces (identity/user_store.h, sessions/session_store.h,
// keys/key_store.h, audit/audit_store.h) and units of work spanning them
// (storage/unit_of_work.h), written against the interfaces
// only and run once per backend.
//
// A backend is a type with a static Open() that returns a StoreSet over a
// fresh, empty, migrated database (the factory). Each STORE_TEST runs once per
// backend listed in STORE_BACKENDS, as "<name> - <Backend>": SQLite on a
// temporary file, PostgreSQL on a fresh schema of the suite's own server
// (postgres_test_server.h; ctest runs the PostgreSQL half as one test, so the
// server starts once).
//
// Time is passed in as plain numbers; nothing sleeps. Refresh tokens, sealed
// successors and rotation decisions come from the real core helpers
// (latchkey/refresh.h), exactly as SessionIssuer uses them.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <latch>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/audit_store.h"
#include "identity/credential_store.h"
#include "identity/user_store.h"
#include "keys/key_store.h"
#include "latchkey/refresh.h"
#include "mail/mail_store.h"
#include "postgres_test_server.h"
#include "recovery/one_time_token_store.h"
#include "sessions/session_store.h"
#include "storage/postgres/pg_stores.h"
#include "storage/sqlite_stores.h"

namespace latchkey {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;  // an arbitrary "now"

// ---------------------------------------------------------------------------
// The factory contract.

// The four stores over one database that no other test sees. Besides the
// interfaces, a backend offers one white-box probe for what the interfaces
// deliberately do not expose.
class BackendUnderTest : public StoreSet {
 public:
  // The stored generation of the refresh token with this hash; nullopt when
  // no such token is stored.
  virtual std::optional<std::int64_t> RefreshTokenGeneration(std::string_view token_hash) = 0;
};

// A directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/latchkey-storage-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class SqliteStoreSet final : public BackendUnderTest {
 public:
  SqliteStoreSet() {
    Result<std::unique_ptr<storage::SqliteStores>> opened = storage::OpenSqliteStores(dir_.path() + "/latchkey.db", 4);
    REQUIRE(opened.ok());
    stores_ = std::move(opened).value();
  }
  UserStore& users() override { return stores_->users(); }
  CredentialStore& credentials() override { return stores_->credentials(); }
  SessionStore& sessions() override { return stores_->sessions(); }
  KeyStore& keys() override { return stores_->keys(); }
  AuditStore& audit() override { return stores_->audit(); }
  OneTimeTokenStore& one_time_tokens() override { return stores_->one_time_tokens(); }
  OAuthFlowStore& oauth_flows() override { return stores_->oauth_flows(); }
  MailStore& mail() override { return stores_->mail(); }
  UnitOfWork& units() override { return stores_->units(); }
  Status Ping() override { return stores_->Ping(); }

  std::optional<std::int64_t> RefreshTokenGeneration(std::string_view token_hash) override {
    auto connection = stores_->db().Acquire();
    storage::Statement query = connection->Prepare("SELECT generation FROM refresh_tokens WHERE token_hash = ?");
    query.Bind(token_hash);
    std::optional<std::int64_t> generation;
    if (query.Next()) generation = query.Int(0);
    REQUIRE(query.status().ok());
    return generation;
  }

 private:
  TempDir dir_;  // declared first: removed (with -wal and -shm) after the stores close
  std::unique_ptr<storage::SqliteStores> stores_;
};

struct SqliteBackend {
  static std::unique_ptr<BackendUnderTest> Open() { return std::make_unique<SqliteStoreSet>(); }
};

class PostgresStoreSet final : public BackendUnderTest {
 public:
  PostgresStoreSet() {
    Result<std::unique_ptr<storage::pg::PostgresStores>> opened =
        storage::pg::OpenPostgresStores(testing::PostgresTestServer::Get().FreshSchemaUrl(), 4);
    REQUIRE(opened.ok());
    stores_ = std::move(opened).value();
  }
  UserStore& users() override { return stores_->users(); }
  CredentialStore& credentials() override { return stores_->credentials(); }
  SessionStore& sessions() override { return stores_->sessions(); }
  KeyStore& keys() override { return stores_->keys(); }
  AuditStore& audit() override { return stores_->audit(); }
  OneTimeTokenStore& one_time_tokens() override { return stores_->one_time_tokens(); }
  OAuthFlowStore& oauth_flows() override { return stores_->oauth_flows(); }
  MailStore& mail() override { return stores_->mail(); }
  UnitOfWork& units() override { return stores_->units(); }
  Status Ping() override { return stores_->Ping(); }

  std::optional<std::int64_t> RefreshTokenGeneration(std::string_view token_hash) override {
    auto connection = stores_->db().Acquire();
    storage::pg::Statement query = connection->Prepare("SELECT generation FROM refresh_tokens WHERE token_hash = $1");
    query.Bind(token_hash);
    std::optional<std::int64_t> generation;
    if (query.Next()) generation = query.Int(0);
    REQUIRE(query.status().ok());
    return generation;
  }

 private:
  std::unique_ptr<storage::pg::PostgresStores> stores_;
};

struct PostgresBackend {
  static std::unique_ptr<BackendUnderTest> Open() { return std::make_unique<PostgresStoreSet>(); }
};

// Every backend the suite runs against (comma-separated types).
#define STORE_BACKENDS SqliteBackend, PostgresBackend
#define STORE_TEST(name) TEMPLATE_TEST_CASE(name, "[storage]", STORE_BACKENDS)

// Opens the backend's stores, or skips the test when the backend is not available here.
#define OPEN_STORES_OR_SKIP(var)                                \
  std::unique_ptr<BackendUnderTest> var = TestType::Open();     \
  if (!var) {                                                   \
    WARN("backend not available in this environment: skipped"); \
    return;                                                     \
  }

// ---------------------------------------------------------------------------
// Helpers.

// Deterministic randomness (SplitMix64), safe to share between threads.
class TestRandom final : public RandomSource {
 public:
  explicit TestRandom(std::uint64_t seed) : state_(seed) {}
  void Fill(char* out, std::size_t size) override {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < size; ++i) {
      if (i % 8 == 0) word_ = Next();
      out[i] = static_cast<char>(word_ >> (8 * (i % 8)));
    }
  }

 private:
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::mutex mutex_;
  std::uint64_t state_;
  std::uint64_t word_ = 0;
};

// A UUID-shaped id: `kind` tells users (1), sessions (5) apart in failures.
std::string Id(int kind, int n) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%08d-0000-4000-8000-%012d", kind, n);
  return buffer;
}

User MakeUser(int n, std::int64_t created_at, std::string email = "", std::string name = "") {
  User user;
  user.id = Id(1, n);
  user.email = email.empty() ? "user" + std::to_string(n) + "@example.com" : std::move(email);
  user.name = name.empty() ? "User " + std::to_string(n) : std::move(name);
  user.created_at = created_at;
  user.updated_at = created_at;
  return user;
}

void RequireSameUser(const User& a, const User& b) {
  CHECK(a.id == b.id);
  CHECK(a.email == b.email);
  CHECK(a.name == b.name);
  CHECK(a.role == b.role);
  CHECK(a.email_verified == b.email_verified);
  CHECK(a.disabled == b.disabled);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
}

void RequireSameSession(const Session& a, const Session& b) {
  CHECK(a.id == b.id);
  CHECK(a.user_id == b.user_id);
  CHECK(a.created_at == b.created_at);
  CHECK(a.last_used_at == b.last_used_at);
  CHECK(a.revoked_at == b.revoked_at);
  CHECK(a.revoked_reason == b.revoked_reason);
  CHECK(a.user_agent == b.user_agent);
  CHECK(a.ip == b.ip);
  CHECK(a.amr == b.amr);
  CHECK(a.auth_time == b.auth_time);
}

std::vector<std::string> UserIds(const UserPage& page) {
  std::vector<std::string> ids;
  for (const User& user : page.users) ids.push_back(user.id);
  return ids;
}

std::vector<std::string> SessionIds(const std::vector<Session>& sessions) {
  std::vector<std::string> ids;
  for (const Session& session : sessions) ids.push_back(session.id);
  return ids;
}

// A session with its first refresh token, created in the store.
struct LiveSession {
  Session session;
  RefreshToken token;
};

LiveSession CreateSession(SessionStore& store, RandomSource& random, const std::string& user_id, int n,
                          std::int64_t created_at) {
  LiveSession live;
  live.session.id = Id(5, n);
  live.session.user_id = user_id;
  live.session.created_at = live.session.last_used_at = created_at;
  live.session.user_agent = "Mozilla/5.0 (test " + std::to_string(n) + ")";
  live.session.ip = "192.0.2." + std::to_string(n % 250);
  live.session.amr = n % 2 ? std::vector<std::string>{"pwd"} : std::vector<std::string>{"pwd", "otp"};
  live.session.auth_time = created_at - n;
  live.token = NewRefreshToken(random);
  const RefreshRecord first{live.token.hash, live.session.id, 0, created_at, std::nullopt, "", ""};
  REQUIRE(store.Create(live.session, first).ok());
  return live;
}

// One Rotate call planned the way SessionIssuer plans it: core decides; a
// kRotate gets a fresh successor sealed under the presented token; a
// kRevokeSession records why.
struct Rotation {
  Result<RotationOutcome> outcome = Code::kInternal;
  int plan_calls = 0;
  RefreshTokenState state;      // what the store told the plan
  RotationPlan plan;            // what the plan answered
  std::string successor_token;  // for kRotate: the new token in clear
};

Rotation RotateWithCore(SessionStore& store, const RefreshToken& presented, std::int64_t now, RandomSource& random,
                        const RefreshRules& rules = {}) {
  Rotation r;
  r.outcome = store.Rotate(presented.hash, now, [&](const RefreshTokenState& state, const Session&) {
    ++r.plan_calls;
    r.state = state;
    RotationPlan plan{DecideRefresh(state, now, rules), {}, "", ""};
    if (plan.decision.action == RefreshAction::kRotate) {
      RefreshToken next = NewRefreshToken(random);
      plan.successor = RefreshRecord{next.hash, "", 0, now, std::nullopt, "", ""};
      plan.sealed = SealSuccessor(presented.token, next.token, random);
      r.successor_token = next.token;
    } else if (plan.decision.action == RefreshAction::kRevokeSession) {
      plan.reason = "refresh_token_reused";
    }
    r.plan = plan;
    return plan;
  });
  return r;
}

// Rotate with a fixed plan: `action`, and for kRotate the given successor.
Result<RotationOutcome> RotateWith(SessionStore& store, std::string_view hash, std::int64_t now, RotationPlan plan,
                                   int* plan_calls = nullptr) {
  return store.Rotate(hash, now, [&](const RefreshTokenState&, const Session&) {
    if (plan_calls) ++*plan_calls;
    return plan;
  });
}

RefreshToken Token(std::string token) {
  RefreshToken out{std::move(token), ""};
  out.hash = HashRefreshToken(out.token);
  return out;
}

// ===========================================================================
// UserStore

STORE_TEST("users: insert then find by id and by email returns every field") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();

  User plain = MakeUser(1, kT0);
  User full = MakeUser(2, kT0 + 10, "admin@example.com", "Zoë Ådmin");
  full.role = "admin";
  full.email_verified = true;
  full.disabled = true;
  full.updated_at = kT0 + 20;
  REQUIRE(users.Insert(plain).ok());
  REQUIRE(users.Insert(full).ok());

  for (const User* expected : {&plain, &full}) {
    Result<User> by_id = users.FindById(expected->id);
    REQUIRE(by_id.ok());
    RequireSameUser(*by_id, *expected);
    Result<User> by_email = users.FindByEmail(expected->email);
    REQUIRE(by_email.ok());
    RequireSameUser(*by_email, *expected);
  }
  // Defaults of a new account survive the round trip too.
  Result<User> stored = users.FindById(plain.id);
  REQUIRE(stored.ok());
  CHECK(stored->role == "user");
  CHECK_FALSE(stored->email_verified);
  CHECK_FALSE(stored->disabled);
}

STORE_TEST("users: a duplicate email or id is email_taken and changes nothing") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  const User original = MakeUser(1, kT0);
  REQUIRE(users.Insert(original).ok());

  User same_email = MakeUser(2, kT0 + 1);
  same_email.email = original.email;
  CHECK(users.Insert(same_email).code() == Code::kEmailTaken);
  CHECK(users.FindById(same_email.id).code() == Code::kNotFound);

  User same_id = MakeUser(3, kT0 + 2);
  same_id.id = original.id;
  CHECK(users.Insert(same_id).code() == Code::kEmailTaken);
  CHECK(users.FindByEmail(same_id.email).code() == Code::kNotFound);

  Result<User> stored = users.FindById(original.id);
  REQUIRE(stored.ok());
  RequireSameUser(*stored, original);
  Result<UserPage> all = users.List("", 100, 0);
  REQUIRE(all.ok());
  CHECK(all->total == 1);
}

STORE_TEST("users: finding an absent user is not_found") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  CHECK(users.FindById(Id(1, 404)).code() == Code::kNotFound);
  CHECK(users.FindByEmail("nobody@example.com").code() == Code::kNotFound);
  REQUIRE(users.Insert(MakeUser(1, kT0)).ok());
  CHECK(users.FindById(Id(1, 404)).code() == Code::kNotFound);
  CHECK(users.FindById("").code() == Code::kNotFound);
  CHECK(users.FindByEmail("").code() == Code::kNotFound);
  // Emails are stored normalised by the caller; the store compares them exactly.
  CHECK(users.FindByEmail("USER1@example.com").code() == Code::kNotFound);
}

STORE_TEST("users: each update changes its field and updated_at only") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  const User original = MakeUser(1, kT0);
  const User bystander = MakeUser(2, kT0);
  REQUIRE(users.Insert(original).ok());
  REQUIRE(users.Insert(bystander).ok());
  User expected = original;

  SECTION("UpdateName") {
    REQUIRE(users.UpdateName(original.id, "Renamed Ü", kT0 + 5).ok());
    expected.name = "Renamed Ü";
    expected.updated_at = kT0 + 5;
  }
  SECTION("SetRole") {
    REQUIRE(users.SetRole(original.id, "admin", kT0 + 7).ok());
    expected.role = "admin";
    expected.updated_at = kT0 + 7;
  }
  SECTION("SetDisabled true, then false") {
    REQUIRE(users.SetDisabled(original.id, true, kT0 + 8).ok());
    expected.disabled = true;
    expected.updated_at = kT0 + 8;
    Result<User> disabled = users.FindById(original.id);
    REQUIRE(disabled.ok());
    RequireSameUser(*disabled, expected);
    REQUIRE(users.SetDisabled(original.id, false, kT0 + 9).ok());
    expected.disabled = false;
    expected.updated_at = kT0 + 9;
  }
  SECTION("setting a value it already has still succeeds") {
    REQUIRE(users.SetDisabled(original.id, false, kT0 + 10).ok());
    REQUIRE(users.SetRole(original.id, "user", kT0 + 10).ok());
    REQUIRE(users.UpdateName(original.id, original.name, kT0 + 10).ok());
    expected.updated_at = kT0 + 10;
  }

  Result<User> stored = users.FindById(original.id);
  REQUIRE(stored.ok());
  RequireSameUser(*stored, expected);
  Result<User> other = users.FindById(bystander.id);
  REQUIRE(other.ok());
  RequireSameUser(*other, bystander);
}

STORE_TEST("users: updates and deletes of an absent id are not_found") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  const User existing = MakeUser(1, kT0);
  REQUIRE(users.Insert(existing).ok());
  const std::string missing = Id(1, 404);

  CHECK(users.UpdateName(missing, "x", kT0).code() == Code::kNotFound);
  CHECK(users.SetRole(missing, "admin", kT0).code() == Code::kNotFound);
  CHECK(users.SetDisabled(missing, true, kT0).code() == Code::kNotFound);
  CHECK(users.Delete(missing).code() == Code::kNotFound);

  Result<User> stored = users.FindById(existing.id);
  REQUIRE(stored.ok());
  RequireSameUser(*stored, existing);
  CHECK(users.FindById(missing).code() == Code::kNotFound);
}

STORE_TEST("users: List pages newest first with the total of all pages") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  // Inserted out of order: the order comes from created_at, not insertion.
  for (const int n : {3, 1, 5, 2, 4}) REQUIRE(users.Insert(MakeUser(n, kT0 + 100 * n)).ok());

  Result<UserPage> all = users.List("", 100, 0);
  REQUIRE(all.ok());
  CHECK(all->total == 5);
  CHECK(UserIds(*all) == std::vector<std::string>{Id(1, 5), Id(1, 4), Id(1, 3), Id(1, 2), Id(1, 1)});

  Result<UserPage> first = users.List("", 2, 0);
  REQUIRE(first.ok());
  CHECK(first->total == 5);
  CHECK(UserIds(*first) == std::vector<std::string>{Id(1, 5), Id(1, 4)});

  Result<UserPage> second = users.List("", 2, 2);
  REQUIRE(second.ok());
  CHECK(second->total == 5);
  CHECK(UserIds(*second) == std::vector<std::string>{Id(1, 3), Id(1, 2)});

  Result<UserPage> last = users.List("", 2, 4);
  REQUIRE(last.ok());
  CHECK(last->total == 5);
  CHECK(UserIds(*last) == std::vector<std::string>{Id(1, 1)});

  Result<UserPage> beyond = users.List("", 2, 50);
  REQUIRE(beyond.ok());
  CHECK(beyond->total == 5);
  CHECK(beyond->users.empty());

  // Every field comes back in a page, as from FindById.
  REQUIRE(!first->users.empty());
  RequireSameUser(first->users[0], MakeUser(5, kT0 + 500));
}

STORE_TEST("users: List of an empty store is empty with total zero") {
  OPEN_STORES_OR_SKIP(stores);
  Result<UserPage> page = stores->users().List("", 20, 0);
  REQUIRE(page.ok());
  CHECK(page->total == 0);
  CHECK(page->users.empty());
  Result<UserPage> searched = stores->users().List("anything", 20, 0);
  REQUIRE(searched.ok());
  CHECK(searched->total == 0);
}

STORE_TEST("users: List order is stable when users share created_at") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  for (int n = 1; n <= 7; ++n) REQUIRE(users.Insert(MakeUser(n, kT0)).ok());
  // Pages of 3 must neither repeat nor skip anyone, whatever the tie-break.
  std::vector<std::string> seen;
  for (std::int64_t offset = 0; offset < 7; offset += 3) {
    Result<UserPage> page = users.List("", 3, offset);
    REQUIRE(page.ok());
    CHECK(page->total == 7);
    for (const User& user : page->users) seen.push_back(user.id);
  }
  std::vector<std::string> sorted = seen;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  CHECK(seen.size() == 7);
  Result<UserPage> again = users.List("", 7, 0);
  REQUIRE(again.ok());
  CHECK(UserIds(*again) == seen);
}

STORE_TEST("users: List search matches email or name as a case-insensitive substring") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  REQUIRE(users.Insert(MakeUser(1, kT0 + 1, "alice@example.com", "Alice Liddell")).ok());
  REQUIRE(users.Insert(MakeUser(2, kT0 + 2, "bob@example.org", "Robert Smith")).ok());
  REQUIRE(users.Insert(MakeUser(3, kT0 + 3, "carol@smithy.example", "Carol")).ok());
  REQUIRE(users.Insert(MakeUser(4, kT0 + 4, "dave@example.com", "")).ok());

  auto search = [&users](std::string_view text, std::int64_t limit = 100, std::int64_t offset = 0) {
    Result<UserPage> page = users.List(text, limit, offset);
    REQUIRE(page.ok());
    return page.value();
  };

  SECTION("substring of the email") {
    const UserPage page = search("example.org");
    CHECK(page.total == 1);
    CHECK(UserIds(page) == std::vector<std::string>{Id(1, 2)});
  }
  SECTION("substring of the name") {
    const UserPage page = search("iddel");
    CHECK(page.total == 1);
    CHECK(UserIds(page) == std::vector<std::string>{Id(1, 1)});
  }
  SECTION("ASCII case is ignored, in the search and in the data") {
    CHECK(UserIds(search("ALICE")) == std::vector<std::string>{Id(1, 1)});
    CHECK(UserIds(search("robert")) == std::vector<std::string>{Id(1, 2)});
    CHECK(UserIds(search("rObErT sMiTh")) == std::vector<std::string>{Id(1, 2)});
  }
  SECTION("a match in the name of one user and the email of another, newest first") {
    const UserPage page = search("smith");
    CHECK(page.total == 2);
    CHECK(UserIds(page) == std::vector<std::string>{Id(1, 3), Id(1, 2)});
  }
  SECTION("a user matching in both email and name is listed once") {
    const UserPage page = search("carol");
    CHECK(page.total == 1);
    CHECK(UserIds(page) == std::vector<std::string>{Id(1, 3)});
  }
  SECTION("search with paging: total counts every match") {
    const UserPage all = search("example");
    CHECK(all.total == 4);
    const UserPage page = search("example", 2, 1);
    CHECK(page.total == 4);
    CHECK(UserIds(page) == std::vector<std::string>{Id(1, 3), Id(1, 2)});
  }
  SECTION("no match") {
    const UserPage page = search("zebra");
    CHECK(page.total == 0);
    CHECK(page.users.empty());
  }
}

STORE_TEST("users: List search treats percent underscore and backslash literally") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  REQUIRE(users.Insert(MakeUser(1, kT0 + 1, "a_b@example.com", "Plain")).ok());
  REQUIRE(users.Insert(MakeUser(2, kT0 + 2, "axb@example.com", "Plain")).ok());
  REQUIRE(users.Insert(MakeUser(3, kT0 + 3, "c@example.com", "100% sure")).ok());
  REQUIRE(users.Insert(MakeUser(4, kT0 + 4, "d@example.com", "back\\slash")).ok());
  REQUIRE(users.Insert(MakeUser(5, kT0 + 5, "e@example.com", "it's \"quoted\"")).ok());

  auto ids = [&users](std::string_view text) {
    Result<UserPage> page = users.List(text, 100, 0);
    REQUIRE(page.ok());
    CHECK(page->total == static_cast<std::int64_t>(page->users.size()));
    return UserIds(*page);
  };
  CHECK(ids("a_b") == std::vector<std::string>{Id(1, 1)});
  CHECK(ids("_") == std::vector<std::string>{Id(1, 1)});
  CHECK(ids("%") == std::vector<std::string>{Id(1, 3)});
  CHECK(ids("0% s") == std::vector<std::string>{Id(1, 3)});
  CHECK(ids("a%b").empty());
  CHECK(ids("\\") == std::vector<std::string>{Id(1, 4)});
  CHECK(ids("'s \"q") == std::vector<std::string>{Id(1, 5)});
}

STORE_TEST("users: CountActiveWithRole counts enabled users of that role only") {
  OPEN_STORES_OR_SKIP(stores);
  UserStore& users = stores->users();
  CHECK(*users.CountActiveWithRole("admin") == 0);
  for (int n = 1; n <= 5; ++n) {
    User user = MakeUser(n, kT0 + n);
    user.role = n <= 3 ? "admin" : "user";
    REQUIRE(users.Insert(user).ok());
  }
  Result<std::int64_t> admins = users.CountActiveWithRole("admin");
  REQUIRE(admins.ok());
  CHECK(*admins == 3);
  CHECK(*users.CountActiveWithRole("user") == 2);
  CHECK(*users.CountActiveWithRole("auditor") == 0);
  CHECK(*users.CountActiveWithRole("ADMIN") == 0);

  REQUIRE(users.SetDisabled(Id(1, 1), true, kT0 + 10).ok());
  CHECK(*users.CountActiveWithRole("admin") == 2);
  REQUIRE(users.SetRole(Id(1, 2), "user", kT0 + 11).ok());
  CHECK(*users.CountActiveWithRole("admin") == 1);
  CHECK(*users.CountActiveWithRole("user") == 3);
  REQUIRE(users.SetDisabled(Id(1, 1), false, kT0 + 12).ok());
  CHECK(*users.CountActiveWithRole("admin") == 2);
  REQUIRE(users.Delete(Id(1, 3)).ok());
  CHECK(*users.CountActiveWithRole("admin") == 1);
}

STORE_TEST("users: Delete removes the user with their sessions and refresh tokens") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(1);
  UserStore& users = stores->users();
  SessionStore& sessions = stores->sessions();
  REQUIRE(users.Insert(MakeUser(1, kT0)).ok());
  REQUIRE(users.Insert(MakeUser(2, kT0)).ok());
  const LiveSession doomed_a = CreateSession(sessions, random, Id(1, 1), 1, kT0 + 10);
  const LiveSession doomed_b = CreateSession(sessions, random, Id(1, 1), 2, kT0 + 20);
  const LiveSession survivor = CreateSession(sessions, random, Id(1, 2), 3, kT0 + 30);
  // A rotated chain: the parent and its successor must both go.
  const Rotation rotated = RotateWithCore(sessions, doomed_b.token, kT0 + 40, random);
  REQUIRE(rotated.outcome.ok());
  REQUIRE(rotated.outcome->decision.action == RefreshAction::kRotate);
  const RefreshToken successor = Token(rotated.successor_token);

  REQUIRE(users.Delete(Id(1, 1)).ok());

  CHECK(users.FindById(Id(1, 1)).code() == Code::kNotFound);
  CHECK(users.FindByEmail("user1@example.com").code() == Code::kNotFound);
  CHECK(sessions.Find(doomed_a.session.id).code() == Code::kNotFound);
  CHECK(sessions.Find(doomed_b.session.id).code() == Code::kNotFound);
  Result<std::vector<Session>> active = sessions.ListActive(Id(1, 1));
  REQUIRE(active.ok());
  CHECK(active->empty());
  for (const RefreshToken* token : {&doomed_a.token, &doomed_b.token, &successor}) {
    int plan_calls = 0;
    Result<RotationOutcome> outcome =
        RotateWith(sessions, token->hash, kT0 + 50,
                   RotationPlan{{RefreshAction::kReject, Code::kSessionRevoked}, {}, "", ""}, &plan_calls);
    CHECK(outcome.code() == Code::kRefreshTokenInvalid);
    CHECK(plan_calls == 0);
    CHECK_FALSE(stores->RefreshTokenGeneration(token->hash).has_value());
  }
  CHECK(users.Delete(Id(1, 1)).code() == Code::kNotFound);

  // The other user is untouched, down to their refresh token.
  CHECK(users.FindById(Id(1, 2)).ok());
  Result<Session> kept = sessions.Find(survivor.session.id);
  REQUIRE(kept.ok());
  RequireSameSession(*kept, survivor.session);
  const Rotation still_works = RotateWithCore(sessions, survivor.token, kT0 + 60, random);
  REQUIRE(still_works.outcome.ok());
  CHECK(still_works.outcome->decision.action == RefreshAction::kRotate);

  // The email is free again.
  CHECK(users.Insert(MakeUser(9, kT0 + 70, "user1@example.com")).ok());
}

// ===========================================================================
// SessionStore

STORE_TEST("sessions: Create then Find returns every field") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(2);
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(stores->sessions(), random, Id(1, 1), 1, kT0 + 5);

  Result<Session> found = stores->sessions().Find(live.session.id);
  REQUIRE(found.ok());
  RequireSameSession(*found, live.session);
  CHECK_FALSE(found->revoked_at.has_value());
  CHECK(found->revoked_reason.empty());
  CHECK(stores->RefreshTokenGeneration(live.token.hash) == std::optional<std::int64_t>(0));

  // Empty user agent and ip are kept as empty strings.
  Session bare{Id(5, 2), Id(1, 1), kT0 + 6, kT0 + 7, std::nullopt, "", "", "", {}, 0};
  REQUIRE(stores->sessions()
              .Create(bare, RefreshRecord{NewRefreshToken(random).hash, bare.id, 0, kT0 + 6, std::nullopt, "", ""})
              .ok());
  Result<Session> found_bare = stores->sessions().Find(bare.id);
  REQUIRE(found_bare.ok());
  RequireSameSession(*found_bare, bare);
}

STORE_TEST("sessions: Find of an absent session is not_found") {
  OPEN_STORES_OR_SKIP(stores);
  CHECK(stores->sessions().Find(Id(5, 404)).code() == Code::kNotFound);
  CHECK(stores->sessions().Find("").code() == Code::kNotFound);
}

STORE_TEST("sessions: Create refuses an unknown user and a duplicate id or token") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(3);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());

  SECTION("unknown user") {
    Session orphan{Id(5, 1), Id(1, 404), kT0, kT0, std::nullopt, "", "", "", {}, 0};
    const RefreshToken token = NewRefreshToken(random);
    CHECK_FALSE(sessions.Create(orphan, RefreshRecord{token.hash, orphan.id, 0, kT0, std::nullopt, "", ""}).ok());
    CHECK(sessions.Find(orphan.id).code() == Code::kNotFound);
    CHECK_FALSE(stores->RefreshTokenGeneration(token.hash).has_value());
  }
  SECTION("duplicate session id") {
    const LiveSession first = CreateSession(sessions, random, Id(1, 1), 1, kT0);
    Session again = first.session;
    again.created_at = again.last_used_at = kT0 + 99;
    const RefreshToken token = NewRefreshToken(random);
    CHECK_FALSE(sessions.Create(again, RefreshRecord{token.hash, again.id, 0, kT0, std::nullopt, "", ""}).ok());
    Result<Session> found = sessions.Find(first.session.id);
    REQUIRE(found.ok());
    RequireSameSession(*found, first.session);
    // All or nothing: the token of the refused session was not stored either.
    CHECK_FALSE(stores->RefreshTokenGeneration(token.hash).has_value());
  }
  SECTION("duplicate first token: the session is not created either") {
    const LiveSession first = CreateSession(sessions, random, Id(1, 1), 1, kT0);
    Session second{Id(5, 2), Id(1, 1), kT0, kT0, std::nullopt, "", "", "", {}, 0};
    CHECK_FALSE(sessions.Create(second, RefreshRecord{first.token.hash, second.id, 0, kT0, std::nullopt, "", ""}).ok());
    CHECK(sessions.Find(second.id).code() == Code::kNotFound);
  }
}

STORE_TEST("sessions: Rotate of an unknown token is refresh_token_invalid without asking the plan") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(4);
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(stores->sessions(), random, Id(1, 1), 1, kT0);

  for (const std::string& hash : {NewRefreshToken(random).hash, std::string(), live.token.token}) {
    int plan_calls = 0;
    Result<RotationOutcome> outcome =
        RotateWith(stores->sessions(), hash, kT0 + 1, RotationPlan{{RefreshAction::kRotate}, {}, "", ""}, &plan_calls);
    CHECK(outcome.code() == Code::kRefreshTokenInvalid);
    CHECK(plan_calls == 0);
  }
  Result<Session> found = stores->sessions().Find(live.session.id);
  REQUIRE(found.ok());
  RequireSameSession(*found, live.session);
}

STORE_TEST("sessions: kRotate stores the successor and marks the parent used") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(5);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  const std::int64_t t1 = kT0 + 60;

  const Rotation first = RotateWithCore(sessions, live.token, t1, random);
  REQUIRE(first.outcome.ok());
  CHECK(first.plan_calls == 1);
  // What the plan was told about a fresh token.
  CHECK_FALSE(first.state.session_revoked);
  CHECK(first.state.session_created_at == kT0);
  CHECK(first.state.session_last_used_at == kT0);
  CHECK_FALSE(first.state.token_used);
  CHECK(first.state.token_used_at == 0);
  CHECK_FALSE(first.state.successor_is_current);
  // What the store did.
  const RotationOutcome& outcome = *first.outcome;
  CHECK(outcome.decision.action == RefreshAction::kRotate);
  CHECK(outcome.decision.code == Code::kOk);
  CHECK(outcome.sealed_successor == first.plan.sealed);
  CHECK(outcome.session.id == live.session.id);
  CHECK(outcome.session.user_id == live.session.user_id);
  CHECK(outcome.session.last_used_at == t1);
  CHECK_FALSE(outcome.session.revoked_at.has_value());
  Result<std::string> opened = OpenSuccessor(live.token.token, outcome.sealed_successor);
  REQUIRE(opened.ok());
  CHECK(*opened == first.successor_token);

  const RefreshToken successor = Token(first.successor_token);
  CHECK(stores->RefreshTokenGeneration(live.token.hash) == std::optional<std::int64_t>(0));
  CHECK(stores->RefreshTokenGeneration(successor.hash) == std::optional<std::int64_t>(1));
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK(found->last_used_at == t1);
  CHECK(found->created_at == kT0);
  CHECK_FALSE(found->revoked_at.has_value());

  // The successor belongs to the same session and rotates in turn: generation 2.
  const std::int64_t t2 = t1 + 60;
  const Rotation second = RotateWithCore(sessions, successor, t2, random);
  REQUIRE(second.outcome.ok());
  CHECK(second.outcome->decision.action == RefreshAction::kRotate);
  CHECK(second.outcome->session.id == live.session.id);
  CHECK(second.state.session_last_used_at == t1);
  CHECK(second.state.session_created_at == kT0);
  CHECK_FALSE(second.state.token_used);
  CHECK(stores->RefreshTokenGeneration(Token(second.successor_token).hash) == std::optional<std::int64_t>(2));

  // The parent, presented again, is reported used at t1 with a successor that is no longer current.
  const Rotation parent_again = RotateWithCore(sessions, live.token, t2 + 1, random);
  REQUIRE(parent_again.outcome.ok());
  CHECK(parent_again.state.token_used);
  CHECK(parent_again.state.token_used_at == t1);
  CHECK_FALSE(parent_again.state.successor_is_current);
  CHECK(parent_again.state.session_last_used_at == t2);
}

STORE_TEST("sessions: kReturnSuccessor hands back the parent's stored sealed box and changes nothing") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(6);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  const std::int64_t t1 = kT0 + 100;
  const Rotation first = RotateWithCore(sessions, live.token, t1, random);
  REQUIRE(first.outcome.ok());
  REQUIRE(first.outcome->decision.action == RefreshAction::kRotate);

  // A second tab presents the same token 3 s later: within the reuse interval.
  const Rotation concurrent = RotateWithCore(sessions, live.token, t1 + 3, random);
  REQUIRE(concurrent.outcome.ok());
  CHECK(concurrent.state.token_used);
  CHECK(concurrent.state.token_used_at == t1);
  CHECK(concurrent.state.successor_is_current);
  CHECK_FALSE(concurrent.state.session_revoked);
  CHECK(concurrent.state.session_last_used_at == t1);
  CHECK(concurrent.outcome->decision.action == RefreshAction::kReturnSuccessor);
  CHECK(concurrent.outcome->sealed_successor == first.plan.sealed);
  CHECK(concurrent.outcome->session.id == live.session.id);
  Result<std::string> opened = OpenSuccessor(live.token.token, concurrent.outcome->sealed_successor);
  REQUIRE(opened.ok());
  CHECK(*opened == first.successor_token);

  // Handing back did not move the parent's used_at: the interval cannot be stretched.
  const Rotation third = RotateWithCore(sessions, live.token, t1 + 9, random);
  REQUIRE(third.outcome.ok());
  CHECK(third.state.token_used_at == t1);
  CHECK(third.outcome->decision.action == RefreshAction::kReturnSuccessor);
  CHECK(third.outcome->sealed_successor == first.plan.sealed);
  // No second successor was created: the one issued is still generation 1 and current.
  CHECK(stores->RefreshTokenGeneration(Token(first.successor_token).hash) == std::optional<std::int64_t>(1));
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK_FALSE(found->revoked_at.has_value());

  // The successor itself still rotates normally.
  const Rotation next = RotateWithCore(sessions, Token(first.successor_token), t1 + 10, random);
  REQUIRE(next.outcome.ok());
  CHECK(next.outcome->decision.action == RefreshAction::kRotate);
}

STORE_TEST("sessions: kRevokeSession revokes the session with its reason") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(7);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  const LiveSession other = CreateSession(sessions, random, Id(1, 1), 2, kT0 + 1);
  const std::int64_t t1 = kT0 + 100;
  const Rotation first = RotateWithCore(sessions, live.token, t1, random);
  REQUIRE(first.outcome.ok());

  // The parent comes back after the reuse interval: theft.
  const std::int64_t t2 = t1 + 3600;
  const Rotation reuse = RotateWithCore(sessions, live.token, t2, random);
  REQUIRE(reuse.outcome.ok());
  CHECK(reuse.state.token_used);
  CHECK(reuse.state.successor_is_current);
  CHECK(reuse.outcome->decision.action == RefreshAction::kRevokeSession);
  CHECK(reuse.outcome->decision.code == Code::kRefreshTokenReused);
  CHECK(reuse.outcome->session.id == live.session.id);
  CHECK(reuse.outcome->session.revoked_at == std::optional<std::int64_t>(t2));
  CHECK(reuse.outcome->session.revoked_reason == "refresh_token_reused");
  CHECK(reuse.outcome->sealed_successor.empty());

  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK(found->revoked_at == std::optional<std::int64_t>(t2));
  CHECK(found->revoked_reason == "refresh_token_reused");
  Result<std::vector<Session>> active = sessions.ListActive(Id(1, 1));
  REQUIRE(active.ok());
  CHECK(SessionIds(*active) == std::vector<std::string>{other.session.id});

  // Every token of the session now meets a revoked session; nothing changes any more.
  for (const RefreshToken& token : {live.token, Token(first.successor_token)}) {
    const Rotation after = RotateWithCore(sessions, token, t2 + 5, random);
    REQUIRE(after.outcome.ok());
    CHECK(after.state.session_revoked);
    CHECK(after.outcome->decision.action == RefreshAction::kReject);
    CHECK(after.outcome->decision.code == Code::kSessionRevoked);
  }
  Result<Session> still = sessions.Find(live.session.id);
  REQUIRE(still.ok());
  CHECK(still->revoked_at == std::optional<std::int64_t>(t2));
  CHECK(still->revoked_reason == "refresh_token_reused");
  CHECK(still->last_used_at == t1);
}

STORE_TEST("sessions: a reuse of an older generation revokes the session") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(8);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  const Rotation first = RotateWithCore(sessions, live.token, kT0 + 10, random);
  REQUIRE(first.outcome.ok());
  const Rotation second = RotateWithCore(sessions, Token(first.successor_token), kT0 + 11, random);
  REQUIRE(second.outcome.ok());
  REQUIRE(second.outcome->decision.action == RefreshAction::kRotate);

  // Within the interval of the first use, but its successor has moved on.
  const Rotation reuse = RotateWithCore(sessions, live.token, kT0 + 12, random);
  REQUIRE(reuse.outcome.ok());
  CHECK_FALSE(reuse.state.successor_is_current);
  CHECK(reuse.outcome->decision.action == RefreshAction::kRevokeSession);
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK(found->revoked_at == std::optional<std::int64_t>(kT0 + 12));
  CHECK(found->revoked_reason == "refresh_token_reused");
}

STORE_TEST("sessions: kReject changes nothing") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(9);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);

  SECTION("an expired session, decided by core") {
    RefreshRules rules;
    const std::int64_t late = kT0 + rules.inactivity_seconds;
    const Rotation rejected = RotateWithCore(sessions, live.token, late, random, rules);
    REQUIRE(rejected.outcome.ok());
    CHECK(rejected.outcome->decision.action == RefreshAction::kReject);
    CHECK(rejected.outcome->decision.code == Code::kRefreshTokenExpired);
    CHECK(rejected.outcome->sealed_successor.empty());
    CHECK(rejected.outcome->session.id == live.session.id);
    CHECK_FALSE(rejected.outcome->session.revoked_at.has_value());
    CHECK(rejected.outcome->session.last_used_at == kT0);
  }
  SECTION("a plan that rejects even though it carries a successor and a reason") {
    const RefreshToken ignored = NewRefreshToken(random);
    RotationPlan plan{{RefreshAction::kReject, Code::kRefreshTokenExpired},
                      RefreshRecord{ignored.hash, live.session.id, 7, kT0 + 1, std::nullopt, "", ""},
                      SealSuccessor(live.token.token, ignored.token, random),
                      "should_not_be_recorded"};
    Result<RotationOutcome> outcome = RotateWith(sessions, live.token.hash, kT0 + 1, plan);
    REQUIRE(outcome.ok());
    CHECK(outcome->decision.action == RefreshAction::kReject);
    CHECK(outcome->decision.code == Code::kRefreshTokenExpired);
    CHECK(outcome->sealed_successor.empty());
    CHECK_FALSE(stores->RefreshTokenGeneration(ignored.hash).has_value());
  }

  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  RequireSameSession(*found, live.session);
  // The token is as fresh as before: the next use is a first use.
  const Rotation after = RotateWithCore(sessions, live.token, kT0 + 2, random);
  REQUIRE(after.outcome.ok());
  CHECK_FALSE(after.state.token_used);
  CHECK(after.state.session_last_used_at == kT0);
  CHECK(after.outcome->decision.action == RefreshAction::kRotate);
}

STORE_TEST("sessions: concurrent uses of one token rotate once and share the successor") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(10);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);

  constexpr int kTabs = 8;
  std::vector<Rotation> results(kTabs);
  std::latch start(kTabs);
  std::vector<std::thread> tabs;
  for (int i = 0; i < kTabs; ++i) {
    tabs.emplace_back([&, i] {
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = RotateWithCore(sessions, live.token, kT0 + 50, random);
    });
  }
  for (std::thread& tab : tabs) tab.join();

  int rotated = 0;
  int handed_back = 0;
  std::string issued;
  std::set<std::string> sealed;
  for (const Rotation& r : results) {
    REQUIRE(r.outcome.ok());
    if (r.outcome->decision.action == RefreshAction::kRotate) {
      ++rotated;
      issued = r.successor_token;
    }
    if (r.outcome->decision.action == RefreshAction::kReturnSuccessor) ++handed_back;
    sealed.insert(r.outcome->sealed_successor);
  }
  CHECK(rotated == 1);
  CHECK(handed_back == kTabs - 1);
  REQUIRE(sealed.size() == 1);
  Result<std::string> opened = OpenSuccessor(live.token.token, *sealed.begin());
  REQUIRE(opened.ok());
  CHECK(*opened == issued);
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK_FALSE(found->revoked_at.has_value());
}

STORE_TEST("sessions: SetAuthentication records new methods and time on a live session only") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(12);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  REQUIRE(sessions.SetAuthentication(live.session.id, {"pwd", "otp"}, kT0 + 30).ok());
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK(found->amr == std::vector<std::string>{"pwd", "otp"});
  CHECK(found->auth_time == kT0 + 30);
  CHECK(found->created_at == live.session.created_at);

  CHECK(sessions.SetAuthentication(Id(5, 404), {"pwd"}, kT0).code() == Code::kNotFound);
  REQUIRE(sessions.Revoke(live.session.id, kT0 + 40, "logout").ok());
  CHECK(sessions.SetAuthentication(live.session.id, {"pwd"}, kT0 + 50).code() == Code::kNotFound);
  CHECK(sessions.Find(live.session.id)->auth_time == kT0 + 30);
}

STORE_TEST("sessions: Revoke records time and reason once") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(11);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  const LiveSession live = CreateSession(sessions, random, Id(1, 1), 1, kT0);
  const LiveSession other = CreateSession(sessions, random, Id(1, 1), 2, kT0);

  REQUIRE(sessions.Revoke(live.session.id, kT0 + 30, "logout").ok());
  Result<Session> found = sessions.Find(live.session.id);
  REQUIRE(found.ok());
  CHECK(found->revoked_at == std::optional<std::int64_t>(kT0 + 30));
  CHECK(found->revoked_reason == "logout");
  CHECK(found->user_agent == live.session.user_agent);

  // A second revocation does not overwrite the first (its status is not part of the contract).
  (void)sessions.Revoke(live.session.id, kT0 + 40, "revoked_by_user");
  Result<Session> again = sessions.Find(live.session.id);
  REQUIRE(again.ok());
  CHECK(again->revoked_at == std::optional<std::int64_t>(kT0 + 30));
  CHECK(again->revoked_reason == "logout");

  CHECK(sessions.Revoke(Id(5, 404), kT0 + 50, "logout").code() == Code::kNotFound);
  Result<Session> untouched = sessions.Find(other.session.id);
  REQUIRE(untouched.ok());
  RequireSameSession(*untouched, other.session);

  // Its refresh token now meets a revoked session.
  const Rotation after = RotateWithCore(sessions, live.token, kT0 + 60, random);
  REQUIRE(after.outcome.ok());
  CHECK(after.state.session_revoked);
  CHECK(after.outcome->decision.code == Code::kSessionRevoked);
}

STORE_TEST("sessions: RevokeAllForUser with and without keep returns how many it revoked") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(12);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  REQUIRE(stores->users().Insert(MakeUser(2, kT0)).ok());
  const LiveSession a = CreateSession(sessions, random, Id(1, 1), 1, kT0 + 1);
  const LiveSession b = CreateSession(sessions, random, Id(1, 1), 2, kT0 + 2);
  const LiveSession c = CreateSession(sessions, random, Id(1, 1), 3, kT0 + 3);
  const LiveSession old = CreateSession(sessions, random, Id(1, 1), 4, kT0 + 4);
  const LiveSession foreign = CreateSession(sessions, random, Id(1, 2), 5, kT0 + 5);
  REQUIRE(sessions.Revoke(old.session.id, kT0 + 10, "logout").ok());

  Result<std::int64_t> revoked =
      sessions.RevokeAllForUser(Id(1, 1), kT0 + 20, "password_changed", std::optional<std::string_view>(b.session.id));
  REQUIRE(revoked.ok());
  CHECK(*revoked == 2);
  for (const LiveSession* s : {&a, &c}) {
    Result<Session> found = sessions.Find(s->session.id);
    REQUIRE(found.ok());
    CHECK(found->revoked_at == std::optional<std::int64_t>(kT0 + 20));
    CHECK(found->revoked_reason == "password_changed");
  }
  Result<Session> kept = sessions.Find(b.session.id);
  REQUIRE(kept.ok());
  CHECK_FALSE(kept->revoked_at.has_value());
  // An earlier revocation keeps its own time and reason.
  Result<Session> earlier = sessions.Find(old.session.id);
  REQUIRE(earlier.ok());
  CHECK(earlier->revoked_at == std::optional<std::int64_t>(kT0 + 10));
  CHECK(earlier->revoked_reason == "logout");

  Result<std::int64_t> rest = sessions.RevokeAllForUser(Id(1, 1), kT0 + 30, "user_disabled", std::nullopt);
  REQUIRE(rest.ok());
  CHECK(*rest == 1);
  Result<Session> last = sessions.Find(b.session.id);
  REQUIRE(last.ok());
  CHECK(last->revoked_at == std::optional<std::int64_t>(kT0 + 30));
  CHECK(last->revoked_reason == "user_disabled");

  Result<std::int64_t> none = sessions.RevokeAllForUser(Id(1, 1), kT0 + 40, "logout", std::nullopt);
  REQUIRE(none.ok());
  CHECK(*none == 0);
  Result<std::int64_t> unknown = sessions.RevokeAllForUser(Id(1, 404), kT0 + 40, "logout", std::nullopt);
  REQUIRE(unknown.ok());
  CHECK(*unknown == 0);

  // Another user's session is never touched.
  Result<Session> other = sessions.Find(foreign.session.id);
  REQUIRE(other.ok());
  RequireSameSession(*other, foreign.session);
}

STORE_TEST("sessions: RevokeAllForUser keeping a session of another user revokes all of this user's") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(13);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  REQUIRE(stores->users().Insert(MakeUser(2, kT0)).ok());
  CreateSession(sessions, random, Id(1, 1), 1, kT0 + 1);
  CreateSession(sessions, random, Id(1, 1), 2, kT0 + 2);
  const LiveSession foreign = CreateSession(sessions, random, Id(1, 2), 3, kT0 + 3);
  Result<std::int64_t> revoked =
      sessions.RevokeAllForUser(Id(1, 1), kT0 + 20, "logout", std::optional<std::string_view>(foreign.session.id));
  REQUIRE(revoked.ok());
  CHECK(*revoked == 2);
  Result<Session> other = sessions.Find(foreign.session.id);
  REQUIRE(other.ok());
  CHECK_FALSE(other->revoked_at.has_value());
}

STORE_TEST("sessions: ListActive lists the user's unrevoked sessions newest first") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(14);
  SessionStore& sessions = stores->sessions();
  REQUIRE(stores->users().Insert(MakeUser(1, kT0)).ok());
  REQUIRE(stores->users().Insert(MakeUser(2, kT0)).ok());
  Result<std::vector<Session>> empty = sessions.ListActive(Id(1, 1));
  REQUIRE(empty.ok());
  CHECK(empty->empty());

  // Created out of order; the order comes from created_at.
  const LiveSession s2 = CreateSession(sessions, random, Id(1, 1), 2, kT0 + 200);
  const LiveSession s1 = CreateSession(sessions, random, Id(1, 1), 1, kT0 + 100);
  const LiveSession s4 = CreateSession(sessions, random, Id(1, 1), 4, kT0 + 400);
  const LiveSession s3 = CreateSession(sessions, random, Id(1, 1), 3, kT0 + 300);
  CreateSession(sessions, random, Id(1, 2), 5, kT0 + 500);
  REQUIRE(sessions.Revoke(s3.session.id, kT0 + 600, "logout").ok());
  // Using a session (last_used_at) does not reorder the list.
  REQUIRE(RotateWithCore(sessions, s1.token, kT0 + 700, random).outcome.ok());

  Result<std::vector<Session>> active = sessions.ListActive(Id(1, 1));
  REQUIRE(active.ok());
  CHECK(SessionIds(*active) == std::vector<std::string>{s4.session.id, s2.session.id, s1.session.id});
  REQUIRE(active->size() == 3);
  RequireSameSession((*active)[0], s4.session);
  CHECK((*active)[2].last_used_at == kT0 + 700);
  for (const Session& session : *active) CHECK_FALSE(session.revoked_at.has_value());

  Result<std::vector<Session>> unknown = sessions.ListActive(Id(1, 404));
  REQUIRE(unknown.ok());
  CHECK(unknown->empty());
}

// ===========================================================================
// KeyStore

SigningKeyRecord MakeKey(std::string kid, std::int64_t created_at, std::optional<std::int64_t> retired_at = {}) {
  return SigningKeyRecord{kid, R"({"kty":"OKP","crv":"Ed25519","kid":")" + kid + R"(","x":"eA","d":"ZA"})", created_at,
                          retired_at};
}

std::vector<std::string> Kids(const std::vector<SigningKeyRecord>& keys) {
  std::vector<std::string> kids;
  for (const SigningKeyRecord& key : keys) kids.push_back(key.kid);
  return kids;
}

Credential MakeCredential(int n, const std::string& user_id, std::string_view type, std::string identifier,
                          std::string secret, std::int64_t at) {
  return Credential{Id(7, n), user_id, std::string(type), std::move(identifier), std::move(secret), at, at};
}

void RequireSameCredential(const Credential& a, const Credential& b) {
  CHECK(a.id == b.id);
  CHECK(a.user_id == b.user_id);
  CHECK(a.type == b.type);
  CHECK(a.identifier == b.identifier);
  CHECK(a.secret == b.secret);
  CHECK(a.created_at == b.created_at);
  CHECK(a.updated_at == b.updated_at);
}

STORE_TEST("credentials: Put, find by user and type, by identifier, list, delete") {
  OPEN_STORES_OR_SKIP(stores);
  CredentialStore& credentials = stores->credentials();
  const User alice = MakeUser(1, kT0), bob = MakeUser(2, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  REQUIRE(stores->users().Insert(bob).ok());
  const Credential password = MakeCredential(1, alice.id, credential_type::kPassword, alice.id, "$argon2id$one", kT0);
  const Credential oidc = MakeCredential(2, alice.id, credential_type::kOidc, "google:123", "{}", kT0 + 1);
  REQUIRE(credentials.Put(password).ok());
  REQUIRE(credentials.Put(oidc).ok());

  Result<Credential> found = credentials.FindForUser(alice.id, credential_type::kPassword);
  REQUIRE(found.ok());
  RequireSameCredential(*found, password);
  Result<Credential> by_identifier = credentials.FindByIdentifier(credential_type::kOidc, "google:123");
  REQUIRE(by_identifier.ok());
  RequireSameCredential(*by_identifier, oidc);
  CHECK(credentials.FindForUser(bob.id, credential_type::kPassword).code() == Code::kNotFound);
  CHECK(credentials.FindByIdentifier(credential_type::kPassword, "google:123").code() == Code::kNotFound);
  Result<std::vector<Credential>> listed = credentials.ListForUser(alice.id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].id == password.id);  // oldest first
  CHECK((*listed)[1].id == oidc.id);
  CHECK(credentials.ListForUser(bob.id)->empty());

  REQUIRE(credentials.Delete(oidc.id).ok());
  CHECK(credentials.Delete(oidc.id).code() == Code::kNotFound);
  CHECK(credentials.FindByIdentifier(credential_type::kOidc, "google:123").code() == Code::kNotFound);
}

STORE_TEST("credentials: Put replaces the secret of the same type and identifier, keeping id and created_at") {
  OPEN_STORES_OR_SKIP(stores);
  CredentialStore& credentials = stores->credentials();
  const User alice = MakeUser(1, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  REQUIRE(credentials.Put(MakeCredential(1, alice.id, credential_type::kPassword, alice.id, "old", kT0)).ok());
  REQUIRE(credentials.Put(MakeCredential(9, alice.id, credential_type::kPassword, alice.id, "new", kT0 + 5)).ok());
  Result<std::vector<Credential>> listed = credentials.ListForUser(alice.id);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].id == Id(7, 1));
  CHECK((*listed)[0].secret == "new");
  CHECK((*listed)[0].created_at == kT0);
  CHECK((*listed)[0].updated_at == kT0 + 5);
}

STORE_TEST("credentials: another user's identifier is refused and left alone") {
  OPEN_STORES_OR_SKIP(stores);
  CredentialStore& credentials = stores->credentials();
  const User alice = MakeUser(1, kT0), bob = MakeUser(2, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  REQUIRE(stores->users().Insert(bob).ok());
  REQUIRE(credentials.Put(MakeCredential(1, alice.id, credential_type::kOidc, "github:42", "alice", kT0)).ok());
  CHECK_FALSE(credentials.Put(MakeCredential(2, bob.id, credential_type::kOidc, "github:42", "bob", kT0 + 1)).ok());
  Result<Credential> kept = credentials.FindByIdentifier(credential_type::kOidc, "github:42");
  REQUIRE(kept.ok());
  CHECK(kept->user_id == alice.id);
  CHECK(kept->secret == "alice");
  // A credential needs a user that exists.
  CHECK_FALSE(credentials.Put(MakeCredential(3, Id(1, 404), credential_type::kPassword, Id(1, 404), "x", kT0)).ok());
}

STORE_TEST("credentials: deleting a user deletes their credentials") {
  OPEN_STORES_OR_SKIP(stores);
  const User alice = MakeUser(1, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  REQUIRE(stores->credentials().Put(MakeCredential(1, alice.id, credential_type::kPassword, alice.id, "h", kT0)).ok());
  REQUIRE(stores->users().Delete(alice.id).ok());
  CHECK(stores->credentials().ListForUser(alice.id)->empty());
  CHECK(stores->credentials().FindByIdentifier(credential_type::kPassword, alice.id).code() == Code::kNotFound);
}

STORE_TEST("credentials: a Put inside a failing unit of work leaves nothing") {
  OPEN_STORES_OR_SKIP(stores);
  const User alice = MakeUser(1, kT0);
  const Status done = stores->units().Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(stores->users().Insert(alice));
    LATCHKEY_RETURN_IF_ERROR(
        stores->credentials().Put(MakeCredential(1, alice.id, credential_type::kPassword, alice.id, "h", kT0)));
    return Code::kInternal;
  });
  CHECK(done.code() == Code::kInternal);
  CHECK(stores->users().FindById(alice.id).code() == Code::kNotFound);
  CHECK(stores->credentials().ListForUser(alice.id)->empty());
}

STORE_TEST("credentials: ReplaceSecret swaps only the expected secret, once among concurrent callers") {
  OPEN_STORES_OR_SKIP(stores);
  CredentialStore& credentials = stores->credentials();
  const User alice = MakeUser(1, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  const Credential totp = MakeCredential(1, alice.id, credential_type::kTotp, Id(7, 1), "step=1", kT0);
  REQUIRE(credentials.Put(totp).ok());

  Result<bool> stale = credentials.ReplaceSecret(totp.id, "step=0", "step=2", kT0 + 1);
  REQUIRE(stale.ok());
  CHECK_FALSE(*stale);
  CHECK(credentials.FindByIdentifier(credential_type::kTotp, Id(7, 1))->secret == "step=1");

  constexpr int kCallers = 8;
  std::vector<int> won(kCallers, 0);
  std::latch start(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      Result<bool> swapped = credentials.ReplaceSecret(totp.id, "step=1", "step=" + std::to_string(10 + i), kT0 + 2);
      won[static_cast<std::size_t>(i)] = swapped.ok() && *swapped ? 1 : 0;
    });
  }
  for (std::thread& caller : callers) caller.join();
  CHECK(std::count(won.begin(), won.end(), 1) == 1);
  Result<Credential> after = credentials.FindByIdentifier(credential_type::kTotp, Id(7, 1));
  REQUIRE(after.ok());
  CHECK(after->secret != "step=1");
  CHECK(after->updated_at == kT0 + 2);
  Result<bool> gone = credentials.ReplaceSecret(Id(7, 404), "step=1", "x", kT0);
  REQUIRE(gone.ok());
  CHECK_FALSE(*gone);
}

STORE_TEST("one-time tokens: the flow's data comes back from Find and Consume, and Consume is once") {
  OPEN_STORES_OR_SKIP(stores);
  OneTimeTokenStore& tokens = stores->one_time_tokens();
  const User alice = MakeUser(1, kT0);
  REQUIRE(stores->users().Insert(alice).ok());
  const OneTimeToken issued{std::string(64, 'a'), alice.id, std::string(token_purpose::kMfaChallenge),
                            alice.email,          kT0,      kT0 + 300,
                            R"({"amr":["pwd"]})"};
  REQUIRE(tokens.Issue(issued).ok());
  Result<OneTimeToken> found = tokens.Find(issued.token_hash, kT0 + 1);
  REQUIRE(found.ok());
  CHECK(found->data == issued.data);
  CHECK(tokens.Consume(issued.token_hash, token_purpose::kReset, kT0 + 1).code() == Code::kNotFound);
  Result<OneTimeToken> taken = tokens.Consume(issued.token_hash, token_purpose::kMfaChallenge, kT0 + 2);
  REQUIRE(taken.ok());
  CHECK(taken->data == issued.data);
  CHECK(taken->user_id == alice.id);
  CHECK(tokens.Consume(issued.token_hash, token_purpose::kMfaChallenge, kT0 + 3).code() == Code::kNotFound);
  // Expired at its expiry second.
  REQUIRE(tokens.Issue(issued).ok());
  CHECK(tokens.Consume(issued.token_hash, token_purpose::kMfaChallenge, kT0 + 300).code() == Code::kNotFound);
}

STORE_TEST("oauth flows: taken once, only with their kind, never after expiry, and swept") {
  OPEN_STORES_OR_SKIP(stores);
  OAuthFlowStore& flows = stores->oauth_flows();
  const OAuthFlow state{std::string(64, 's'), std::string(flow_kind::kState), R"({"provider":"google"})", kT0,
                        kT0 + 600};
  REQUIRE(flows.Put(state).ok());
  CHECK(flows.Put(state).code() != Code::kOk);  // a hash is stored once
  CHECK(flows.Consume(state.flow_hash, flow_kind::kCode, kT0 + 1).code() == Code::kNotFound);
  Result<OAuthFlow> taken = flows.Consume(state.flow_hash, flow_kind::kState, kT0 + 1);
  REQUIRE(taken.ok());
  CHECK(taken->data == state.data);
  CHECK(taken->expires_at == kT0 + 600);
  CHECK(flows.Consume(state.flow_hash, flow_kind::kState, kT0 + 2).code() == Code::kNotFound);

  const OAuthFlow code{std::string(64, 'c'), std::string(flow_kind::kCode), "{}", kT0, kT0 + 120};
  REQUIRE(flows.Put(code).ok());
  CHECK(flows.Consume(code.flow_hash, flow_kind::kCode, kT0 + 120).code() == Code::kNotFound);  // expired at its second
  Result<std::int64_t> swept = flows.DeleteExpired(kT0 + 120);
  REQUIRE(swept.ok());
  CHECK(*swept == 1);

  // Of many concurrent takers of one flow, exactly one gets it.
  const OAuthFlow contested{std::string(64, 'x'), std::string(flow_kind::kCode), "{}", kT0, kT0 + 120};
  REQUIRE(flows.Put(contested).ok());
  std::vector<int> won(8, 0);
  std::vector<std::thread> takers;
  for (int i = 0; i < 8; ++i) {
    takers.emplace_back(
        [&, i] { won[i] = flows.Consume(contested.flow_hash, flow_kind::kCode, kT0 + 1).ok() ? 1 : 0; });
  }
  for (std::thread& taker : takers) taker.join();
  CHECK(std::count(won.begin(), won.end(), 1) == 1);
}

STORE_TEST("store set: Ping answers") {
  OPEN_STORES_OR_SKIP(stores);
  CHECK(stores->Ping().ok());
}

STORE_TEST("keys: Insert then ListAll returns every field oldest first") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  Result<std::vector<SigningKeyRecord>> none = keys.ListAll();
  REQUIRE(none.ok());
  CHECK(none->empty());

  REQUIRE(keys.Insert(MakeKey("kid-b", kT0 + 200)).ok());
  REQUIRE(keys.Insert(MakeKey("kid-a", kT0 + 100, kT0 + 150)).ok());
  REQUIRE(keys.Insert(MakeKey("kid-c", kT0 + 300)).ok());

  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  CHECK(Kids(*all) == std::vector<std::string>{"kid-a", "kid-b", "kid-c"});
  REQUIRE(all->size() == 3);
  const SigningKeyRecord expected = MakeKey("kid-a", kT0 + 100, kT0 + 150);
  CHECK((*all)[0].private_jwk == expected.private_jwk);
  CHECK((*all)[0].created_at == expected.created_at);
  CHECK((*all)[0].retired_at == expected.retired_at);
  CHECK_FALSE((*all)[1].retired_at.has_value());
}

STORE_TEST("keys: a duplicate kid is refused and the first key kept") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  REQUIRE(keys.Insert(MakeKey("kid-a", kT0)).ok());
  SigningKeyRecord again = MakeKey("kid-a", kT0 + 1);
  again.private_jwk = "{}";
  CHECK_FALSE(keys.Insert(again).ok());
  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK((*all)[0].private_jwk == MakeKey("kid-a", kT0).private_jwk);
}

STORE_TEST("keys: ReplacePrivateJwk changes only that key's text") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  REQUIRE(keys.Insert(MakeKey("kid-a", kT0)).ok());
  REQUIRE(keys.Insert(MakeKey("kid-b", kT0 + 1, kT0 + 2)).ok());
  REQUIRE(keys.ReplacePrivateJwk("kid-b", "enc:v1:wrapped").ok());
  CHECK(keys.ReplacePrivateJwk("kid-missing", "enc:v1:x").code() == Code::kNotFound);
  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].private_jwk == MakeKey("kid-a", kT0).private_jwk);
  CHECK((*all)[1].private_jwk == "enc:v1:wrapped");
  CHECK((*all)[1].created_at == kT0 + 1);
  CHECK((*all)[1].retired_at == std::optional<std::int64_t>(kT0 + 2));
}

STORE_TEST("keys: RetireAllExcept retires every active key but one") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  REQUIRE(keys.Insert(MakeKey("old", kT0, kT0 + 50)).ok());
  REQUIRE(keys.Insert(MakeKey("previous", kT0 + 100)).ok());
  REQUIRE(keys.Insert(MakeKey("other", kT0 + 150)).ok());
  REQUIRE(keys.Insert(MakeKey("current", kT0 + 200)).ok());

  REQUIRE(keys.RetireAllExcept("current", kT0 + 300).ok());
  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  REQUIRE(Kids(*all) == std::vector<std::string>{"old", "previous", "other", "current"});
  CHECK((*all)[0].retired_at == std::optional<std::int64_t>(kT0 + 50));  // already retired: unchanged
  CHECK((*all)[1].retired_at == std::optional<std::int64_t>(kT0 + 300));
  CHECK((*all)[2].retired_at == std::optional<std::int64_t>(kT0 + 300));
  CHECK_FALSE((*all)[3].retired_at.has_value());

  // Idempotent; and keeping an unknown kid retires the rest.
  REQUIRE(keys.RetireAllExcept("current", kT0 + 400).ok());
  Result<std::vector<SigningKeyRecord>> same = keys.ListAll();
  REQUIRE(same.ok());
  CHECK((*same)[1].retired_at == std::optional<std::int64_t>(kT0 + 300));
  REQUIRE(keys.RetireAllExcept("no-such-kid", kT0 + 500).ok());
  Result<std::vector<SigningKeyRecord>> none_active = keys.ListAll();
  REQUIRE(none_active.ok());
  CHECK((*none_active)[3].retired_at == std::optional<std::int64_t>(kT0 + 500));
}

STORE_TEST("keys: InstallCurrent makes one current key, and only_if_none creates the first key once") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  // An empty store: the first caller's key is stored, the second's is not.
  Result<bool> first = keys.InstallCurrent(MakeKey("first", kT0), /*only_if_none=*/true);
  REQUIRE(first.ok());
  CHECK(*first);
  Result<bool> second = keys.InstallCurrent(MakeKey("second", kT0 + 1), /*only_if_none=*/true);
  REQUIRE(second.ok());
  CHECK_FALSE(*second);
  Result<std::vector<SigningKeyRecord>> one = keys.ListAll();
  REQUIRE(one.ok());
  CHECK(Kids(*one) == std::vector<std::string>{"first"});

  // A rotation: the new key current, every other retired at its creation.
  Result<bool> rotated = keys.InstallCurrent(MakeKey("rotated", kT0 + 100), /*only_if_none=*/false);
  REQUIRE(rotated.ok());
  CHECK(*rotated);
  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  REQUIRE(Kids(*all) == std::vector<std::string>{"first", "rotated"});
  CHECK((*all)[0].retired_at == std::optional<std::int64_t>(kT0 + 100));
  CHECK_FALSE((*all)[1].retired_at.has_value());

  // Every key retired: only_if_none creates a new current one.
  REQUIRE(keys.RetireAllExcept("none", kT0 + 200).ok());
  Result<bool> again = keys.InstallCurrent(MakeKey("again", kT0 + 300), /*only_if_none=*/true);
  REQUIRE(again.ok());
  CHECK(*again);
  // A duplicate kid is refused, and nothing is retired by the refusal.
  CHECK_FALSE(keys.InstallCurrent(MakeKey("again", kT0 + 400), /*only_if_none=*/false).ok());
  Result<std::vector<SigningKeyRecord>> last = keys.ListAll();
  REQUIRE(last.ok());
  REQUIRE(last->size() == 3);
  CHECK_FALSE((*last)[2].retired_at.has_value());
}

STORE_TEST("keys: DeleteRetiredBefore forgets only keys retired strictly before the cutoff") {
  OPEN_STORES_OR_SKIP(stores);
  KeyStore& keys = stores->keys();
  REQUIRE(keys.Insert(MakeKey("gone", kT0, kT0 + 10)).ok());
  REQUIRE(keys.Insert(MakeKey("boundary", kT0 + 1, kT0 + 20)).ok());
  REQUIRE(keys.Insert(MakeKey("recent", kT0 + 2, kT0 + 30)).ok());
  REQUIRE(keys.Insert(MakeKey("old-but-active", kT0 - 1000)).ok());

  REQUIRE(keys.DeleteRetiredBefore(kT0 + 20).ok());
  Result<std::vector<SigningKeyRecord>> all = keys.ListAll();
  REQUIRE(all.ok());
  CHECK(Kids(*all) == std::vector<std::string>{"old-but-active", "boundary", "recent"});

  REQUIRE(keys.DeleteRetiredBefore(kT0 + 1'000'000).ok());
  Result<std::vector<SigningKeyRecord>> left = keys.ListAll();
  REQUIRE(left.ok());
  CHECK(Kids(*left) == std::vector<std::string>{"old-but-active"});
  REQUIRE(keys.DeleteRetiredBefore(kT0 + 1'000'000).ok());  // nothing to do is fine
}

// ===========================================================================
// MailStore

MailMessage MakeMail(const std::string& kind, const std::string& to) {
  return MailMessage{to, "Subject " + kind, "text with a link", "<p>html</p>", kind};
}

STORE_TEST("mail: added mails are claimed oldest first under a lease, retried later, removed when sent") {
  OPEN_STORES_OR_SKIP(stores);
  MailStore& mail = stores->mail();
  REQUIRE(mail.Add(MakeMail("password_reset", "a@example.com"), kT0).ok());
  REQUIRE(mail.Add(MakeMail("verify_email", "b@example.com"), kT0 + 1).ok());
  REQUIRE(mail.Add(MakeMail("password_changed", "c@example.com"), kT0 + 2).ok());
  CHECK(*mail.Count() == 3);

  Result<std::vector<QueuedMail>> first = mail.Claim(kT0 + 5, kT0 + 65, 2);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 2);
  const QueuedMail& reset = (*first)[0];
  CHECK(reset.message.kind == "password_reset");
  CHECK(reset.message.to == "a@example.com");
  CHECK(reset.message.subject == "Subject password_reset");
  CHECK(reset.message.text == "text with a link");
  CHECK(reset.message.html == "<p>html</p>");
  CHECK(reset.attempts == 0);
  CHECK((*first)[1].message.kind == "verify_email");

  // Leased: another claimer gets only the third, until the lease runs out.
  Result<std::vector<QueuedMail>> second = mail.Claim(kT0 + 6, kT0 + 66, 10);
  REQUIRE(second.ok());
  REQUIRE(second->size() == 1);
  CHECK((*second)[0].message.kind == "password_changed");
  Result<std::vector<QueuedMail>> none = mail.Claim(kT0 + 7, kT0 + 67, 10);
  REQUIRE(none.ok());
  CHECK(none->empty());

  // Sent: gone. Failed: due again later, with the attempt counted.
  REQUIRE(mail.Remove(reset.id).ok());
  REQUIRE(mail.Retry((*first)[1].id, kT0 + 100).ok());
  Result<std::vector<QueuedMail>> early = mail.Claim(kT0 + 50, kT0 + 110, 10);
  REQUIRE(early.ok());
  CHECK(early->empty());  // the retry is not due, the third is still leased
  Result<std::vector<QueuedMail>> later = mail.Claim(kT0 + 100, kT0 + 160, 10);
  REQUIRE(later.ok());
  REQUIRE(later->size() == 2);  // the retry, and the third whose lease ran out at kT0 + 66
  CHECK((*later)[0].message.kind == "verify_email");
  CHECK((*later)[0].attempts == 1);
  CHECK((*later)[1].message.kind == "password_changed");
  CHECK((*later)[1].attempts == 0);
  CHECK(*mail.Count() == 2);
}

// ===========================================================================
// AuditStore

AuditEvent MakeEvent(std::int64_t at, std::string event, std::optional<std::string> user_id,
                     std::optional<std::string> actor_id = std::nullopt) {
  AuditEvent e;
  e.at = at;
  e.event = std::move(event);
  e.user_id = std::move(user_id);
  e.actor_id = std::move(actor_id);
  return e;
}

std::vector<std::int64_t> EventIds(const AuditPage& page) {
  std::vector<std::int64_t> ids;
  for (const AuditEvent& e : page.events) ids.push_back(e.id);
  return ids;
}

STORE_TEST("audit: Append assigns increasing ids and keeps every field") {
  OPEN_STORES_OR_SKIP(stores);
  AuditStore& audit = stores->audit();
  AuditEvent full = MakeEvent(kT0, "role_changed", Id(1, 1), Id(1, 2));
  full.session_id = Id(5, 1);
  full.ip = "2001:db8::1";
  full.request_id = "0123456789abcdef01234567";
  full.detail = R"({"from":"user","to":"admin"})";
  AuditEvent bare = MakeEvent(kT0 + 1, "key_rotated", std::nullopt);

  REQUIRE(audit.Append(full).ok());
  REQUIRE(audit.Append(bare).ok());
  CHECK(full.id > 0);
  CHECK(bare.id > full.id);
  std::int64_t previous = bare.id;
  for (int i = 0; i < 5; ++i) {
    AuditEvent e = MakeEvent(kT0 + 2, "login", Id(1, 1));
    REQUIRE(audit.Append(e).ok());
    CHECK(e.id > previous);
    previous = e.id;
  }

  AuditQuery query;
  query.limit = 100;
  Result<AuditPage> page = audit.Query(query);
  REQUIRE(page.ok());
  CHECK(page->total == 7);
  REQUIRE(page->events.size() == 7);
  const AuditEvent& got_bare = page->events[5];
  const AuditEvent& got_full = page->events[6];
  CHECK(got_full.id == full.id);
  CHECK(got_full.at == full.at);
  CHECK(got_full.event == full.event);
  CHECK(got_full.user_id == full.user_id);
  CHECK(got_full.actor_id == full.actor_id);
  CHECK(got_full.session_id == full.session_id);
  CHECK(got_full.ip == full.ip);
  CHECK(got_full.request_id == full.request_id);
  CHECK(got_full.detail == full.detail);
  CHECK(got_bare.id == bare.id);
  CHECK_FALSE(got_bare.user_id.has_value());
  CHECK_FALSE(got_bare.actor_id.has_value());
  CHECK_FALSE(got_bare.session_id.has_value());
  CHECK(got_bare.ip.empty());
  CHECK(got_bare.request_id.empty());
  CHECK(got_bare.detail == "{}");
}

STORE_TEST("audit: Query filters alone and combined with paging newest first") {
  OPEN_STORES_OR_SKIP(stores);
  AuditStore& audit = stores->audit();
  const std::string alice = Id(1, 1);
  const std::string bob = Id(1, 2);
  std::vector<std::int64_t> id;  // id[n] for event n (1-based)
  id.push_back(0);
  for (AuditEvent e : {MakeEvent(kT0 + 100, "login", alice),                         // 1
                       MakeEvent(kT0 + 200, "login_failed", bob),                    // 2
                       MakeEvent(kT0 + 300, "login", bob),                           // 3
                       MakeEvent(kT0 + 400, "logout", alice),                        // 4
                       MakeEvent(kT0 + 500, "login", alice),                         // 5
                       MakeEvent(kT0 + 500, "key_rotated", std::nullopt, alice)}) {  // 6
    REQUIRE(audit.Append(e).ok());
    id.push_back(e.id);
  }
  auto run = [&audit](AuditQuery query) {
    Result<AuditPage> page = audit.Query(query);
    REQUIRE(page.ok());
    return page.value();
  };
  auto ids = [&id](std::initializer_list<int> ns) {
    std::vector<std::int64_t> out;
    for (const int n : ns) out.push_back(id[static_cast<std::size_t>(n)]);
    return out;
  };

  AuditQuery q;
  q.limit = 100;

  SECTION("no filter") {
    const AuditPage page = run(q);
    CHECK(page.total == 6);
    CHECK(EventIds(page) == ids({6, 5, 4, 3, 2, 1}));
  }
  SECTION("user_id alone (whom it concerns, not who did it)") {
    q.user_id = alice;
    const AuditPage page = run(q);
    CHECK(page.total == 3);
    CHECK(EventIds(page) == ids({5, 4, 1}));
  }
  SECTION("event alone") {
    q.event = "login";
    const AuditPage page = run(q);
    CHECK(page.total == 3);
    CHECK(EventIds(page) == ids({5, 3, 1}));
  }
  SECTION("since alone is inclusive") {
    q.since = kT0 + 300;
    const AuditPage page = run(q);
    CHECK(page.total == 4);
    CHECK(EventIds(page) == ids({6, 5, 4, 3}));
  }
  SECTION("until alone is exclusive") {
    q.until = kT0 + 300;
    const AuditPage page = run(q);
    CHECK(page.total == 2);
    CHECK(EventIds(page) == ids({2, 1}));
  }
  SECTION("since and until") {
    q.since = kT0 + 200;
    q.until = kT0 + 500;
    const AuditPage page = run(q);
    CHECK(page.total == 3);
    CHECK(EventIds(page) == ids({4, 3, 2}));
  }
  SECTION("user_id and event") {
    q.user_id = alice;
    q.event = "login";
    const AuditPage page = run(q);
    CHECK(page.total == 2);
    CHECK(EventIds(page) == ids({5, 1}));
  }
  SECTION("all four") {
    q.user_id = alice;
    q.event = "login";
    q.since = kT0 + 200;
    q.until = kT0 + 501;
    const AuditPage page = run(q);
    CHECK(page.total == 1);
    CHECK(EventIds(page) == ids({5}));
  }
  SECTION("filters that match nothing") {
    q.user_id = bob;
    q.event = "logout";
    const AuditPage page = run(q);
    CHECK(page.total == 0);
    CHECK(page.events.empty());
    AuditQuery unknown;
    unknown.event = "no_such_event";
    CHECK(run(unknown).total == 0);
    AuditQuery empty_range;
    empty_range.since = kT0 + 300;
    empty_range.until = kT0 + 300;
    CHECK(run(empty_range).total == 0);
  }
  SECTION("limit and offset, total of all pages") {
    q.limit = 2;
    q.offset = 0;
    AuditPage page = run(q);
    CHECK(page.total == 6);
    CHECK(EventIds(page) == ids({6, 5}));
    q.offset = 2;
    page = run(q);
    CHECK(page.total == 6);
    CHECK(EventIds(page) == ids({4, 3}));
    q.offset = 5;
    page = run(q);
    CHECK(EventIds(page) == ids({1}));
    q.offset = 6;
    page = run(q);
    CHECK(page.total == 6);
    CHECK(page.events.empty());
  }
  SECTION("paging within a filter") {
    q.event = "login";
    q.limit = 1;
    q.offset = 1;
    const AuditPage page = run(q);
    CHECK(page.total == 3);
    CHECK(EventIds(page) == ids({3}));
  }
}

STORE_TEST("audit: Query of an empty log is empty") {
  OPEN_STORES_OR_SKIP(stores);
  Result<AuditPage> page = stores->audit().Query(AuditQuery{});
  REQUIRE(page.ok());
  CHECK(page->total == 0);
  CHECK(page->events.empty());
}

// ===========================================================================
// SQLite only: the database file itself.

std::int64_t CountRows(storage::Database& db, const char* sql) {
  auto connection = db.Acquire();
  storage::Statement query = connection->Prepare(sql);
  std::int64_t n = -1;
  if (query.Next()) n = query.Int(0);
  REQUIRE(query.status().ok());
  return n;
}

// ===========================================================================
// UnitOfWork

std::int64_t CountEvents(AuditStore& audit) {
  AuditQuery query;
  query.limit = 1;
  Result<AuditPage> page = audit.Query(query);
  REQUIRE(page.ok());
  return page->total;
}

STORE_TEST("unit of work: writes to several stores commit together") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(41);
  User user = MakeUser(1, kT0);
  LiveSession live;
  const Status done = stores->units().Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(stores->users().Insert(user));
    live = CreateSession(stores->sessions(), random, user.id, 1, kT0);  // a store transaction, nested
    AuditEvent e = MakeEvent(kT0, "signup", user.id);
    return stores->audit().Append(e);
  });
  REQUIRE(done.ok());
  CHECK(stores->users().FindById(user.id).ok());
  CHECK(stores->sessions().Find(live.session.id).ok());
  CHECK(CountEvents(stores->audit()) == 1);
}

STORE_TEST("unit of work: a failing unit leaves no trace in any store") {
  OPEN_STORES_OR_SKIP(stores);
  TestRandom random(42);
  User user = MakeUser(1, kT0);
  LiveSession live;
  const Status done = stores->units().Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(stores->users().Insert(user));
    live = CreateSession(stores->sessions(), random, user.id, 1, kT0);
    AuditEvent e = MakeEvent(kT0, "signup", user.id);
    LATCHKEY_RETURN_IF_ERROR(stores->audit().Append(e));
    return Code::kEmailTaken;  // any refusal after the writes
  });
  CHECK(done.code() == Code::kEmailTaken);
  CHECK(stores->users().FindById(user.id).code() == Code::kNotFound);
  CHECK_FALSE(stores->sessions().Find(live.session.id).ok());
  CHECK(CountEvents(stores->audit()) == 0);
  // The store is usable afterwards, and the same rows can be written.
  REQUIRE(stores->users().Insert(user).ok());
}

STORE_TEST("unit of work: a refused write inside a unit undoes only itself") {
  OPEN_STORES_OR_SKIP(stores);
  User first = MakeUser(1, kT0);
  User clash = MakeUser(2, kT0, first.email);  // same email: refused
  Status second_insert;
  const Status done = stores->units().Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(stores->users().Insert(first));
    second_insert = stores->users().Insert(clash);
    AuditEvent e = MakeEvent(kT0, "signup", first.id);
    return stores->audit().Append(e);
  });
  REQUIRE(done.ok());
  CHECK(second_insert.code() == Code::kEmailTaken);
  CHECK(stores->users().FindById(first.id).ok());
  CHECK(stores->users().FindById(clash.id).code() == Code::kNotFound);
  CHECK(CountEvents(stores->audit()) == 1);
}

STORE_TEST("unit of work: units nest, and other threads keep working meanwhile") {
  OPEN_STORES_OR_SKIP(stores);
  User outer = MakeUser(1, kT0);
  User inner = MakeUser(2, kT0);
  User elsewhere = MakeUser(3, kT0);
  const Status done = stores->units().Run([&]() -> Status {
    LATCHKEY_RETURN_IF_ERROR(stores->users().Insert(outer));
    LATCHKEY_RETURN_IF_ERROR(stores->units().Run([&] { return stores->users().Insert(inner); }));
    // Another thread reads while this unit holds the write lock.
    Result<User> seen = Code::kInternal;
    std::thread reader([&] { seen = stores->users().FindById(Id(1, 1)); });
    reader.join();
    CHECK(seen.code() == Code::kNotFound);  // not committed yet
    return Status::Ok();
  });
  REQUIRE(done.ok());
  CHECK(stores->users().FindById(inner.id).ok());
  // Afterwards another thread can write.
  Status written;
  std::thread writer([&] { written = stores->users().Insert(elsewhere); });
  writer.join();
  CHECK(written.ok());
}

// Two instances' workers claiming at the same moment: SKIP LOCKED gives each
// mail to exactly one of them, and nobody waits for the other's rows.
TEST_CASE("postgres: workers of two instances claiming at once never get the same mail", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  Result<std::unique_ptr<storage::pg::PostgresStores>> a = storage::pg::OpenPostgresStores(url, 8);
  Result<std::unique_ptr<storage::pg::PostgresStores>> b = storage::pg::OpenPostgresStores(url, 8);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  constexpr int kMails = 60;
  for (int i = 0; i < kMails; ++i) REQUIRE((*a)->mail().Add(MakeMail(std::to_string(i), "x@example.com"), kT0).ok());
  constexpr int kWorkers = 6;
  std::vector<std::vector<std::int64_t>> claimed(kWorkers);
  std::latch start(kWorkers);
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    MailStore& store = (w % 2 ? **a : **b).mail();
    workers.emplace_back([&, w] {
      start.arrive_and_wait();
      for (;;) {
        Result<std::vector<QueuedMail>> got = store.Claim(kT0 + 1, kT0 + 600, 3);
        if (!got.ok() || got->empty()) return;
        for (const QueuedMail& mail : *got) claimed[static_cast<std::size_t>(w)].push_back(mail.id);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  std::set<std::int64_t> all;
  std::size_t total = 0;
  for (const auto& ids : claimed) {
    total += ids.size();
    all.insert(ids.begin(), ids.end());
  }
  CHECK(total == kMails);
  CHECK(all.size() == kMails);
}

// Instances starting together on an empty database each find no signing key
// and try to create one: the advisory lock lets one store it, and every
// other sees it and stores nothing. A watch on the database hears the change.
TEST_CASE("postgres: instances creating the first key at once store one, and the watch hears it",
          "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  Result<std::unique_ptr<storage::pg::PostgresStores>> a = storage::pg::OpenPostgresStores(url, 8);
  Result<std::unique_ptr<storage::pg::PostgresStores>> b = storage::pg::OpenPostgresStores(url, 8);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  std::mutex heard_mutex;
  std::condition_variable heard_changed;
  int heard = 0;
  std::unique_ptr<KeyChangeWatch> watch = (*b)->WatchKeyChanges([&] {
    std::lock_guard lock(heard_mutex);
    ++heard;
    heard_changed.notify_all();
  });
  REQUIRE(watch != nullptr);
  {  // the watch reports once when it starts listening
    std::unique_lock lock(heard_mutex);
    REQUIRE(heard_changed.wait_for(lock, std::chrono::seconds(5), [&] { return heard >= 1; }));
  }
  constexpr int kCallers = 12;
  std::vector<int> stored(kCallers, -1);
  std::latch start(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    KeyStore& keys = (i % 2 ? **a : **b).keys();
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      Result<bool> created = keys.InstallCurrent(MakeKey("kid-" + std::to_string(i), kT0), /*only_if_none=*/true);
      stored[static_cast<std::size_t>(i)] = created.ok() ? static_cast<int>(*created) : -1;
    });
  }
  for (std::thread& caller : callers) caller.join();
  CHECK(std::count(stored.begin(), stored.end(), 1) == 1);
  CHECK(std::count(stored.begin(), stored.end(), 0) == kCallers - 1);
  Result<std::vector<SigningKeyRecord>> all = (*a)->keys().ListAll();
  REQUIRE(all.ok());
  CHECK(all->size() == 1);
  std::unique_lock lock(heard_mutex);
  CHECK(heard_changed.wait_for(lock, std::chrono::seconds(5), [&] { return heard >= 2; }));
}

// Two instances (two store sets, two pools) on one PostgreSQL receive the
// same refresh token at the same moment: the session row lock lets exactly
// one rotate; every other caller is handed that same successor back.
TEST_CASE("postgres: two instances rotating one token at once make one successor", "[storage][postgres]") {
  const std::string url = testing::PostgresTestServer::Get().FreshSchemaUrl();
  Result<std::unique_ptr<storage::pg::PostgresStores>> a = storage::pg::OpenPostgresStores(url, 8);
  Result<std::unique_ptr<storage::pg::PostgresStores>> b = storage::pg::OpenPostgresStores(url, 8);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  TestRandom random(77);
  REQUIRE((*a)->users().Insert(MakeUser(1, kT0)).ok());
  for (int round = 0; round < 5; ++round) {
    const LiveSession live = CreateSession((*a)->sessions(), random, Id(1, 1), round + 1, kT0);
    constexpr int kCallers = 16;
    std::vector<Rotation> results(kCallers);
    std::latch start(kCallers);
    std::vector<std::thread> callers;
    for (int i = 0; i < kCallers; ++i) {
      SessionStore& store = (i % 2 ? **a : **b).sessions();
      callers.emplace_back([&, i] {
        start.arrive_and_wait();
        results[static_cast<std::size_t>(i)] = RotateWithCore(store, live.token, kT0 + 50, random);
      });
    }
    for (std::thread& caller : callers) caller.join();
    int rotated = 0;
    std::set<std::string> sealed;
    for (const Rotation& r : results) {
      REQUIRE(r.outcome.ok());
      if (r.outcome->decision.action == RefreshAction::kRotate)
        ++rotated;
      else
        CHECK(r.outcome->decision.action == RefreshAction::kReturnSuccessor);
      sealed.insert(r.outcome->sealed_successor);
    }
    CHECK(rotated == 1);
    CHECK(sealed.size() == 1);
    auto c = (*a)->db().Acquire();
    storage::pg::Statement tokens = c->Prepare("SELECT COUNT(*) FROM refresh_tokens WHERE session_id = $1");
    tokens.Bind(live.session.id);
    REQUIRE(tokens.Next());
    CHECK(tokens.Int(0) == 2);  // the first token and its one successor
  }
}

TEST_CASE("sqlite: a reopened database keeps its data and migrates nothing twice", "[storage][sqlite]") {
  TempDir dir;
  const std::string path = dir.path() + "/latchkey.db";
  TestRandom random(15);
  RefreshToken token;
  std::int64_t migrations_applied_at = 0;
  {
    Result<std::unique_ptr<storage::SqliteStores>> first = storage::OpenSqliteStores(path, 2);
    REQUIRE(first.ok());
    REQUIRE((*first)->users().Insert(MakeUser(1, kT0)).ok());
    token = CreateSession((*first)->sessions(), random, Id(1, 1), 1, kT0 + 1).token;
    REQUIRE((*first)->keys().Insert(MakeKey("kid-1", kT0)).ok());
    AuditEvent event = MakeEvent(kT0, "signup", Id(1, 1));
    REQUIRE((*first)->audit().Append(event).ok());
    CHECK(CountRows((*first)->db(), "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());
    migrations_applied_at = CountRows((*first)->db(), "SELECT SUM(applied_at) FROM schema_migrations");

    // A second opener while the first is still open (another process, say) sees the same data.
    Result<std::unique_ptr<storage::SqliteStores>> concurrent = storage::OpenSqliteStores(path, 1);
    REQUIRE(concurrent.ok());
    CHECK((*concurrent)->users().FindById(Id(1, 1)).ok());
    CHECK(CountRows((*concurrent)->db(), "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());
  }

  Result<std::unique_ptr<storage::SqliteStores>> reopened = storage::OpenSqliteStores(path, 2);
  REQUIRE(reopened.ok());
  CHECK(CountRows((*reopened)->db(), "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());
  CHECK(CountRows((*reopened)->db(), "SELECT MAX(version) FROM schema_migrations") == storage::LatestSchemaVersion());
  CHECK(CountRows((*reopened)->db(), "SELECT SUM(applied_at) FROM schema_migrations") == migrations_applied_at);
  Result<int> again = storage::Migrate((*reopened)->db());
  REQUIRE(again.ok());
  CHECK(*again == storage::LatestSchemaVersion());
  CHECK(CountRows((*reopened)->db(), "SELECT COUNT(*) FROM schema_migrations") == storage::LatestSchemaVersion());

  Result<User> user = (*reopened)->users().FindById(Id(1, 1));
  REQUIRE(user.ok());
  RequireSameUser(*user, MakeUser(1, kT0));
  Result<Session> session = (*reopened)->sessions().Find(Id(5, 1));
  REQUIRE(session.ok());
  CHECK(session->user_id == Id(1, 1));
  Result<std::vector<SigningKeyRecord>> keys = (*reopened)->keys().ListAll();
  REQUIRE(keys.ok());
  CHECK(Kids(*keys) == std::vector<std::string>{"kid-1"});
  Result<AuditPage> events = (*reopened)->audit().Query(AuditQuery{});
  REQUIRE(events.ok());
  CHECK(events->total == 1);
  // The refresh token survived too, and foreign keys still cascade after reopening.
  const Rotation rotated = RotateWithCore((*reopened)->sessions(), token, kT0 + 10, random);
  REQUIRE(rotated.outcome.ok());
  CHECK(rotated.outcome->decision.action == RefreshAction::kRotate);
  REQUIRE((*reopened)->users().Delete(Id(1, 1)).ok());
  CHECK((*reopened)->sessions().Find(Id(5, 1)).code() == Code::kNotFound);
}

TEST_CASE("sqlite: the database file is readable by its owner only", "[storage][sqlite]") {
  TempDir dir;
  const std::string path = dir.path() + "/latchkey.db";
  Result<std::unique_ptr<storage::SqliteStores>> stores = storage::OpenSqliteStores(path, 1);
  REQUIRE(stores.ok());
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 077) == 0);
}

TEST_CASE("sqlite: a database made by a newer binary is refused", "[storage][sqlite]") {
  TempDir dir;
  const std::string path = dir.path() + "/latchkey.db";
  {
    Result<std::unique_ptr<storage::SqliteStores>> stores = storage::OpenSqliteStores(path, 1);
    REQUIRE(stores.ok());
    auto connection = (*stores)->db().Acquire();
    storage::Statement future = connection->Prepare("INSERT INTO schema_migrations(version, applied_at) VALUES (?, 0)");
    REQUIRE(future.Bind(std::int64_t{storage::LatestSchemaVersion() + 1}).Run().ok());
  }
  CHECK_FALSE(storage::OpenSqliteStores(path, 1).ok());
}

}  // namespace
}  // namespace latchkey
