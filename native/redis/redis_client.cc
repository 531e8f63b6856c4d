#include "redis/redis_client.h"

#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <memory>

#include "metrics/metric_names.h"

namespace latchkey {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{2000};

timeval ToTimeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

struct FreeReply {
  void operator()(redisReply* reply) const {
    if (reply) freeReplyObject(reply);
  }
};
using Reply = std::unique_ptr<redisReply, FreeReply>;

// Binary-safe: every argument goes with its length, nothing is formatted.
Reply Command(redisContext* context, const std::vector<std::string>& argv) {
  std::vector<const char*> parts;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : argv) {
    parts.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return Reply(
      static_cast<redisReply*>(redisCommandArgv(context, static_cast<int>(argv.size()), parts.data(), lengths.data())));
}

bool IsError(const Reply& reply) { return reply && reply->type == REDIS_REPLY_ERROR; }

// An error reply for a log line: Redis's own words, bounded.
std::string ErrorText(const Reply& reply) { return std::string(reply->str, std::min<std::size_t>(reply->len, 200)); }

}  // namespace

RedisClient::RedisClient(RedisAddress address, std::chrono::milliseconds timeout, int connections, Logger& logger,
                         Metrics& metrics)
    : address_(std::move(address)),
      description_(DescribeRedis(address_)),
      timeout_(timeout),
      capacity_(std::max(1, connections)),
      logger_(logger),
      metrics_(metrics) {
  // hiredis sends with write(2), not send(MSG_NOSIGNAL): a write to a
  // connection Redis has reset would raise SIGPIPE and end the process.
  // Ignored unless someone already chose a handler.
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  std::string error;
  if (redisContext* first = Connect(error)) {
    idle_.push_back(first);
    open_ = 1;
    up_ = true;
    logger_.Info("redis connected: rate limits are shared", Json{{"redis", description_}});
  } else {
    logger_.Warn("redis unreachable: rate limits use this instance's own buckets until it answers",
                 Json{{"redis", description_}, {"error", error}});
    metrics_.Increment(metric::kRedisStateChanges, {{"state", "down"}});
  }
  reconnector_ = std::thread([this] { Reconnect(); });
}

RedisClient::~RedisClient() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  health_.notify_all();
  reconnector_.join();
  for (redisContext* context : idle_) redisFree(context);
}

redisContext* RedisClient::Connect(std::string& error) {
  redisContext* context = redisConnectWithTimeout(address_.host.c_str(), address_.port, ToTimeval(timeout_));
  if (context == nullptr) {
    error = "cannot allocate a connection";
    return nullptr;
  }
  auto fail = [&](std::string why) {
    error = std::move(why);
    redisFree(context);
    return nullptr;
  };
  if (context->err) return fail(context->errstr);
  if (redisSetTimeout(context, ToTimeval(timeout_)) != REDIS_OK) return fail("cannot set the command timeout");
  std::vector<std::vector<std::string>> setup;
  if (!address_.password.empty()) {
    setup.push_back(address_.user.empty() ? std::vector<std::string>{"AUTH", address_.password}
                                          : std::vector<std::string>{"AUTH", address_.user, address_.password});
  }
  if (address_.db != 0) setup.push_back({"SELECT", std::to_string(address_.db)});
  setup.push_back({"PING"});  // a server still loading its data answers an error here
  for (const std::vector<std::string>& command : setup) {
    const Reply reply = Command(context, command);
    if (!reply) return fail(context->errstr);
    if (IsError(reply)) return fail(command[0] + ": " + ErrorText(reply));
  }
  return context;
}

redisContext* RedisClient::Acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  for (;;) {
    if (!up_ || stopping_) return nullptr;
    if (!idle_.empty()) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      return context;
    }
    if (open_ < capacity_) {
      ++open_;
      lock.unlock();
      std::string error;
      redisContext* context = Connect(error);
      if (context == nullptr) {
        {
          std::lock_guard relock(mutex_);
          --open_;
        }
        MarkDown(error);
      }
      return context;
    }
    // Every connection busy: wait a little, then do without.
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout) return nullptr;
  }
}

void RedisClient::Release(redisContext* context, bool healthy) {
  {
    std::lock_guard lock(mutex_);
    if (healthy && up_ && !stopping_) {
      idle_.push_back(context);
      context = nullptr;
    } else {
      --open_;
    }
  }
  if (context) redisFree(context);
  freed_.notify_one();
}

void RedisClient::MarkDown(const std::string& error) {
  std::vector<redisContext*> idle;
  {
    std::lock_guard lock(mutex_);
    if (!up_) return;
    up_ = false;
    // Idle connections to a server that failed are likely dead too.
    idle.swap(idle_);
    open_ -= static_cast<int>(idle.size());
  }
  for (redisContext* context : idle) redisFree(context);
  freed_.notify_all();
  health_.notify_all();
  logger_.Warn("redis unreachable: rate limits use this instance's own buckets until it answers",
               Json{{"redis", description_}, {"error", error}});
  metrics_.Increment(metric::kRedisStateChanges, {{"state", "down"}});
}

void RedisClient::Reconnect() {
  std::chrono::milliseconds backoff = kFirstBackoff;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (up_) {
      backoff = kFirstBackoff;
      health_.wait(lock, [this] { return stopping_ || !up_; });
      continue;
    }
    if (health_.wait_for(lock, backoff, [this] { return stopping_; })) break;
    lock.unlock();
    std::string error;
    redisContext* context = Connect(error);
    lock.lock();
    if (context == nullptr) {
      backoff = std::min(backoff * 2, kMaxBackoff);
      continue;
    }
    if (stopping_) {
      redisFree(context);
      break;
    }
    idle_.push_back(context);
    ++open_;
    up_ = true;
    lock.unlock();
    logger_.Info("redis answers again: rate limits are shared again", Json{{"redis", description_}});
    metrics_.Increment(metric::kRedisStateChanges, {{"state", "up"}});
    lock.lock();
  }
}

std::optional<long long> RedisClient::EvalInteger(const Script& script, const std::vector<std::string>& keys,
                                                  const std::vector<std::string>& args) {
  // Twice at most: a pooled connection the server closed while idle (its
  // restart, its idle timeout) is retried once on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    redisContext* context = Acquire();
    if (context == nullptr) return std::nullopt;
    std::string sha1;
    {
      std::lock_guard lock(mutex_);
      if (const auto known = sha1_.find(&script); known != sha1_.end()) sha1 = known->second;
    }
    Reply reply;
    if (sha1.empty()) {
      reply = Command(context, {"SCRIPT", "LOAD", script.text});
      if (reply && reply->type == REDIS_REPLY_STRING) {
        sha1.assign(reply->str, reply->len);
        std::lock_guard lock(mutex_);
        sha1_[&script] = sha1;
      }
    }
    if (!sha1.empty()) {
      std::vector<std::string> argv = {"EVALSHA", sha1, std::to_string(keys.size())};
      argv.insert(argv.end(), keys.begin(), keys.end());
      argv.insert(argv.end(), args.begin(), args.end());
      reply = Command(context, argv);
      if (IsError(reply) && ErrorText(reply).rfind("NOSCRIPT", 0) == 0) {
        argv[0] = "EVAL";
        argv[1] = script.text;
        reply = Command(context, argv);
      }
    }
    if (reply && reply->type == REDIS_REPLY_INTEGER) {
      const long long value = reply->integer;
      Release(context, true);
      return value;
    }
    if (reply) {
      // An error reply (out of memory, read-only replica): the connection is
      // fine, this call is not. Logged at most once a minute.
      const std::string text = IsError(reply) ? ErrorText(reply) : "unexpected reply type";
      Release(context, true);
      const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
      auto last = last_error_log_.load();
      if (now - last > std::chrono::steady_clock::duration(std::chrono::minutes(1)).count() &&
          last_error_log_.compare_exchange_strong(last, now)) {
        logger_.Warn("redis refused a rate limit check; this instance's own buckets answered",
                     Json{{"redis", description_}, {"error", text}});
      }
      return std::nullopt;
    }
    // No reply: the connection failed or timed out.
    const bool closed = context->err == REDIS_ERR_EOF;
    const std::string error = context->errstr;
    Release(context, false);
    if (closed && attempt == 0) continue;
    MarkDown(error);
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace latchkey
