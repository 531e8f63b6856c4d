// The generated word lists and keyboard graphs (core/data/strength_data.cc,
// made by core/data/generate-dictionaries.mjs). Decoded by dictionary.cc.
#pragma once

#include <cstddef>
#include <string_view>

namespace latchkey::strength {

extern const std::string_view kDataChunks[];
extern const std::size_t kDataChunkCount;

}  // namespace latchkey::strength
