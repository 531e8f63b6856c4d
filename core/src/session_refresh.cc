#include "latchkey/session_refresh.h"

#include <algorithm>
#include <cmath>

namespace latchkey {
namespace {

// Date has whole seconds: the server's clock was somewhere in [date, date+1s).
constexpr std::int64_t kDateMidpointMs = 500;

std::int64_t EstimateOffsetMs(const RefreshEvent& event, std::int64_t now_ms) {
  if (event.server_date_ms) return *event.server_date_ms + kDateMidpointMs - now_ms;
  // No Date header (e.g. CORS without Expose-Headers): the token was issued
  // a moment ago, so its iat is the server's clock now.
  if (event.issued_at > 0) return event.issued_at * 1000 - now_ms;
  return 0;
}

double Clamp01(double x) { return std::isfinite(x) ? std::clamp(x, 0.0, 1.0) : 0.0; }

std::int64_t BackoffMs(std::int64_t failures, const RefreshEvent& event, const SessionRefreshPolicy& policy) {
  std::int64_t delay = policy.backoff_initial_ms;
  for (std::int64_t i = 1; i < failures && delay < policy.backoff_max_ms; ++i) delay *= 2;
  delay = std::min(delay, policy.backoff_max_ms);
  delay = static_cast<std::int64_t>(static_cast<double>(delay) * (0.5 + 0.5 * Clamp01(event.jitter)));
  if (event.retry_after_seconds) delay = std::max(delay, *event.retry_after_seconds * 1000);
  return std::max<std::int64_t>(delay, 1);
}

ClientRefreshDecision Check(const SessionRefreshState& state, bool for_request, std::int64_t now_ms,
                            const SessionRefreshPolicy& policy) {
  ClientRefreshDecision d;
  if (!state.has_session || state.signed_out) {
    d.action = ClientRefreshAction::kSessionOver;
    d.code = state.signed_out ? state.last_error : Code::kSessionMissing;
    return d;
  }
  const std::int64_t server_now_ms = now_ms + state.offset_ms;
  d.token_expired = server_now_ms >= state.expires_at * 1000;
  const std::int64_t due_ms = RefreshDueAtMs(state, policy);
  if (state.retry_at_ms > now_ms) {
    // Backing off: an unexpired token still serves requests meanwhile.
    d.action = for_request && !d.token_expired ? ClientRefreshAction::kUseToken : ClientRefreshAction::kRetryAfter;
    d.at_ms = state.retry_at_ms;
    return d;
  }
  if (now_ms < due_ms) {
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
  const std::int64_t lifetime_ms = std::max<std::int64_t>(0, (state.expires_at - state.issued_at) * 1000);
  const auto fraction_ms =
      static_cast<std::int64_t>(static_cast<double>(lifetime_ms) * Clamp01(policy.margin_fraction));
  const std::int64_t margin_ms = std::min(policy.margin_ms, fraction_ms);
  return state.expires_at * 1000 - margin_ms - state.offset_ms;
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
        step.decision = {ClientRefreshAction::kSessionOver, now_ms, code, now_ms + s.offset_ms >= s.expires_at * 1000};
        return step;
      }
      s.failures += 1;
      s.retry_at_ms = now_ms + BackoffMs(s.failures, event, policy);
      step.decision = Check(s, false, now_ms, policy);
      step.decision.code = code;
      return step;
    }
  }
  step.decision = Check(s, for_request, now_ms, policy);
  return step;
}

}  // namespace latchkey
