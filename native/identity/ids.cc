#include "identity/ids.h"

#include "latchkey/encoding.h"

namespace latchkey {

std::string NewUuid(RandomSource& random) {
  std::string bytes = RandomBytes(random, 16);
  bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);  // variant 10
  const std::string hex = HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace latchkey
