#include "http/server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "http/cors.h"
#include "latchkey/encoding.h"
#include "metrics/metric_names.h"

namespace latchkey::http {
namespace {

const auto& Config(const Services& deps) { return deps.config; }

// Start time of the request being handled on this thread, for the access log,
// and whether it was counted in flight (requests httplib refuses before
// routing reach the logger without passing the first hook).
thread_local std::chrono::steady_clock::time_point request_start;
thread_local bool request_counted = false;

// Debian's cpp-httplib 0.11 is a compiled library whose sockets are private.
// Two of its limits are worked around by finding our own sockets among the
// process's descriptors: each TCP socket bound to `port` is passed to `act`
// with whether it is the listening one.
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

// Its listen backlog is 5, so a burst of new connections has SYNs dropped and
// waits a full second for the retry: listen again with the system's maximum
// (Linux updates the backlog in place).
void RaiseListenBacklog(int port) {
  ForEachSocketOnPort(port, 1024, [](int fd, bool listening) {
    if (listening) ::listen(fd, SOMAXCONN);
  });
}

// It keeps a worker in each idle keep-alive connection until the client
// closes it or the keep-alive timeout ends, and its stop() joins those
// workers. Shutting down the accepted sockets of our port (none is busy when
// this runs) ends them at once.
void CloseAcceptedConnections(int port) {
  ForEachSocketOnPort(port, std::min(::sysconf(_SC_OPEN_MAX), 65536L), [](int fd, bool listening) {
    if (!listening) ::shutdown(fd, SHUT_RDWR);
  });
}

}  // namespace

std::string RouteLabel(const std::string& method, const std::string& path) {
  std::string label = path;
  for (const std::string prefix : {"/admin/users/", "/auth/sessions/"}) {
    if (label.compare(0, prefix.size(), prefix) == 0 && label.size() > prefix.size()) label = prefix + "{id}";
  }
  static const char* kKnown[] = {"/auth/",   "/admin/",       "/.well-known/", "/healthz",
                                 "/metrics", "/openapi.json", "/dev/"};
  bool known = false;
  for (const char* prefix : kKnown) known = known || label.rfind(prefix, 0) == 0;
  if (!known) label = "static";  // the demo page and its files
  return method + " " + label;
}

Server::Server(Services deps, Logger& logger, RandomSource& random) : deps_(deps), logger_(logger), random_(random) {
  const ServerConfig& config = Config(deps_);
  if (!config.tls_cert.empty()) {
    server_ = std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  const int threads = config.http_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  server_->set_payload_max_length(config.max_body_bytes);
  server_->set_read_timeout(5);
  server_->set_write_timeout(5);
  server_->set_keep_alive_timeout(5);
  server_->set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes: without this, Nagle's
  // algorithm and delayed ACKs add ~40 ms to every keep-alive response.
  server_->set_tcp_nodelay(true);
  // Options checked every entry, so this parse cannot fail.
  if (Result<TrustedProxies> trusted = TrustedProxies::Parse(config.trusted_proxies); trusted.ok()) {
    trusted_proxies_ = std::move(trusted).value();
  }
  InstallHooks();
  RegisterAuthRoutes(*server_, deps_);
  RegisterAdminRoutes(*server_, deps_);
  RegisterRecoveryRoutes(*server_, deps_);
  RegisterMetaRoutes(*server_, deps_);
  MountPackage(config.package_root);
  if (!config.web_root.empty()) server_->set_mount_point("/", config.web_root);
}

// The demo page imports the npm package from /latchkey/js/index.js, so the
// page needs no build step. Types are set explicitly: browsers refuse module
// scripts without a JavaScript type and compile wasm by streaming only with
// application/wasm.
void Server::MountPackage(const std::string& root) {
  if (root.empty()) return;
  server_->set_file_extension_and_mimetype_mapping("js", "text/javascript");
  server_->set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  server_->set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
  if (!server_->set_mount_point("/latchkey/", root)) {
    logger_.Warn("package folder not found; /latchkey/ is not served", Json{{"package_root", root}});
  }
}

Server::~Server() = default;

void Server::InstallHooks() {
  const ServerConfig& config = Config(deps_);
  server_->set_pre_routing_handler([this, &config](const httplib::Request& req, httplib::Response& res) {
    request_start = std::chrono::steady_clock::now();
    request_counted = true;
    ++in_flight_;
    SetClientIp(ResolveClientIp(trusted_proxies_, req.remote_addr, req.get_header_value("X-Forwarded-For")));
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
    if (ApplyCors(config, req, res)) return httplib::Server::HandlerResponse::Handled;
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Anything that ended without a body (no route, body too large, a request
  // httplib could not parse) still gets the JSON error shape.
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Code code = Code::kInvalidArgument;
    if (res.status == 404) code = Code::kNotFound;
    if (res.status == 405) code = Code::kMethodNotAllowed;
    if (res.status == 413) code = Code::kRequestTooLarge;
    if (res.status >= 500) code = Code::kInternal;
    const int status = res.status;
    SendError(res, code);
    if (code == Code::kInvalidArgument) res.status = status;
  });

  server_->set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    logger_.Error("unhandled exception in a handler", Json{{"request_id", RequestId(res)}});
    SendError(res, Code::kInternal);
  });

  server_->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_start).count();
    const std::string route = RouteLabel(req.method, req.path);
    deps_.metrics.Increment(metric::kHttpRequests, {{"route", route}, {"status", std::to_string(res.status)}});
    const std::string ip = ClientIp(req);
    SetClientIp("");
    if (request_counted) {
      request_counted = false;
      --in_flight_;
    }
    if (!Config(deps_).access_log) return;
    // The path only: query strings and headers may carry secrets.
    logger_.Info("request", Json{{"request_id", RequestId(res)},
                                 {"method", req.method},
                                 {"path", req.path.size() > 200 ? req.path.substr(0, 200) : req.path},
                                 {"status", res.status},
                                 {"ms", static_cast<double>(static_cast<int>(ms * 100)) / 100},
                                 {"ip", ip}});
  });
}

Result<int> Server::Bind() {
  const ServerConfig& config = Config(deps_);
  if (!server_->is_valid()) return Code::kInvalidArgument;  // e.g. unreadable TLS files
  int port = config.port;
  if (port == 0) {
    port = server_->bind_to_any_port(config.host);
    if (port <= 0) return Code::kInternal;
  } else if (!server_->bind_to_port(config.host, port)) {
    return Code::kInternal;
  }
  RaiseListenBacklog(port);
  port_ = port;
  return port;
}

bool Server::Run() { return server_->listen_after_bind(); }

void Server::Stop() {
  server_->stop();
  // Requests being handled finish and are answered; then idle connections go.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CloseAcceptedConnections(port_);
}

}  // namespace latchkey::http
