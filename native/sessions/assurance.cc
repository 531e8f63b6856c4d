#include "sessions/assurance.h"

#include <algorithm>

namespace latchkey {

bool IsMultiFactor(const std::vector<std::string>& methods) {
  // A second factor only counts next to a first one: a session's methods
  // always start with the sign-in method.
  const auto has = [&methods](std::string_view method) {
    return std::find(methods.begin(), methods.end(), method) != methods.end();
  };
  return (methods.size() >= 2 && has(amr::kOtp)) || has(amr::kWebauthn);
}

std::string_view AssuranceLevel(const std::vector<std::string>& methods) {
  return IsMultiFactor(methods) ? aal::kAal2 : aal::kAal1;
}

}  // namespace latchkey
