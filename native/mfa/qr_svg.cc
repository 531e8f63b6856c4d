#include "mfa/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace latchkey {

Result<std::string> QrSvg(std::string_view text) {
  const std::string owned(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(owned.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code) return Code::kInternal;
  constexpr int kQuiet = 4;  // the quiet zone the standard asks for, in modules
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
                    "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each byte: the module is dark.
      if (code->data[y * width + x] & 1) {
        svg += 'M';
        svg += std::to_string(x + kQuiet);
        svg += ' ';
        svg += std::to_string(y + kQuiet);
        svg += "h1v1h-1z";
      }
    }
  }
  svg += "\"/></svg>";
  return svg;
}

}  // namespace latchkey
