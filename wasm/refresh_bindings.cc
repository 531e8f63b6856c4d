// Embind export of the client refresh state machine (session_refresh.h).
// JSON in, JSON out, like bindings.cc: embind copies the strings, so no view
// of wasm memory reaches JS. The JS layer keeps the state object between
// calls and passes it back unchanged.
#include <emscripten/bind.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "latchkey/json.h"
#include "latchkey/session_refresh.h"

namespace latchkey::wasm {
namespace {

// A JS number as int64: floored, and saturated when out of range (a plain cast
// of 1e300 is undefined behaviour, and came out as INT64_MIN: a far-future
// expiry read as long past). Not-finite numbers count as 0.
std::int64_t ClampToInt64(double value) {
  if (!std::isfinite(value)) return 0;
  value = std::floor(value);
  if (value >= 9223372036854775808.0) return INT64_MAX;
  if (value < -9223372036854775808.0) return INT64_MIN;
  return static_cast<std::int64_t>(value);
}

std::int64_t Int(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return 0;
  return ClampToInt64(it->get<double>());
}

std::optional<std::int64_t> OptionalInt(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return Int(object, name);
}

bool Bool(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

Code CodeOf(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return Code::kOk;
  // An unknown code (a newer server) is treated like any refusal: terminal.
  return CodeFromWire(it->get<std::string>()).value_or(Code::kRefreshTokenInvalid);
}

SessionRefreshState StateFromJson(const Json& j) {
  SessionRefreshState s;
  s.has_session = Bool(j, "has_session");
  s.signed_out = Bool(j, "signed_out");
  s.expires_at = Int(j, "expires_at");
  s.issued_at = Int(j, "issued_at");
  s.offset_ms = Int(j, "offset_ms");
  s.failures = Int(j, "failures");
  s.retry_at_ms = Int(j, "retry_at_ms");
  s.last_error = CodeOf(j, "last_error");
  return s;
}

Json StateToJson(const SessionRefreshState& s) {
  return {{"has_session", s.has_session}, {"signed_out", s.signed_out},
          {"expires_at", s.expires_at},   {"issued_at", s.issued_at},
          {"offset_ms", s.offset_ms},     {"failures", s.failures},
          {"retry_at_ms", s.retry_at_ms}, {"last_error", WireCode(s.last_error)}};
}

std::optional<RefreshEventKind> KindFromName(const std::string& name) {
  if (name == "request") return RefreshEventKind::kRequest;
  if (name == "timer") return RefreshEventKind::kTimer;
  if (name == "visible") return RefreshEventKind::kVisible;
  if (name == "tokens_received") return RefreshEventKind::kTokensReceived;
  if (name == "other_tab_refreshed") return RefreshEventKind::kOtherTabRefreshed;
  if (name == "refresh_failed") return RefreshEventKind::kRefreshFailed;
  if (name == "network_error") return RefreshEventKind::kNetworkError;
  return std::nullopt;
}

const char* ActionName(ClientRefreshAction action) {
  switch (action) {
    case ClientRefreshAction::kUseToken:
      return "use_token";
    case ClientRefreshAction::kRefreshNow:
      return "refresh_now";
    case ClientRefreshAction::kWaitUntil:
      return "wait_until";
    case ClientRefreshAction::kRetryAfter:
      return "retry_after";
    case ClientRefreshAction::kSessionOver:
      return "session_over";
  }
  return "session_over";
}

std::string Failure(Code code) { return Json{{"ok", false}, {"code", WireCode(code)}}.dump(); }

// decideRefresh(state, event, nowMs, policy): {"ok": true, "state": {...},
// "decision": {action, at_ms, code, token_expired}}.
std::string DecideRefreshJson(const std::string& state_json, const std::string& event_json, double now_ms,
                              const std::string& policy_json) {
  Result<Json> state = ParseJson(state_json), event = ParseJson(event_json), policy = ParseJson(policy_json);
  if (!state.ok() || !event.ok() || !policy.ok()) return Failure(Code::kJsonInvalid);
  if (!state->is_object() || !event->is_object() || !policy->is_object() || !std::isfinite(now_ms)) {
    return Failure(Code::kInvalidArgument);
  }
  const auto kind_it = event->find("kind");
  const std::optional<RefreshEventKind> kind =
      kind_it != event->end() && kind_it->is_string() ? KindFromName(kind_it->get<std::string>()) : std::nullopt;
  if (!kind) return Failure(Code::kInvalidArgument);

  RefreshEvent e;
  e.kind = *kind;
  e.expires_at = Int(*event, "expires_at");
  e.issued_at = Int(*event, "issued_at");
  e.server_date_ms = OptionalInt(*event, "server_date_ms");
  e.code = CodeOf(*event, "code");
  e.retry_after_seconds = OptionalInt(*event, "retry_after_seconds");
  if (const auto it = event->find("jitter"); it != event->end() && it->is_number()) e.jitter = it->get<double>();

  SessionRefreshPolicy p;
  if (const auto v = OptionalInt(*policy, "margin_ms")) p.margin_ms = *v;
  if (const auto it = policy->find("margin_fraction"); it != policy->end() && it->is_number()) {
    p.margin_fraction = it->get<double>();
  }
  if (const auto v = OptionalInt(*policy, "backoff_initial_ms")) p.backoff_initial_ms = *v;
  if (const auto v = OptionalInt(*policy, "backoff_max_ms")) p.backoff_max_ms = *v;

  const RefreshStep step = DecideRefresh(StateFromJson(*state), e, static_cast<std::int64_t>(std::floor(now_ms)), p);
  Json decision = {{"action", ActionName(step.decision.action)},
                   {"at_ms", step.decision.at_ms},
                   {"code", WireCode(step.decision.code)},
                   {"token_expired", step.decision.token_expired}};
  return Json{{"ok", true}, {"state", StateToJson(step.state)}, {"decision", decision}}.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(latchkey_session_refresh) { emscripten::function("decideRefresh", &DecideRefreshJson); }

}  // namespace latchkey::wasm
