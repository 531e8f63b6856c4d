#include <algorithm>

#include "mail/mail_store.h"
#include "storage/sqlite_stores.h"

namespace latchkey::storage {
namespace {

class SqliteMailStore final : public MailStore {
 public:
  explicit SqliteMailStore(Database& db) : db_(db) {}

  Status Add(const MailMessage& message, std::int64_t now) override {
    auto c = db_.Acquire();
    Statement insert = c->Prepare(
        "INSERT INTO mail_queue (kind, recipient, subject, text_body, html_body, attempts, next_attempt_at, "
        "lease_until, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, NULL, ?)");
    return insert.Bind(message.kind)
        .Bind(message.to)
        .Bind(message.subject)
        .Bind(message.text)
        .Bind(message.html)
        .Bind(now)
        .Bind(now)
        .Run();
  }

  Result<std::vector<QueuedMail>> Claim(std::int64_t now, std::int64_t lease_until, int limit) override {
    auto c = db_.Acquire();
    // One statement: SQLite's write lock makes it atomic against other claimers.
    Statement claim = c->Prepare(
        "UPDATE mail_queue SET lease_until = ? WHERE id IN (SELECT id FROM mail_queue WHERE next_attempt_at <= ? "
        "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT ?) "
        "RETURNING id, kind, recipient, subject, text_body, html_body, attempts");
    claim.Bind(lease_until).Bind(now).Bind(now).Bind(std::int64_t{limit});
    std::vector<QueuedMail> mails;
    while (claim.Next()) {
      QueuedMail mail;
      mail.id = claim.Int(0);
      mail.message = MailMessage{claim.Text(2), claim.Text(3), claim.Text(4), claim.Text(5), claim.Text(1)};
      mail.attempts = static_cast<int>(claim.Int(6));
      mails.push_back(std::move(mail));
    }
    LATCHKEY_RETURN_IF_ERROR(claim.status());
    std::sort(mails.begin(), mails.end(), [](const QueuedMail& a, const QueuedMail& b) { return a.id < b.id; });
    return mails;
  }

  Status Remove(std::int64_t id) override {
    auto c = db_.Acquire();
    Statement remove = c->Prepare("DELETE FROM mail_queue WHERE id = ?");
    return remove.Bind(id).Run();
  }

  Status Retry(std::int64_t id, std::int64_t next_attempt_at) override {
    auto c = db_.Acquire();
    Statement retry = c->Prepare(
        "UPDATE mail_queue SET attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL WHERE id = ?");
    return retry.Bind(next_attempt_at).Bind(id).Run();
  }

  Result<std::int64_t> Count() override {
    auto c = db_.Acquire();
    Statement count = c->Prepare("SELECT COUNT(*) FROM mail_queue");
    if (!count.Next()) return count.status().ok() ? Status(Code::kInternal) : count.status();
    return count.Int(0);
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<MailStore> NewSqliteMailStore(Database& db) { return std::make_unique<SqliteMailStore>(db); }

}  // namespace latchkey::storage
