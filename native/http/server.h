// The HTTP server: cpp-httplib with the cross-cutting concerns as hooks
// (request ids, security headers, CORS, limits, JSON errors, access log,
// metrics) and the routes of routes_*.cc. Owns nothing but the listener.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>

#include "http/client_ip.h"
#include "http/routes.h"
#include "log/logger.h"

namespace latchkey::http {

class Server {
 public:
  Server(Services deps, Logger& logger, RandomSource& random);
  ~Server();

  // Binds to config().host:port (port 0: any free port); returns the port.
  Result<int> Bind();
  // Serves until Stop(). Returns false if the listener failed.
  bool Run();
  // Stops accepting, lets requests in progress finish (up to a few seconds),
  // then closes idle keep-alive connections so Run() returns promptly.
  void Stop();

 private:
  void InstallHooks();
  void MountPackage(const std::string& root);

  Services deps_;
  Logger& logger_;
  RandomSource& random_;
  TrustedProxies trusted_proxies_;
  int port_ = 0;
  std::atomic<int> in_flight_{0};  // requests between the first and the last hook
  std::unique_ptr<httplib::Server> server_;
};

// Route label for metrics: ids replaced so that label values stay few.
std::string RouteLabel(const std::string& method, const std::string& path);

}  // namespace latchkey::http
