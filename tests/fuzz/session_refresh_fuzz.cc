// The client's refresh state machine (session_refresh.h): a run of events with
// arbitrary times, codes, Retry-After values and jitter, from any state, under
// any policy. The JS layer hands all of these over from server responses and
// storage, so none of them may break it.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>

#include "fuzz_check.h"
#include "latchkey/session_refresh.h"
#include "latchkey/status.h"

namespace {

using latchkey::ClientRefreshAction;
using latchkey::RefreshEventKind;

std::int64_t Time(FuzzedDataProvider& input) {
  // Mostly plausible clocks (ms around 2023), sometimes anything at all.
  if (input.ConsumeBool()) return input.ConsumeIntegral<std::int64_t>();
  return 1'700'000'000'000 + input.ConsumeIntegralInRange<std::int64_t>(-10'000'000'000, 10'000'000'000);
}

latchkey::Code AnyCode(FuzzedDataProvider& input) {
  const auto table = latchkey::ErrorTable();
  return table[input.ConsumeIntegralInRange<std::size_t>(0, table.size() - 1)].code;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  latchkey::SessionRefreshPolicy policy;
  const bool custom_policy = input.ConsumeBool();
  if (custom_policy) {
    policy.margin_ms = input.ConsumeIntegral<std::int64_t>();
    policy.margin_fraction = input.ConsumeFloatingPoint<double>();
    policy.backoff_initial_ms = input.ConsumeIntegral<std::int64_t>();
    policy.backoff_max_ms = input.ConsumeIntegral<std::int64_t>();
  }
  latchkey::SessionRefreshState state;
  if (input.ConsumeBool()) {  // a stored state, as the JS layer reads it back
    state.has_session = input.ConsumeBool();
    state.signed_out = input.ConsumeBool();
    state.expires_at = input.ConsumeIntegral<std::int64_t>();
    state.issued_at = input.ConsumeIntegral<std::int64_t>();
    state.offset_ms = input.ConsumeIntegral<std::int64_t>();
    state.failures = input.ConsumeIntegral<std::int64_t>();
    state.retry_at_ms = input.ConsumeIntegral<std::int64_t>();
    state.last_error = AnyCode(input);
  }
  for (int step = 0; step < 16 && input.remaining_bytes() > 0; ++step) {
    latchkey::RefreshEvent event;
    event.kind = static_cast<RefreshEventKind>(input.ConsumeIntegralInRange<int>(0, 6));
    event.expires_at = Time(input) / 1000;
    event.issued_at = input.ConsumeBool() ? event.expires_at - input.ConsumeIntegral<std::int32_t>()
                                          : input.ConsumeIntegral<std::int64_t>();
    if (input.ConsumeBool()) event.server_date_ms = Time(input);
    event.code = AnyCode(input);
    if (input.ConsumeBool()) event.retry_after_seconds = input.ConsumeIntegral<std::int64_t>();
    event.jitter = input.ConsumeFloatingPoint<double>();
    const std::int64_t now = Time(input);

    const latchkey::RefreshStep next = latchkey::DecideRefresh(state, event, now, policy);
    const latchkey::ClientRefreshDecision& d = next.decision;
    const bool live = next.state.has_session && !next.state.signed_out;
    FUZZ_CHECK((d.action == ClientRefreshAction::kSessionOver) == !live);
    if (d.action == ClientRefreshAction::kUseToken) FUZZ_CHECK(event.kind == RefreshEventKind::kRequest);
    if (d.action == ClientRefreshAction::kRefreshNow) FUZZ_CHECK(d.at_ms == now);
    if (d.action == ClientRefreshAction::kRetryAfter) FUZZ_CHECK(d.at_ms > now);
    // With the default policy (a margin >= 0), an expired token is never used.
    if (!custom_policy && d.action == ClientRefreshAction::kUseToken) FUZZ_CHECK(!d.token_expired);
    // A timer is never set for a moment already past (the page would spin).
    if (!custom_policy && d.action == ClientRefreshAction::kWaitUntil && now < INT64_MAX) FUZZ_CHECK(d.at_ms > now);
    (void)latchkey::RefreshDueAtMs(next.state, policy);
    state = next.state;
  }
  return 0;
}
