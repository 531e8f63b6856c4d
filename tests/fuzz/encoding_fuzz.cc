// base64url, hex and UTF-8 validation on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/encoding.h"

namespace {

// A second, plainly written UTF-8 check (RFC 3629 §4 table) to compare with.
bool ReferenceUtf8(std::string_view s) {
  std::size_t i = 0;
  auto in = [&](std::size_t k, unsigned lo, unsigned hi) {
    if (k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[k]);
    return b >= lo && b <= hi;
  };
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b <= 0x7F) {
      i += 1;
    } else if (b >= 0xC2 && b <= 0xDF && in(i + 1, 0x80, 0xBF)) {
      i += 2;
    } else if (b == 0xE0 && in(i + 1, 0xA0, 0xBF) && in(i + 2, 0x80, 0xBF)) {
      i += 3;
    } else if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) && in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF)) {
      i += 3;
    } else if (b == 0xED && in(i + 1, 0x80, 0x9F) && in(i + 2, 0x80, 0xBF)) {
      i += 3;
    } else if (b == 0xF0 && in(i + 1, 0x90, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)) {
      i += 4;
    } else if (b >= 0xF1 && b <= 0xF3 && in(i + 1, 0x80, 0xBF) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)) {
      i += 4;
    } else if (b == 0xF4 && in(i + 1, 0x80, 0x8F) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)) {
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // Decoding accepts one spelling per value: what decodes re-encodes to itself.
  if (auto decoded = latchkey::Base64UrlDecode(input); decoded.ok()) {
    FUZZ_CHECK(latchkey::Base64UrlEncode(*decoded) == input);
  } else {
    FUZZ_CHECK(decoded.code() == latchkey::Code::kBase64UrlInvalid);
  }
  const std::string encoded = latchkey::Base64UrlEncode(input);
  auto round_trip = latchkey::Base64UrlDecode(encoded);
  FUZZ_CHECK(round_trip.ok() && *round_trip == input);

  if (auto bytes = latchkey::HexDecode(input); bytes.ok()) {
    FUZZ_CHECK(bytes->size() * 2 == input.size());
    auto again = latchkey::HexDecode(latchkey::HexEncode(*bytes));
    FUZZ_CHECK(again.ok() && *again == *bytes);
  }

  FUZZ_CHECK(latchkey::IsValidUtf8(input) == ReferenceUtf8(input));
  return 0;
}
