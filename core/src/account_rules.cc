#include "latchkey/account_rules.h"

#include "latchkey/encoding.h"

namespace latchkey {

std::size_t CountCodePoints(std::string_view utf8) {
  if (!IsValidUtf8(utf8)) return 0;
  std::size_t count = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Result<std::string> NormalizeEmail(std::string_view email) {
  while (!email.empty() && email.front() == ' ') email.remove_prefix(1);
  while (!email.empty() && email.back() == ' ') email.remove_suffix(1);
  if (email.empty() || email.size() > kMaxEmailBytes || !IsValidUtf8(email)) return Code::kEmailInvalid;
  const std::size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Code::kEmailInvalid;
  }
  const std::string_view domain = email.substr(at + 1);
  const std::size_t dot = domain.find('.');
  if (domain.empty() || dot == 0 || dot == std::string_view::npos || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return Code::kEmailInvalid;
  }
  std::string out(email);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') {
      return Code::kEmailInvalid;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status ValidateDisplayName(std::string_view name) {
  if (!IsValidUtf8(name)) return Code::kValidationFailed;
  if (CountCodePoints(name) > kMaxNameCodePoints) return Code::kValidationFailed;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return Code::kValidationFailed;
  }
  return Status::Ok();
}

}  // namespace latchkey
