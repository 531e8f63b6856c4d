#include "log/logger.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace latchkey {
namespace {

// A value for a text log line: control characters (and the Unicode line and
// paragraph separators) escaped, so no value can start a line of its own;
// quoted when it holds a space, '=' or '"', so no value can forge a field.
std::string TextValue(std::string_view value) {
  std::string out;
  bool quote = value.empty();
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else if (byte == 0xC2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(value[i + 1]) <= 0x9F) {
      out += "\\u00";  // C1 controls (NEL and friends)
      const auto next = static_cast<unsigned char>(value[++i]);
      static const char kHex[] = "0123456789abcdef";
      out += kHex[next >> 4];
      out += kHex[next & 0xF];
    } else if (byte == 0xE2 && i + 2 < value.size() && static_cast<unsigned char>(value[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(value[i + 2]) == 0xA8 || static_cast<unsigned char>(value[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(value[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (byte == '"' || byte == '\\') {
      out += '\\';
      out += value[i];
      quote = true;
    } else {
      if (byte == ' ' || byte == '=') quote = true;
      out += value[i];
    }
  }
  if (!quote) return out;
  std::string quoted(1, '"');
  quoted.append(out).push_back('"');
  return quoted;
}

}  // namespace

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
    line = FormatTime(static_cast<std::int64_t>(seconds)) + " " + std::string(level) + " " + TextValue(message);
    for (const auto& [key, value] : fields.items()) {
      line.push_back(' ');
      line.append(TextValue(key)).push_back('=');
      line.append(TextValue(value.is_string() ? value.get<std::string>()
                                              : value.dump(-1, ' ', false, Json::error_handler_t::replace)));
    }
  }
  line += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stream_);
  std::fflush(stream_);
}

}  // namespace latchkey
