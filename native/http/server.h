// The HTTP server: the routes of routes_*.cc and the static folders behind
// the cross-cutting concerns (request ids, security headers, CORS, client
// address, JSON errors, access log, metrics), served by our own front
// (front.h: bounded heads, bodies and framing, deadlines, a cap per client
// address, an event loop that slow clients cannot exhaust), plain HTTP or,
// with --tls-cert, HTTPS through the same loop (tls_session.h).
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "http/client_ip.h"
#include "http/front.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/static_files.h"
#include "log/logger.h"

namespace latchkey::http {

class Server {
 public:
  Server(Services deps, Logger& logger, RandomSource& random);
  ~Server();

  // Binds to config().host:port (port 0: any free port); returns the port.
  // A port already in use is an error (see bind_error()).
  Result<int> Bind();
  // Why Bind failed, for the operator.
  const std::string& bind_error() const { return bind_error_; }
  // Serves until Stop(). Returns false if the listener failed.
  bool Run();
  // Stops accepting, lets requests in progress finish (up to a few seconds),
  // then closes idle keep-alive connections so Run() returns promptly.
  void Stop();

 private:
  // One request, on a worker thread: headers, routing, errors, log, metric.
  void Handle(httplib::Request& req, httplib::Response& res);
  // A request the front refused before routing, on its loop thread.
  void Refuse(const httplib::Request& req, httplib::Response& res);
  // Request id and security headers; CORS. True when the request is answered
  // (an allowed preflight).
  bool ApplyCommonHeaders(const httplib::Request& req, httplib::Response& res);
  void Finish(const httplib::Request& req, const httplib::Response& res, const std::string& route,
              std::chrono::steady_clock::time_point start);
  std::string LabelFor(const std::string& path) const;

  Services deps_;
  Logger& logger_;
  RandomSource& random_;
  TrustedProxies trusted_proxies_;
  Router router_;
  StaticFiles static_files_;
  std::string bind_error_;
  int port_ = 0;
  std::unique_ptr<Front> front_;
};

// Metric label: a method the server implements (else OTHER) and a route
// label (a registered pattern, "static" or "unmatched"): few values, whatever
// clients send.
std::string RouteLabel(const std::string& method, const std::string& route);

}  // namespace latchkey::http
