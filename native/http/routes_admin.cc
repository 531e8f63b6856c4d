// /admin/*: users, the audit log, key rotation. Admins only.
#include "http/routes.h"
#include "log/logger.h"

namespace latchkey::http {
namespace {

constexpr const char* kUserPath = R"(/admin/users/([0-9a-f-]{36}))";

Json AuditJson(const AuditEvent& e, const AuditListing& listing) {
  Json detail = Json::object();
  if (Result<Json> parsed = ParseJson(e.detail); parsed.ok()) detail = std::move(parsed).value();
  const auto email_of = [&](const std::optional<std::string>& id) {
    if (!id) return Json();
    const auto found = listing.emails.find(*id);
    return found != listing.emails.end() && found->second ? Json(*found->second) : Json();
  };
  return Json{{"id", e.id},
              {"at", FormatTime(e.at)},
              {"event", e.event},
              {"user_id", e.user_id ? Json(*e.user_id) : Json()},
              {"user_email", email_of(e.user_id)},
              {"actor_id", e.actor_id ? Json(*e.actor_id) : Json()},
              {"actor_email", email_of(e.actor_id)},
              {"session_id", e.session_id ? Json(*e.session_id) : Json()},
              {"ip", e.ip},
              {"request_id", e.request_id},
              {"detail", std::move(detail)}};
}

// RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" or Unix seconds.
std::optional<std::int64_t> ParseTime(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 12) return std::stoll(text);
  std::tm tm{};
  if (text.size() != 20 || text[19] != 'Z' || !strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

void RegisterAdminRoutes(Router& server, Services services) {
  SessionIssuer& issuer = services.issuer;
  AdminService& admin = services.admin;
  MfaService& mfa = services.mfa;
  // Every admin route: signed in, and at aal2 when --require-aal2-for admin says so.
  auto admin_only = [&issuer, &mfa](AuthedHandler handler) {
    return Authenticated(issuer, Assured(mfa, "admin", std::move(handler)));
  };
  server.Get(
      "/admin/users",
      admin_only([&admin](const httplib::Request& req, httplib::Response& res, const Principal& who, RequestContext&) {
        const auto limit = IntParam(req, "limit", 20, 1, 100);
        const auto offset = IntParam(req, "offset", 0, 0, 1'000'000);
        const std::string search = req.get_param_value("search");
        if (!limit || !offset || search.size() > 100) return SendError(res, Code::kValidationFailed);
        Result<UserPage> page = admin.ListUsers(Actor::Of(who), search, *limit, *offset);
        if (!page.ok()) return SendError(res, page.code());
        Json users = Json::array();
        for (const User& user : page->users) users.push_back(UserJson(user));
        SendJson(res, 200,
                 Json{{"users", std::move(users)}, {"total", page->total}, {"limit", *limit}, {"offset", *offset}});
      }));

  server.Get(kUserPath, admin_only([&admin](const httplib::Request& req, httplib::Response& res, const Principal& who,
                                            RequestContext&) {
               Result<User> user = admin.GetUser(Actor::Of(who), req.matches[1].str());
               if (!user.ok()) return SendError(res, user.code());
               SendJson(res, 200, UserJson(*user));
             }));

  server.Patch(kUserPath, admin_only([&admin](const httplib::Request& req, httplib::Response& res, const Principal& who,
                                              RequestContext& ctx) {
                 const std::optional<Json> body = ReadJsonObject(req, res);
                 if (!body) return;
                 std::optional<std::string> role;
                 std::optional<bool> disabled;
                 for (const auto& [key, value] : body->items()) {
                   if (key == "role" && value.is_string()) {
                     role = value.get<std::string>();
                   } else if (key == "disabled" && value.is_boolean()) {
                     disabled = value.get<bool>();
                   } else {
                     return SendError(res, Code::kValidationFailed, 0, Json{{"field", key}});
                   }
                 }
                 Result<User> user = admin.UpdateUser(Actor::Of(who), req.matches[1].str(), role, disabled, ctx);
                 if (!user.ok()) return SendError(res, user.code());
                 SendJson(res, 200, UserJson(*user));
               }));

  server.Delete(kUserPath, admin_only([&admin](const httplib::Request& req, httplib::Response& res,
                                               const Principal& who, RequestContext& ctx) {
                  const Status status = admin.DeleteUser(Actor::Of(who), req.matches[1].str(), ctx);
                  if (!status.ok()) return SendError(res, status.code());
                  res.status = 204;
                }));

  server.Get(
      "/admin/audit",
      admin_only([&admin](const httplib::Request& req, httplib::Response& res, const Principal& who, RequestContext&) {
        AuditQuery query;
        const auto limit = IntParam(req, "limit", 50, 1, 200);
        const auto offset = IntParam(req, "offset", 0, 0, 10'000'000);
        if (!limit || !offset) return SendError(res, Code::kValidationFailed);
        query.limit = *limit;
        query.offset = *offset;
        if (req.has_param("user_id")) query.user_id = req.get_param_value("user_id");
        if (req.has_param("event")) query.event = req.get_param_value("event");
        if ((query.user_id && query.user_id->size() > 64) || (query.event && query.event->size() > 64)) {
          return SendError(res, Code::kValidationFailed);
        }
        for (const char* name : {"since", "until"}) {
          if (!req.has_param(name)) continue;
          const std::optional<std::int64_t> at = ParseTime(req.get_param_value(name));
          if (!at) return SendError(res, Code::kValidationFailed, 0, Json{{"field", name}});
          (std::string_view(name) == "since" ? query.since : query.until) = at;
        }
        Result<AuditListing> listing = admin.QueryAudit(Actor::Of(who), query);
        if (!listing.ok()) return SendError(res, listing.code());
        Json events = Json::array();
        for (const AuditEvent& e : listing->page.events) events.push_back(AuditJson(e, *listing));
        SendJson(
            res, 200,
            Json{
                {"events", std::move(events)}, {"total", listing->page.total}, {"limit", *limit}, {"offset", *offset}});
      }));

  server.Post("/admin/keys/rotate", admin_only([&admin](const httplib::Request&, httplib::Response& res,
                                                        const Principal& who, RequestContext& ctx) {
                Result<std::string> kid = admin.RotateKeys(Actor::Of(who), ctx);
                if (!kid.ok()) return SendError(res, kid.code());
                SendJson(res, 200, Json{{"kid", *kid}});
              }));
}

}  // namespace latchkey::http
