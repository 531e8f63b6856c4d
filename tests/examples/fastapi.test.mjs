// examples/fastapi: a FastAPI app (Debian's python3-fastapi, python3-jwt,
// python3-uvicorn) checking Latchkey access tokens with PyJWT and the JWKS,
// started against a live Latchkey server: a user's token opens the user
// route and not the admin one, an admin's opens both, and every forged,
// tampered, expired, mistyped or misaddressed token is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { latchkeyWithUsers, foreignIssuer, startApp, freePort, get, call, repoRoot } from './helpers.mjs';

const appDir = path.join(repoRoot, 'examples/fastapi');
let latchkey;
let app;
let foreign;

async function startFastApi(latchkeyUrl, env = {}) {
  const port = await freePort();
  const started = await startApp('/usr/bin/python3', ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: appDir,
    env: { LATCHKEY_URL: latchkeyUrl, ...env },
    url: `http://127.0.0.1:${port}/docs`,
  });
  return { ...started, base: `http://127.0.0.1:${port}` };
}

before(async () => {
  latchkey = await latchkeyWithUsers(['--key-reload-interval', '1']);
  app = await startFastApi(latchkey.server.base);
  foreign = await foreignIssuer();
});
after(async () => {
  await app?.stop();
  await latchkey?.server.stop();
  await foreign?.close();
});

test('a user token opens /api/hello; the admin route answers 403 for it and 200 for an admin', async () => {
  const hello = await get(`${app.base}/api/hello`, latchkey.user.access_token);
  assert.equal(hello.status, 200, JSON.stringify(hello.body));
  assert.equal(hello.body.hello, latchkey.user.user.id);
  assert.equal(hello.body.role, 'user');
  assert.equal((await get(`${app.base}/api/admin/report`, latchkey.user.access_token)).status, 403);
  const report = await get(`${app.base}/api/admin/report`, latchkey.admin.access_token);
  assert.equal(report.status, 200);
  assert.equal(report.body.by, latchkey.admin.user.id);
});

test('no token, a tampered one, or another key\'s: 401 with a Bearer challenge', async () => {
  const none = await get(`${app.base}/api/hello`);
  assert.equal(none.status, 401);
  assert.equal(none.body.detail.error, 'token_missing');
  assert.match(none.headers.get('www-authenticate'), /^Bearer /);
  const token = latchkey.user.access_token;
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
  assert.equal((await get(`${app.base}/api/admin/report`, `${h}.${forgedPayload}.${s}`)).status, 401);
  assert.equal((await get(`${app.base}/api/hello`, `${h}.${p}.${s.slice(0, -4)}AAAA`)).status, 401);
  assert.equal((await get(`${app.base}/api/hello`, 'not-a-jwt')).status, 401);
  // Signed by a key the Latchkey server does not publish (an attacker's own).
  const stranger = foreign.sign({ iss: latchkey.server.base, claims: { role: 'admin' } });
  assert.equal((await get(`${app.base}/api/admin/report`, stranger)).status, 401);
});

test('typ, iss, aud and exp are checked (tokens from a trusted key that break one rule each)', async () => {
  const trusting = await startFastApi(foreign.base, { LATCHKEY_ISSUER: foreign.base, LATCHKEY_AUDIENCE: 'latchkey' });
  try {
    const ok = await get(`${trusting.base}/api/hello`, foreign.sign());
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const cases = {
      token_type_invalid: foreign.sign({ typ: 'JWT' }),
      'wrong issuer': foreign.sign({ iss: 'https://elsewhere.example' }),
      'wrong audience': foreign.sign({ aud: 'another-api' }),
    };
    for (const [what, token] of Object.entries(cases)) {
      const response = await get(`${trusting.base}/api/hello`, token);
      assert.equal(response.status, 401, what);
    }
    assert.equal((await get(`${trusting.base}/api/hello`, foreign.sign({ typ: 'JWT' }))).body.detail.error, 'token_type_invalid');
    const shortLived = foreign.sign({ ttl: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await get(`${trusting.base}/api/hello`, shortLived);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.detail.error, 'token_expired');
  } finally {
    await trusting.stop();
  }
});

test('a rotated signing key: the app fetches the JWKS again and accepts the new tokens', async () => {
  assert.equal(latchkey.server.cli(['keys', 'rotate']).status, 0);
  // The running server picks the rotated key up within --key-reload-interval (here 1 s): refresh until it signs with it.
  const oldKid = JSON.parse(Buffer.from(latchkey.user.access_token.split('.')[0], 'base64url')).kid;
  let fresh;
  for (let i = 0; i < 20; i++) {
    const refreshed = await call(latchkey.server.base, 'POST', '/auth/refresh', { json: { refresh_token: latchkey.user.refresh_token } });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    fresh = refreshed.body;
    latchkey.user.refresh_token = fresh.refresh_token;
    if (JSON.parse(Buffer.from(fresh.access_token.split('.')[0], 'base64url')).kid !== oldKid) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.notEqual(JSON.parse(Buffer.from(fresh.access_token.split('.')[0], 'base64url')).kid, oldKid, 'the server signs with the new key');
  assert.equal((await get(`${app.base}/api/hello`, fresh.access_token)).status, 200);
});
