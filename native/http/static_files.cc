#include "http/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

namespace latchkey::http {
namespace {

constexpr off_t kMaxFileBytes = 64 * 1024 * 1024;

const std::map<std::string, std::string>& DefaultTypes() {
  static const std::map<std::string, std::string> types = {
      {"html", "text/html"},       {"htm", "text/html"},         {"css", "text/css"},
      {"js", "text/javascript"},   {"mjs", "text/javascript"},   {"json", "application/json"},
      {"map", "application/json"}, {"wasm", "application/wasm"}, {"svg", "image/svg+xml"},
      {"png", "image/png"},        {"jpg", "image/jpeg"},        {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},        {"webp", "image/webp"},       {"ico", "image/x-icon"},
      {"txt", "text/plain"},       {"md", "text/plain"},         {"ts", "text/plain"},
      {"woff", "font/woff"},       {"woff2", "font/woff2"},      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
  };
  return types;
}

// The path below a mount, decoded, refused when it could leave the folder.
bool SafeRelativePath(const std::string& decoded) {
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return false;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    const std::size_t slash = std::min(decoded.find('/', start), decoded.size());
    const std::string segment = decoded.substr(start, slash - start);
    if (segment == ".." || segment == ".") return false;
    start = slash + 1;
  }
  return true;
}

}  // namespace

bool StaticFiles::Mount(const std::string& prefix, const std::string& root) {
  struct stat info {};
  if (::stat(root.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) return false;
  mounts_.emplace_back(prefix, root);
  std::stable_sort(mounts_.begin(), mounts_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return true;
}

bool StaticFiles::Serve(const httplib::Request& req, httplib::Response& res) const {
  if (req.method != "GET" && req.method != "HEAD") return false;
  for (const auto& [prefix, root] : mounts_) {
    if (req.path.compare(0, prefix.size(), prefix) != 0) continue;
    std::string relative = req.path.substr(prefix.size());
    if (relative.empty() || relative.back() == '/') relative += "index.html";
    if (!SafeRelativePath(relative)) return false;
    const std::string file = root + "/" + relative;
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > kMaxFileBytes) continue;
    std::ifstream in(file, std::ios::binary);
    if (!in) continue;
    std::string content(static_cast<std::size_t>(info.st_size), '\0');
    in.read(content.data(), info.st_size);
    content.resize(static_cast<std::size_t>(in.gcount()));
    const std::size_t dot = relative.rfind('.');
    std::string type = "application/octet-stream";
    if (dot != std::string::npos && relative.find('/', dot) == std::string::npos) {
      const std::string extension = relative.substr(dot + 1);
      if (auto it = types_.find(extension); it != types_.end()) {
        type = it->second;
      } else if (auto known = DefaultTypes().find(extension); known != DefaultTypes().end()) {
        type = known->second;
      }
    }
    res.status = 200;
    res.set_header("Accept-Ranges", "none");
    res.set_content(content, type);
    return true;
  }
  return false;
}

}  // namespace latchkey::http
