#include "mail/outbox_mailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace latchkey {
namespace {

// The first http(s) link of a text body, for the --dev log line.
std::string FirstLink(const std::string& text) {
  const std::size_t start = text.find("http");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find_first_of(" \n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

Status OutboxMailer::Send(const MailMessage& message, std::string& failure) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    failure = "cannot create the outbox folder";
    return Code::kInternal;
  }
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  // Names sort by time, so the newest are found without reading every file.
  char id[48];
  std::snprintf(id, sizeof id, "%013lld-%06u-%d", ms, counter_++ % 1000000, static_cast<int>(::getpid() % 100000));
  const Json record = {{"id", id},
                       {"to", message.to},
                       {"subject", message.subject},
                       {"created_at", FormatTime(ms / 1000)},
                       {"kind", message.kind},
                       {"text", message.text},
                       {"html", message.html}};
  // Written under a temporary name and renamed, so a reader never sees half a file.
  const std::string path = dir_ + "/" + id + ".json";
  const std::string partial = path + ".partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    failure = "cannot write to the outbox folder";
    return Code::kInternal;
  }
  const std::string body = record.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  const bool written = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size());
  ::close(fd);
  if (!written || ::rename(partial.c_str(), path.c_str()) != 0) {
    ::unlink(partial.c_str());
    failure = "cannot write to the outbox folder";
    return Code::kInternal;
  }
  Json fields = {{"kind", message.kind}, {"to", message.to}, {"subject", message.subject}, {"file", path}};
  if (dev_) fields["link"] = FirstLink(message.text);
  logger_.Info("mail written to the outbox", fields);
  return Status::Ok();
}

Json ReadOutbox(const std::string& dir, std::size_t limit) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.filename() > b.filename(); });
  Json messages = Json::array();
  for (const auto& file : files) {
    if (messages.size() >= limit) break;
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    Result<Json> record = ParseJson(text.str(), JsonLimits{text.str().size(), 4});
    if (!record.ok() || !record->is_object()) continue;
    Json message = Json::object();
    for (const char* key : {"id", "to", "subject", "created_at", "text", "html"}) {
      const auto it = record->find(key);
      message[key] = it == record->end() ? Json("") : *it;
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

}  // namespace latchkey
