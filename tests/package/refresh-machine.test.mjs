// The core's refresh state machine through the wasm binding: the JSON the
// AuthClient sends and gets back, including bad input and unknown codes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { init, AuthError } from '../../wasm/js/index.js';
import { decideRefresh, initialRefreshState } from '../../wasm/js/refresh-machine.js';

before(() => init());

const t0 = 1_800_000_000_000; // client clock, ms

function received(skewMs, ttl = 900) {
  const serverNow = t0 - skewMs;
  const event = { kind: 'tokens_received', issued_at: Math.floor(serverNow / 1000), expires_at: Math.floor(serverNow / 1000) + ttl, server_date_ms: serverNow };
  return decideRefresh(initialRefreshState(), event, t0);
}

test('tokens received: wait until the margin before expiry, on the server clock', () => {
  for (const skew of [-300_000, 0, 300_000]) {
    const { state, decision } = received(skew);
    assert.equal(decision.action, 'wait_until');
    assert.equal(decision.at_ms, t0 + 840_000 - 500); // 60 s before exp, Date midpoint
    assert.equal(state.offset_ms, -skew + 500);
    assert.equal(decideRefresh(state, { kind: 'request' }, decision.at_ms - 1).decision.action, 'use_token');
    assert.equal(decideRefresh(state, { kind: 'request' }, decision.at_ms).decision.action, 'refresh_now');
  }
});

test('failures: retryable codes back off, others end the session, unknown codes too', () => {
  const { state } = received(0);
  const busy = decideRefresh(state, { kind: 'refresh_failed', code: 'server_busy', jitter: 0 }, t0 + 850_000);
  assert.equal(busy.decision.action, 'retry_after');
  assert.equal(busy.decision.at_ms, t0 + 850_000 + 500);
  assert.equal(busy.state.failures, 1);
  const net = decideRefresh(busy.state, { kind: 'network_error', jitter: 0.999 }, t0 + 851_000);
  assert.equal(net.decision.code, 'network_error');
  assert.equal(net.state.failures, 2);
  for (const code of ['refresh_token_reused', 'refresh_token_expired', 'session_revoked', 'user_disabled', 'a_code_from_the_future']) {
    const over = decideRefresh(state, { kind: 'refresh_failed', code }, t0 + 850_000);
    assert.equal(over.decision.action, 'session_over', code);
    assert.equal(over.state.signed_out, true);
    assert.equal(decideRefresh(over.state, { kind: 'request' }, t0 + 999_000).decision.action, 'session_over');
  }
});

test('bad input is refused with a code, not a crash', () => {
  const bad = (state, event, now = t0) => {
    try {
      decideRefresh(state, event, now);
      return 'ok';
    } catch (error) {
      assert.ok(error instanceof AuthError);
      return error.code;
    }
  };
  assert.equal(bad({}, { kind: 'nonsense' }), 'invalid_argument');
  assert.equal(bad({}, {}), 'invalid_argument');
  assert.equal(bad({}, { kind: 'request' }, NaN), 'invalid_argument');
  assert.equal(bad([], { kind: 'request' }), 'invalid_argument');
  assert.equal(bad({ has_session: 'yes', expires_at: 'soon' }, { kind: 'request' }), 'ok'); // wrong types read as absent
});

test('numbers out of the int64 range saturate: a far-future expiry is not long past', () => {
  const event = { kind: 'tokens_received', issued_at: Math.floor(t0 / 1000), expires_at: 1e300, server_date_ms: t0 };
  const { state, decision } = decideRefresh(initialRefreshState(), event, t0);
  assert.equal(decision.action, 'wait_until');
  assert.equal(decideRefresh(state, { kind: 'request' }, t0 + 1000).decision.action, 'use_token');
  const busy = decideRefresh(state, { kind: 'refresh_failed', code: 'server_busy', retry_after_seconds: 1e300, jitter: 0 }, t0);
  assert.equal(busy.decision.action, 'retry_after');
  assert.ok(busy.decision.at_ms > t0 + 86_400_000, `retry at ${busy.decision.at_ms}`);
});
