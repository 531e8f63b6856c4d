// Bounded JSON reading on nlohmann::json.
//
// ParseJson accepts only what a strict reader should: valid UTF-8 throughout,
// no byte-order mark, no duplicate member names (at any depth), a size and a
// nesting limit, and nothing after the value. Errors come back as codes; the
// core is built with JSON_NOEXCEPTION, so nothing here throws.
// Thread-safe: no shared state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "latchkey/status.h"

namespace latchkey {

using Json = nlohmann::json;

struct JsonLimits {
  std::size_t max_bytes = 64 * 1024;
  // Open containers at once; the top-level object or array counts as 1.
  std::size_t max_depth = 32;
};

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits = {});

// Serialises compactly (members in sorted order). Fails with kUtf8Invalid on a
// string that is not UTF-8 and kInvalidArgument on a NaN or infinite number,
// instead of aborting or silently rewriting data.
Result<std::string> SerializeJson(const Json& value);

}  // namespace latchkey
