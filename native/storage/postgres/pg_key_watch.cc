// The PostgreSQL key watch: LISTEN latchkey_keys on a connection of its own
// (pg_key_store.cc NOTIFYs it in the transaction that changes the keys, so
// a notice means a committed change). Chosen over Redis pub/sub: it needs
// nothing besides the database, reaches every instance whoever rotated
// (another instance, or `latchkey keys rotate` run without --redis-url), and
// cannot announce a change that did not commit.
#include <poll.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "storage/postgres/pg_stores.h"

namespace latchkey::storage::pg {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

class PostgresKeyWatch final : public KeyChangeWatch {
 public:
  PostgresKeyWatch(std::string url, std::string description, std::function<void()> changed)
      : url_(std::move(url)), description_(std::move(description)), changed_(std::move(changed)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~PostgresKeyWatch() override {
    stopping_ = true;
    thread_.join();
    Close();
  }

 private:
  bool Listen() {
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "latchkey-key-watch", url_.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (conn_ == nullptr) return false;
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    if (PQstatus(conn_) != CONNECTION_OK) {
      Close();
      return false;
    }
    PGresult* result = PQexec(conn_, "LISTEN latchkey_keys");
    const bool listening = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!listening) Close();
    return listening;
  }

  void Close() {
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
  }

  // Sleeps in short steps, so that stopping is never kept waiting.
  void Pause(std::chrono::milliseconds total) {
    for (auto slept = std::chrono::milliseconds(0); slept < total && !stopping_; slept += kStep) {
      std::this_thread::sleep_for(kStep);
    }
  }

  void Run() {
    std::chrono::milliseconds backoff = kFirstBackoff;
    bool lost = false;
    while (!stopping_) {
      if (conn_ == nullptr) {
        if (!Listen()) {
          Pause(backoff);
          backoff = std::min(backoff * 2, kMaxBackoff);
          continue;
        }
        if (lost) {
          std::cerr << R"({"level":"info","msg":"postgres: key watch listening again","database":")" << description_
                    << "\"}\n";
        }
        backoff = kFirstBackoff;
        lost = false;
        // Anything committed before LISTEN took effect was not announced.
        changed_();
      }
      pollfd socket{PQsocket(conn_), POLLIN, 0};
      if (poll(&socket, 1, static_cast<int>(kStep.count())) > 0) {
        bool any = false;
        if (PQconsumeInput(conn_)) {
          while (PGnotify* notice = PQnotifies(conn_)) {
            any = true;
            PQfreemem(notice);
          }
        }
        if (any) changed_();
      }
      if (PQstatus(conn_) != CONNECTION_OK) {
        std::cerr << R"({"level":"warn","msg":"postgres: key watch lost; rotations elsewhere are seen by the )"
                     R"(periodic reload until it is back","database":")"
                  << description_ << "\"}\n";
        Close();
        lost = true;
      }
    }
  }

  static constexpr std::chrono::milliseconds kStep{200};
  const std::string url_;
  const std::string description_;
  const std::function<void()> changed_;
  PGconn* conn_ = nullptr;  // only the watch's thread touches it until the join
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<KeyChangeWatch> NewKeyWatch(const std::string& url, const std::string& description,
                                            std::function<void()> changed) {
  return std::make_unique<PostgresKeyWatch>(url, description, std::move(changed));
}

}  // namespace latchkey::storage::pg
