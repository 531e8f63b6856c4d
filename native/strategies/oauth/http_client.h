// The server's HTTP client towards sign-in providers (discovery, keys, token
// exchange, user info): libcurl with TLS verification on, no redirects
// followed, http and https only, a connect and a total timeout, and a cap on
// the response size. Every failure to get an answer is one code,
// kProviderUnavailable; what went wrong goes to the log, never to a client.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "latchkey/status.h"

namespace latchkey::oauth {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // for POST
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

struct HttpLimits {
  long connect_timeout_ms = 3000;
  long total_timeout_ms = 10000;
  std::size_t max_body_bytes = 1 << 20;
};

// `failure`, when given, receives a reason for the log (no secrets: it names
// the host and the kind of failure, never the request body or headers).
Result<HttpResponse> Fetch(const HttpRequest& request, const HttpLimits& limits, std::string* failure = nullptr);

// application/x-www-form-urlencoded, for token requests.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);
std::string UrlEncode(std::string_view text);

}  // namespace latchkey::oauth
