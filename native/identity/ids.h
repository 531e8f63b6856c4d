// Identifiers for users, sessions and credentials: UUID version 4.
#pragma once

#include <string>

#include "latchkey/crypto.h"

namespace latchkey {

// A random UUID v4 (RFC 9562 §5.4), lowercase hex with dashes.
std::string NewUuid(RandomSource& random);

}  // namespace latchkey
