// The CLIENT's session refresh decisions (the npm package's AuthClient).
// Not to be confused with refresh.h, the server's rotation rules.
//
// A pure state machine: the caller passes `now` (its own clock, in
// milliseconds) and an event; it gets back the new state and one decision.
// It never reads a clock, never does I/O and never draws randomness: the
// jitter of the backoff is an input in [0, 1). The JS layer performs what is
// decided (fetch, timers, storage, cross-tab locks).
//
// Clocks: token times (exp, iat) are the SERVER's, in seconds. The client's
// clock may be off by minutes, so the state keeps an estimate of
// server_clock - client_clock (offset_ms), taken when tokens arrive: from the
// response's Date header when there is one (1 s resolution), else from the
// token's iat (the token was issued just now). Every comparison is made on the
// server's clock: server_now = now + offset_ms.
#pragma once

#include <cstdint>
#include <optional>

#include "latchkey/status.h"

namespace latchkey {

struct SessionRefreshPolicy {
  // Refresh this long before the access token expires...
  std::int64_t margin_ms = 60'000;
  // ...but for short tokens at most this fraction of their lifetime, so a
  // 30 s token is refreshed 7.5 s before expiry, not at once.
  double margin_fraction = 0.25;
  // Backoff after a retryable failure: initial * 2^(failures - 1), capped,
  // then scaled by (0.5 + 0.5 * jitter). A server's Retry-After is a floor.
  std::int64_t backoff_initial_ms = 1'000;
  std::int64_t backoff_max_ms = 60'000;
};

// What the client knows about its session. Plain data: the JS layer keeps it
// (as JSON) next to the stored tokens.
struct SessionRefreshState {
  bool has_session = false;
  bool signed_out = false;       // a terminal refresh failure happened
  std::int64_t expires_at = 0;   // access token exp, server clock, seconds
  std::int64_t issued_at = 0;    // access token iat, server clock, seconds
  std::int64_t offset_ms = 0;    // server clock - client clock
  std::int64_t failures = 0;     // consecutive retryable failures
  std::int64_t retry_at_ms = 0;  // client clock; 0: no backoff pending
  Code last_error = Code::kOk;   // the code that ended the session, if any
};

enum class RefreshEventKind {
  kRequest,            // a call needs a token now
  kTimer,              // a scheduled wake-up (autoRefresh)
  kVisible,            // the page became visible again: timers may have slept
  kTokensReceived,     // login, signup or a refresh succeeded here
  kOtherTabRefreshed,  // another tab/client stored new tokens
  kRefreshFailed,      // the server answered with an error code
  kNetworkError,       // no answer at all
};

struct RefreshEvent {
  RefreshEventKind kind = RefreshEventKind::kRequest;
  // kTokensReceived / kOtherTabRefreshed: the new access token's times.
  std::int64_t expires_at = 0;
  std::int64_t issued_at = 0;
  // The response's Date header in ms since the epoch, when present.
  std::optional<std::int64_t> server_date_ms;
  // kRefreshFailed: the server's code; Retry-After in seconds when sent.
  Code code = Code::kOk;
  std::optional<std::int64_t> retry_after_seconds;
  // In [0, 1): spreads the retries of many clients.
  double jitter = 0;
};

// What the client does next. (Named apart from the server's RefreshAction in
// refresh.h: both live in namespace latchkey, and one name with two meanings
// would break the one-definition rule in a program that links both.)
enum class ClientRefreshAction {
  kUseToken,     // the token is good for this request; refresh at `at_ms`
  kRefreshNow,   // refresh before going on
  kWaitUntil,    // nothing to do until `at_ms` (schedule a timer)
  kRetryAfter,   // a refresh failed; try again at `at_ms`
  kSessionOver,  // signed out: clear the tokens; `code` says why
};

struct ClientRefreshDecision {
  ClientRefreshAction action = ClientRefreshAction::kWaitUntil;
  std::int64_t at_ms = 0;      // client clock
  Code code = Code::kOk;       // kSessionOver: the reason
  bool token_expired = false;  // the access token is past exp (server clock)
};

struct RefreshStep {
  SessionRefreshState state;
  ClientRefreshDecision decision;
};

// True for the codes after which refreshing again cannot help (the refresh
// token was reused, expired, revoked...). Everything not retryable is terminal.
bool IsRetryableRefreshFailure(Code code);

// The refresh moment of the current token, on the client's clock.
std::int64_t RefreshDueAtMs(const SessionRefreshState& state, const SessionRefreshPolicy& policy);

// Applies `event` at client time `now_ms`.
RefreshStep DecideRefresh(const SessionRefreshState& state, const RefreshEvent& event, std::int64_t now_ms,
                          const SessionRefreshPolicy& policy = {});

}  // namespace latchkey
