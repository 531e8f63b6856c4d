#include "http/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>

namespace latchkey::http {
namespace {

std::string LastError(const char* what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return what;
  char text[256] = {};
  ERR_error_string_n(code, text, sizeof text);
  return std::string(what) + ": " + text;
}

// A failed or refused call leaves OpenSSL's per-thread error queue set: clear
// it, or a later call on this thread would report a stale error.
Io Outcome(ssl_st* ssl, int rc, std::size_t& n) {
  if (rc > 0) {
    n = static_cast<std::size_t>(rc);
    return Io::kOk;
  }
  n = 0;
  const int error = SSL_get_error(ssl, rc);
  ERR_clear_error();
  // Either direction can wait on either: a read may need to send handshake
  // bytes and a write may need to read. The front retries both on any event.
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return Io::kWait;
  return Io::kEnd;
}

}  // namespace

std::unique_ptr<TlsContext> TlsContext::Load(const std::string& cert_file, const std::string& key_file,
                                             std::string& error) {
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) {
    error = LastError("cannot create a TLS context");
    return nullptr;
  }
  auto result = std::unique_ptr<TlsContext>(new TlsContext(context));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  // No renegotiation (a client-driven CPU cost), no compression (CRIME).
  SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Answers are written from a buffer the front may move (a std::string
  // handed from a worker to the loop) and may go out in several pieces.
  SSL_CTX_set_mode(context,
                   SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(context, cert_file.c_str()) != 1) {
    error = LastError("cannot load the TLS certificate");
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    error = LastError("cannot load the TLS key");
    return nullptr;
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    error = LastError("the TLS key does not match the certificate");
    return nullptr;
  }
  return result;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

std::unique_ptr<TlsSession> TlsSession::Accept(const TlsContext& context, int fd) {
  SSL* ssl = SSL_new(context.native());
  if (ssl == nullptr) {
    ERR_clear_error();
    return nullptr;
  }
  // The socket BIO does not close fd: the front owns the descriptor.
  if (SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    SSL_free(ssl);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return std::unique_ptr<TlsSession>(new TlsSession(ssl));
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

Io TlsSession::Read(char* buffer, std::size_t size, std::size_t& n) {
  ERR_clear_error();
  const int rc = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
  return Outcome(ssl_, rc, n);
}

Io TlsSession::Write(const char* data, std::size_t size, std::size_t& n) {
  ERR_clear_error();
  const int rc = SSL_write(ssl_, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
  return Outcome(ssl_, rc, n);
}

void TlsSession::Shutdown() {
  ERR_clear_error();
  if (SSL_is_init_finished(ssl_)) SSL_shutdown(ssl_);
  ERR_clear_error();
}

bool LooksLikePlainHttp(const char* bytes, std::size_t size) {
  // Request methods are upper-case tokens; a TLS record never starts with a letter.
  return size > 0 && bytes[0] >= 'A' && bytes[0] <= 'Z';
}

}  // namespace latchkey::http
