// Client addresses behind a reverse proxy (--trusted-proxy) and the
// per-account refresh limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, uniqueEmail, goodPassword, runCli } from './server.mjs';

const login = (base, email, forwardedFor) =>
  call(base, 'POST', '/auth/login', {
    json: { email, password: 'wrong password entirely' },
    headers: forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {},
  });

test('behind a trusted proxy, limits and logs follow the forwarded client address', async () => {
  const server = await startServer(['--trusted-proxy', '127.0.0.1', '--rate-login-ip', '2/3600',
    '--rate-login-account', 'off', '--rate-signup', 'off']);
  try {
    const email = uniqueEmail('proxy');
    // A client-written left entry does not change who the proxy saw.
    for (let i = 0; i < 2; i++) assert.equal((await login(server.base, email, `10.9.9.${i}, 198.51.100.1`)).status, 401);
    const limited = await login(server.base, email, '198.51.100.1');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Another client behind the same proxy has its own bucket.
    assert.equal((await login(server.base, email, '198.51.100.2')).status, 401);
    const audit = server.logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } })
      .filter((r) => r.msg === 'audit' && r.event === 'login_failed');
    assert.deepEqual([...new Set(audit.map((r) => r.ip))].sort(), ['198.51.100.1', '198.51.100.2']);
  } finally {
    await server.stop();
  }
});

test('an untrusted peer cannot dodge the per-IP limit with X-Forwarded-For', async () => {
  const server = await startServer(['--trusted-proxy', '10.0.0.0/8', '--rate-login-ip', '2/3600',
    '--rate-login-account', 'off']);
  try {
    const email = uniqueEmail('spoof');
    for (let i = 0; i < 2; i++) assert.equal((await login(server.base, email, `198.51.100.${i}`)).status, 401);
    const limited = await login(server.base, email, '198.51.100.99');
    assert.equal(limited.status, 429);
    const requests = server.logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } })
      .filter((r) => r.msg === 'request' && r.path === '/auth/login');
    assert.ok(requests.length >= 3 && requests.every((r) => r.ip === '127.0.0.1'), JSON.stringify(requests));
  } finally {
    await server.stop();
  }
});

test('a malformed trusted-proxy network is refused at start', () => {
  for (const bad of ['10.0.0.0/40', 'proxy.example', '10.0.0.1:80']) {
    const result = runCli(['serve', '--trusted-proxy', bad, '--port', '0', '--database', '/nonexistent/x.db']);
    assert.equal(result.status, 2, bad);
    assert.match(result.stderr, /invalid value for --trusted-proxy/);
  }
});

test('refreshes are limited per account across its sessions, without burning the token', async () => {
  const server = await startServer(['--rate-refresh', 'off', '--rate-refresh-account', '3/3600',
    '--rate-signup', 'off']);
  try {
    const user = await signup(server.base);
    let refreshToken = user.refresh_token;
    let accessToken = user.access_token;
    for (let i = 0; i < 3; i++) {
      const ok = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: refreshToken } });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      refreshToken = ok.body.refresh_token;
      accessToken = ok.body.access_token;
    }
    const limited = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: refreshToken } });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // The refused refresh changed nothing: the session is alive...
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: accessToken })).status, 200);
    // ...and the limit covers the account's other sessions too.
    const second = await call(server.base, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } });
    assert.equal(second.status, 200);
    const other = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: second.body.refresh_token } });
    assert.equal(other.status, 429);
    // Another account is not affected.
    const stranger = await signup(server.base);
    const theirs = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: stranger.refresh_token } });
    assert.equal(theirs.status, 200);
  } finally {
    await server.stop();
  }
});
