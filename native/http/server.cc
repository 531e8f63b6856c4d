#include "http/server.h"

#include "http/cors.h"
#include "latchkey/encoding.h"
#include "metrics/metric_names.h"

namespace latchkey::http {
namespace {

const auto& Config(const Services& deps) { return deps.config; }

// Answers that ended without a body (no route, a refusal of the front or of
// cpp-httplib) get the JSON error shape with the code for their status.
void FillErrorBody(httplib::Response& res) {
  if (res.status < 400 || !res.body.empty()) return;
  Code code = Code::kInvalidArgument;
  switch (res.status) {
    case 404:
      code = Code::kNotFound;
      break;
    case 405:
      code = Code::kMethodNotAllowed;
      break;
    case 408:
      code = Code::kRequestTimeout;
      break;
    case 413:
      code = Code::kRequestTooLarge;
      break;
    case 414:
      code = Code::kUriTooLong;
      break;
    case 429:
      code = Code::kRateLimited;
      break;
    case 431:
      code = Code::kHeadersTooLarge;
      break;
    case 501:
      code = Code::kNotImplemented;
      break;
    case 503:
      code = Code::kServerBusy;
      break;
    default:
      code = res.status >= 500 && res.status != 505 ? Code::kInternal : Code::kInvalidArgument;
  }
  const int status = res.status;
  SendError(res, code, code == Code::kRateLimited || code == Code::kServerBusy ? 1 : 0);
  if (code == Code::kInvalidArgument) res.status = status;
}

}  // namespace

std::string RouteLabel(const std::string& method, const std::string& route) {
  return (IsKnownMethod(method) ? method : std::string("OTHER")) + " " + route;
}

Server::Server(Services deps, Logger& logger, RandomSource& random) : deps_(deps), logger_(logger), random_(random) {
  const ServerConfig& config = Config(deps_);
  // Options checked every entry, so this parse cannot fail.
  if (Result<TrustedProxies> trusted = TrustedProxies::Parse(config.trusted_proxies); trusted.ok()) {
    trusted_proxies_ = std::move(trusted).value();
  }
  RegisterAuthRoutes(router_, deps_);
  RegisterAdminRoutes(router_, deps_);
  RegisterMfaRoutes(router_, deps_);
  RegisterOAuthRoutes(router_, deps_);
  RegisterPasskeyRoutes(router_, deps_);
  RegisterRecoveryRoutes(router_, deps_);
  RegisterMetaRoutes(router_, deps_);
  // The demo page imports the npm package from /latchkey/js/index.js, so the
  // page needs no build step. Types are explicit: browsers refuse module
  // scripts without a JavaScript type and compile wasm by streaming only with
  // application/wasm.
  static_files_.SetType("js", "text/javascript");
  static_files_.SetType("mjs", "text/javascript");
  static_files_.SetType("wasm", "application/wasm");
  if (!config.package_root.empty() && !static_files_.Mount("/latchkey/", config.package_root)) {
    logger_.Warn("package folder not found; /latchkey/ is not served", Json{{"package_root", config.package_root}});
  }
  if (!config.web_root.empty()) static_files_.Mount("/", config.web_root);

  FrontOptions options;
  options.head.max_request_line = config.max_request_line;
  options.head.max_head_bytes = config.max_header_bytes;
  options.head.max_headers = config.max_headers;
  options.max_body_bytes = config.max_body_bytes;
  options.head_timeout_ms = config.header_timeout * 1000;
  options.body_timeout_ms = config.body_timeout * 1000;
  options.idle_timeout_ms = config.keep_alive_timeout * 1000;
  options.max_connections = config.max_connections;
  options.max_connections_per_ip = config.max_connections_per_ip;
  options.workers = config.http_threads;
  options.tls_cert = config.tls_cert;
  options.tls_key = config.tls_key;
  front_ = std::make_unique<Front>(
      options, [this](httplib::Request& req, httplib::Response& res) { Handle(req, res); },
      [this](const httplib::Request& req, httplib::Response& res) { Refuse(req, res); },
      // A trusted proxy carries many clients on its connections.
      [this](const std::string& ip) { return !trusted_proxies_.empty() && trusted_proxies_.Contains(ip); });
}

Server::~Server() = default;

std::string Server::LabelFor(const std::string& path) const {
  for (const char* method : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
    httplib::Request probe;
    probe.method = method;
    probe.path = path;
    if (const Router::Route* route = router_.Find(probe)) return route->label;
  }
  return "unmatched";
}

bool Server::ApplyCommonHeaders(const httplib::Request& req, httplib::Response& res) {
  const ServerConfig& config = Config(deps_);
  res.set_header("X-Request-Id", HexEncode(RandomBytes(random_, 12)));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; "
                 "style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  if (!config.tls_cert.empty()) res.set_header("Strict-Transport-Security", "max-age=31536000");
  if (req.path.rfind("/auth/", 0) == 0 || req.path.rfind("/admin/", 0) == 0) {
    res.set_header("Cache-Control", "no-store");
  }
  return ApplyCors(config, req, res);
}

void Server::Handle(httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  SetClientIp(ResolveClientIp(trusted_proxies_, req.remote_addr, req.get_header_value("X-Forwarded-For")));
  std::string route;
  if (ApplyCommonHeaders(req, res)) {
    route = LabelFor(req.path);
  } else if (const Router::Route* found = router_.Find(req)) {
    route = found->label;
    try {
      found->handler(req, res);
    } catch (...) {
      logger_.Error("unhandled exception in a handler", Json{{"request_id", RequestId(res)}});
      res.body.clear();
      SendError(res, Code::kInternal);
    }
  } else if (static_files_.Serve(req, res)) {
    route = "static";
  } else {
    route = LabelFor(req.path);
    res.status = 404;
  }
  if (res.status == -1) res.status = 200;
  FillErrorBody(res);
  Finish(req, res, route, start);
}

void Server::Refuse(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  SetClientIp(req.remote_addr);
  ApplyCommonHeaders(req, res);
  FillErrorBody(res);
  Finish(req, res, req.path.empty() ? "unmatched" : LabelFor(req.path), start);
}

void Server::Finish(const httplib::Request& req, const httplib::Response& res, const std::string& route,
                    std::chrono::steady_clock::time_point start) {
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  deps_.metrics.Increment(metric::kHttpRequests,
                          {{"route", RouteLabel(req.method, route)}, {"status", std::to_string(res.status)}});
  const std::string ip = ClientIp(req);
  SetClientIp("");
  if (!Config(deps_).access_log) return;
  // The path only: query strings and headers may carry secrets. The method
  // only when it is one we implement.
  logger_.Info("request", Json{{"request_id", RequestId(res)},
                               {"method", IsKnownMethod(req.method) ? req.method : std::string("OTHER")},
                               {"path", req.path.size() > 200 ? req.path.substr(0, 200) : req.path},
                               {"status", res.status},
                               {"ms", static_cast<double>(static_cast<int>(ms * 100)) / 100},
                               {"ip", ip}});
}

Result<int> Server::Bind() {
  const ServerConfig& config = Config(deps_);
  const int port = front_->Bind(config.host, config.port, bind_error_);
  if (port <= 0) return Code::kInternal;
  port_ = port;
  return port;
}

bool Server::Run() { return front_->Run(); }

void Server::Stop() { front_->Stop(); }

}  // namespace latchkey::http
