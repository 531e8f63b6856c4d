// The HTTP/1.1 front of the server, plain or over TLS: one event-loop thread accepts
// connections and reads each request head and body under limits and
// deadlines; complete requests go to a pool of worker threads that run the
// handler and write the answer. A slow or idle connection costs a little
// memory in the loop and never a worker, so slow clients cannot starve the
// others; a cap per client address bounds what one peer can hold. With TLS
// (tls_session.h) the same loop runs the handshakes and every limit applies
// unchanged: the handshake has to finish within the idle timeout.
//
// Thread safety: Bind and Run from one thread; Stop from any thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/request_head.h"

namespace latchkey::http {

struct FrontOptions {
  HeadLimits head;
  std::size_t max_body_bytes = 64 * 1024;  // beyond it 413, whatever the framing
  int head_timeout_ms = 10'000;            // first byte to the end of the head, else 408
  int body_timeout_ms = 10'000;            // end of the head to the end of the body, else 408
  int idle_timeout_ms = 5'000;             // keep-alive wait for the next request
  int write_timeout_ms = 10'000;           // without progress in sending the answer, the connection is closed
  int max_connections = 4096;              // beyond it new connections are closed at once
  int max_connections_per_ip = 64;         // beyond it 429 and close (exempt peers excepted)
  int keep_alive_max = 1000;               // requests per connection
  int workers = 64;
  // Both set: HTTPS on this port (PEM files, loaded by Bind); else plain HTTP.
  std::string tls_cert;
  std::string tls_key;
};

class Front {
 public:
  // Runs on a worker: answers a complete, well-framed request.
  using Handler = std::function<void(httplib::Request&, httplib::Response&)>;
  // Runs on the loop thread: fills in a refusal the front decided (res.status
  // is set: 400, 408, 413, 414, 429, 431, 501, 505). req holds what was read:
  // remote_addr always, method and path when the request line was parsed.
  using Refusal = std::function<void(const httplib::Request&, httplib::Response&)>;
  // Peers not subject to the per-address cap (trusted reverse proxies).
  using Exempt = std::function<bool(const std::string& ip)>;

  Front(FrontOptions options, Handler handler, Refusal refusal, Exempt exempt);
  ~Front();
  Front(const Front&) = delete;
  Front& operator=(const Front&) = delete;

  // Loads the TLS files if any, then listens on host:port (0: any free port)
  // without SO_REUSEPORT, so a second server on a port in use fails here.
  // Returns the port, or -1 with `error`.
  int Bind(const std::string& host, int port, std::string& error);
  // Serves until Stop(), also one that came before Run() (a signal between
  // Bind and Run is not lost): then answers the requests being handled (up
  // to 5 s), closes every connection and returns. False if the loop could
  // not start.
  bool Run();
  void Stop();

 private:
  struct Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace latchkey::http
