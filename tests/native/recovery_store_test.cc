// The one-time token store (recovery/one_time_token_store.h) against every
// backend, the bcrypt verification of imported hashes (passwords/bcrypt_hash.h)
// with a known vector, and the mail templates' escaping. Time is passed in as
// plain numbers; nothing sleeps.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "mail/smtp_mailer.h"
#include "mail/templates.h"
#include "passwords/bcrypt_hash.h"
#include "postgres_test_server.h"
#include "recovery/one_time_token_store.h"
#include "storage/postgres/pg_stores.h"
#include "storage/sqlite_stores.h"

namespace latchkey {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000;

class SqliteTokenBackend {
 public:
  SqliteTokenBackend() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/latchkey-tokens-XXXXXX";
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    Result<std::unique_ptr<storage::SqliteStores>> opened = storage::OpenSqliteStores(dir_ + "/latchkey.db", 4);
    REQUIRE(opened.ok());
    stores_ = std::move(opened).value();
  }
  ~SqliteTokenBackend() {
    stores_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  UserStore& users() { return stores_->users(); }
  OneTimeTokenStore& tokens() { return stores_->one_time_tokens(); }

 private:
  std::string dir_;
  std::unique_ptr<storage::SqliteStores> stores_;
};

// A fresh schema on the suite's PostgreSQL (postgres_test_server.h). The name
// ends in PostgresBackend: ctest runs those tests in one process (tests/CMakeLists.txt).
class TokensOnPostgresBackend {
 public:
  TokensOnPostgresBackend() {
    Result<std::unique_ptr<storage::pg::PostgresStores>> opened =
        storage::pg::OpenPostgresStores(testing::PostgresTestServer::Get().FreshSchemaUrl(), 4);
    REQUIRE(opened.ok());
    stores_ = std::move(opened).value();
  }
  UserStore& users() { return stores_->users(); }
  OneTimeTokenStore& tokens() { return stores_->one_time_tokens(); }

 private:
  std::unique_ptr<storage::pg::PostgresStores> stores_;
};

#define TOKEN_TEST(name) TEMPLATE_TEST_CASE(name, "[storage][tokens]", SqliteTokenBackend, TokensOnPostgresBackend)

User MakeUser(int n) {
  User user;
  user.id = "00000001-0000-4000-8000-00000000000" + std::to_string(n);
  user.email = "user" + std::to_string(n) + "@example.com";
  user.created_at = user.updated_at = kT0;
  return user;
}

OneTimeToken MakeToken(const std::string& hash, const User& user, std::string_view purpose, std::int64_t ttl = 3600) {
  return OneTimeToken{hash, user.id, std::string(purpose), user.email, kT0, kT0 + ttl, ""};
}

TOKEN_TEST("tokens: Issue then Find returns every field until it expires") {
  TestType backend;
  const User user = MakeUser(1);
  REQUIRE(backend.users().Insert(user).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("h1", user, token_purpose::kReset)).ok());
  Result<OneTimeToken> found = backend.tokens().Find("h1", kT0 + 3599);
  REQUIRE(found.ok());
  CHECK(found->user_id == user.id);
  CHECK(found->purpose == "reset");
  CHECK(found->email == user.email);
  CHECK(found->created_at == kT0);
  CHECK(found->expires_at == kT0 + 3600);
  CHECK(backend.tokens().Find("h1", kT0 + 3600).code() == Code::kNotFound);
  CHECK(backend.tokens().Consume("h1", token_purpose::kReset, kT0 + 3600).code() == Code::kNotFound);
  CHECK(backend.tokens().Find("absent", kT0).code() == Code::kNotFound);
}

TOKEN_TEST("tokens: Consume works once and only for its purpose") {
  TestType backend;
  const User user = MakeUser(1);
  REQUIRE(backend.users().Insert(user).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("h1", user, token_purpose::kVerifyEmail)).ok());
  CHECK(backend.tokens().Consume("h1", token_purpose::kReset, kT0).code() == Code::kNotFound);
  Result<OneTimeToken> used = backend.tokens().Consume("h1", token_purpose::kVerifyEmail, kT0);
  REQUIRE(used.ok());
  CHECK(used->user_id == user.id);
  CHECK(backend.tokens().Consume("h1", token_purpose::kVerifyEmail, kT0).code() == Code::kNotFound);
  CHECK(backend.tokens().Find("h1", kT0).code() == Code::kNotFound);
}

TOKEN_TEST("tokens: a newer token supersedes older ones of the same user and purpose only") {
  TestType backend;
  const User a = MakeUser(1), b = MakeUser(2);
  REQUIRE(backend.users().Insert(a).ok());
  REQUIRE(backend.users().Insert(b).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("a-reset-1", a, token_purpose::kReset)).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("a-verify", a, token_purpose::kVerifyEmail)).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("b-reset", b, token_purpose::kReset)).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("a-reset-2", a, token_purpose::kReset)).ok());
  CHECK(backend.tokens().Find("a-reset-1", kT0).code() == Code::kNotFound);
  CHECK(backend.tokens().Find("a-reset-2", kT0).ok());
  CHECK(backend.tokens().Find("a-verify", kT0).ok());
  CHECK(backend.tokens().Find("b-reset", kT0).ok());
  REQUIRE(backend.tokens().RevokeAll(a.id, token_purpose::kReset).ok());
  CHECK(backend.tokens().Find("a-reset-2", kT0).code() == Code::kNotFound);
  CHECK(backend.tokens().Find("a-verify", kT0).ok());
}

TOKEN_TEST("tokens: DeleteExpired and deleting the user remove tokens") {
  TestType backend;
  const User a = MakeUser(1), b = MakeUser(2);
  REQUIRE(backend.users().Insert(a).ok());
  REQUIRE(backend.users().Insert(b).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("short", a, token_purpose::kReset, 10)).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("long", a, token_purpose::kVerifyEmail, 100)).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("other", b, token_purpose::kReset, 100)).ok());
  Result<std::int64_t> removed = backend.tokens().DeleteExpired(kT0 + 10);
  REQUIRE(removed.ok());
  CHECK(*removed == 1);
  REQUIRE(backend.users().Delete(a.id).ok());
  CHECK(backend.tokens().Find("long", kT0).code() == Code::kNotFound);
  CHECK(backend.tokens().Find("other", kT0).ok());
}

TOKEN_TEST("tokens: of many concurrent consumers exactly one gets the token") {
  TestType backend;
  const User user = MakeUser(1);
  REQUIRE(backend.users().Insert(user).ok());
  REQUIRE(backend.tokens().Issue(MakeToken("h1", user, token_purpose::kReset)).ok());
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (backend.tokens().Consume("h1", token_purpose::kReset, kT0).ok()) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(winners == 1);
}

TOKEN_TEST("users: pending email and confirmation") {
  TestType backend;
  const User a = MakeUser(1), b = MakeUser(2);
  REQUIRE(backend.users().Insert(a).ok());
  REQUIRE(backend.users().Insert(b).ok());
  REQUIRE(backend.users().SetPendingEmail(a.id, std::string("new@example.com"), kT0 + 1).ok());
  CHECK(backend.users().FindById(a.id)->pending_email == std::optional<std::string>("new@example.com"));
  CHECK(backend.users().ConfirmEmail(a.id, b.email, kT0 + 2).code() == Code::kEmailTaken);
  REQUIRE(backend.users().ConfirmEmail(a.id, "new@example.com", kT0 + 2).ok());
  Result<User> moved = backend.users().FindById(a.id);
  CHECK(moved->email == "new@example.com");
  CHECK(!moved->pending_email);
  CHECK(moved->email_verified);
  CHECK(moved->updated_at == kT0 + 2);
}

// A $2b$ hash of "correct horse battery staple" at cost 4 (made with python3-bcrypt).
constexpr const char* kBcrypt = "$2b$04$z6b94NvwLWdKYaHO8pp1qeh8uOXtlS1UWjVWy4cgpB6bTmrNxh6mG";

TEST_CASE("legacy hashes: bcrypt vectors verify, other input does not", "[legacy_hash]") {
  CHECK(VerifyBcrypt(kBcrypt, "correct horse battery staple").ok());
  CHECK(VerifyBcrypt(kBcrypt, "correct horse battery stapl").code() == Code::kPasswordMismatch);
  CHECK(VerifyBcrypt(kBcrypt, std::string_view("correct horse battery staple\0x", 30)).code() ==
        Code::kPasswordMismatch);
  std::string y = kBcrypt;
  y[2] = 'y';
  CHECK(VerifyBcrypt(y, "correct horse battery staple").ok());
  const char* reason = nullptr;
  CHECK(ValidateBcryptHash("$2b$04$short", &reason).code() == Code::kPasswordHashInvalid);
  CHECK(std::string(reason) == "malformed_hash");
  CHECK(ValidateBcryptHash(std::string("$2b$31$") + std::string(53, 'a'), &reason).code() ==
        Code::kPasswordHashInvalid);
  CHECK(std::string(reason) == "cost_out_of_range");
  CHECK(ValidateBcryptHash(std::string("$2x$04$") + std::string(53, 'a'), &reason).code() ==
        Code::kPasswordHashInvalid);
  CHECK(std::string(reason) == "unsupported_hash");
  CHECK(ValidateBcryptHash(std::string("$2b$04$") + std::string(52, 'a') + "!", &reason).code() ==
        Code::kPasswordHashInvalid);
  CHECK(VerifyBcrypt("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "x").code() == Code::kPasswordHashInvalid);
  CHECK(IsLegacyHash(kBcrypt));
  CHECK(!IsLegacyHash("$argon2id$v=19"));
}

TEST_CASE("mail: templates escape HTML and compose a multipart message", "[mail]") {
  CHECK(HtmlEscape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  const MailMessage notice =
      EmailChangeNoticeMail("old@example.com", "new<b>@example.com", "https://x.test/#forgot?a=1&b=\"2\"");
  CHECK(notice.html.find("new&lt;b&gt;@example.com") != std::string::npos);
  CHECK(notice.html.find("href=\"https://x.test/#forgot?a=1&amp;b=&quot;2&quot;\"") != std::string::npos);
  CHECK(notice.text.find("https://x.test/#forgot?a=1&b=\"2\"") != std::string::npos);
  CHECK(notice.html.find("new<b>") == std::string::npos);
  CHECK(notice.text.find("new<b>@example.com") != std::string::npos);
  const MailMessage reset = PasswordResetMail("a@example.com", "https://x.test/#reset-password?token=T", 3600);
  CHECK(reset.text.find("within 1 hour") != std::string::npos);
  const std::string composed = SmtpMailer::Compose(reset, "Latchkey <no-reply@x.test>", kT0, "abc");
  CHECK(composed.find("To: <a@example.com>\r\n") != std::string::npos);
  CHECK(composed.find("Message-ID: <abc@x.test>\r\n") != std::string::npos);
  CHECK(composed.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n") != std::string::npos);
  CHECK(composed.find("multipart/alternative") != std::string::npos);
  CHECK(composed.find("token=T") == std::string::npos);  // bodies are base64: no line can be misread as SMTP
  CHECK(EnvelopeAddress("Latchkey <no-reply@x.test>") == "no-reply@x.test");
  CHECK(EnvelopeAddress("plain@x.test") == "plain@x.test");
}

}  // namespace
}  // namespace latchkey
