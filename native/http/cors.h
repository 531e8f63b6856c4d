// Cross-origin requests from browsers (CORS). The allow-list comes from
// --cors-origin (exact origins, "*", or a port wildcard such as
// http://localhost:*); --dev adds http://localhost:* and http://127.0.0.1:*.
// Allowed origins get the CORS headers and their preflights a 204; a
// preflight from any other origin is refused with 403 origin_not_allowed, so
// the browser's console and `curl -X OPTIONS` say why instead of a bare 404.
// Public metadata (/.well-known/) may be read from any origin.
#pragma once

#include <httplib.h>

#include <string>

#include "config/server_config.h"

namespace latchkey::http {

// Whether `entry` may be given to --cors-origin: "*", or scheme://host with an
// optional :port or :* and nothing after it (no path, no trailing slash).
bool ValidCorsOriginEntry(const std::string& entry);

// Whether a request's Origin header value is allowed by `config`.
bool CorsOriginAllowed(const ServerConfig& config, const std::string& origin);

// Adds the CORS headers for `req` to `res`. Returns true when the request was
// a preflight and `res` is its complete answer (204 or 403).
bool ApplyCors(const ServerConfig& config, const httplib::Request& req, httplib::Response& res);

}  // namespace latchkey::http
