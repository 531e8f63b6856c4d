// The bounded JSON reader: any bytes, default and tight limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/json.h"

namespace {

std::size_t Depth(const latchkey::Json& value) {
  if (!value.is_structured()) return 0;
  std::size_t deepest = 0;
  for (const auto& member : value) {
    const std::size_t d = Depth(member);
    if (d > deepest) deepest = d;
  }
  return deepest + 1;
}

void ReadWith(std::string_view text, const latchkey::JsonLimits& limits) {
  latchkey::Result<latchkey::Json> parsed = latchkey::ParseJson(text, limits);
  if (!parsed.ok()) return;
  FUZZ_CHECK(text.size() <= limits.max_bytes);
  FUZZ_CHECK(Depth(*parsed) <= limits.max_depth);
  // What the reader accepts, the writer can write, and reading that back
  // gives the same value.
  latchkey::Result<std::string> written = latchkey::SerializeJson(*parsed);
  FUZZ_CHECK(written.ok());
  latchkey::Result<latchkey::Json> again = latchkey::ParseJson(*written, latchkey::JsonLimits{written->size(), 256});
  FUZZ_CHECK(again.ok() && *again == *parsed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ReadWith(text, latchkey::JsonLimits{});
  ReadWith(text, latchkey::JsonLimits{512, 3});
  return 0;
}
