// An answer as bytes on the wire, written by the front's workers.
#pragma once

#include <httplib.h>

#include <string>

namespace latchkey::http {

// Status line, the handler's headers (never its framing ones), Date,
// Content-Length and Connection, then the body (none for HEAD, 1xx, 204 and
// 304). keep_alive false adds "Connection: close".
std::string SerializeResponse(const httplib::Response& res, bool head_request, bool keep_alive, int minor_version);

}  // namespace latchkey::http
