// Helpers shared by the route files: JSON bodies in and out, errors in the
// design's shape ({"error", "message", "request_id"}) with the right status
// and headers, and the JSON form of users, sessions and token grants.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "context/request_context.h"
#include "latchkey/json.h"
#include "sessions/session_issuer.h"

namespace latchkey::http {

inline constexpr std::size_t kMaxJsonDepth = 8;
inline constexpr std::size_t kMaxEmailField = 320;
inline constexpr std::size_t kMaxPasswordField = 1024;  // bytes; the policy counts code points after this
inline constexpr std::size_t kMaxNameField = 1024;

std::string RequestId(const httplib::Response& res);
// Sets a header, replacing any earlier value (httplib's set_header appends).
void ReplaceHeader(httplib::Response& res, const std::string& name, const std::string& value);
RequestContext MakeContext(const httplib::Request& req, const httplib::Response& res);

// The client address of the request being handled on this thread (see
// client_ip.h), set by the server's first hook and cleared by its last; the
// peer address when unset.
void SetClientIp(std::string ip);
std::string ClientIp(const httplib::Request& req);

void SendJson(httplib::Response& res, int status, const Json& body);
// Status, WWW-Authenticate (401), Retry-After (when ctx asks), body.
void SendError(httplib::Response& res, Code code, std::int64_t retry_after = 0, Json extra = Json::object());
// Tokens in the body: never cached anywhere.
void SendTokens(httplib::Response& res, int status, const TokenGrant& grant, std::int64_t now);

// The body as a JSON object, or the error already sent (returns nullopt).
std::optional<Json> ReadJsonObject(const httplib::Request& req, httplib::Response& res);
// The same for a body that may be absent: an empty body is {}.
std::optional<Json> OptionalJsonObject(const httplib::Request& req, httplib::Response& res);

// Reads a string member. Missing and required, not a string, or longer than
// max_bytes: sends validation_failed naming the field and returns nullopt.
std::optional<std::string> StringField(const Json& body, const char* name, std::size_t max_bytes, bool required,
                                       httplib::Response& res);
// The recent-auth proof a sensitive change may carry: `current_password`
// when present (inner nullopt when absent); outer nullopt when it is
// malformed (validation_failed already sent).
std::optional<std::optional<std::string>> CurrentPasswordField(const Json& body, httplib::Response& res);

Json UserJson(const User& user);
Json SessionJson(const Session& session, const std::string& current_id);

// "Bearer <token>" from the Authorization header; empty when absent or malformed.
std::string BearerToken(const httplib::Request& req);

// Parses an integer query parameter within [min, max]; default when absent.
std::optional<std::int64_t> IntParam(const httplib::Request& req, const char* name, std::int64_t fallback,
                                     std::int64_t min, std::int64_t max);

}  // namespace latchkey::http
