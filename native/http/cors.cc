#include "http/cors.h"

#include <algorithm>

#include "http/responses.h"

namespace latchkey::http {
namespace {

constexpr const char* kAllowMethods = "GET, POST, PATCH, DELETE, OPTIONS";
constexpr const char* kAllowHeaders = "Authorization, Content-Type";
constexpr const char* kExposeHeaders = "Retry-After, X-Request-Id, WWW-Authenticate, Date";
constexpr const char* kMaxAge = "600";

bool IsDigits(const std::string& text) {
  return !text.empty() && text.size() <= 5 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '[' || c == ']' || c == ':';
}

// Splits "scheme://host[:port]" into its prefix "scheme://host" and port text
// (empty when absent). False when it is not of that shape.
bool SplitOrigin(const std::string& origin, std::string& prefix, std::string& port) {
  std::size_t start = 0;
  if (origin.rfind("http://", 0) == 0) start = 7;
  if (origin.rfind("https://", 0) == 0) start = 8;
  if (start == 0 || origin.size() == start) return false;
  // An IPv6 host is bracketed; the port follows the closing bracket.
  const std::size_t after_host = origin[start] == '[' ? origin.find(']', start) : start;
  if (after_host == std::string::npos) return false;
  const std::size_t colon = origin.find(':', after_host);
  prefix = origin.substr(0, colon);
  port = colon == std::string::npos ? std::string() : origin.substr(colon + 1);
  if (colon != std::string::npos && port.empty()) return false;
  return std::all_of(prefix.begin() + static_cast<std::ptrdiff_t>(start), prefix.end(), IsHostChar);
}

bool Matches(const std::string& entry, const std::string& origin) {
  if (entry == "*" || entry == origin) return true;
  if (entry.size() < 2 || entry.compare(entry.size() - 2, 2, ":*") != 0) return false;
  std::string prefix, port;
  if (!SplitOrigin(origin, prefix, port)) return false;
  // http://localhost:* also covers http://localhost (the default port).
  return prefix == entry.substr(0, entry.size() - 2) && (port.empty() || IsDigits(port));
}

bool IsPreflight(const httplib::Request& req) {
  return req.method == "OPTIONS" && req.has_header("Origin") && req.has_header("Access-Control-Request-Method");
}

}  // namespace

bool ValidCorsOriginEntry(const std::string& entry) {
  if (entry == "*") return true;
  std::string prefix, port;
  if (!SplitOrigin(entry, prefix, port)) return false;
  return port.empty() || port == "*" || IsDigits(port);
}

bool CorsOriginAllowed(const ServerConfig& config, const std::string& origin) {
  if (origin.empty()) return false;
  if (config.dev && (Matches("http://localhost:*", origin) || Matches("http://127.0.0.1:*", origin))) return true;
  return std::any_of(config.cors_origins.begin(), config.cors_origins.end(),
                     [&origin](const std::string& entry) { return Matches(entry, origin); });
}

bool ApplyCors(const ServerConfig& config, const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return false;
  // The answer depends on the Origin header, so shared caches must key on it.
  res.set_header("Vary", "Origin");
  const bool public_metadata = req.path.rfind("/.well-known/", 0) == 0;
  const bool allowed = CorsOriginAllowed(config, origin);
  if (allowed || public_metadata) {
    res.set_header("Access-Control-Allow-Origin", allowed ? origin : "*");
    res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
  }
  if (!IsPreflight(req)) return false;
  if (!allowed && !public_metadata) {
    SendError(res, Code::kOriginNotAllowed);
    return true;
  }
  res.set_header("Access-Control-Allow-Methods", kAllowMethods);
  res.set_header("Access-Control-Allow-Headers", kAllowHeaders);
  res.set_header("Access-Control-Max-Age", kMaxAge);
  res.status = 204;
  return true;
}

}  // namespace latchkey::http
