// The HTTP edges: bad input of every kind, limits, headers, CORS, rate limits,
// overload, health, metrics, discovery documents and the demo page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';

import { startServer, call, signup, uniqueEmail, goodPassword, metricsAuth } from './server.mjs';

let server;
before(async () => {
  server = await startServer(['--rate-signup', 'off', '--cors-origin', 'https://app.example', '--max-body', '4096',
    '--rate-login-ip', '5/60', '--body-timeout', '3']);
});
after(() => server.stop());

const raw = (path, body, contentType = 'application/json') =>
  call(server.base, 'POST', path, { headers: { 'Content-Type': contentType }, body });

test('malformed bodies get 4xx JSON errors with stable codes', async () => {
  const cases = [
    ['{"email": "a@example.com", "password":', 400, 'json_invalid'],
    ['[1, 2, 3]', 400, 'json_invalid'],
    ['{"email":"a@example.com","email":"b@example.com","password":"x"}', 400, 'json_duplicate_key'],
    [`{"a":${'['.repeat(20)}${']'.repeat(20)}}`, 400, 'json_too_deep'],
    [Buffer.from([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 400, 'utf8_invalid'],
    ['{"email": 5, "password": "correct horse battery"}', 400, 'validation_failed'],
    ['{"email": "a@example.com"}', 400, 'validation_failed'],
    ['{"email": null, "password": "x"}', 400, 'validation_failed'],
    [JSON.stringify({ email: 'a@example.com', password: 'p'.repeat(2000) }), 400, 'validation_failed'],
  ];
  for (const [body, status, code] of cases) {
    const res = await raw('/auth/signup', body);
    assert.equal(res.status, status, String(body));
    assert.equal(res.body.error, code, String(body));
    assert.ok(res.body.message && res.body.request_id);
  }
  const form = await raw('/auth/signup', 'email=a', 'application/x-www-form-urlencoded');
  assert.equal(form.status, 415);
  assert.equal(form.body.error, 'unsupported_media_type');
});

test('oversized bodies are refused with 413 and the server stays up', async () => {
  const res = await raw('/auth/signup', JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(10000) }));
  assert.equal(res.status, 413);
  assert.equal(res.body.error, 'request_too_large');
  assert.equal((await call(server.base, 'GET', '/healthz')).status, 200);
});

test('unknown routes are JSON 404s; errors never leak internals', async () => {
  const res = await call(server.base, 'GET', '/auth/nope');
  assert.equal(res.status, 404);
  assert.equal(res.body.error, 'not_found');
  const bad = await call(server.base, 'DELETE', '/auth/sessions/not-a-uuid', { token: 'x' });
  assert.equal(bad.status, 404);
  assert.ok(!JSON.stringify(bad.body).match(/sqlite|httplib|std::|exception/i));
});

test('every response has a request id and security headers', async () => {
  for (const path of ['/healthz', '/auth/password-policy', '/', '/nope']) {
    const res = await call(server.base, 'GET', path);
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{24}$/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  }
  const a = await call(server.base, 'GET', '/healthz');
  const b = await call(server.base, 'GET', '/healthz');
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});

test('CORS: the allow-list answers preflights; other origins get no grant', async () => {
  const preflight = await call(server.base, 'OPTIONS', '/auth/login', {
    headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
  const actual = await call(server.base, 'GET', '/auth/password-policy', { headers: { Origin: 'https://app.example' } });
  assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.match(actual.headers.get('access-control-expose-headers'), /Retry-After/);
  const other = await call(server.base, 'GET', '/auth/password-policy', { headers: { Origin: 'https://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('login rate limit per IP answers 429 with Retry-After', async () => {
  const email = uniqueEmail();
  const statuses = [];
  let limited;
  for (let i = 0; i < 7; i++) {
    const res = await call(server.base, 'POST', '/auth/login', { json: { email, password: 'whatever password' } });
    statuses.push(res.status);
    if (res.status === 429) limited = res;
  }
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.ok(limited, `statuses ${statuses}`);
  assert.equal(limited.body.error, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
});

test('slow clients are cut off instead of holding a thread', async () => {
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  const start = Date.now();
  // Promises 100 bytes of body, sends 4, then stalls.
  socket.write('POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
  const answer = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(''), 9000);
    socket.on('data', (d) => {
      clearTimeout(timer);
      resolve(d.toString());
    });
    socket.on('error', () => {});
  });
  socket.destroy();
  assert.match(answer, /^HTTP\/1\.1 408 /, 'the body deadline ends the request');
  assert.ok(Date.now() - start < 8000);
  assert.equal((await call(server.base, 'GET', '/healthz')).status, 200);
});

test('health, discovery documents, policy and metrics', async () => {
  const health = await call(server.base, 'GET', '/healthz');
  assert.deepEqual(health.body, { status: 'ok', database: 'ok' });
  const oidc = await call(server.base, 'GET', '/.well-known/openid-configuration');
  assert.equal(oidc.body.issuer, server.base);
  assert.equal(oidc.body.jwks_uri, `${server.base}/.well-known/jwks.json`);
  const policy = await call(server.base, 'GET', '/auth/password-policy');
  assert.equal(policy.body.min_length, 8);
  assert.equal(policy.body.max_length, 256);
  assert.equal(policy.body.min_score, 3);
  const openapi = await call(server.base, 'GET', '/openapi.json');
  assert.equal(openapi.status, 200);
  assert.match(openapi.body.openapi, /^3\./);

  await signup(server.base);
  const metrics = await call(server.base, 'GET', '/metrics', { headers: metricsAuth });
  assert.match(metrics.headers.get('content-type'), /^text\/plain/);
  assert.match(metrics.body, /latchkey_http_requests_total\{route="POST \/auth\/signup",status="201"\} [1-9]/);
  assert.match(metrics.body, /latchkey_logins_total\{result="failed"\} [1-9]/);
  assert.match(metrics.body, /latchkey_rate_limited_total\{bucket="login"\} [1-9]/);
  assert.match(metrics.body, /latchkey_hash_pool_queued \d/);
  assert.match(metrics.body, /latchkey_hash_pool_rejected \d/);
});

test('the demo page is served at /', async () => {
  const res = await call(server.base, 'GET', '/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.match(res.body, /Latchkey/);
});

test('a login flood beyond the hashing queue gets 503 with Retry-After, then recovers', async () => {
  const busy = await startServer(['--hash-threads', '1', '--hash-queue', '2', '--rate-login-ip', 'off', '--rate-login-account', 'off',
    '--rate-failed-logins', 'off', '--argon2-memory-kib', '65536', '--argon2-iterations', '3']);
  try {
    const results = await Promise.all(Array.from({ length: 24 }, () =>
      call(busy.base, 'POST', '/auth/login', { json: { email: uniqueEmail(), password: 'flood flood flood' } })));
    const statuses = results.map((r) => r.status);
    assert.ok(statuses.includes(503), `statuses ${statuses}`);
    assert.ok(statuses.includes(401), `statuses ${statuses}`);
    const rejected = results.find((r) => r.status === 503);
    assert.equal(rejected.body.error, 'server_busy');
    assert.equal(rejected.headers.get('retry-after'), '1');
    const metrics = await call(busy.base, 'GET', '/metrics', { headers: metricsAuth });
    assert.match(metrics.body, /latchkey_hash_pool_rejected [1-9]/);
    assert.equal((await call(busy.base, 'POST', '/auth/login', { json: { email: uniqueEmail(), password: goodPassword } })).status, 401);
  } finally {
    await busy.stop();
  }
});
