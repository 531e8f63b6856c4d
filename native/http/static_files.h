// Files served from folders (the demo page at /, the npm package at
// /latchkey/), with explicit types. Range requests are not honoured: every
// answer is the whole file (Accept-Ranges: none), so no Range header can make
// one request cost more than one copy of a file.
#pragma once

#include <httplib.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace latchkey::http {

class StaticFiles {
 public:
  // Serves `root` under the URL prefix `prefix` (ending in '/'). False when
  // root is not a folder. Not thread-safe; call before serving.
  bool Mount(const std::string& prefix, const std::string& root);
  void SetType(const std::string& extension, const std::string& type) { types_[extension] = type; }

  // For GET and HEAD: the file req.path names under a mount, in res (200);
  // false when there is none (the caller answers 404).
  bool Serve(const httplib::Request& req, httplib::Response& res) const;

 private:
  std::vector<std::pair<std::string, std::string>> mounts_;  // prefix, folder; longest prefix first
  std::map<std::string, std::string> types_;
};

}  // namespace latchkey::http
