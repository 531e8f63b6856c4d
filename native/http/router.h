// The routes table: the same one-line registration as cpp-httplib
// (server.Get(pattern, handler), the pattern a regex matched against the whole
// path, captures in req.matches), dispatched by our own front. Filled once
// before serving; Find is then safe from any number of threads.
#pragma once

#include <httplib.h>

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::http {

class Router {
 public:
  using Handler = httplib::Server::Handler;

  Router& Get(const std::string& pattern, Handler handler) { return Add("GET", pattern, std::move(handler)); }
  Router& Post(const std::string& pattern, Handler handler) { return Add("POST", pattern, std::move(handler)); }
  Router& Put(const std::string& pattern, Handler handler) { return Add("PUT", pattern, std::move(handler)); }
  Router& Patch(const std::string& pattern, Handler handler) { return Add("PATCH", pattern, std::move(handler)); }
  Router& Delete(const std::string& pattern, Handler handler) { return Add("DELETE", pattern, std::move(handler)); }

  struct Route {
    std::string method;
    std::string pattern;
    std::regex regex;
    std::string label;  // the pattern with each capture shown as {id}: a bounded metric label
    bool plain;         // compared as a string, without the regex
    Handler handler;
  };

  // The route for req.method (HEAD finds GET routes) and req.path, with
  // req.matches filled; nullptr when none matches.
  const Route* Find(httplib::Request& req) const;

 private:
  Router& Add(const char* method, const std::string& pattern, Handler handler);

  std::vector<Route> routes_;
};

}  // namespace latchkey::http
