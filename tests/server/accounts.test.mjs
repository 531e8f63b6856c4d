// Signup, login, the token endpoint, the caller's profile and password, over
// real HTTP against a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, uniqueEmail, goodPassword } from './server.mjs';

let server;
before(async () => {
  server = await startServer(['--rate-signup', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off']);
});
after(() => server.stop());

test('signup answers 201 with a token response and no-store', async () => {
  const email = uniqueEmail('Mixed.Case');
  const res = await call(server.base, 'POST', '/auth/signup', { json: { email: `  ${email.toUpperCase()} `, password: goodPassword, name: 'Zoë' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const b = res.body;
  assert.equal(b.token_type, 'bearer');
  assert.equal(b.expires_in, 900);
  assert.ok(b.expires_at > Date.now() / 1000);
  assert.match(b.refresh_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(b.user.email, email.toLowerCase());
  assert.equal(b.user.name, 'Zoë');
  assert.equal(b.user.role, 'user');
  assert.equal(b.user.email_verified, false);
  assert.equal(b.user.password_hash, undefined);
  const [header, payload] = b.access_token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
  assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ']);
  assert.equal(header.alg, 'EdDSA');
  assert.equal(header.typ, 'at+jwt');
  for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'sid', 'role', 'email', 'email_verified']) {
    assert.ok(claim in payload, `claim ${claim}`);
  }
  assert.equal(payload.sub, b.user.id);
  assert.equal(payload.iss, server.base);
});

test('signup refuses duplicates, bad emails and weak passwords with stable codes', async () => {
  const { email } = await signup(server.base);
  const dup = await call(server.base, 'POST', '/auth/signup', { json: { email: email.toUpperCase(), password: goodPassword } });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error, 'email_taken');
  assert.ok(dup.body.request_id);
  for (const bad of ['no-at-sign', 'a@b', '@example.com', 'a b@example.com', 'a@@example.com', `${'x'.repeat(250)}@example.com`]) {
    const res = await call(server.base, 'POST', '/auth/signup', { json: { email: bad, password: goodPassword } });
    assert.equal(res.status, 400, bad);
    assert.equal(res.body.error, 'email_invalid', bad);
  }
  const short = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: 'short' } });
  assert.equal(short.status, 422);
  assert.equal(short.body.error, 'weak_password');
  assert.deepEqual(short.body.reasons, ['too_short', 'blocklisted', 'too_weak']);
  assert.equal(typeof short.body.score, 'number');
  assert.ok(Array.isArray(short.body.feedback.suggestions));
  // The policy of the strength issue: common passwords, the user's own name, weak ones.
  const common = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: 'password123' } });
  assert.equal(common.status, 422);
  assert.ok(common.body.reasons.includes('blocklisted'));
  assert.equal(common.body.feedback.warning.code.length > 0, true);
  const own = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail('margarethe'), password: 'margarethe-2024!', name: 'Margarethe' } });
  assert.equal(own.status, 422);
  assert.ok(own.body.reasons.includes('contains_context'));
  assert.ok(!JSON.stringify(own.body).includes('margarethe-2024'), 'the password is never echoed');
  const policy = await call(server.base, 'GET', '/auth/password-policy');
  assert.deepEqual(policy.body, { min_length: 8, max_length: 256, min_score: 3, blocklist: true, context_check: true,
    service_words: ['latchkey'] });
  const long = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: 'x'.repeat(257) } });
  assert.equal(long.status, 422);
  assert.deepEqual(long.body.reasons, ['too_long']);
  // Length counts code points: 8 emoji are 8 characters (32 bytes), 7 are too few.
  const emoji = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: '🔑🌵🎻🐙🚲🧊🎈🦉' } });
  assert.equal(emoji.status, 201, JSON.stringify(emoji.body));
  const seven = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: '🔑🌵🎻🐙🚲🧊🎈' } });
  assert.ok(seven.body.reasons.includes('too_short'));
});

test('login: unknown email and wrong password look the same', async () => {
  const { email } = await signup(server.base);
  const ok = await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
  assert.equal(ok.status, 200);
  assert.ok(ok.body.access_token);

  const timed = async (json) => {
    const start = performance.now();
    const res = await call(server.base, 'POST', '/auth/login', { json });
    return { res, ms: performance.now() - start };
  };
  const wrong = await timed({ email, password: 'not the password' });
  const unknown = await timed({ email: uniqueEmail('nobody'), password: 'not the password' });
  for (const { res } of [wrong, unknown]) {
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_credentials');
    assert.equal(res.body.message, 'Invalid email or password.');
  }
  // Both paths ran an Argon2id verification (the unknown email against a dummy hash).
  assert.ok(unknown.ms > wrong.ms / 4, `unknown ${unknown.ms} ms vs wrong ${wrong.ms} ms`);
});

test('the OAuth2 token endpoint: password and refresh_token grants, RFC 6749 errors', async () => {
  const { email } = await signup(server.base);
  const form = (fields) => ({ headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  const ok = await call(server.base, 'POST', '/auth/token', form({ grant_type: 'password', username: email, password: goodPassword }));
  assert.equal(ok.status, 200);
  assert.equal(ok.body.token_type, 'bearer');
  const refreshed = await call(server.base, 'POST', '/auth/token', form({ grant_type: 'refresh_token', refresh_token: ok.body.refresh_token }));
  assert.equal(refreshed.status, 200);
  assert.notEqual(refreshed.body.refresh_token, ok.body.refresh_token);

  const wrong = await call(server.base, 'POST', '/auth/token', form({ grant_type: 'password', username: email, password: 'nope nope nope' }));
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, 'invalid_grant');
  assert.equal(wrong.body.error_code, 'invalid_credentials');
  assert.ok(wrong.body.error_description);
  const unsupported = await call(server.base, 'POST', '/auth/token', form({ grant_type: 'client_credentials' }));
  assert.equal(unsupported.body.error, 'unsupported_grant_type');
  const missing = await call(server.base, 'POST', '/auth/token', form({ grant_type: 'password', username: email }));
  assert.equal(missing.body.error, 'invalid_request');
  const json = await call(server.base, 'POST', '/auth/token', { json: { grant_type: 'password' } });
  assert.equal(json.status, 400);
  assert.equal(json.body.error, 'invalid_request');
});

test('me: GET, PATCH name, and the 401s of RFC 6750', async () => {
  const { access_token, user } = await signup(server.base);
  const me = await call(server.base, 'GET', '/auth/me', { token: access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, user.id);

  const renamed = await call(server.base, 'PATCH', '/auth/me', { token: access_token, json: { name: 'New Name' } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, 'New Name');
  const extra = await call(server.base, 'PATCH', '/auth/me', { token: access_token, json: { name: 'x', role: 'admin' } });
  assert.equal(extra.status, 400);
  assert.equal(extra.body.field, 'role');
  const control = await call(server.base, 'PATCH', '/auth/me', { token: access_token, json: { name: 'bad\u0007name' } });
  assert.equal(control.body.error, 'validation_failed');

  const none = await call(server.base, 'GET', '/auth/me');
  assert.equal(none.status, 401);
  assert.equal(none.body.error, 'token_missing');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="latchkey"');
  const garbage = await call(server.base, 'GET', '/auth/me', { token: 'not.a.token' });
  assert.equal(garbage.status, 401);
  assert.equal(garbage.body.error, 'token_malformed');
  assert.match(garbage.headers.get('www-authenticate'), /error="invalid_token"/);
  const [h, p, s] = access_token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  claims.role = 'admin';
  const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: forged })).body.error, 'token_signature_invalid');
  const none_alg = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${p}.`;
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: none_alg })).body.error, 'token_algorithm_not_allowed');
});

test('password change: current password required, other sessions revoked', async () => {
  const { email, access_token } = await signup(server.base);
  const other = await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
  const wrong = await call(server.base, 'POST', '/auth/password', { token: access_token, json: { current_password: 'wrong password', new_password: 'another good passphrase' } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_credentials');
  const weak = await call(server.base, 'POST', '/auth/password', { token: access_token, json: { current_password: goodPassword, new_password: 'short' } });
  assert.equal(weak.status, 422);
  const ok = await call(server.base, 'POST', '/auth/password', { token: access_token, json: { current_password: goodPassword, new_password: 'another good passphrase' } });
  assert.equal(ok.status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: access_token })).status, 200);
  const otherMe = await call(server.base, 'GET', '/auth/me', { token: other.body.access_token });
  assert.equal(otherMe.status, 401);
  assert.equal(otherMe.body.error, 'session_revoked');
  const otherRefresh = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: other.body.refresh_token } });
  assert.equal(otherRefresh.body.error, 'session_revoked');
  assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).status, 401);
  assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email, password: 'another good passphrase' } })).status, 200);
});

test('sessions: list, revoke one, logout with scopes', async () => {
  const { email, access_token: first } = await signup(server.base);
  const second = (await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).body;
  const third = (await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).body;
  const list = await call(server.base, 'GET', '/auth/sessions', { token: first });
  assert.equal(list.status, 200);
  assert.equal(list.body.sessions.length, 3);
  assert.equal(list.body.sessions.filter((s) => s.current).length, 1);

  const secondSid = JSON.parse(Buffer.from(second.access_token.split('.')[1], 'base64url')).sid;
  assert.equal((await call(server.base, 'DELETE', `/auth/sessions/${secondSid}`, { token: first })).status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: second.access_token })).status, 401);
  assert.equal((await call(server.base, 'DELETE', `/auth/sessions/${secondSid}`, { token: first })).status, 404);
  // Another user's session is not found, not forbidden.
  const stranger = await signup(server.base);
  assert.equal((await call(server.base, 'DELETE', `/auth/sessions/${secondSid}`, { token: stranger.access_token })).status, 404);

  assert.equal((await call(server.base, 'POST', '/auth/logout', { token: first, json: { scope: 'bogus' } })).status, 400);
  assert.equal((await call(server.base, 'POST', '/auth/logout', { token: first, json: { scope: 'others' } })).status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: third.access_token })).status, 401);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: first })).status, 200);
  assert.equal((await call(server.base, 'POST', '/auth/logout', { token: first })).status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: first })).status, 401);

  const a = await signup(server.base);
  const b = (await call(server.base, 'POST', '/auth/login', { json: { email: a.email, password: goodPassword } })).body;
  assert.equal((await call(server.base, 'POST', '/auth/logout', { token: a.access_token, json: { scope: 'global' } })).status, 204);
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: b.access_token })).status, 401);
  assert.equal((await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: b.refresh_token } })).body.error, 'session_revoked');
});

test('repeated signups for one email are rate limited per address', async () => {
  const { email } = await signup(server.base);
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await call(server.base, 'POST', '/auth/signup', { json: { email, password: goodPassword } })).status);
  }
  assert.deepEqual(statuses, [409, 409, 429, 429]);
  // Another address from the same client is unaffected.
  assert.equal((await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: goodPassword } })).status, 201);
});

test('passwords are NFKC-normalised: compatibility forms match their plain spelling', async () => {
  const email = uniqueEmail();
  // Fullwidth Ｌ and the ﬁ ligature normalise to "L" and "fi".
  const signed = await call(server.base, 'POST', '/auth/signup', { json: { email, password: 'Ｌantern ﬁeld quietly glows' } });
  assert.equal(signed.status, 201);
  const plain = await call(server.base, 'POST', '/auth/login', { json: { email, password: 'Lantern field quietly glows' } });
  assert.equal(plain.status, 200);
  const other = await call(server.base, 'POST', '/auth/login', { json: { email, password: 'lantern field quietly glows' } });
  assert.equal(other.status, 401);
});
