#include "http/router.h"

namespace latchkey::http {
namespace {

// "/admin/users/([0-9a-f-]{36})" -> "/admin/users/{id}".
std::string LabelOf(const std::string& pattern) {
  std::string label;
  int depth = 0;
  for (const char c : pattern) {
    if (c == '(') {
      if (depth++ == 0) label += "{id}";
    } else if (c == ')') {
      --depth;
    } else if (depth == 0) {
      label += c;
    }
  }
  return label;
}

}  // namespace

Router& Router::Add(const char* method, const std::string& pattern, Handler handler) {
  // A pattern without regex operators ('.' aside) is a literal path.
  const bool plain = pattern.find_first_of("[]()*+?{}\\^$|") == std::string::npos;
  routes_.push_back(Route{method, pattern, std::regex(pattern), LabelOf(pattern), plain, std::move(handler)});
  return *this;
}

const Router::Route* Router::Find(httplib::Request& req) const {
  const std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
  for (const Route& route : routes_) {
    if (route.method != method) continue;
    // Plain paths (most routes) are compared without running the regex.
    if (route.plain) {
      if (req.path == route.pattern) {
        req.matches = std::smatch();
        return &route;
      }
      continue;
    }
    if (std::regex_match(req.path, req.matches, route.regex)) return &route;
  }
  return nullptr;
}

}  // namespace latchkey::http
