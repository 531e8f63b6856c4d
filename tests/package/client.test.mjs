// AuthClient against a live `latchkey serve`: sign-in flows, refresh before
// expiry (one refresh for many calls and for clients sharing a storage),
// reuse detection ending the session without a loop, and skewed clocks.
// Refreshes are counted at the server, through /metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { init, AuthClient, AuthError, memoryStorage } from '../../wasm/js/index.js';
import { startServer, call, uniqueEmail, goodPassword, requestCount, movableClock, recordEvents, tick } from './helpers.mjs';

const REFRESH = 'POST /auth/refresh';
const MINUTE = 60_000;
let server;

before(async () => {
  await init();
  server = await startServer(['--rate-signup', 'off', '--rate-refresh', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off']);
});
after(() => server?.stop());

async function signedInClient(options = {}) {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false, ...options });
  const email = uniqueEmail('client');
  const session = await client.signup({ email, password: goodPassword, name: 'Client Test' });
  return { client, email, session };
}

test('signup, getUser, updateUser, request and logout through the client', async () => {
  const { client, email, session } = await signedInClient();
  const events = recordEvents(client);
  assert.equal(session.user.email, email);
  assert.equal(session.token_type.toLowerCase(), 'bearer');
  assert.ok(session.expires_at > Date.now() / 1000);
  assert.equal((await client.getUser()).email, email);
  const updated = await client.updateUser({ name: 'Renamed' });
  assert.equal(updated.name, 'Renamed');
  assert.equal((await client.getSession()).user.name, 'Renamed');
  const response = await client.fetch('/auth/me');
  assert.equal(response.status, 200);
  await assert.rejects(client.request('/auth/me', { method: 'PATCH', body: { role: 'admin' } }),
    (e) => e instanceof AuthError && e.code === 'validation_failed' && e.status === 400);
  await client.logout();
  assert.equal(await client.getSession(), null);
  await assert.rejects(client.getUser(), (e) => e instanceof AuthError && e.code === 'session_missing');
  await tick();
  assert.deepEqual(events.map((e) => e.event), ['INITIAL_SESSION', 'USER_UPDATED', 'SIGNED_OUT']);
  // The logged-out refresh token is dead at the server too.
  assert.equal((await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: session.refresh_token } })).status, 401);
});

test('login errors carry the server code; a wrong password is invalid_credentials', async () => {
  const { client, email } = await signedInClient();
  const other = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await assert.rejects(other.login({ email, password: 'wrong password here' }),
    (e) => e instanceof AuthError && e.code === 'invalid_credentials' && e.status === 401);
  const events = recordEvents(other);
  const session = await other.login({ email, password: goodPassword });
  assert.equal(session.user.email, email);
  await tick();
  await tick();
  assert.deepEqual(events.map((e) => e.event), ['INITIAL_SESSION', 'SIGNED_IN']);
  await client.logout({ scope: 'global' });
  // global logout revoked the other client's session: its next refresh fails terminally.
  await assert.rejects(other.refresh(), (e) => e.code === 'session_revoked' || e.code === 'refresh_token_invalid');
  assert.equal(await other.getSession(), null);
});

test('50 concurrent fetch calls with an expired access token cause exactly one refresh', async () => {
  const clock = movableClock();
  const { client, session } = await signedInClient({ now: clock.now });
  clock.advance(16 * MINUTE); // the 15-minute access token is now expired for the client
  const before = await requestCount(server.base, REFRESH);
  const responses = await Promise.all(Array.from({ length: 50 }, () => client.fetch('/auth/me')));
  assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
  const refreshed = await client.getSession();
  assert.notEqual(refreshed.refresh_token, session.refresh_token);
  // And the new token is not refreshed again right away.
  await Promise.all(Array.from({ length: 10 }, () => client.fetch('/auth/me')));
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
});

test('two clients sharing one storage refresh once between them', async () => {
  const storage = memoryStorage();
  const clockA = movableClock();
  const clockB = movableClock();
  const { client: a } = await signedInClient({ storage, now: clockA.now });
  const b = new AuthClient({ baseUrl: server.base, storage, now: clockB.now, autoRefresh: false });
  const initial = await b.getSession();
  assert.ok(initial, 'b reads the session a stored');
  clockA.advance(16 * MINUTE);
  clockB.advance(16 * MINUTE);
  const before = await requestCount(server.base, REFRESH);
  const results = await Promise.all([
    ...Array.from({ length: 10 }, () => a.fetch('/auth/me')),
    ...Array.from({ length: 10 }, () => b.fetch('/auth/me')),
  ]);
  assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
  const [sa, sb] = [await a.getSession(), await b.getSession()];
  assert.equal(sa.refresh_token, sb.refresh_token);
  assert.notEqual(sa.refresh_token, initial.refresh_token);
  assert.equal(JSON.parse(storage.getItem('latchkey.session')).session.refresh_token, sa.refresh_token);
});

test('a reused refresh token ends in SESSION_EXPIRED, SIGNED_OUT and cleared storage, without a loop', async () => {
  const storage = memoryStorage();
  const clock = movableClock();
  const { client, session } = await signedInClient({ storage, now: clock.now });
  const events = recordEvents(client);
  // A thief rotates the token twice: the client's copy is now a stale ancestor.
  const r1 = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: session.refresh_token } });
  const r2 = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: r1.body.refresh_token } });
  assert.equal(r2.status, 200);
  clock.advance(16 * MINUTE);
  const before = await requestCount(server.base, REFRESH);
  const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => client.fetch('/auth/me')));
  for (const outcome of outcomes) {
    assert.equal(outcome.status, 'rejected');
    assert.equal(outcome.reason.code, 'refresh_token_reused');
  }
  assert.equal(storage.getItem('latchkey.session'), null);
  await assert.rejects(client.fetch('/auth/me'), (e) => e.code === 'refresh_token_reused');
  clock.advance(60 * MINUTE);
  await assert.rejects(client.request('/auth/me'), (e) => e.code === 'refresh_token_reused');
  assert.equal(await client.getSession(), null);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1, 'one refresh attempt, no loop');
  await tick();
  assert.deepEqual(events.map((e) => e.event), ['INITIAL_SESSION', 'SESSION_EXPIRED', 'SIGNED_OUT']);
  // The thief's tokens died with the session.
  assert.equal((await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: r2.body.refresh_token } })).status, 401);
});

for (const skew of [-5 * MINUTE, 5 * MINUTE]) {
  for (const dateHeader of [true, false]) {
    test(`a client clock ${skew > 0 ? 'ahead' : 'behind'} by 5 minutes refreshes on time (${dateHeader ? 'Date header' : 'token iat only'})`, async () => {
      const clock = movableClock(skew);
      // Without a Date header (a CORS setup that hides it) the estimate comes from the token's iat.
      const fetchImpl = dateHeader ? undefined : async (...args) => {
        const response = await fetch(...args);
        const headers = new Headers(response.headers);
        headers.delete('date');
        return new Response(response.body, { status: response.status, headers });
      };
      const { client } = await signedInClient({ now: clock.now, fetch: fetchImpl });
      const before = await requestCount(server.base, REFRESH);
      // 900 s token, refreshed 60 s before expiry by the SERVER's clock.
      clock.advance(835_000);
      assert.equal((await client.fetch('/auth/me')).status, 200);
      assert.equal((await requestCount(server.base, REFRESH)) - before, 0, 'not too early');
      clock.advance(10_000);
      assert.equal((await client.fetch('/auth/me')).status, 200);
      assert.equal((await requestCount(server.base, REFRESH)) - before, 1, 'on time');
    });
  }
}

test('on a 401 the client refreshes once and retries once', async () => {
  const storage = memoryStorage();
  const { client: first } = await signedInClient({ storage });
  first.close();
  // A stored access token that the server refuses (its signature is damaged)
  // next to a good refresh token.
  const record = JSON.parse(storage.getItem('latchkey.session'));
  const token = record.session.access_token;
  const at = token.length - 10;
  record.session.access_token = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
  storage.setItem('latchkey.session', JSON.stringify(record));
  const client = new AuthClient({ baseUrl: server.base, storage, autoRefresh: false });
  const events = recordEvents(client);
  const before = await requestCount(server.base, REFRESH);
  const responses = await Promise.all(Array.from({ length: 5 }, () => client.fetch('/auth/me')));
  assert.deepEqual(responses.map((r) => r.status), [200, 200, 200, 200, 200]);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
  assert.ok(events.some((e) => e.event === 'TOKEN_REFRESHED'));
});

test('a 401 whose refresh fails terminally ends the session once', async () => {
  const { client, session } = await signedInClient();
  const events = recordEvents(client);
  // The session is revoked elsewhere (e.g. "sign out everywhere" on another device).
  assert.equal((await call(server.base, 'POST', '/auth/logout', { token: session.access_token, json: { scope: 'global' } })).status, 204);
  const before = await requestCount(server.base, REFRESH);
  // The server checks the session on every call: 401, then one refresh, which fails for good.
  const error = await client.fetch('/auth/me').catch((e) => e);
  assert.ok(error instanceof AuthError && error.status === 401, String(error));
  assert.ok(['session_revoked', 'refresh_token_invalid'].includes(error.code), error.code);
  await assert.rejects(client.fetch('/auth/me'), (e) => e.code === error.code);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
  assert.equal(await client.getSession(), null);
  await tick();
  assert.deepEqual(events.map((e) => e.event), ['INITIAL_SESSION', 'SESSION_EXPIRED', 'SIGNED_OUT']);
});

test('autoRefresh refreshes on a timer before expiry and emits TOKEN_REFRESHED', async () => {
  const short = await startServer(['--access-ttl', '5']);
  try {
    const client = new AuthClient({ baseUrl: short.base });
    const events = recordEvents(client);
    const session = await client.signup({ email: uniqueEmail('auto'), password: goodPassword });
    // 5 s token: refreshed 25 % (1.25 s) before expiry, so within about 4 s.
    const started = Date.now();
    while (!events.some((e) => e.event === 'TOKEN_REFRESHED') && Date.now() - started < 8000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const refreshed = events.find((e) => e.event === 'TOKEN_REFRESHED');
    assert.ok(refreshed, 'refreshed by the timer');
    assert.ok(Date.now() - started < 5000, 'before the old token expired');
    assert.notEqual(refreshed.session.refresh_token, session.refresh_token);
    client.close();
  } finally {
    await short.stop();
  }
});

test('calls before login fail with session_missing; a network failure is network_error', async () => {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await assert.rejects(client.fetch('/auth/me'), (e) => e instanceof AuthError && e.code === 'session_missing');
  assert.equal(await client.getSession(), null);
  const dead = new AuthClient({ baseUrl: 'http://127.0.0.1:9', autoRefresh: false });
  await assert.rejects(dead.login({ email: 'a@example.com', password: goodPassword }),
    (e) => e instanceof AuthError && e.code === 'network_error');
});

test('a cross-origin client can read Date and Retry-After (CORS Expose-Headers)', async () => {
  const cors = await startServer(['--cors-origin', 'http://app.example']);
  try {
    const response = await fetch(`${cors.base}/auth/password-policy`, { headers: { Origin: 'http://app.example' } });
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://app.example');
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    assert.ok(exposed.includes('date'), exposed.join());
    assert.ok(exposed.includes('retry-after'), exposed.join());
    const other = await fetch(`${cors.base}/auth/password-policy`, { headers: { Origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  } finally {
    await cors.stop();
  }
});

test('an asynchronous storage works the same: one refresh for two clients, cleared on logout', async () => {
  const items = new Map();
  const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 2));
  const storage = {
    getItem: (key) => later(items.has(key) ? items.get(key) : null),
    setItem: (key, value) => later(void items.set(key, value)),
    removeItem: (key) => later(void items.delete(key)),
  };
  const clock = movableClock();
  const { client: a } = await signedInClient({ storage, now: clock.now, storageKey: 'app.auth' });
  const b = new AuthClient({ baseUrl: server.base, storage, storageKey: 'app.auth', now: clock.now, autoRefresh: false });
  assert.ok(await b.getSession());
  clock.advance(16 * MINUTE);
  const before = await requestCount(server.base, REFRESH);
  const statuses = await Promise.all([a, b, a, b].map((c) => c.fetch('/auth/me').then((r) => r.status)));
  assert.deepEqual(statuses, [200, 200, 200, 200]);
  assert.equal((await requestCount(server.base, REFRESH)) - before, 1);
  await b.logout();
  assert.equal(items.has('app.auth'), false);
  assert.equal(await a.getSession(), null);
});

test('a client made and used before init() loads the wasm itself', async () => {
  const { spawnSync } = await import('node:child_process');
  // A fresh process: init() must not have run yet.
  const script = `
    import { AuthClient, memoryStorage } from ${JSON.stringify(new URL('../../wasm/js/index.js', import.meta.url).href)};
    const storage = memoryStorage();
    const seeded = new AuthClient({ baseUrl: process.argv[1], storage, autoRefresh: false });
    const events = [];
    seeded.onAuthStateChange((event) => events.push(event));
    const session = await seeded.signup({ email: 'early-' + Date.now() + '@example.com', password: ${JSON.stringify(goodPassword)} });
    const early = new AuthClient({ baseUrl: process.argv[1], storage, autoRefresh: false });
    const before = await early.getSession();
    console.log(JSON.stringify({ events, same: before?.refresh_token === session.refresh_token }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, server.base], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.same, true);
  assert.deepEqual(out.events, ['INITIAL_SESSION', 'SIGNED_IN']);
});

test('a refresh that never answers ends as network_error and releases the lock', async () => {
  const { createServer } = await import('node:http');
  // A server that accepts /auth/refresh and never answers; everything else goes to latchkey.
  const hung = createServer((req, res) => {
    if (req.url === '/auth/refresh') return; // hang
    res.writeHead(502).end();
  });
  await new Promise((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const storage = memoryStorage();
  const clock = movableClock();
  const { client } = await signedInClient({ storage, now: clock.now });
  const session = await client.getSession();
  client.close();
  const stuck = new AuthClient({
    baseUrl: `http://127.0.0.1:${hung.address().port}`,
    storage,
    now: clock.now,
    autoRefresh: false,
    // The client's own limit is 20 s; this fetch gives up sooner to keep the
    // test fast. What is checked: a refresh that dies this way frees the lock.
    fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(300) }),
  });
  clock.advance(16 * MINUTE);
  try {
    await assert.rejects(stuck.fetch('/auth/me'), (e) => e instanceof AuthError && e.code === 'network_error');
    // The lock is free again: a client on the real server refreshes at once.
    const healthy = new AuthClient({ baseUrl: server.base, storage, now: clock.now, autoRefresh: false });
    assert.equal((await healthy.fetch('/auth/me')).status, 200);
    assert.notEqual((await healthy.getSession()).refresh_token, session.refresh_token);
  } finally {
    hung.closeAllConnections?.();
    await new Promise((resolve) => hung.close(resolve));
  }
});
