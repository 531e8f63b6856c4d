#include "latchkey/account_rules.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "latchkey/encoding.h"

namespace latchkey {
namespace {

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

// Code points that draw nothing or steer the display (zero-width space, soft
// hyphen, bidi controls, ...) or are not characters at all: with them, two
// addresses that look the same would be different accounts.
bool IsInvisibleOrControl(utf8proc_int32_t c) {
  switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_CC:  // controls
    case UTF8PROC_CATEGORY_CF:  // format: ZWSP, soft hyphen, bidi controls, BOM
    case UTF8PROC_CATEGORY_CS:
    case UTF8PROC_CATEGORY_CO:  // private use
    case UTF8PROC_CATEGORY_CN:  // unassigned
    case UTF8PROC_CATEGORY_ZS:  // spaces (other than the trimmed ASCII ones)
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return true;
    default:
      return utf8proc_get_property(c)->ignorable;  // default-ignorable (e.g. Hangul fillers)
  }
}

// NFKC, then full Unicode lowercase, then NFC again (lowercasing can
// decompose): "ＡＬＩＣＥ", "Alice" and "alice" are one address.
Result<std::string> FoldAddress(std::string_view text) {
  utf8proc_uint8_t* nfkc = nullptr;
  const utf8proc_ssize_t size =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                   &nfkc, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(nfkc);
  if (size < 0) return Code::kEmailInvalid;
  std::string lowered;
  lowered.reserve(static_cast<std::size_t>(size));
  for (utf8proc_ssize_t at = 0; at < size;) {
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(nfkc + at, size - at, &c);
    if (length <= 0) return Code::kEmailInvalid;
    at += length;
    utf8proc_uint8_t encoded[4];
    const utf8proc_ssize_t written = utf8proc_encode_char(utf8proc_tolower(c), encoded);
    lowered.append(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(written));
  }
  utf8proc_uint8_t* nfc = nullptr;
  const utf8proc_ssize_t final_size = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(lowered.data()),
                                                   static_cast<utf8proc_ssize_t>(lowered.size()), &nfc,
                                                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned_nfc(nfc);
  if (final_size < 0) return Code::kEmailInvalid;
  return std::string(reinterpret_cast<const char*>(nfc), static_cast<std::size_t>(final_size));
}

// A DNS name in ASCII (IDNs as their xn-- form): dotted labels of letters,
// digits and hyphens, none empty, none starting or ending with a hyphen.
bool IsAsciiDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0 || label > 63 || domain[i - 1] == '-' || domain[i - label] == '-') return false;
      label = 0;
      continue;
    }
    const char c = domain[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    ++label;
  }
  return true;
}

}  // namespace

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
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(email.data());
  const auto size = static_cast<utf8proc_ssize_t>(email.size());
  for (utf8proc_ssize_t at = 0; at < size;) {
    utf8proc_int32_t c = 0;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes + at, size - at, &c);
    if (length <= 0 || IsInvisibleOrControl(c)) return Code::kEmailInvalid;
    at += length;
  }
  Result<std::string> folded = FoldAddress(email);
  if (!folded.ok()) return folded.code();
  const std::string& out = *folded;
  if (out.size() > kMaxEmailBytes) return Code::kEmailInvalid;
  const std::size_t at = out.find('@');
  if (at == 0 || at == std::string::npos || out.find('@', at + 1) != std::string::npos || at > 64) {
    return Code::kEmailInvalid;
  }
  for (const char c : std::string_view(out).substr(0, at)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '\\') {
      return Code::kEmailInvalid;
    }
  }
  // Non-ASCII domains are refused rather than converted (no IDNA tables in
  // the core): an internationalised domain is given in its xn-- form.
  if (!IsAsciiDomain(std::string_view(out).substr(at + 1))) return Code::kEmailInvalid;
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
