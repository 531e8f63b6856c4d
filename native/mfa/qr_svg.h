// A QR code as SVG (libqrencode makes the modules), so an enrolment page can
// show the otpauth:// URI to an authenticator app's camera without a
// script or a third-party service seeing the secret.
#pragma once

#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

// kInternal when the text does not fit a QR code.
Result<std::string> QrSvg(std::string_view text);

}  // namespace latchkey
