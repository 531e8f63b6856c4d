// TLS for the HTTP front (--tls-cert/--tls-key): one OpenSSL context loaded
// at start, and one non-blocking session per connection over its socket. The
// front's event loop drives the sessions exactly as it drives plain sockets,
// so every limit and deadline of the front applies to HTTPS the same way.
//
// Thread safety: a context is shared read-only; a session is used by one
// thread at a time (the loop, or the worker that owns the request).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

struct ssl_st;
struct ssl_ctx_st;

namespace latchkey::http {

class TlsContext {
 public:
  // The certificate chain and private key (PEM files). nullptr with `error`
  // when they cannot be read or do not belong together.
  static std::unique_ptr<TlsContext> Load(const std::string& cert_file, const std::string& key_file,
                                          std::string& error);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* native() const { return context_; }

 private:
  explicit TlsContext(ssl_ctx_st* context) : context_(context) {}
  ssl_ctx_st* context_;
};

// The outcome of one read or write on a socket, with or without TLS.
enum class Io {
  kOk,    // `n` bytes moved (n > 0)
  kWait,  // nothing possible now: wait for the socket (epoll resumes it)
  kEnd,   // the peer closed, or the connection failed: close it
};

class TlsSession {
 public:
  // Server side of a handshake on `fd` (non-blocking); the first Read runs it.
  // nullptr when OpenSSL cannot make a session (out of memory).
  static std::unique_ptr<TlsSession> Accept(const TlsContext& context, int fd);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  Io Read(char* buffer, std::size_t size, std::size_t& n);
  // A write that waits must be retried with the same bytes (the front keeps
  // them in its output buffer until they are out).
  Io Write(const char* data, std::size_t size, std::size_t& n);
  // Sends close_notify, best effort (never waits).
  void Shutdown();

 private:
  explicit TlsSession(ssl_st* ssl) : ssl_(ssl) {}
  ssl_st* ssl_;
};

// Whether the first bytes a client sent on a TLS port are a plain-HTTP
// request line rather than a TLS handshake (a ClientHello starts with 0x16).
bool LooksLikePlainHttp(const char* bytes, std::size_t size);

}  // namespace latchkey::http
