// Status and Result<T>: errors as values, never exceptions.
//
// Every fallible core function returns a Status or a Result<T>. A Status holds
// one Code from error_codes.def and nothing else: no message that could leak
// detail. Cheap to copy; thread-compatible.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace latchkey {

enum class Code : std::uint16_t {
#define LATCHKEY_ERROR(name, wire, http, message) name,
#include "latchkey/error_codes.def"
#undef LATCHKEY_ERROR
};

// One row of the error table.
struct ErrorInfo {
  Code code;
  std::string_view wire;     // stable snake_case code, e.g. "token_expired"
  int http_status;           // status the server answers with
  std::string_view message;  // safe, public English text
};

// The whole table, in declaration order.
std::span<const ErrorInfo> ErrorTable();
const ErrorInfo& Describe(Code code);
std::string_view WireCode(Code code);
// Looks a wire code up; nullopt when unknown.
std::optional<Code> CodeFromWire(std::string_view wire);

class [[nodiscard]] Status {
 public:
  constexpr Status() = default;
  constexpr Status(Code code) : code_(code) {}  // NOLINT: implicit on purpose
  static constexpr Status Ok() { return Status(); }

  constexpr bool ok() const { return code_ == Code::kOk; }
  constexpr Code code() const { return code_; }
  std::string_view wire() const { return WireCode(code_); }

  friend constexpr bool operator==(Status a, Status b) { return a.code_ == b.code_; }

 private:
  Code code_ = Code::kOk;
};

// A value or an error code. Accessing value() of an error is a programming
// bug (an assertion in debug builds). A Result made from Code::kOk without a
// value would be a lie, so it becomes kInternal.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}                             // NOLINT: implicit on purpose
  Result(Code code) : code_(code == Code::kOk ? Code::kInternal : code) {}  // NOLINT
  Result(Status status) : Result(status.code()) {}                          // NOLINT

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  Status status() const { return Status(code_); }

  const T& value() const& { return (assert(value_), *value_); }
  T& value() & { return (assert(value_), *value_); }
  T&& value() && { return (assert(value_), std::move(*value_)); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::optional<T> value_;
  Code code_ = Code::kOk;
};

}  // namespace latchkey

// Returns early from the enclosing function when `expr` (a Status) fails.
#define LATCHKEY_RETURN_IF_ERROR(expr)                          \
  do {                                                          \
    ::latchkey::Status latchkey_status_ = (expr);               \
    if (!latchkey_status_.ok()) return latchkey_status_.code(); \
  } while (0)
