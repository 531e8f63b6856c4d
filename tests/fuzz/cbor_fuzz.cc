// The strict CBOR reader: any bytes, default and tight limits. What it
// accepts is in the one encoding it allows, so writing the value back in
// shortest form must give the input's exact bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/cbor.h"

namespace {

using latchkey::cbor::Value;

void Head(int major, std::uint64_t n, std::string* out) {
  const auto m = static_cast<char>(major << 5);
  int size = 0;
  if (n < 24) {
    out->push_back(static_cast<char>(m | static_cast<char>(n)));
    return;
  }
  if (n <= 0xff) {
    size = 1;
    out->push_back(static_cast<char>(m | 24));
  } else if (n <= 0xffff) {
    size = 2;
    out->push_back(static_cast<char>(m | 25));
  } else if (n <= 0xffffffff) {
    size = 4;
    out->push_back(static_cast<char>(m | 26));
  } else {
    size = 8;
    out->push_back(static_cast<char>(m | 27));
  }
  for (int i = size - 1; i >= 0; --i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}

// False for integers outside int64 (their value is not exposed): no round trip then.
bool Encode(const Value& v, std::string* out, std::size_t* items, std::size_t depth, std::size_t* deepest) {
  ++*items;
  std::int64_t n = 0;
  switch (v.type()) {
    case Value::Type::kUnsigned:
    case Value::Type::kNegative:
      if (!v.AsInt64(&n)) return false;
      if (n >= 0)
        Head(0, static_cast<std::uint64_t>(n), out);
      else
        Head(1, static_cast<std::uint64_t>(-1 - n), out);
      return true;
    case Value::Type::kBytes:
    case Value::Type::kText:
      Head(v.type() == Value::Type::kBytes ? 2 : 3, v.bytes().size(), out);
      out->append(v.bytes());
      return true;
    case Value::Type::kBool:
      out->push_back(v.boolean() ? '\xf5' : '\xf4');
      return true;
    case Value::Type::kNull:
      out->push_back('\xf6');
      return true;
    case Value::Type::kArray:
      if (depth + 1 > *deepest) *deepest = depth + 1;
      Head(4, v.array().size(), out);
      for (const Value& item : v.array()) {
        if (!Encode(item, out, items, depth + 1, deepest)) return false;
      }
      return true;
    case Value::Type::kMap:
      if (depth + 1 > *deepest) *deepest = depth + 1;
      Head(5, v.map().size(), out);
      for (const auto& [key, value] : v.map()) {
        FUZZ_CHECK(key.is_integer() || key.type() == Value::Type::kBytes || key.type() == Value::Type::kText);
        if (!Encode(key, out, items, depth + 1, deepest) || !Encode(value, out, items, depth + 1, deepest)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

void ReadWith(std::string_view bytes, const latchkey::cbor::Limits& limits) {
  std::size_t consumed = 0;
  latchkey::Result<Value> prefix = latchkey::cbor::DecodePrefix(bytes, &consumed, limits);
  latchkey::Result<Value> whole = latchkey::cbor::Decode(bytes, limits);
  FUZZ_CHECK(whole.ok() == (prefix.ok() && consumed == bytes.size()));
  if (!prefix.ok()) return;
  FUZZ_CHECK(consumed >= 1 && consumed <= bytes.size() && bytes.size() <= limits.max_bytes);
  std::string written;
  std::size_t items = 0, deepest = 0;
  if (Encode(*prefix, &written, &items, 0, &deepest)) {
    FUZZ_CHECK(written == bytes.substr(0, consumed));
    FUZZ_CHECK(items <= limits.max_items && deepest <= limits.max_depth);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ReadWith(bytes, latchkey::cbor::Limits{});
  ReadWith(bytes, latchkey::cbor::Limits{256, 3, 40});
  return 0;
}
