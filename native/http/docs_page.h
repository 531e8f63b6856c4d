// GET /docs: the API reference page, Swagger UI (npm swagger-ui-dist, installed
// by .ci/setup.sh into native/docs-ui/node_modules) rendering /openapi.json.
// The files are read once at start from --docs-root; without them /docs says
// how to install them. The page runs under the server's CSP unchanged: its
// scripts and styles are files served from here, nothing inline or remote.
#pragma once

#include "http/router.h"

#include <string>

namespace latchkey::http {

// Registers /docs and its assets. An empty root turns the page off (404).
void RegisterDocsRoutes(Router& server, const std::string& root);

}  // namespace latchkey::http
