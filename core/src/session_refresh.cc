#include "latchkey/session_refresh.h"

#include <algorithm>
#include <cmath>

#include "saturating.h"

namespace latchkey {
namespace {

namespace sat = saturating;

// Date has whole seconds: the server's clock was somewhere in [date, date+1s).
constexpr std::int64_t kDateMidpointMs = 500;

std::int64_t EstimateOffsetMs(const RefreshEvent& event, std::int64_t now_ms) {
  if (event.server_date_ms) return sat::Sub(sat::Add(*event.server_date_ms, kDateMidpointMs), now_ms);
  // No Date header (e.g. CORS without Expose-Headers): the token was issued
  // a moment ago, so its iat is the server's clock now.
  if (event.issued_at > 0) return sat::Sub(sat::Mul(event.issued_at, 1000), now_ms);
  return 0;
}

double Clamp01(double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; }

std::int64_t BackoffMs(std::int64_t failures, const RefreshEvent& event, const SessionRefreshPolicy& policy) {
  std::int64_t delay = policy.backoff_initial_ms;
  // 62 doublings take any positive delay past int64; a delay of 0 (or less)
  // never grows, so the count bounds the loop, not the delay.
  for (std::int64_t i = 1; i < failures && i < 64 && delay < policy.backoff_max_ms; ++i) delay = sat::Mul(delay, 2);
  delay = std::min(delay, policy.backoff_max_ms);
  delay = sat::FromDouble(static_cast<double>(delay) * (0.5 + 0.5 * Clamp01(event.jitter)));
  if (event.retry_after_seconds) delay = std::max(delay, sat::Mul(*event.retry_after_seconds, 1000));
  return std::max<std::int64_t>(delay, 1);
}

// Both moments are compared on the server's clock (now + offset): with the
// clamping of saturating arithmetic, "expired" and "due" stay consistent only
// when they are measured against the same clamped value.
std::int64_t ServerNowMs(const SessionRefreshState& state, std::int64_t now_ms) {
  return sat::Add(now_ms, state.offset_ms);
}

bool IsExpired(const SessionRefreshState& state, std::int64_t now_ms) {
  return ServerNowMs(state, now_ms) >= sat::Mul(state.expires_at, 1000);
}

// The refresh moment on the server's clock: exp less the margin (>= 0 by default).
std::int64_t DueAtServerMs(const SessionRefreshState& state, const SessionRefreshPolicy& policy) {
  const std::int64_t lifetime_ms =
      std::max<std::int64_t>(0, sat::Mul(sat::Sub(state.expires_at, state.issued_at), 1000));
  const std::int64_t fraction_ms = sat::FromDouble(static_cast<double>(lifetime_ms) * Clamp01(policy.margin_fraction));
  const std::int64_t margin_ms = std::min(policy.margin_ms, fraction_ms);
  return sat::Sub(sat::Mul(state.expires_at, 1000), margin_ms);
}

ClientRefreshDecision Check(const SessionRefreshState& state, bool for_request, std::int64_t now_ms,
                      const SessionRefreshPolicy& policy) {
  ClientRefreshDecision d;
  if (!state.has_session || state.signed_out) {
    d.action = ClientRefreshAction::kSessionOver;
    d.code = state.signed_out ? state.last_error : Code::kSessionMissing;
    return d;
  }
  d.token_expired = IsExpired(state, now_ms);
  const std::int64_t due_ms = RefreshDueAtMs(state, policy);
  if (state.retry_at_ms > now_ms) {
    // Backing off: an unexpired token still serves requests meanwhile.
    d.action = for_request && !d.token_expired ? ClientRefreshAction::kUseToken : ClientRefreshAction::kRetryAfter;
    d.at_ms = state.retry_at_ms;
    return d;
  }
  if (ServerNowMs(state, now_ms) < DueAtServerMs(state, policy)) {
    d.action = for_request ? ClientRefreshAction::kUseToken : ClientRefreshAction::kWaitUntil;
    d.at_ms = due_ms;
    return d;
  }
  d.action = ClientRefreshAction::kRefreshNow;
  d.at_ms = now_ms;
  return d;
}

}  // namespace

bool IsRetryableRefreshFailure(Code code) {
  switch (code) {
    case Code::kRateLimited:
    case Code::kServerBusy:
    case Code::kOutOfMemory:
    case Code::kInternal:
    case Code::kNetworkError:
      return true;
    default:
      // refresh_token_reused/expired/invalid, session_revoked, user_disabled,
      // and any other refusal: asking again with the same token cannot help.
      return false;
  }
}

std::int64_t RefreshDueAtMs(const SessionRefreshState& state, const SessionRefreshPolicy& policy) {
  return sat::Sub(DueAtServerMs(state, policy), state.offset_ms);
}

RefreshStep DecideRefresh(const SessionRefreshState& state, const RefreshEvent& event, std::int64_t now_ms,
                          const SessionRefreshPolicy& policy) {
  RefreshStep step{state, {}};
  SessionRefreshState& s = step.state;
  bool for_request = false;
  switch (event.kind) {
    case RefreshEventKind::kRequest:
      for_request = true;
      break;
    case RefreshEventKind::kTimer:
      break;
    case RefreshEventKind::kVisible:
      // Timers of hidden pages are throttled: a pending retry is due now.
      s.retry_at_ms = std::min(s.retry_at_ms, now_ms);
      break;
    case RefreshEventKind::kTokensReceived:
    case RefreshEventKind::kOtherTabRefreshed:
      s = SessionRefreshState{};
      s.has_session = true;
      s.expires_at = event.expires_at;
      s.issued_at = event.issued_at > 0 ? event.issued_at : event.expires_at;
      // Another tab's tokens arrive without a response here: keep our estimate.
      s.offset_ms = event.kind == RefreshEventKind::kTokensReceived || !state.has_session
                        ? EstimateOffsetMs(event, now_ms)
                        : state.offset_ms;
      break;
    case RefreshEventKind::kRefreshFailed:
    case RefreshEventKind::kNetworkError: {
      const Code code = event.kind == RefreshEventKind::kNetworkError ? Code::kNetworkError : event.code;
      if (!IsRetryableRefreshFailure(code)) {
        s.signed_out = true;
        s.last_error = code;
        step.decision = {ClientRefreshAction::kSessionOver, now_ms, code, IsExpired(s, now_ms)};
        return step;
      }
      s.failures = sat::Add(s.failures, 1);
      s.retry_at_ms = sat::Add(now_ms, BackoffMs(s.failures, event, policy));
      step.decision = Check(s, false, now_ms, policy);
      step.decision.code = code;
      return step;
    }
  }
  step.decision = Check(s, for_request, now_ms, policy);
  return step;
}

}  // namespace latchkey
