// A strict, bounded CBOR reader (RFC 8949) for what WebAuthn sends: the
// attestation object, the attested credential's COSE key and the extensions
// in authenticator data. It accepts only well-formed, definite-length items
// of the major types WebAuthn uses (unsigned and negative integers, byte and
// text strings, arrays, maps, false/true/null) and refuses everything else
// with kCborInvalid: indefinite lengths, tags, floats, simple values other
// than false/true/null, integers or lengths not in their shortest form (CTAP2
// canonical encoding), text that is not UTF-8, duplicate map keys, map keys
// other than integers and strings (COSE and CTAP2 use no others), nesting or
// item counts over the limits, and lengths that run past the input. Nothing
// is allocated before the bytes it describes are known to be there, so a
// declared length of 2^64 costs nothing.
// Thread-safe: no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "latchkey/status.h"

namespace latchkey::cbor {

struct Limits {
  std::size_t max_bytes = 64 * 1024;  // input size
  std::size_t max_depth = 8;          // open arrays/maps at once; the top item counts as 1
  std::size_t max_items = 4096;       // every item decoded, keys and values alike
};

class Value {
 public:
  enum class Type { kUnsigned, kNegative, kBytes, kText, kArray, kMap, kBool, kNull };

  Type type() const { return type_; }
  bool is_integer() const { return type_ == Type::kUnsigned || type_ == Type::kNegative; }
  // The integer's value when it fits in int64 (COSE labels and algorithms
  // do); false for other types and for values outside int64.
  bool AsInt64(std::int64_t* out) const;
  // kBytes/kText: the content. Empty for other types.
  const std::string& bytes() const { return bytes_; }
  bool boolean() const { return boolean_; }
  const std::vector<Value>& array() const { return items_; }
  // Keys and values in input order (keys are unique).
  const std::vector<std::pair<Value, Value>>& map() const { return members_; }

  // Map lookups by an integer key (COSE) or a text key (attestation
  // object); nullptr when absent or when this is not a map.
  const Value* Find(std::int64_t key) const;
  const Value* Find(std::string_view key) const;

 private:
  friend class Decoder;
  Type type_ = Type::kNull;
  std::uint64_t integer_ = 0;  // kUnsigned: n; kNegative: n where the value is -1 - n
  std::string bytes_;
  bool boolean_ = false;
  std::vector<Value> items_;
  std::vector<std::pair<Value, Value>> members_;
};

// Decodes exactly one item that spans all of `bytes`.
Result<Value> Decode(std::string_view bytes, const Limits& limits = {});
// Decodes the first item of `bytes` and stores in *consumed how many bytes
// it took; what follows is the caller's (authenticator data carries the
// COSE key followed by extensions).
Result<Value> DecodePrefix(std::string_view bytes, std::size_t* consumed, const Limits& limits = {});

}  // namespace latchkey::cbor
