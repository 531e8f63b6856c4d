#include "http/front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/chunked_body.h"
#include "http/response_writer.h"
#include "http/tls_session.h"

namespace latchkey::http {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// recv/send as an Io outcome. A retry on EINTR keeps an edge-triggered event
// from being lost.
template <typename Call>
Io SocketIo(Call call, std::size_t& n) {
  ssize_t rc = 0;
  do {
    rc = call();
  } while (rc < 0 && errno == EINTR);
  n = rc > 0 ? static_cast<std::size_t>(rc) : 0;
  if (rc > 0) return Io::kOk;
  if (rc < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Io::kWait;
  return Io::kEnd;
}

// Sends through TLS when the connection has a session.
Io Send(int fd, TlsSession* tls, const char* data, std::size_t size, std::size_t& n) {
  if (tls != nullptr) return tls->Write(data, size, n);
  return SocketIo([&] { return ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT); }, n);
}

std::string PeerAddress(const sockaddr_storage& address, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    port = ntohs(in6->sin6_port);
    // IPv4-mapped peers are shown as IPv4, as everywhere else.
    if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
      ::inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], text, sizeof text);
    }
  }
  return text;
}

}  // namespace

// ---------------------------------------------------------------------------

struct Front::Loop {
  enum class Phase {
    kIdle,      // waiting for the first byte of a request
    kHead,      // reading the head
    kBody,      // reading the body
    kBusy,      // a worker has the request
    kWriting,   // the answer is going out
    kDraining,  // refused: reading and dropping what the client still sends, then close
  };

  struct Connection {
    int fd = -1;
    std::uint64_t id = 0;
    std::string ip;
    int port = 0;
    bool counted_for_ip = false;
    std::unique_ptr<TlsSession> tls;  // on a TLS port
    bool tls_checked = false;         // its first byte was looked at (plain HTTP or TLS)
    Phase phase = Phase::kIdle;
    std::int64_t deadline = 0;
    std::string in;
    std::size_t in_pos = 0;        // bytes of `in` already used
    std::size_t head_scanned = 0;  // bytes of the head so far searched for a line end
    bool head_newline = false;     // a line end was seen in the head so far
    RequestHead head;
    std::string body;
    std::uint64_t body_left = 0;
    std::optional<ChunkedDecoder> chunked;
    std::string out;
    std::size_t out_pos = 0;
    bool close_after_write = false;
    std::size_t drained = 0;
    int served = 0;
  };

  struct Job {
    int fd;
    std::uint64_t id;
    TlsSession* tls;  // the connection's; the loop leaves it alone while a worker has the request
    httplib::Request request;
    bool head_request;
    bool keep_alive;
    int minor_version;
  };
  struct Done {
    int fd;
    std::uint64_t id;
    std::string out;
    std::size_t sent;  // bytes of `out` the worker already sent
    bool keep_alive;
  };

  FrontOptions options;
  Handler handler;
  Refusal refusal;
  Exempt exempt;
  std::unique_ptr<TlsContext> tls_context;  // set: HTTPS

  int listener = -1;
  int epoll = -1;
  int wakeup = -1;  // eventfd: a worker finished, or Stop() was called
  std::atomic<bool> stopping{false};
  std::unordered_map<int, std::unique_ptr<Connection>> connections;
  std::unordered_map<std::string, int> per_ip;
  std::uint64_t next_id = 1;
  std::int64_t accept_paused_until = 0;

  std::mutex jobs_mutex;
  std::condition_variable jobs_ready;
  std::deque<Job> jobs;
  bool workers_exit = false;
  std::vector<std::thread> workers;

  std::mutex done_mutex;
  std::vector<Done> done;

  ~Loop() {
    for (auto& [fd, connection] : connections) ::close(fd);
    if (listener >= 0) ::close(listener);
    if (epoll >= 0) ::close(epoll);
    if (wakeup >= 0) ::close(wakeup);
  }

  void Wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wakeup, &one, sizeof one);
  }

  // --- workers ---------------------------------------------------------------

  void StartWorkers() {
    for (int i = 0; i < options.workers; ++i) workers.emplace_back([this] { WorkerMain(); });
  }

  void StopWorkers() {
    {
      std::lock_guard lock(jobs_mutex);
      workers_exit = true;
    }
    jobs_ready.notify_all();
    for (std::thread& worker : workers) worker.join();
    workers.clear();
  }

  void WorkerMain() {
    for (;;) {
      std::unique_lock lock(jobs_mutex);
      jobs_ready.wait(lock, [this] { return workers_exit || !jobs.empty(); });
      if (jobs.empty()) return;
      Job job = std::move(jobs.front());
      jobs.pop_front();
      lock.unlock();
      httplib::Response res;
      try {
        handler(job.request, res);
      } catch (...) {  // the handler maps its own errors; this is the last resort
        res = httplib::Response();
        res.status = 500;
      }
      std::string out = SerializeResponse(res, job.head_request, job.keep_alive, job.minor_version);
      // The connection is this worker's until it reports back (the loop
      // neither reads, writes nor closes it meanwhile), so the answer goes
      // out at once; what the socket does not take, the loop sends later.
      std::size_t sent = 0;
      while (sent < out.size()) {
        std::size_t n = 0;
        // Full, or an error the loop will meet again and close on: the loop
        // goes on from `sent` with the same bytes (as TLS requires).
        if (Send(job.fd, job.tls, out.data() + sent, out.size() - sent, n) != Io::kOk) break;
        sent += n;
      }
      bool wake = false;
      {
        std::lock_guard done_lock(done_mutex);
        wake = done.empty();  // the loop drains the whole list on one wake-up
        done.push_back(Done{job.fd, job.id, std::move(out), sent, job.keep_alive});
      }
      if (wake) Wake();
    }
  }

  // --- the loop --------------------------------------------------------------

  bool Run() {
    epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll < 0 || wakeup < 0 || listener < 0) return false;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wakeup;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event) != 0) return false;
    event.data.fd = listener;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event) != 0) return false;
    RaiseDescriptorLimit();
    if (tls_context) {
      // OpenSSL writes to the socket with write(), not send(MSG_NOSIGNAL): a
      // peer gone mid-answer would raise SIGPIPE and kill the process. Blocked
      // in the loop and (inherited) in the workers, it turns into EPIPE.
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    }
    StartWorkers();

    std::int64_t stop_deadline = 0;
    std::vector<epoll_event> events(256);
    std::int64_t next_sweep = NowMs() + 100;
    for (;;) {
      const int n = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 100);
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wakeup) {
          std::uint64_t count = 0;
          [[maybe_unused]] const ssize_t r = ::read(wakeup, &count, sizeof count);
          TakeFinished();
        } else if (fd == listener) {
          Accept();
        } else {
          OnEvent(fd, events[i].events);
        }
      }
      const std::int64_t now = NowMs();
      if (stopping && stop_deadline == 0) {
        stop_deadline = now + 5000;
        BeginStop();
      }
      if (now >= next_sweep) {
        Sweep(now);
        next_sweep = now + 100;
      }
      if (stop_deadline != 0 && (connections.empty() || now >= stop_deadline)) break;
    }
    // Whatever is left is cut off; workers finish the handler they run.
    for (auto& [fd, connection] : connections) ::shutdown(fd, SHUT_RDWR);
    StopWorkers();
    for (auto& [fd, connection] : connections) ::close(fd);
    connections.clear();
    return true;
  }

  // Every connection is a descriptor: the usual soft limit of 1024 would stop
  // accepting long before --max-connections.
  void RaiseDescriptorLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    const rlim_t wanted = static_cast<rlim_t>(options.max_connections) + 256;
    if (limit.rlim_cur >= wanted) return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }

  void BeginStop() {
    if (listener >= 0) {
      ::epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nullptr);
      ::close(listener);
      listener = -1;
    }
    // Requests being handled or answered finish; everything else goes now.
    std::vector<int> idle;
    for (auto& [fd, connection] : connections) {
      if (connection->phase == Phase::kBusy || connection->phase == Phase::kWriting) {
        connection->close_after_write = true;
      } else {
        idle.push_back(fd);
      }
    }
    for (const int fd : idle) Close(fd);
  }

  void Accept() {
    for (;;) {
      sockaddr_storage address{};
      socklen_t length = sizeof address;
      const int fd = ::accept4(listener, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment instead of spinning.
          ::epoll_ctl(epoll, EPOLL_CTL_DEL, listener, nullptr);
          accept_paused_until = NowMs() + 100;
        }
        return;
      }
      if (static_cast<int>(connections.size()) >= options.max_connections) {
        ::close(fd);
        continue;
      }
      const int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      auto connection = std::make_unique<Connection>();
      if (tls_context) {
        connection->tls = TlsSession::Accept(*tls_context, fd);
        if (!connection->tls) {
          ::close(fd);
          continue;
        }
      }
      connection->fd = fd;
      connection->id = next_id++;
      connection->ip = PeerAddress(address, connection->port);
      connection->deadline = NowMs() + options.idle_timeout_ms;
      epoll_event event{};
      event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      event.data.fd = fd;
      if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        ::close(fd);
        continue;
      }
      Connection& c = *connection;
      connections[fd] = std::move(connection);
      if (!exempt(c.ip)) {
        int& count = per_ip[c.ip];
        if (count >= options.max_connections_per_ip) {
          if (count == 0) per_ip.erase(c.ip);
          Refuse(c, 429);
          continue;
        }
        ++count;
        c.counted_for_ip = true;
      }
    }
  }

  void Close(int fd) {
    auto it = connections.find(fd);
    if (it == connections.end()) return;
    Connection& c = *it->second;
    if (c.counted_for_ip) {
      auto count = per_ip.find(c.ip);
      if (count != per_ip.end() && --count->second <= 0) per_ip.erase(count);
    }
    if (c.phase == Phase::kBusy) {
      // A worker still holds the request and may write: keep the descriptor
      // until it reports back, so the number is not reused under it.
      ::shutdown(fd, SHUT_RDWR);
      c.close_after_write = true;
      c.counted_for_ip = false;
      return;
    }
    ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    connections.erase(it);
  }

  void OnEvent(int fd, std::uint32_t events) {
    auto it = connections.find(fd);
    if (it == connections.end()) return;
    Connection& c = *it->second;
    // Under TLS a read may wait for the socket to take handshake bytes and a
    // write for bytes to arrive: any event resumes both.
    const bool tls = c.tls != nullptr;
    if ((events & EPOLLOUT) || tls) {
      if (c.phase == Phase::kWriting || (c.phase == Phase::kDraining && c.out_pos < c.out.size())) {
        if (!Write(c)) return;
      }
    }
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) || tls) ReadAndProcess(c);
  }

  // Reads while the connection is waiting for bytes, processing after each
  // read, so one client's stream never piles up in memory.
  void ReadAndProcess(Connection& c) {
    char buffer[16 * 1024];
    const int fd = c.fd;
    for (;;) {
      if (c.phase == Phase::kBusy || c.phase == Phase::kWriting) return;  // read again once answered
      // A refused client gets a little time to read the answer; what it sends
      // meanwhile is dropped, up to a budget, then left unread until the close.
      if (c.phase == Phase::kDraining && c.drained > 256 * 1024) return;
      // A TLS answer still going out may need the handshake's incoming bytes
      // (a refusal at accept): leave them to the session until it is sent.
      if (c.phase == Phase::kDraining && c.tls && c.out_pos < c.out.size()) return;
      if (c.tls && !c.tls_checked) {
        char first = 0;
        std::size_t peeked = 0;
        const Io io = SocketIo([&] { return ::recv(fd, &first, 1, MSG_PEEK); }, peeked);
        if (io == Io::kWait) return;
        if (io == Io::kEnd) {
          Close(fd);
          return;
        }
        c.tls_checked = true;
        if (LooksLikePlainHttp(&first, 1)) {
          // A plain-HTTP client on the TLS port: told so in plain HTTP,
          // which it can read, rather than with a TLS alert.
          c.tls.reset();
          if (!Refuse(c, 400)) return;
          continue;
        }
      }
      std::size_t n = 0;
      // What a refused client still sends is dropped unread, TLS or not.
      const Io io = c.phase == Phase::kDraining || !c.tls
                        ? SocketIo([&] { return ::recv(fd, buffer, sizeof buffer, 0); }, n)
                        : c.tls->Read(buffer, sizeof buffer, n);
      if (io == Io::kEnd) {
        Close(fd);
        return;
      }
      if (io == Io::kWait) return;
      if (c.phase == Phase::kDraining) {
        c.drained += n;
        continue;
      }
      c.in.append(buffer, n);
      if (!Process(c)) return;  // closed
    }
  }

  // Advances the connection's state with the bytes in c.in. False when the
  // connection was closed.
  bool Process(Connection& c) {
    for (;;) {
      const std::string_view available = std::string_view(c.in).substr(c.in_pos);
      switch (c.phase) {
        case Phase::kIdle:
        case Phase::kHead: {
          if (available.empty()) return Compact(c);
          if (c.phase == Phase::kIdle) {
            c.phase = Phase::kHead;
            c.deadline = NowMs() + options.head_timeout_ms;
            c.head_scanned = 0;
            c.head_newline = false;
          }
          // Parse again only when a line was completed or a limit passed:
          // parsing on every byte of a head that drips in would cost time
          // quadratic in its size.
          const std::size_t newline = available.find('\n', c.head_scanned);
          c.head_scanned = available.size();
          c.head_newline = c.head_newline || newline != std::string_view::npos;
          const bool over = available.size() > options.head.max_head_bytes + 2 ||
                            (!c.head_newline && available.size() > options.head.max_request_line + 1);
          if (newline == std::string_view::npos && !over) return Compact(c);
          HeadParse parsed = ParseRequestHead(available, options.head);
          if (parsed.state == HeadParse::State::kIncomplete) return Compact(c);
          if (parsed.state == HeadParse::State::kRefused) return Refuse(c, parsed.status);
          c.in_pos += parsed.consumed;
          c.head = std::move(parsed.head);
          c.body.clear();
          c.chunked.reset();
          if (c.head.framing == BodyFraming::kNone) {
            Dispatch(c);
            return true;
          }
          if (c.head.framing == BodyFraming::kLength) {
            if (c.head.content_length > options.max_body_bytes) return Refuse(c, 413);
            c.body_left = c.head.content_length;
            c.body.reserve(static_cast<std::size_t>(c.head.content_length));
          } else {
            c.chunked.emplace(options.max_body_bytes);
          }
          c.phase = Phase::kBody;
          c.deadline = NowMs() + options.body_timeout_ms;
          if (c.head.expect_continue && c.in_pos == c.in.size()) {
            static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
            std::size_t sent = 0;
            // A socket that cannot take 25 bytes now is not worth a queue
            // (and a TLS write that waits would have to be repeated as is).
            if (Send(c.fd, c.tls.get(), kContinue, sizeof kContinue - 1, sent) != Io::kOk ||
                sent != sizeof kContinue - 1) {
              Close(c.fd);
              return false;
            }
          }
          break;
        }
        case Phase::kBody: {
          if (c.chunked) {
            std::size_t used = 0;
            const ChunkedDecoder::State state = c.chunked->Feed(available, c.body, used);
            c.in_pos += used;
            if (state == ChunkedDecoder::State::kMalformed) return Refuse(c, 400);
            if (state == ChunkedDecoder::State::kTooLarge) return Refuse(c, 413);
            if (state == ChunkedDecoder::State::kNeedMore) return Compact(c);
          } else {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(c.body_left, available.size()));
            c.body.append(available.data(), n);
            c.in_pos += n;
            c.body_left -= n;
            if (c.body_left > 0) return Compact(c);
          }
          Dispatch(c);
          return true;
        }
        default:
          return true;
      }
    }
  }

  static bool Compact(Connection& c) {
    if (c.in_pos == c.in.size()) {
      c.in.clear();
      c.in_pos = 0;
    } else if (c.in_pos > 4096) {
      c.in.erase(0, c.in_pos);
      c.in_pos = 0;
    }
    return true;
  }

  static void FillTarget(httplib::Request& req, const std::string& target) {
    const std::size_t question = target.find('?');
    req.target = target;
    req.path = httplib::detail::decode_url(target.substr(0, question), false);
    if (question != std::string::npos) httplib::detail::parse_query_text(target.substr(question + 1), req.params);
  }

  void Dispatch(Connection& c) {
    Job job{c.fd, c.id, c.tls.get(), httplib::Request(), c.head.method == "HEAD", false, c.head.minor_version};
    httplib::Request& req = job.request;
    req.method = c.head.method;
    req.version = c.head.minor_version == 0 ? "HTTP/1.0" : "HTTP/1.1";
    FillTarget(req, c.head.target);
    for (auto& [name, value] : c.head.headers) req.headers.emplace(std::move(name), std::move(value));
    req.body = std::move(c.body);
    req.remote_addr = c.ip;
    req.remote_port = c.port;
    ++c.served;
    job.keep_alive = c.head.keep_alive && c.served < options.keep_alive_max && !stopping;
    c.close_after_write = !job.keep_alive;
    c.phase = Phase::kBusy;
    c.body = std::string();
    c.head = RequestHead();
    {
      std::lock_guard lock(jobs_mutex);
      jobs.push_back(std::move(job));
    }
    jobs_ready.notify_one();
  }

  // Answers with `status` and closes: the framing can no longer be trusted.
  bool Refuse(Connection& c, int status) {
    httplib::Request req;
    req.remote_addr = c.ip;
    req.remote_port = c.port;
    if (!c.head.method.empty()) {
      req.method = c.head.method;
      FillTarget(req, c.head.target);
    } else {
      // The method as a label is only ever one we know; refusals before the
      // request line was read have none.
      const std::string_view available = std::string_view(c.in).substr(c.in_pos);
      const std::size_t space = available.find(' ');
      const std::string_view method = available.substr(0, space);
      if (space != std::string_view::npos && IsKnownMethod(method)) req.method = std::string(method);
    }
    httplib::Response res;
    res.status = status;
    refusal(req, res);
    c.out = SerializeResponse(res, false, false, 1);
    c.out_pos = 0;
    c.in.clear();
    c.in_pos = 0;
    c.body = std::string();
    c.chunked.reset();
    c.close_after_write = true;
    c.phase = Phase::kDraining;
    c.deadline = NowMs() + 1000;
    return Write(c);
  }

  void TakeFinished() {
    std::vector<Done> finished;
    {
      std::lock_guard lock(done_mutex);
      finished.swap(done);
    }
    for (Done& d : finished) {
      auto it = connections.find(d.fd);
      if (it == connections.end() || it->second->id != d.id) continue;
      Connection& c = *it->second;
      const bool closing = c.close_after_write;
      c.phase = Phase::kWriting;
      c.out = std::move(d.out);
      c.out_pos = d.sent;
      c.close_after_write = closing || !d.keep_alive;
      c.deadline = NowMs() + options.write_timeout_ms;
      Write(c);
    }
  }

  // Writes what it can; when all is out, closes or waits for the next
  // request. False when the connection was closed.
  bool Write(Connection& c) {
    while (c.out_pos < c.out.size()) {
      std::size_t n = 0;
      const Io io = Send(c.fd, c.tls.get(), c.out.data() + c.out_pos, c.out.size() - c.out_pos, n);
      if (io == Io::kWait) return true;  // EPOLLOUT resumes it
      if (io == Io::kEnd) {
        Close(c.fd);
        return false;
      }
      c.out_pos += n;
      // The deadline is for progress, as nginx's send_timeout: a slow reader
      // of a large file holds only its buffer here, never a worker.
      if (c.phase == Phase::kWriting) c.deadline = NowMs() + options.write_timeout_ms;
    }
    c.out = std::string();
    c.out_pos = 0;
    if (c.phase == Phase::kDraining) {
      // Stop sending, keep reading briefly: closing with unread bytes would
      // reset the connection and could destroy the answer in flight.
      if (c.tls) c.tls->Shutdown();
      ::shutdown(c.fd, SHUT_WR);
      return true;
    }
    if (c.close_after_write || stopping) {
      if (c.tls) c.tls->Shutdown();
      Close(c.fd);
      return false;
    }
    c.phase = Phase::kIdle;
    c.deadline = NowMs() + options.idle_timeout_ms;
    if (!Process(c)) return false;  // a pipelined request already read
    ReadAndProcess(c);              // bytes that came while the request was handled
    return connections.count(c.fd) > 0;
  }

  void Sweep(std::int64_t now) {
    if (accept_paused_until != 0 && now >= accept_paused_until && listener >= 0) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = listener;
      ::epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
      accept_paused_until = 0;
    }
    std::vector<std::pair<int, Phase>> expired;
    for (auto& [fd, connection] : connections) {
      if (connection->phase != Phase::kBusy && connection->deadline <= now) expired.emplace_back(fd, connection->phase);
    }
    for (const auto& [fd, phase] : expired) {
      auto it = connections.find(fd);
      if (it == connections.end()) continue;
      if (phase == Phase::kHead || phase == Phase::kBody) {
        Refuse(*it->second, 408);
      } else {
        Close(fd);
      }
    }
  }
};

Front::Front(FrontOptions options, Handler handler, Refusal refusal, Exempt exempt) : loop_(std::make_unique<Loop>()) {
  loop_->options = options;
  loop_->handler = std::move(handler);
  loop_->refusal = std::move(refusal);
  loop_->exempt = std::move(exempt);
  // Made here, so a Stop() before Run() (a signal right after start) is
  // seen by Run's first wait instead of being lost.
  loop_->wakeup = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Front::~Front() = default;

int Front::Bind(const std::string& host, int port, std::string& error) {
  if (!loop_->options.tls_cert.empty()) {
    loop_->tls_context = TlsContext::Load(loop_->options.tls_cert, loop_->options.tls_key, error);
    if (!loop_->tls_context) return -1;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    error = ::gai_strerror(rc);
    return -1;
  }
  error = "no address to listen on";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR lets a restart bind while old connections sit in
    // TIME_WAIT; it never lets two servers listen on one port (SO_REUSEPORT
    // would, and the kernel would split clients between them).
    const int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      error = errno == EADDRINUSE ? "address already in use (is another server running on this port?)"
                                  : std::strerror(errno);
      ::close(fd);
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    int bound_port = 0;
    PeerAddress(bound, bound_port);
    ::freeaddrinfo(found);
    loop_->listener = fd;
    error.clear();
    return bound_port;
  }
  ::freeaddrinfo(found);
  return -1;
}

bool Front::Run() { return loop_->Run(); }

void Front::Stop() {
  loop_->stopping = true;
  loop_->Wake();
}

}  // namespace latchkey::http
