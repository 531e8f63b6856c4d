#include "http/server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

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

// In TLS mode, whether the request on this thread went through Handle (which
// logs it) or was refused by cpp-httplib before routing.
thread_local bool handled_here = false;

// cpp-httplib (TLS mode only) keeps a worker in each idle keep-alive
// connection and its stop() joins them: shutting down the accepted sockets of
// our port (none is busy when this runs) ends them at once. Its listen
// backlog of 5 is raised the same way (Linux updates it in place).
template <typename Act>
void ForEachSocketOnPort(int port, long max_fd, Act act) {
  for (int fd = 0; fd < max_fd; ++fd) {
    int listening = 0;
    socklen_t length = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0) continue;
    sockaddr_storage address{};
    socklen_t address_length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) continue;
    int bound = -1;
    if (address.ss_family == AF_INET) bound = ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    if (address.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
    if (bound == port) act(fd, listening != 0);
  }
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

  if (!config.tls_cert.empty()) {
    StartTls();
    return;
  }
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
  front_ = std::make_unique<Front>(
      options, [this](httplib::Request& req, httplib::Response& res) { Handle(req, res); },
      [this](const httplib::Request& req, httplib::Response& res) { Refuse(req, res); },
      // A trusted proxy carries many clients on its connections.
      [this](const std::string& ip) { return !trusted_proxies_.empty() && trusted_proxies_.Contains(ip); });
}

void Server::StartTls() {
  const ServerConfig& config = Config(deps_);
  tls_ = std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
  const int threads = config.http_threads;
  tls_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  tls_->set_payload_max_length(config.max_body_bytes);
  tls_->set_read_timeout(std::min(config.header_timeout, config.body_timeout));
  tls_->set_write_timeout(10);
  tls_->set_keep_alive_timeout(config.keep_alive_timeout);
  tls_->set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes: without this, Nagle's
  // algorithm and delayed ACKs add ~40 ms to every keep-alive response.
  tls_->set_tcp_nodelay(true);
  // cpp-httplib's default sets SO_REUSEPORT, which lets a second server bind
  // the same port and take half the clients.
  tls_->set_socket_options([](int fd) {
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Every request goes through Handle, which routes it itself.
  const httplib::Server::Handler all = [this](const httplib::Request& req, httplib::Response& res) {
    // The Request is cpp-httplib's own non-const object. Clearing its ranges
    // keeps it from answering a Range header with many parts (amplification).
    auto& request = const_cast<httplib::Request&>(req);
    request.ranges.clear();
    ++tls_in_flight_;
    handled_here = true;
    Handle(request, res);
    --tls_in_flight_;
  };
  for (auto add : {&httplib::Server::Get, &httplib::Server::Post, &httplib::Server::Put, &httplib::Server::Patch,
                   &httplib::Server::Delete, &httplib::Server::Options}) {
    (tls_.get()->*add)(".*", all);
  }
  tls_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (res.has_header("X-Request-Id")) return;  // answered by Handle
    ApplyCommonHeaders(req, res);
    FillErrorBody(res);
  });
  tls_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (handled_here) {
      handled_here = false;
      return;
    }
    Finish(req, res, "unmatched", std::chrono::steady_clock::now());
  });
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
  if (front_) {
    const int port = front_->Bind(config.host, config.port, bind_error_);
    if (port <= 0) return Code::kInternal;
    port_ = port;
    return port;
  }
  if (!tls_->is_valid()) {  // e.g. unreadable TLS files
    bind_error_ = "the TLS certificate or key could not be loaded";
    return Code::kInvalidArgument;
  }
  int port = config.port;
  if (port == 0) {
    port = tls_->bind_to_any_port(config.host);
  } else if (!tls_->bind_to_port(config.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    bind_error_ = "address already in use or not available";
    return Code::kInternal;
  }
  ForEachSocketOnPort(port, 1024, [](int fd, bool listening) {
    if (listening) ::listen(fd, SOMAXCONN);
  });
  port_ = port;
  return port;
}

bool Server::Run() { return front_ ? front_->Run() : tls_->listen_after_bind(); }

void Server::Stop() {
  if (front_) {
    front_->Stop();
    return;
  }
  tls_->stop();
  // Requests being handled finish and are answered; then idle connections go.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (tls_in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ForEachSocketOnPort(port_, std::min(::sysconf(_SC_OPEN_MAX), 65536L), [](int fd, bool listening) {
    if (!listening) ::shutdown(fd, SHUT_RDWR);
  });
}

}  // namespace latchkey::http
