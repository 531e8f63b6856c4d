// The one table of roles the server itself gives meaning to. Applications
// may use other role names (lowercase, see IsValidRole); only these two
// change what the server allows.
#pragma once

#include <string_view>

namespace latchkey::role {

inline constexpr std::string_view kUser = "user";    // the default for new accounts
inline constexpr std::string_view kAdmin = "admin";  // may use /admin/* (admin/admin_service.h)

// Short lowercase names: [a-z][a-z0-9_-]{0,31}.
constexpr bool IsValidRole(std::string_view name) {
  if (name.empty() || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

}  // namespace latchkey::role
