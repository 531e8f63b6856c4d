#include "latchkey/cbor.h"

#include <algorithm>
#include <limits>

#include "latchkey/encoding.h"

namespace latchkey::cbor {

bool Value::AsInt64(std::int64_t* out) const {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!is_integer() || integer_ > kMax) return false;
  const auto n = static_cast<std::int64_t>(integer_);
  *out = type_ == Type::kUnsigned ? n : -1 - n;
  return true;
}

const Value* Value::Find(std::int64_t key) const {
  for (const auto& [k, v] : members_) {
    std::int64_t n = 0;
    if (k.AsInt64(&n) && n == key) return &v;
  }
  return nullptr;
}

const Value* Value::Find(std::string_view key) const {
  for (const auto& [k, v] : members_) {
    if (k.type_ == Type::kText && k.bytes_ == key) return &v;
  }
  return nullptr;
}

// Reads one item at a time from the front of the input. Every length is
// checked against what is left before anything is reserved or copied.
class Decoder {
 public:
  Decoder(std::string_view in, const Limits& limits) : in_(in), limits_(limits) {}

  Status Item(Value* out, std::size_t depth) {
    if (++items_ > limits_.max_items) return Code::kCborInvalid;
    if (pos_ >= in_.size()) return Code::kCborInvalid;
    const auto initial = static_cast<std::uint8_t>(in_[pos_++]);
    const int major = initial >> 5;
    const int info = initial & 0x1f;
    if (major == 7) return Simple(info, out);
    if (major == 6) return Code::kCborInvalid;  // tags
    std::uint64_t argument = 0;
    LATCHKEY_RETURN_IF_ERROR(Argument(info, &argument));
    switch (major) {
      case 0:
      case 1:
        out->type_ = major == 0 ? Value::Type::kUnsigned : Value::Type::kNegative;
        out->integer_ = argument;
        return Status::Ok();
      case 2:
      case 3: {
        if (argument > Remaining()) return Code::kCborInvalid;
        const std::string_view content = in_.substr(pos_, static_cast<std::size_t>(argument));
        pos_ += content.size();
        if (major == 3 && !IsValidUtf8(content)) return Code::kCborInvalid;
        out->type_ = major == 2 ? Value::Type::kBytes : Value::Type::kText;
        out->bytes_.assign(content);
        return Status::Ok();
      }
      case 4:
        return Array(argument, depth, out);
      default:
        return Map(argument, depth, out);
    }
  }

  std::size_t position() const { return pos_; }

 private:
  std::size_t Remaining() const { return in_.size() - pos_; }

  // The item's count, length or value, in its shortest form only (RFC 8949
  // §4.2.1): a value that would fit a smaller argument is refused.
  Status Argument(int info, std::uint64_t* out) {
    if (info < 24) {
      *out = static_cast<std::uint64_t>(info);
      return Status::Ok();
    }
    if (info > 27) return Code::kCborInvalid;  // reserved (28-30) or indefinite (31)
    const std::size_t size = std::size_t{1} << (info - 24);
    if (size > Remaining()) return Code::kCborInvalid;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) value = (value << 8) | static_cast<std::uint8_t>(in_[pos_ + i]);
    pos_ += size;
    const std::uint64_t smallest = size == 1 ? 24 : std::uint64_t{1} << (4 * size);
    if (value < smallest) return Code::kCborInvalid;
    *out = value;
    return Status::Ok();
  }

  Status Simple(int info, Value* out) {
    if (info == 20 || info == 21) {
      out->type_ = Value::Type::kBool;
      out->boolean_ = info == 21;
      return Status::Ok();
    }
    if (info == 22) {
      out->type_ = Value::Type::kNull;
      return Status::Ok();
    }
    return Code::kCborInvalid;  // undefined, other simple values, floats, break
  }

  Status Array(std::uint64_t count, std::size_t depth, Value* out) {
    if (depth + 1 > limits_.max_depth) return Code::kCborInvalid;
    // Each element takes at least one byte: a count past the input is a lie.
    if (count > Remaining()) return Code::kCborInvalid;
    out->type_ = Value::Type::kArray;
    out->items_.resize(static_cast<std::size_t>(count));
    for (Value& item : out->items_) LATCHKEY_RETURN_IF_ERROR(Item(&item, depth + 1));
    return Status::Ok();
  }

  Status Map(std::uint64_t count, std::size_t depth, Value* out) {
    if (depth + 1 > limits_.max_depth) return Code::kCborInvalid;
    if (count > Remaining() / 2) return Code::kCborInvalid;
    out->type_ = Value::Type::kMap;
    out->members_.resize(static_cast<std::size_t>(count));
    // Keys are integers or strings, so in this shortest-form encoding two
    // keys are equal exactly when their encoded bytes are.
    std::vector<std::string_view> keys;
    keys.reserve(out->members_.size());
    for (auto& [key, value] : out->members_) {
      const std::size_t start = pos_;
      LATCHKEY_RETURN_IF_ERROR(Item(&key, depth + 1));
      if (key.type_ == Value::Type::kArray || key.type_ == Value::Type::kMap || key.type_ == Value::Type::kBool ||
          key.type_ == Value::Type::kNull) {
        return Code::kCborInvalid;
      }
      keys.push_back(in_.substr(start, pos_ - start));
      LATCHKEY_RETURN_IF_ERROR(Item(&value, depth + 1));
    }
    std::sort(keys.begin(), keys.end());
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) return Code::kCborInvalid;
    return Status::Ok();
  }

  std::string_view in_;
  const Limits& limits_;
  std::size_t pos_ = 0;
  std::size_t items_ = 0;
};

Result<Value> DecodePrefix(std::string_view bytes, std::size_t* consumed, const Limits& limits) {
  if (bytes.size() > limits.max_bytes) return Code::kCborInvalid;
  Decoder decoder(bytes, limits);
  Value value;
  LATCHKEY_RETURN_IF_ERROR(decoder.Item(&value, 0));
  *consumed = decoder.position();
  return value;
}

Result<Value> Decode(std::string_view bytes, const Limits& limits) {
  std::size_t consumed = 0;
  Result<Value> value = DecodePrefix(bytes, &consumed, limits);
  if (value.ok() && consumed != bytes.size()) return Code::kCborInvalid;
  return value;
}

}  // namespace latchkey::cbor
