// The OpenAPI 3.1 description of the HTTP API (docs/openapi.json), compiled
// into the binary so /openapi.json always describes the server that answers.
#pragma once

#include <string_view>

namespace latchkey::http {

std::string_view OpenApiDocument();

}  // namespace latchkey::http
