// Scenarios of the client's refresh state machine, on a fake clock: `now` is
// a number the test advances, never the real time.
#include <catch2/catch.hpp>

#include <limits>

#include "latchkey/session_refresh.h"

namespace latchkey {
namespace {

constexpr std::int64_t kServerEpoch = 1'800'000'000;  // server clock, seconds

RefreshEvent Event(RefreshEventKind kind) {
  RefreshEvent event;
  event.kind = kind;
  return event;
}

// A client whose clock is `skew_ms` ahead of the server's.
struct FakeClient {
  explicit FakeClient(std::int64_t skew = 0) : skew_ms(skew) {}
  std::int64_t skew_ms = 0;
  std::int64_t server_ms = kServerEpoch * 1000;
  SessionRefreshState state;

  std::int64_t now() const { return server_ms + skew_ms; }
  void advance(std::int64_t ms) { server_ms += ms; }

  ClientRefreshDecision apply(RefreshEvent event) {
    RefreshStep step = DecideRefresh(state, event, now());
    state = step.state;
    return step.decision;
  }
  // Tokens issued by the server right now, with a Date header (or not).
  ClientRefreshDecision receive(std::int64_t ttl_seconds, bool with_date = true) {
    RefreshEvent e = Event(RefreshEventKind::kTokensReceived);
    e.issued_at = server_ms / 1000;
    e.expires_at = e.issued_at + ttl_seconds;
    if (with_date) e.server_date_ms = server_ms / 1000 * 1000;
    return apply(e);
  }
  ClientRefreshDecision request() { return apply(Event(RefreshEventKind::kRequest)); }
  ClientRefreshDecision fail(Code code, double jitter = 0, std::optional<std::int64_t> retry_after = std::nullopt) {
    RefreshEvent e = Event(RefreshEventKind::kRefreshFailed);
    e.code = code;
    e.jitter = jitter;
    e.retry_after_seconds = retry_after;
    return apply(e);
  }
};

TEST_CASE("a fresh token is used until the margin before expiry, then refreshed", "[session_refresh]") {
  FakeClient client;
  ClientRefreshDecision d = client.receive(900);
  CHECK(d.action == ClientRefreshAction::kWaitUntil);
  // 60 s before expiry, minus half a second: the Date header has whole
  // seconds, so the estimate takes the middle of the second (errs early).
  CHECK(d.at_ms == client.now() + 839'500);

  d = client.request();
  CHECK(d.action == ClientRefreshAction::kUseToken);
  CHECK_FALSE(d.token_expired);

  client.advance(839'000);
  CHECK(client.request().action == ClientRefreshAction::kUseToken);
  client.advance(1'000);
  d = client.request();
  CHECK(d.action == ClientRefreshAction::kRefreshNow);
  CHECK_FALSE(d.token_expired);
  client.advance(60'000);
  d = client.request();
  CHECK(d.action == ClientRefreshAction::kRefreshNow);
  CHECK(d.token_expired);
}

TEST_CASE("short tokens are refreshed at a fraction of their lifetime before expiry", "[session_refresh]") {
  FakeClient client;
  ClientRefreshDecision d = client.receive(20);
  CHECK(d.action == ClientRefreshAction::kWaitUntil);
  CHECK(d.at_ms == client.now() + 14'500);  // 25 % of 20 s = 5 s margin (and the Date midpoint)
}

TEST_CASE("a client clock 5 minutes off either way still refreshes on time", "[session_refresh]") {
  for (const std::int64_t skew : {-300'000, 300'000}) {
    for (const bool with_date : {true, false}) {
      FakeClient client(skew);
      client.server_ms += 250;  // mid-second: the Date header rounds down
      client.receive(900, with_date);
      // Due 60 s before expiry on the SERVER's clock, whatever the client's says.
      client.advance(838'000);
      CHECK(client.request().action == ClientRefreshAction::kUseToken);
      client.advance(2'000);
      ClientRefreshDecision d = client.request();
      CHECK(d.action == ClientRefreshAction::kRefreshNow);
      CHECK_FALSE(d.token_expired);
      client.advance(59'000);
      CHECK_FALSE(client.request().token_expired);
      client.advance(2'000);
      CHECK(client.request().token_expired);
    }
  }
}

TEST_CASE("terminal refresh failures end the session; nothing refreshes after", "[session_refresh]") {
  for (const Code code : {Code::kRefreshTokenReused, Code::kRefreshTokenExpired, Code::kRefreshTokenInvalid,
                          Code::kSessionRevoked, Code::kUserDisabled, Code::kValidationFailed}) {
    FakeClient client;
    client.receive(900);
    client.advance(900'000);
    REQUIRE(client.request().action == ClientRefreshAction::kRefreshNow);
    ClientRefreshDecision d = client.fail(code);
    CHECK(d.action == ClientRefreshAction::kSessionOver);
    CHECK(d.code == code);
    // No loop: every later event says the same until new tokens arrive.
    for (int i = 0; i < 3; ++i) {
      client.advance(10'000);
      d = client.request();
      CHECK(d.action == ClientRefreshAction::kSessionOver);
      CHECK(d.code == code);
      CHECK(client.apply(Event(RefreshEventKind::kVisible)).action == ClientRefreshAction::kSessionOver);
    }
    CHECK(client.receive(900).action == ClientRefreshAction::kWaitUntil);
  }
}

TEST_CASE("retryable failures back off exponentially with a cap, jitter and Retry-After", "[session_refresh]") {
  FakeClient client;
  client.receive(900);
  client.advance(845'000);
  const std::int64_t expected[] = {1'000, 2'000, 4'000, 8'000, 16'000, 32'000, 60'000, 60'000};
  for (const std::int64_t delay : expected) {
    const std::int64_t t = client.now();
    ClientRefreshDecision d = client.fail(Code::kServerBusy, /*jitter=*/0.999999);
    CHECK(d.action == ClientRefreshAction::kRetryAfter);
    CHECK(d.code == Code::kServerBusy);
    CHECK(d.at_ms - t >= delay - 1);
    CHECK(d.at_ms - t <= delay);
    // Meanwhile an unexpired token still serves requests; an expired one does not.
    CHECK(client.request().action ==
          (d.token_expired ? ClientRefreshAction::kRetryAfter : ClientRefreshAction::kUseToken));
    client.advance(d.at_ms - t);
    CHECK(client.request().action == ClientRefreshAction::kRefreshNow);
  }
  SECTION("jitter 0 halves the delay") {
    const std::int64_t t = client.now();
    CHECK(client.fail(Code::kRateLimited, 0).at_ms - t == 30'000);
  }
  SECTION("Retry-After is a floor") {
    const std::int64_t t = client.now();
    CHECK(client.fail(Code::kRateLimited, 0, 120).at_ms - t == 120'000);
  }
  SECTION("a network error is retryable") {
    const std::int64_t t = client.now();
    ClientRefreshDecision d = client.apply(Event(RefreshEventKind::kNetworkError));
    CHECK(d.action == ClientRefreshAction::kRetryAfter);
    CHECK(d.code == Code::kNetworkError);
    CHECK(d.at_ms > t);
  }
  SECTION("success resets the backoff") {
    client.receive(900);
    CHECK(client.state.failures == 0);
    client.advance(900'000);
    CHECK(client.fail(Code::kServerBusy, 0.999999).at_ms - client.now() <= 1'000);
  }
}

TEST_CASE("an expired token during backoff is not used: the caller waits for the retry", "[session_refresh]") {
  FakeClient client;
  client.receive(60);
  client.advance(61'000);
  ClientRefreshDecision d = client.fail(Code::kNetworkError, 0.5);
  REQUIRE(d.action == ClientRefreshAction::kRetryAfter);
  d = client.request();
  CHECK(d.action == ClientRefreshAction::kRetryAfter);
  CHECK(d.token_expired);
}

TEST_CASE("regained visibility makes a pending retry due at once", "[session_refresh]") {
  FakeClient client;
  client.receive(900);
  client.advance(880'000);
  client.fail(Code::kServerBusy, 0.5);
  client.fail(Code::kServerBusy, 0.5);
  ClientRefreshDecision d = client.apply(Event(RefreshEventKind::kTimer));
  CHECK(d.action == ClientRefreshAction::kRetryAfter);
  d = client.apply(Event(RefreshEventKind::kVisible));
  CHECK(d.action == ClientRefreshAction::kRefreshNow);
  CHECK(client.state.failures == 2);  // the next failure still backs off further
}

TEST_CASE("another tab's refresh replaces the tokens and keeps the clock estimate", "[session_refresh]") {
  FakeClient client(120'000);
  client.receive(900);
  const std::int64_t offset = client.state.offset_ms;
  client.advance(850'000);
  REQUIRE(client.request().action == ClientRefreshAction::kRefreshNow);
  RefreshEvent e = Event(RefreshEventKind::kOtherTabRefreshed);
  e.issued_at = client.server_ms / 1000;
  e.expires_at = e.issued_at + 900;
  ClientRefreshDecision d = client.apply(e);
  CHECK(d.action == ClientRefreshAction::kWaitUntil);
  CHECK(client.state.offset_ms == offset);
  CHECK(client.request().action == ClientRefreshAction::kUseToken);
}

TEST_CASE("without a session every decision is session over with session_missing", "[session_refresh]") {
  FakeClient client;
  ClientRefreshDecision d = client.request();
  CHECK(d.action == ClientRefreshAction::kSessionOver);
  CHECK(d.code == Code::kSessionMissing);
}

TEST_CASE("retryable and terminal codes are classified as documented", "[session_refresh]") {
  CHECK(IsRetryableRefreshFailure(Code::kRateLimited));
  CHECK(IsRetryableRefreshFailure(Code::kServerBusy));
  CHECK(IsRetryableRefreshFailure(Code::kNetworkError));
  CHECK(IsRetryableRefreshFailure(Code::kInternal));
  CHECK_FALSE(IsRetryableRefreshFailure(Code::kRefreshTokenReused));
  CHECK_FALSE(IsRetryableRefreshFailure(Code::kRefreshTokenExpired));
  CHECK_FALSE(IsRetryableRefreshFailure(Code::kRefreshTokenInvalid));
  CHECK_FALSE(IsRetryableRefreshFailure(Code::kSessionRevoked));
  CHECK_FALSE(IsRetryableRefreshFailure(Code::kUserDisabled));
}

// Found by tests/fuzz/session_refresh_fuzz.cc: times from tokens, headers and
// storage may be anything, and the arithmetic on them must not wrap.
TEST_CASE("a token whose exp does not fit in milliseconds is far future, not expired", "[session_refresh]") {
  FakeClient client;
  RefreshEvent e = Event(RefreshEventKind::kTokensReceived);
  e.issued_at = client.server_ms / 1000;
  e.expires_at = 9'300'000'000'000'000;  // * 1000 is past int64
  e.server_date_ms = client.server_ms;
  CHECK(client.apply(e).action == ClientRefreshAction::kWaitUntil);
  ClientRefreshDecision d = client.request();
  CHECK(d.action == ClientRefreshAction::kUseToken);
  CHECK_FALSE(d.token_expired);
}

TEST_CASE("a token whose exp is before the int64 milliseconds range is expired", "[session_refresh]") {
  FakeClient client;
  RefreshEvent e = Event(RefreshEventKind::kTokensReceived);
  e.issued_at = client.server_ms / 1000;
  e.expires_at = std::numeric_limits<std::int64_t>::min() / 1000 - 1;  // * 1000 is before int64
  e.server_date_ms = client.server_ms;
  client.apply(e);
  ClientRefreshDecision d = client.request();
  CHECK(d.action == ClientRefreshAction::kRefreshNow);
  CHECK(d.token_expired);
}

TEST_CASE("a Retry-After too long for milliseconds waits until the end of time", "[session_refresh]") {
  FakeClient client;
  client.receive(900);
  ClientRefreshDecision d = client.fail(Code::kServerBusy, 0, 9'300'000'000'000'000);
  CHECK(d.action == ClientRefreshAction::kRetryAfter);
  CHECK(d.at_ms == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("backoff from a zero initial delay and a huge stored failure count ends at once", "[session_refresh]") {
  // Before the fix this looped once per stored failure (a hang, not a failure).
  SessionRefreshPolicy policy;
  policy.backoff_initial_ms = 0;
  SessionRefreshState state;
  state.has_session = true;
  state.expires_at = kServerEpoch + 900;
  state.issued_at = kServerEpoch;
  state.failures = std::numeric_limits<std::int64_t>::max() - 1;
  RefreshEvent e = Event(RefreshEventKind::kNetworkError);
  const std::int64_t now = kServerEpoch * 1000;
  RefreshStep step = DecideRefresh(state, e, now, policy);
  CHECK(step.state.failures == std::numeric_limits<std::int64_t>::max());
  CHECK(step.decision.action == ClientRefreshAction::kRetryAfter);
  CHECK(step.decision.at_ms == now + 1);
}

}  // namespace
}  // namespace latchkey
