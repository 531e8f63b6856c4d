// Account field rules on arbitrary bytes: email normalisation, display names
// and code point counting, as signup, profile and admin requests feed them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/account_rules.h"
#include "latchkey/encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  latchkey::Result<std::string> email = latchkey::NormalizeEmail(input);
  if (email.ok()) {
    const std::string& e = *email;
    FUZZ_CHECK(!e.empty() && e.size() <= latchkey::kMaxEmailBytes && latchkey::IsValidUtf8(e));
    const std::size_t at = e.find('@');
    FUZZ_CHECK(at != std::string::npos && at > 0 && e.find('@', at + 1) == std::string::npos);
    for (const char c : e) {
      const auto byte = static_cast<unsigned char>(c);
      FUZZ_CHECK(byte > 0x20 && byte != 0x7F && !(c >= 'A' && c <= 'Z'));
    }
    // One mailbox, one spelling: normalising again changes nothing.
    latchkey::Result<std::string> again = latchkey::NormalizeEmail(e);
    FUZZ_CHECK(again.ok() && *again == e);
  } else {
    FUZZ_CHECK(email.code() == latchkey::Code::kEmailInvalid);
  }

  const latchkey::Status name = latchkey::ValidateDisplayName(input);
  if (name.ok()) {
    FUZZ_CHECK(latchkey::IsValidUtf8(input));
    FUZZ_CHECK(latchkey::CountCodePoints(input) <= latchkey::kMaxNameCodePoints);
  } else {
    FUZZ_CHECK(name.code() == latchkey::Code::kValidationFailed);
  }

  const std::size_t count = latchkey::CountCodePoints(input);
  FUZZ_CHECK(count <= input.size());
  if (latchkey::IsValidUtf8(input)) FUZZ_CHECK((count == 0) == input.empty());
  return 0;
}
