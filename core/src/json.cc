#include "latchkey/json.h"

#include <cmath>
#include <vector>

#include "latchkey/encoding.h"

namespace latchkey {
namespace {

// Builds the DOM through nlohmann's SAX interface so that duplicate names and
// excessive depth stop the parse at once instead of being found afterwards.
class BoundedDomBuilder {
 public:
  explicit BoundedDomBuilder(std::size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool value) { return Put(value); }
  bool number_integer(Json::number_integer_t value) { return Put(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return Put(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& /*raw*/) { return Put(value); }
  bool string(Json::string_t& value) { return Put(std::move(value)); }
  bool binary(Json::binary_t& /*value*/) { return Fail(Code::kJsonInvalid); }

  bool start_object(std::size_t /*elements*/) { return Open(Json::object()); }
  bool start_array(std::size_t /*elements*/) { return Open(Json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(Json::string_t& name) {
    Json& object = *stack_.back();
    if (object.contains(name)) return Fail(Code::kJsonDuplicateKey);
    slot_ = &object[name];
    return true;
  }

  bool parse_error(std::size_t /*position*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& /*error*/) {
    return Fail(Code::kJsonInvalid);
  }

  Code error() const { return error_; }
  Json& root() { return root_; }

 private:
  // Where the next value goes: the root, the end of an array, or the slot a key made.
  Json* Place(Json&& value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    *slot_ = std::move(value);
    return slot_;
  }
  bool Put(Json&& value) {
    Place(std::move(value));
    return true;
  }
  bool Open(Json&& container) {
    if (stack_.size() + 1 > max_depth_) return Fail(Code::kJsonTooDeep);
    stack_.push_back(Place(std::move(container)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }
  bool Fail(Code code) {
    if (error_ == Code::kOk) error_ = code;
    return false;
  }

  std::size_t max_depth_;
  Json root_;
  std::vector<Json*> stack_;
  Json* slot_ = nullptr;
  Code error_ = Code::kOk;
};

// Finds what nlohmann's dump() would abort on (invalid UTF-8) or write as
// "null" without telling anyone (NaN, infinity).
Code CheckSerializable(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return IsValidUtf8(value.get_ref<const Json::string_t&>()) ? Code::kOk : Code::kUtf8Invalid;
    case Json::value_t::number_float:
      return std::isfinite(value.get<double>()) ? Code::kOk : Code::kInvalidArgument;
    case Json::value_t::object:
      for (const auto& [name, member] : value.items()) {
        if (!IsValidUtf8(name)) return Code::kUtf8Invalid;
        if (const Code code = CheckSerializable(member); code != Code::kOk) return code;
      }
      return Code::kOk;
    case Json::value_t::array:
      for (const Json& element : value) {
        if (const Code code = CheckSerializable(element); code != Code::kOk) return code;
      }
      return Code::kOk;
    default:
      return Code::kOk;
  }
}

}  // namespace

Result<Json> ParseJson(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) return Code::kJsonTooLarge;
  if (!IsValidUtf8(text)) return Code::kUtf8Invalid;
  // nlohmann silently skips a byte-order mark; RFC 8259 §8.1 forbids sending one.
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") return Code::kJsonInvalid;

  BoundedDomBuilder builder(limits.max_depth);
  const bool parsed = Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                                      /*strict=*/true, /*ignore_comments=*/false);
  if (!parsed) return builder.error() == Code::kOk ? Code::kJsonInvalid : builder.error();
  return std::move(builder.root());
}

Result<std::string> SerializeJson(const Json& value) {
  if (const Code code = CheckSerializable(value); code != Code::kOk) return code;
  return value.dump();
}

}  // namespace latchkey
