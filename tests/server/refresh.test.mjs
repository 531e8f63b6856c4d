// Refresh token rotation: the reuse interval, the concurrent-tab race, and
// theft detection revoking the whole session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, metricsText } from './server.mjs';

let server;
before(async () => {
  server = await startServer(['--rate-signup', 'off', '--rate-refresh', 'off', '--rate-refresh-account', 'off', '--reuse-interval', '2']);
});
after(() => server.stop());

const refresh = (token) => call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: token } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('each refresh rotates the token and issues a new access token', async () => {
  const s = await signup(server.base);
  const r1 = await refresh(s.refresh_token);
  assert.equal(r1.status, 200);
  assert.equal(r1.headers.get('cache-control'), 'no-store');
  assert.notEqual(r1.body.refresh_token, s.refresh_token);
  assert.notEqual(r1.body.access_token, s.access_token);
  const sid = (t) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).sid;
  assert.equal(sid(r1.body.access_token), sid(s.access_token));
  const r2 = await refresh(r1.body.refresh_token);
  assert.equal(r2.status, 200);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: r2.body.access_token })).status, 200);
});

test('two concurrent refreshes with one token get one successor', async () => {
  const s = await signup(server.base);
  const [a, b] = await Promise.all([refresh(s.refresh_token), refresh(s.refresh_token)]);
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.equal(a.body.refresh_token, b.body.refresh_token);
  // Ten tabs at once: still one successor.
  const many = await Promise.all(Array.from({ length: 10 }, () => refresh(a.body.refresh_token)));
  assert.equal(new Set(many.map((r) => r.body.refresh_token)).size, 1);
  assert.ok(many.every((r) => r.status === 200));
});

test('replaying a rotated token after its successor moved on revokes the session', async () => {
  const s = await signup(server.base);
  const r1 = await refresh(s.refresh_token);
  const r2 = await refresh(r1.body.refresh_token); // r1's token is now two generations old
  const replay = await refresh(s.refresh_token);
  assert.equal(replay.status, 401);
  assert.equal(replay.body.error, 'refresh_token_reused');
  // The thief's and the owner's tokens both die with the session.
  assert.equal((await refresh(r2.body.refresh_token)).body.error, 'session_revoked');
  const me = await call(server.base, 'GET', '/auth/me', { token: r2.body.access_token });
  assert.equal(me.status, 401);
  assert.equal(me.body.error, 'session_revoked');
});

test('replaying the parent after the reuse interval is theft too', async () => {
  const s = await signup(server.base);
  const r1 = await refresh(s.refresh_token);
  await sleep(2100);
  const replay = await refresh(s.refresh_token);
  assert.equal(replay.body.error, 'refresh_token_reused');
  assert.equal((await refresh(r1.body.refresh_token)).body.error, 'session_revoked');
});

test('reuse detection is audited and counted', async () => {
  const metrics = await metricsText(server.base);
  assert.match(metrics, /latchkey_refresh_reuse_detected_total [1-9]/);
  const log = server.logs.map((l) => JSON.parse(l)).filter((r) => r.event === 'refresh_reuse_detected');
  assert.ok(log.length >= 2);
  assert.ok(log.every((r) => r.user_id && r.session_id));
});

test('malformed and unknown refresh tokens are refused without a lookup storm', async () => {
  for (const token of ['', 'short', 'x'.repeat(43), 'A'.repeat(44), 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
    const res = await refresh(token);
    assert.equal(res.status, 401, token);
    assert.equal(res.body.error, 'refresh_token_invalid');
  }
  const wrongType = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: 42 } });
  assert.equal(wrongType.status, 400);
  assert.equal(wrongType.body.error, 'validation_failed');
});
