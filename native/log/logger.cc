#include "log/logger.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace latchkey {

std::string FormatTime(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

void Logger::Write(std::string_view level, std::string_view message, const Json& fields) {
  const auto now = std::chrono::system_clock::now();
  const double seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  std::string line;
  if (format_ == Format::kJson) {
    Json record = fields.is_object() ? fields : Json::object();
    record["time"] = FormatTime(static_cast<std::int64_t>(seconds));
    record["level"] = level;
    record["msg"] = message;
    line = record.dump(-1, ' ', false, Json::error_handler_t::replace);
  } else {
    line = FormatTime(static_cast<std::int64_t>(seconds)) + " " + std::string(level) + " " + std::string(message);
    for (const auto& [key, value] : fields.items()) {
      line +=
          " " + key + "=" +
          (value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, Json::error_handler_t::replace));
    }
  }
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

}  // namespace latchkey
