#include "http/responses.h"

#include <charconv>
#include <chrono>

#include "log/logger.h"

namespace latchkey::http {

std::string RequestId(const httplib::Response& res) { return res.get_header_value("X-Request-Id"); }

void ReplaceHeader(httplib::Response& res, const std::string& name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name, value);
}

namespace {
thread_local std::string current_client_ip;
}  // namespace

void SetClientIp(std::string ip) { current_client_ip = std::move(ip); }

std::string ClientIp(const httplib::Request& req) {
  return current_client_ip.empty() ? req.remote_addr : current_client_ip;
}

RequestContext MakeContext(const httplib::Request& req, const httplib::Response& res) {
  RequestContext ctx;
  ctx.ip = ClientIp(req);
  ctx.user_agent = req.get_header_value("User-Agent");
  ctx.request_id = RequestId(res);
  ctx.now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  ctx.monotonic = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return ctx;
}

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, Code code, std::int64_t retry_after, Json extra) {
  const ErrorInfo& info = Describe(code);
  Json body = {{"error", info.wire}, {"message", info.message}, {"request_id", RequestId(res)}};
  for (auto& [key, value] : extra.items()) body[key] = value;
  if (info.http_status == 401) {
    // RFC 6750 §3: error="invalid_token" only when an access token was sent
    // and refused; a wrong password or refresh token is not that.
    const bool bad_access_token = info.wire.rfind("token_", 0) == 0 && code != Code::kTokenMissing;
    const bool ended_session = code == Code::kSessionRevoked;
    res.set_header("WWW-Authenticate", bad_access_token || ended_session
                                           ? R"(Bearer realm="latchkey", error="invalid_token")"
                                           : R"(Bearer realm="latchkey")");
  }
  if (retry_after > 0) res.set_header("Retry-After", std::to_string(retry_after));
  SendJson(res, info.http_status, body);
}

void SendTokens(httplib::Response& res, int status, const TokenGrant& grant, std::int64_t now) {
  ReplaceHeader(res, "Cache-Control", "no-store");
  ReplaceHeader(res, "Pragma", "no-cache");
  if (grant.mfa) {
    // The first step passed; the session waits for POST /auth/mfa/challenge.
    SendJson(res, 200,
             Json{{"mfa_required", true},
                  {"mfa_token", grant.mfa->mfa_token},
                  {"expires_in", grant.mfa->expires_at - now},
                  {"expires_at", grant.mfa->expires_at},
                  {"factors", grant.mfa->factors}});
    return;
  }
  Json body{{"access_token", grant.access_token},
            {"token_type", "bearer"},
            {"expires_in", grant.expires_at - now},
            {"expires_at", grant.expires_at},
            {"user", UserJson(grant.user)}};
  // A step-up keeps the session's refresh token: none is sent.
  if (!grant.refresh_token.empty()) body["refresh_token"] = grant.refresh_token;
  SendJson(res, status, body);
}

std::optional<Json> OptionalJsonObject(const httplib::Request& req, httplib::Response& res) {
  if (req.body.empty()) return Json::object();
  return ReadJsonObject(req, res);
}

std::optional<Json> ReadJsonObject(const httplib::Request& req, httplib::Response& res) {
  const std::string type = req.get_header_value("Content-Type");
  if (type.compare(0, 16, "application/json") != 0) {
    SendError(res, Code::kUnsupportedMediaType);
    return std::nullopt;
  }
  Result<Json> body = ParseJson(req.body, JsonLimits{req.body.size(), kMaxJsonDepth});
  if (!body.ok()) {
    SendError(res, body.code() == Code::kJsonTooDeep || body.code() == Code::kJsonDuplicateKey ||
                           body.code() == Code::kUtf8Invalid
                       ? body.code()
                       : Code::kJsonInvalid);
    return std::nullopt;
  }
  if (!body->is_object()) {
    SendError(res, Code::kJsonInvalid);
    return std::nullopt;
  }
  return std::move(body).value();
}

std::optional<std::string> StringField(const Json& body, const char* name, std::size_t max_bytes, bool required,
                                       httplib::Response& res) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    SendError(res, Code::kValidationFailed, 0, Json{{"field", name}});
    return std::nullopt;
  }
  if (!it->is_string() || it->get_ref<const std::string&>().size() > max_bytes) {
    SendError(res, Code::kValidationFailed, 0, Json{{"field", name}});
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::optional<std::string>> CurrentPasswordField(const Json& body, httplib::Response& res) {
  std::optional<std::string> password;
  if (body.contains("current_password")) {
    password = StringField(body, "current_password", 1024, true, res);
    if (!password) return std::nullopt;
  }
  return password;
}

Json UserJson(const User& user) {
  return Json{{"id", user.id},
              {"email", user.email},
              {"name", user.name},
              {"role", user.role},
              {"email_verified", user.email_verified},
              {"pending_email", user.pending_email ? Json(*user.pending_email) : Json()},
              {"disabled", user.disabled},
              {"created_at", FormatTime(user.created_at)},
              {"updated_at", FormatTime(user.updated_at)}};
}

Json SessionJson(const Session& session, const std::string& current_id) {
  return Json{{"id", session.id},
              {"created_at", FormatTime(session.created_at)},
              {"last_used_at", FormatTime(session.last_used_at)},
              {"user_agent", session.user_agent},
              {"ip", session.ip},
              {"current", session.id == current_id}};
}

std::string BearerToken(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return "";
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return "";
  }
  return header.substr(kScheme.size());
}

std::optional<std::int64_t> IntParam(const httplib::Request& req, const char* name, std::int64_t fallback,
                                     std::int64_t min, std::int64_t max) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace latchkey::http
