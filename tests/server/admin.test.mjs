// Administration: the first admin from the CLI, the admin API and its 403s,
// the audit log, key rotation, and tokens verified by an independent library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import { startServer, call, signup, uniqueEmail, goodPassword } from './server.mjs';

let server;
let admin; // token response of the admin
before(async () => {
  server = await startServer(['--rate-signup', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off', '--key-reload-interval', '1']);
  const email = uniqueEmail('admin');
  const added = server.cli(['user', 'add', email, '--admin', '--name', 'Ada'], `${goodPassword}\n`);
  assert.equal(added.status, 0, added.stderr);
  assert.equal(JSON.parse(added.stdout).role, 'admin');
  admin = (await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).body;
  assert.equal(admin.user.role, 'admin');
});
after(() => server.stop());

test('no default accounts: a fresh server has only the users the CLI or signup made', async () => {
  const page = await call(server.base, 'GET', '/admin/users', { token: admin.access_token });
  assert.equal(page.status, 200);
  assert.ok(page.body.users.every((u) => u.email.startsWith('admin-') || u.email.startsWith('user-')));
});

test('admin routes refuse users (403) and anonymous callers (401)', async () => {
  const user = await signup(server.base);
  for (const [method, path] of [['GET', '/admin/users'], ['GET', '/admin/audit'], ['POST', '/admin/keys/rotate'], ['GET', `/admin/users/${user.user.id}`]]) {
    const res = await call(server.base, method, path, { token: user.access_token });
    assert.equal(res.status, 403, path);
    assert.equal(res.body.error, 'forbidden');
    assert.equal((await call(server.base, method, path)).status, 401);
  }
});

test('list with search and paging, get, change role, disable, delete', async () => {
  const tag = `pager${Date.now()}`;
  const made = [];
  for (let i = 0; i < 5; i++) made.push(await signup(server.base, uniqueEmail(`user-${tag}`)));
  const page1 = await call(server.base, 'GET', `/admin/users?search=${tag}&limit=2&offset=0`, { token: admin.access_token });
  assert.equal(page1.body.total, 5);
  assert.equal(page1.body.users.length, 2);
  const page3 = await call(server.base, 'GET', `/admin/users?search=${tag}&limit=2&offset=4`, { token: admin.access_token });
  assert.equal(page3.body.users.length, 1);
  assert.equal((await call(server.base, 'GET', '/admin/users?limit=0', { token: admin.access_token })).status, 400);
  assert.equal((await call(server.base, 'GET', '/admin/users?limit=abc', { token: admin.access_token })).status, 400);
  assert.equal((await call(server.base, 'GET', '/admin/users?search=%25', { token: admin.access_token })).body.total, 0);

  const target = made[0];
  const got = await call(server.base, 'GET', `/admin/users/${target.user.id}`, { token: admin.access_token });
  assert.equal(got.body.email, target.email);
  assert.equal((await call(server.base, 'GET', '/admin/users/00000000-0000-4000-8000-000000000000', { token: admin.access_token })).status, 404);

  const promoted = await call(server.base, 'PATCH', `/admin/users/${target.user.id}`, { token: admin.access_token, json: { role: 'editor' } });
  assert.equal(promoted.body.role, 'editor');
  assert.equal((await call(server.base, 'PATCH', `/admin/users/${target.user.id}`, { token: admin.access_token, json: { role: 'Bad Role!' } })).status, 400);
  assert.equal((await call(server.base, 'PATCH', `/admin/users/${target.user.id}`, { token: admin.access_token, json: { disabled: 'yes' } })).status, 400);

  const disabled = await call(server.base, 'PATCH', `/admin/users/${target.user.id}`, { token: admin.access_token, json: { disabled: true } });
  assert.equal(disabled.body.disabled, true);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: target.access_token })).status, 401);
  const login = await call(server.base, 'POST', '/auth/login', { json: { email: target.email, password: goodPassword } });
  assert.equal(login.status, 403);
  assert.equal(login.body.error, 'user_disabled');
  // A wrong password on a disabled account still says only "invalid credentials".
  assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email: target.email, password: 'wrong password!' } })).body.error, 'invalid_credentials');
  assert.equal((await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: target.refresh_token } })).status, 401);
  await call(server.base, 'PATCH', `/admin/users/${target.user.id}`, { token: admin.access_token, json: { disabled: false } });
  assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email: target.email, password: goodPassword } })).status, 200);

  const victim = made[1];
  assert.equal((await call(server.base, 'DELETE', `/admin/users/${victim.user.id}`, { token: admin.access_token })).status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: victim.access_token })).status, 401);
  assert.equal((await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: victim.refresh_token } })).body.error, 'refresh_token_invalid');
  assert.equal((await call(server.base, 'DELETE', `/admin/users/${victim.user.id}`, { token: admin.access_token })).status, 404);
});

test('the last admin cannot be demoted, disabled or deleted', async () => {
  const id = admin.user.id;
  for (const json of [{ role: 'user' }, { disabled: true }]) {
    const res = await call(server.base, 'PATCH', `/admin/users/${id}`, { token: admin.access_token, json });
    assert.equal(res.status, 409);
    assert.equal(res.body.error, 'last_admin');
  }
  assert.equal((await call(server.base, 'DELETE', `/admin/users/${id}`, { token: admin.access_token })).body.error, 'last_admin');
  const cli = server.cli(['user', 'set-role', admin.user.email, 'user']);
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /last_admin/);
});

test('the audit log records security events and filters them', async () => {
  const user = await signup(server.base);
  await call(server.base, 'POST', '/auth/login', { json: { email: user.email, password: 'wrong password!' } });
  const failed = await call(server.base, 'GET', `/admin/audit?event=login_failed&user_id=${user.user.id}`, { token: admin.access_token });
  assert.equal(failed.status, 200);
  assert.equal(failed.body.total, 1);
  assert.equal(failed.body.events[0].event, 'login_failed');
  assert.ok(failed.body.events[0].request_id);
  const mine = await call(server.base, 'GET', `/admin/audit?user_id=${user.user.id}`, { token: admin.access_token });
  // The signup's verification mail is audited from the mail worker, at its own moment.
  const ordered = mine.body.events.map((e) => e.event).filter((e) => e !== 'email_verification_requested');
  assert.deepEqual(ordered, ['login_failed', 'signup']);
  const future = await call(server.base, 'GET', '/admin/audit?since=2099-01-01T00:00:00Z', { token: admin.access_token });
  assert.equal(future.body.total, 0);
  assert.equal((await call(server.base, 'GET', '/admin/audit?since=yesterday', { token: admin.access_token })).status, 400);
  const roles = await call(server.base, 'GET', '/admin/audit?event=role_changed', { token: admin.access_token });
  assert.ok(roles.body.total >= 1);
  assert.ok(roles.body.events[0].actor_id);
  // No secret ever reaches the log or the audit table.
  const everything = JSON.stringify((await call(server.base, 'GET', '/admin/audit?limit=200', { token: admin.access_token })).body) + server.logs.join('\n');
  for (const secret of [goodPassword, user.refresh_token, user.access_token, 'wrong password!']) assert.ok(!everything.includes(secret));
});

test('tokens verify with jose against the JWKS, across a key rotation', async () => {
  const JWKS = createRemoteJWKSet(new URL(`${server.base}/.well-known/jwks.json`));
  const options = { issuer: server.base, audience: 'latchkey', typ: 'at+jwt', algorithms: ['EdDSA'] };
  const before = await signup(server.base);
  const { payload, protectedHeader } = await jwtVerify(before.access_token, JWKS, options);
  assert.equal(payload.sub, before.user.id);

  const jwks = await call(server.base, 'GET', '/.well-known/jwks.json');
  assert.match(jwks.headers.get('cache-control'), /max-age=\d+/);
  assert.equal(jwks.body.keys.length, 1);
  assert.equal(jwks.body.keys[0].d, undefined);

  const rotated = await call(server.base, 'POST', '/admin/keys/rotate', { token: admin.access_token });
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.kid, protectedHeader.kid);
  const after = await call(server.base, 'GET', '/.well-known/jwks.json');
  assert.deepEqual(after.body.keys.map((k) => k.kid), [rotated.body.kid, protectedHeader.kid]);
  // The old token still works, here and for jose; new tokens use the new key.
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: before.access_token })).status, 200);
  await jwtVerify(before.access_token, createRemoteJWKSet(new URL(`${server.base}/.well-known/jwks.json`)), options);
  const fresh = await signup(server.base);
  const verified = await jwtVerify(fresh.access_token, createRemoteJWKSet(new URL(`${server.base}/.well-known/jwks.json`)), options);
  assert.equal(verified.protectedHeader.kid, rotated.body.kid);
});

test('keys rotate from the CLI is picked up by the running server', async () => {
  const cli = server.cli(['keys', 'rotate']);
  assert.equal(cli.status, 0, cli.stderr);
  const kid = JSON.parse(cli.stdout).kid;
  const audit = await call(server.base, 'GET', '/admin/audit?event=key_rotated', { token: admin.access_token });
  assert.ok(audit.body.events.some((e) => e.detail.kid === kid));
  // This server re-reads its keys every second (--key-reload-interval 1).
  let current;
  for (let i = 0; i < 30 && current !== kid; i++) {
    await new Promise((r) => setTimeout(r, 200));
    current = (await call(server.base, 'GET', '/.well-known/jwks.json')).body.keys[0].kid;
  }
  assert.equal(current, kid);
  const fresh = await signup(server.base);
  assert.equal(JSON.parse(Buffer.from(fresh.access_token.split('.')[0], 'base64url')).kid, kid);
});
