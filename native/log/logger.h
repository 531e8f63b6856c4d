// Structured log lines on stdout (or another stream): one JSON object per line (the default) or
// "key=value" text. Callers pass only safe fields: never a password, a token,
// an Authorization header or a query string. Thread-safe.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "latchkey/json.h"

namespace latchkey {

class Logger {
 public:
  enum class Format { kJson, kText };
  explicit Logger(Format format = Format::kJson) : format_(format) {}
  void set_format(Format format) { format_ = format; }
  // stdout by default; the CLI logs to stderr so stdout holds only results.
  void set_stream(std::FILE* stream) { stream_ = stream; }

  // `fields` is a JSON object; "level", "msg" and "time" are added.
  void Write(std::string_view level, std::string_view message, const Json& fields = Json::object());
  void Info(std::string_view message, const Json& fields = Json::object()) { Write("info", message, fields); }
  void Warn(std::string_view message, const Json& fields = Json::object()) { Write("warn", message, fields); }
  void Error(std::string_view message, const Json& fields = Json::object()) { Write("error", message, fields); }

 private:
  Format format_;
  std::FILE* stream_ = stdout;
  std::mutex mutex_;
};

// RFC 3339 UTC with seconds, e.g. "2026-11-22T17:30:00Z".
std::string FormatTime(std::int64_t unix_seconds);

}  // namespace latchkey
