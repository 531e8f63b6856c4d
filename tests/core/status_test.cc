#include <catch2/catch.hpp>

#include <set>

#include "latchkey/status.h"

namespace latchkey {
namespace {

TEST_CASE("the error table has unique, stable wire codes and valid HTTP statuses", "[status]") {
  std::set<std::string_view> wires;
  std::size_t index = 0;
  for (const ErrorInfo& info : ErrorTable()) {
    CHECK(static_cast<std::size_t>(info.code) == index++);
    CHECK(wires.insert(info.wire).second);
    CHECK(info.http_status >= 200);
    CHECK(info.http_status < 600);
    CHECK(!info.message.empty());
    for (const char c : info.wire) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
    REQUIRE(CodeFromWire(info.wire).has_value());
    CHECK(*CodeFromWire(info.wire) == info.code);
  }
  CHECK(ErrorTable()[0].wire == "ok");
  CHECK(!CodeFromWire("no_such_code").has_value());
  CHECK(Describe(Code::kTokenExpired).http_status == 401);
}

TEST_CASE("Status and Result carry a code and a value", "[status]") {
  CHECK(Status().ok());
  CHECK(Status::Ok() == Status());
  const Status expired(Code::kTokenExpired);
  CHECK(!expired.ok());
  CHECK(expired.wire() == "token_expired");

  Result<int> value = 42;
  REQUIRE(value.ok());
  CHECK(*value == 42);
  Result<int> failure = Code::kInvalidArgument;
  CHECK(!failure.ok());
  CHECK(failure.code() == Code::kInvalidArgument);
  CHECK(failure.status() == Status(Code::kInvalidArgument));
  // An "ok" without a value cannot be constructed.
  Result<int> no_value = Code::kOk;
  CHECK(!no_value.ok());
  CHECK(no_value.code() == Code::kInternal);
}

}  // namespace
}  // namespace latchkey
