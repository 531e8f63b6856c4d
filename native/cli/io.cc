#include "cli/io.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "storage/store_set.h"

namespace latchkey::cli {

std::optional<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "latchkey: cannot read " << path << "\n";
    return std::nullopt;
  }
  std::string contents(max_bytes + 1, '\0');
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  contents.resize(static_cast<std::size_t>(in.gcount()));
  if (contents.size() > max_bytes) {
    std::cerr << "latchkey: " << path << " is larger than " << max_bytes << " bytes\n";
    return std::nullopt;
  }
  return contents;
}

Result<Json> ReadJsonFile(const std::string& path) {
  std::optional<std::string> text = ReadFile(path);
  if (!text) return Code::kInvalidArgument;
  return ParseJson(*text, JsonLimits{1 << 20, 32});
}

bool WriteSecretFile(const std::string& path, const std::string& contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::cerr << "latchkey: cannot create " << path << " (it must not exist yet)\n";
    return false;
  }
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool ok = written == contents.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) std::cerr << "latchkey: writing " << path << " failed\n";
  return ok;
}

std::optional<std::string> ReadSecretLine(const char* prompt) {
  const bool tty = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int ReportError(Code code) {
  const ErrorInfo& info = Describe(code);
  Json error = {{"error", info.wire}, {"message", info.message}};
  std::cerr << error.dump() << "\n";
  return kExitFailure;
}

int UsageError(const std::string& message, const char* usage) {
  std::cerr << "latchkey: " << message << "\n\n" << usage;
  return kExitUsage;
}

void ReportOpenFailure(const std::string& database, Code code) {
  std::cerr << "latchkey: cannot open " << DescribeDatabase(database) << " (" << WireCode(code) << ")\n";
  if (code == Code::kKeyDecryptFailed) {
    std::cerr << "latchkey: the signing keys are wrapped under a key-encryption key; set LATCHKEY_KEY_ENCRYPTION_KEY "
                 "(or --key-encryption-key-file) to the key they were stored with\n";
  }
}

RequestContext CliContext() {
  RequestContext ctx;
  ctx.ip = "cli";
  ctx.request_id = "cli";
  ctx.now = NowSeconds();
  return ctx;
}

}  // namespace latchkey::cli
