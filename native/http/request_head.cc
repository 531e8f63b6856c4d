#include "http/request_head.h"

#include <limits>

namespace latchkey::http {
namespace {

using State = HeadParse::State;

HeadParse Refuse(int status) {
  HeadParse result;
  result.state = State::kRefused;
  result.status = status;
  return result;
}

// RFC 9110 §5.6.2 tchar.
bool IsTokenChar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Field values: visible ASCII, space, tab and obs-text; never CR, LF, NUL or
// another control character.
bool IsValueChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Does the comma-separated list hold `token` (case-insensitive)?
bool ListHas(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    if (EqualsIgnoreCase(TrimOws(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// 1*DIGIT; values too large to represent become the maximum (413 later).
bool ParseContentLength(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      value = std::numeric_limits<std::uint64_t>::max();
    } else {
      value = value * 10 + digit;
    }
  }
  return true;
}

// method SP request-target SP HTTP-version; 0 when it is acceptable.
int ParseRequestLine(std::string_view line, RequestHead& head) {
  const std::size_t first = line.find(' ');
  if (first == std::string_view::npos) return 400;
  const std::size_t second = line.find(' ', first + 1);
  if (second == std::string_view::npos) return 400;
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!IsToken(method) || target.empty()) return 400;
  for (const char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) return 400;
  }
  if (version == "HTTP/1.1") {
    head.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    head.minor_version = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' && version[5] <= '9' &&
             version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return 505;
  } else {
    return 400;
  }
  if (!IsKnownMethod(method)) return 501;
  if (target == "*") {
    if (method != "OPTIONS") return 400;
  } else if (target.front() != '/') {
    return 400;  // absolute-form and authority-form are for proxies
  }
  head.method = std::string(method);
  head.target = std::string(target);
  head.keep_alive = head.minor_version == 1;
  return 0;
}

// What the framing headers seen so far say.
struct Framing {
  int content_lengths = 0;
  int transfer_encodings = 0;
  int hosts = 0;
  bool connection_close = false;
  bool connection_keep_alive = false;
};

// name ":" OWS value OWS; 0 when it is acceptable.
int ParseHeaderLine(std::string_view line, RequestHead& head, Framing& framing) {
  if (line.front() == ' ' || line.front() == '\t') return 400;  // obs-fold
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return 400;
  const std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return 400;  // also refuses whitespace before the colon
  const std::string_view raw = line.substr(colon + 1);
  for (const char c : raw) {
    if (!IsValueChar(static_cast<unsigned char>(c))) return 400;
  }
  const std::string_view value = TrimOws(raw);
  if (EqualsIgnoreCase(name, "Content-Length")) {
    if (++framing.content_lengths > 1) return 400;
    if (!ParseContentLength(value, head.content_length)) return 400;
  } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
    // Exactly "chunked", written plainly: anything a proxy might read another
    // way ("chunked ", "\tchunked", "Chunked", "gzip, chunked") is refused.
    if (++framing.transfer_encodings > 1) return 400;
    if (raw != "chunked" && raw != " chunked") return 400;
  } else if (EqualsIgnoreCase(name, "Host")) {
    if (++framing.hosts > 1) return 400;
  } else if (EqualsIgnoreCase(name, "Connection")) {
    framing.connection_close = framing.connection_close || ListHas(value, "close");
    framing.connection_keep_alive = framing.connection_keep_alive || ListHas(value, "keep-alive");
  } else if (EqualsIgnoreCase(name, "Expect")) {
    head.expect_continue = EqualsIgnoreCase(value, "100-continue");
  }
  head.headers.emplace_back(std::string(name), std::string(value));
  return 0;
}

int Finish(RequestHead& head, const Framing& framing) {
  if (framing.transfer_encodings > 0) {
    if (framing.content_lengths > 0) return 400;
    if (head.minor_version == 0) return 400;  // RFC 9112 §6.1: faulty framing in HTTP/1.0
    head.framing = BodyFraming::kChunked;
  } else if (framing.content_lengths > 0) {
    head.framing = BodyFraming::kLength;
  }
  if (head.minor_version == 1 && framing.hosts != 1) return 400;
  if (framing.connection_close) head.keep_alive = false;
  if (head.minor_version == 0 && framing.connection_keep_alive && !framing.connection_close) head.keep_alive = true;
  if (head.minor_version == 0) head.expect_continue = false;
  return 0;
}

}  // namespace

bool IsKnownMethod(std::string_view method) {
  for (const std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (method == known) return true;
  }
  return false;
}

HeadParse ParseRequestHead(std::string_view bytes, const HeadLimits& limits) {
  std::size_t start = 0;
  while (bytes.size() - start >= 2 && bytes[start] == '\r' && bytes[start + 1] == '\n') {
    start += 2;
    if (start > limits.max_request_line) return Refuse(400);
  }
  // The request line, then one header per line, each ending in CRLF.
  RequestHead head;
  Framing framing;
  std::size_t cursor = start;
  bool request_line = true;
  for (;;) {
    const std::size_t newline = bytes.find('\n', cursor);
    const std::size_t line_limit = request_line ? limits.max_request_line : limits.max_head_bytes;
    if (newline == std::string_view::npos) {
      if (request_line && bytes.size() - cursor > line_limit + 1) return Refuse(414);
      if (bytes.size() - start > limits.max_head_bytes + 2) return Refuse(431);
      return HeadParse{};
    }
    if (request_line && newline - cursor > line_limit + 1) return Refuse(414);
    if (newline + 1 - start > limits.max_head_bytes + 2) return Refuse(431);
    if (newline == cursor || bytes[newline - 1] != '\r') return Refuse(400);  // bare LF
    const std::string_view line = bytes.substr(cursor, newline - 1 - cursor);
    cursor = newline + 1;
    if (request_line) {
      if (const int status = ParseRequestLine(line, head)) return Refuse(status);
      request_line = false;
      continue;
    }
    if (line.empty()) break;
    if (head.headers.size() >= limits.max_headers) return Refuse(431);
    if (const int status = ParseHeaderLine(line, head, framing)) return Refuse(status);
  }
  if (const int status = Finish(head, framing)) return Refuse(status);
  HeadParse result;
  result.state = State::kComplete;
  result.consumed = cursor;
  result.head = std::move(head);
  return result;
}

}  // namespace latchkey::http
