// examples/express: an Express app protecting its routes with the package's
// requireAuth (the wasm verifier, the JWKS from the live Latchkey server),
// started as its own process against a live server; and requireAuth itself,
// framework-neutral, on every refusal path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { init, requireAuth, AuthError } from '../../wasm/js/index.js';
import { latchkeyWithUsers, foreignIssuer, startApp, freePort, get, repoRoot } from './helpers.mjs';

let latchkey;
let app;
let foreign;

before(async () => {
  await init();
  latchkey = await latchkeyWithUsers();
  foreign = await foreignIssuer();
  const port = await freePort();
  app = await startApp(process.execPath, [path.join(repoRoot, 'examples/express/server.mjs')], {
    cwd: repoRoot,
    env: { LATCHKEY_URL: latchkey.server.base, PORT: String(port) },
    url: `http://127.0.0.1:${port}/healthz`,
  });
  app.base = `http://127.0.0.1:${port}`;
});
after(async () => {
  await app?.stop();
  await latchkey?.server.stop();
  await foreign?.close();
});

test('Express: a user token opens /api/hello, not the admin route; an admin token opens both', async () => {
  const hello = await get(`${app.base}/api/hello`, latchkey.user.access_token);
  assert.equal(hello.status, 200, JSON.stringify(hello.body));
  assert.equal(hello.body.hello, latchkey.user.user.id);
  const denied = await get(`${app.base}/api/admin/report`, latchkey.user.access_token);
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error, 'forbidden');
  assert.match(denied.headers.get('www-authenticate'), /insufficient_scope/);
  const report = await get(`${app.base}/api/admin/report`, latchkey.admin.access_token);
  assert.equal(report.status, 200);
  assert.equal(report.body.by, latchkey.admin.user.id);
});

test('Express: missing, malformed, tampered and foreign tokens get 401 with the error code', async () => {
  const none = await get(`${app.base}/api/hello`);
  assert.equal(none.status, 401);
  assert.equal(none.body.error, 'token_missing');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer');
  const [h, p, s] = latchkey.user.access_token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
  const tampered = await get(`${app.base}/api/admin/report`, forged);
  assert.equal(tampered.status, 401);
  assert.equal(tampered.body.error, 'token_signature_invalid');
  assert.equal((await get(`${app.base}/api/hello`, 'a.b')).body.error, 'token_malformed');
  const stranger = await get(`${app.base}/api/hello`, foreign.sign({ iss: latchkey.server.base }));
  assert.equal(stranger.status, 401);
  assert.equal(stranger.body.error, 'token_key_not_found');
});

test('requireAuth (framework-neutral): typ, iss, aud and exp, roles, and the header forms', async () => {
  const guard = requireAuth({ jwksUrl: `${foreign.base}/.well-known/jwks.json`, issuer: foreign.base, audience: 'latchkey', roles: ['admin', 'editor'] });
  try {
    await guard.ready;
    const ok = await guard.check(`Bearer ${foreign.sign({ claims: { role: 'editor' } })}`);
    assert.equal(ok.ok, true);
    assert.equal(ok.claims.role, 'editor');
    // A request object (Node's IncomingMessage shape, or a fetch Request's Headers) works too.
    assert.equal((await guard.check({ headers: { authorization: `Bearer ${foreign.sign({ claims: { role: 'admin' } })}` } })).ok, true);
    assert.equal((await guard.check({ headers: new Headers({ authorization: `bearer ${foreign.sign({ claims: { role: 'admin' } })}` }) })).ok, true);
    const verdict = async (token) => {
      const r = await guard.check(`Bearer ${token}`);
      return r.ok ? 'ok' : `${r.status} ${r.error}`;
    };
    assert.equal(await verdict(foreign.sign({ claims: { role: 'user' } })), '403 forbidden');
    assert.equal(await verdict(foreign.sign({ claims: {} })), '403 forbidden');
    assert.equal(await verdict(foreign.sign({ typ: 'JWT', claims: { role: 'admin' } })), '401 token_type_invalid');
    assert.equal(await verdict(foreign.sign({ iss: 'https://elsewhere.example', claims: { role: 'admin' } })), '401 token_issuer_invalid');
    assert.equal(await verdict(foreign.sign({ aud: 'another-api', claims: { role: 'admin' } })), '401 token_audience_invalid');
    const none = await guard.check(undefined);
    assert.deepEqual([none.status, none.error], [401, 'token_missing']);
    assert.equal((await guard.check('Basic dXNlcjpwYXNz')).error, 'token_malformed');
    assert.equal((await guard.check('Bearer')).error, 'token_malformed');
  } finally {
    await guard.dispose();
  }
});

test('requireAuth: bad options are refused with the option named', async () => {
  assert.throws(() => requireAuth({ audience: 'x' }), (e) => e instanceof AuthError && e.code === 'verifier_config_invalid' && /jwksUrl/.test(e.message));
  assert.throws(() => requireAuth({ jwksUrl: 'http://127.0.0.1:1/jwks', roles: 'admin' }), (e) => e.code === 'invalid_argument' && /roles/.test(e.message));
  const typo = requireAuth({ jwksUrl: 'http://127.0.0.1:1/jwks', audiences: ['x'] });
  await assert.rejects(typo.ready, (e) => e.code === 'verifier_config_invalid' && e.details.option === 'audiences' && /did you mean "audience"/.test(e.message));
  await assert.rejects(typo.check('Bearer a.b.c'), (e) => e.code === 'verifier_config_invalid');
});
