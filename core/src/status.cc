#include "latchkey/status.h"

#include <array>

namespace latchkey {
namespace {

constexpr std::array kTable = {
#define LATCHKEY_ERROR(name, wire, http, message) ErrorInfo{Code::name, wire, http, message},
#include "latchkey/error_codes.def"
#undef LATCHKEY_ERROR
};

}  // namespace

std::span<const ErrorInfo> ErrorTable() { return kTable; }

const ErrorInfo& Describe(Code code) {
  const auto index = static_cast<std::size_t>(code);
  return index < kTable.size() ? kTable[index] : kTable[static_cast<std::size_t>(Code::kInternal)];
}

std::string_view WireCode(Code code) { return Describe(code).wire; }

std::optional<Code> CodeFromWire(std::string_view wire) {
  for (const ErrorInfo& info : kTable) {
    if (info.wire == wire) return info.code;
  }
  return std::nullopt;
}

}  // namespace latchkey
