#include "redis/redis_url.h"

#include <charconv>

namespace latchkey {
namespace {

bool ToInt(std::string_view text, int min, int max, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() && out >= min && out <= max;
}

// %XX escapes in the user and password (a password may hold '@' or ':').
std::optional<std::string> Unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace

std::optional<RedisAddress> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  std::string_view rest = url.substr(kScheme.size());
  RedisAddress address;
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ToInt(db, 0, 1023, address.db)) return std::nullopt;
  }
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = credentials.find(':');
    std::optional<std::string> user = Unescape(credentials.substr(0, colon));
    std::optional<std::string> password =
        colon == std::string_view::npos ? std::optional<std::string>("") : Unescape(credentials.substr(colon + 1));
    if (!user || !password) return std::nullopt;
    // "redis://secret@host": a lone word is the password, as redis-cli reads it.
    if (colon == std::string_view::npos) std::swap(*user, *password);
    address.user = std::move(*user);
    address.password = std::move(*password);
  }
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:6379
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !ToInt(after.substr(1), 1, 65535, address.port))) {
      return std::nullopt;
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    if (!ToInt(authority.substr(colon + 1), 1, 65535, address.port)) return std::nullopt;
  }
  if (host.empty() || host.find_first_of("/?#@ ") != std::string_view::npos) return std::nullopt;
  address.host = std::string(host);
  return address;
}

std::string DescribeRedis(const RedisAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return "redis://" + (v6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port) + "/" +
         std::to_string(address.db);
}

}  // namespace latchkey
