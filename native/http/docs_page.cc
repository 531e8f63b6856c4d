#include "http/docs_page.h"

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <vector>

#include "http/responses.h"

namespace latchkey::http {
namespace {

struct Asset {
  std::string path;  // URL path
  std::string file;  // under the root
  std::string type;
  std::string body;
};

std::optional<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

constexpr const char* kVendor = "/node_modules/swagger-ui-dist/";

}  // namespace

void RegisterDocsRoutes(Router& server, const std::string& root) {
  auto assets = std::make_shared<std::vector<Asset>>(std::vector<Asset>{
      {"/docs", "/index.html", "text/html; charset=utf-8", {}},
      {"/docs/docs.js", "/docs.js", "text/javascript", {}},
      {"/docs/docs.css", "/docs.css", "text/css", {}},
      {"/docs/swagger-ui-bundle.js", std::string(kVendor) + "swagger-ui-bundle.js", "text/javascript", {}},
      {"/docs/swagger-ui.css", std::string(kVendor) + "swagger-ui.css", "text/css", {}},
  });
  bool complete = !root.empty();
  for (Asset& asset : *assets) {
    if (!complete) break;
    std::optional<std::string> body = ReadWhole(root + asset.file);
    if (!body) complete = false;
    if (body) asset.body = std::move(*body);
  }
  const bool enabled = !root.empty();
  for (const Asset& asset : *assets) {
    server.Get(asset.path, [assets, &asset, complete, enabled](const httplib::Request&, httplib::Response& res) {
      if (!enabled) return SendError(res, Code::kNotFound);
      if (!complete) {
        res.status = 404;
        res.set_content(
            "The API reference page is not installed: run `bash .ci/setup.sh run` (it installs npm swagger-ui-dist "
            "into native/docs-ui/), or point --docs-root at a folder holding it. The API itself is described at "
            "/openapi.json.\n",
            "text/plain; charset=utf-8");
        return;
      }
      ReplaceHeader(res, "Cache-Control", "public, max-age=3600");
      res.set_content(asset.body, asset.type);
    });
  }
}

}  // namespace latchkey::http
