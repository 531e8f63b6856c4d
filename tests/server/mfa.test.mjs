// A second factor (issue 12) over real HTTP with the real clock: TOTP
// enrolment and its first code, the sign-in's second step with a code or a
// recovery code, replay and skew, attempt limits, aal in tokens and kept by
// refresh, step-up for listed routes, factor removal, the administrator's
// reset, and the key wrapped at rest. Codes are computed here, independently
// of the server (RFC 6238 with node:crypto).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { startServer, call, signup, uniqueEmail, goodPassword } from './server.mjs';
import { totp, base32Decode, awayFromBoundary } from './totp.mjs';

const noLimits = ['--rate-signup', 'off', '--rate-signup-email', 'off', '--rate-login-ip', 'off',
  '--rate-login-account', 'off', '--rate-refresh', 'off', '--rate-refresh-account', 'off', '--rate-mfa-account', 'off'];
const kek = Buffer.alloc(32, 7).toString('base64url');

let server;
before(async () => {
  server = await startServer([...noLimits, '--require-aal2-for', 'password,admin', '--key-encryption-key', kek,
    '--totp-issuer', 'Latchkey Test']);
});
after(() => server.stop());

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const login = (email, password = goodPassword) => call(server.base, 'POST', '/auth/login', { json: { email, password } });
const challenge = (json, token) => call(server.base, 'POST', '/auth/mfa/challenge', { json, token });

/** A user with a verified TOTP factor: {email, secret, factorId, recoveryCodes, session (aal2 token response)}. */
async function enrolledUser() {
  const user = await signup(server.base);
  const enrolled = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token: user.access_token, json: { friendly_name: 'Phone', current_password: goodPassword } });
  assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
  await awayFromBoundary();
  const verified = await call(server.base, 'POST', '/auth/mfa/totp/verify',
    { token: user.access_token, json: { factor_id: enrolled.body.factor_id, code: totp(enrolled.body.secret) } });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return { ...user, secret: enrolled.body.secret, factorId: enrolled.body.factor_id,
    recoveryCodes: verified.body.recovery_codes, aal2: verified.body, first: user };
}

test('enrolment needs the current password, returns the secret, an otpauth URI and an SVG QR code', async () => {
  const user = await signup(server.base);
  const path = '/auth/mfa/totp/enroll';
  const bare = await call(server.base, 'POST', path, { token: user.access_token, json: {} });
  assert.equal(bare.status, 403);
  assert.equal(bare.body.error, 'reauthentication_required');
  const anonymous = await call(server.base, 'POST', path, { json: { current_password: goodPassword } });
  assert.equal(anonymous.status, 401);

  const enrolled = await call(server.base, 'POST', path,
    { token: user.access_token, json: { friendly_name: 'Phone', current_password: goodPassword } });
  assert.equal(enrolled.status, 200);
  assert.equal(enrolled.headers.get('cache-control'), 'no-store');
  const { factor_id: id, secret, otpauth_uri: uri, qr_svg: svg, factor } = enrolled.body;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(base32Decode(secret).length, 20);
  const parsed = new URL(uri);
  assert.equal(parsed.protocol, 'otpauth:');
  assert.equal(decodeURIComponent(parsed.pathname.replace(/^\/\/totp\//, '').replace(/^\//, '')),
    `Latchkey Test:${user.email}`.replace(/^totp\//, ''));
  assert.equal(parsed.searchParams.get('secret'), secret);
  assert.equal(parsed.searchParams.get('issuer'), 'Latchkey Test');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
  assert.ok(svg.length > 1000 && svg.includes('h1v1h-1z'));
  assert.deepEqual({ ...factor, created_at: 0 }, { id, type: 'totp', friendly_name: 'Phone', status: 'unverified', created_at: 0 });

  // Unverified: sign-in still takes one step.
  const signedIn = await login(user.email);
  assert.equal(signedIn.status, 200);
  assert.ok(signedIn.body.access_token);
  // The key is wrapped under the KEK at rest: no trace of it in the database.
  const row = execFileSync('sqlite3', [server.database, `SELECT secret FROM credentials WHERE id = '${id}'`],
    { encoding: 'utf8' });
  assert.match(JSON.parse(row).key, /^enc:v1:/);
  assert.ok(!row.includes(base32Decode(secret).toString('base64url')));
});

test('the first code verifies the factor: ten recovery codes once, and the session raised to aal2', async () => {
  const user = await signup(server.base);
  const enrolled = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token: user.access_token, json: { current_password: goodPassword } });
  const verify = (code) => call(server.base, 'POST', '/auth/mfa/totp/verify',
    { token: user.access_token, json: { factor_id: enrolled.body.factor_id, code } });
  await awayFromBoundary();
  const wrong = await verify(totp(enrolled.body.secret, Date.now() / 1000 + 300));
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'otp_code_invalid');
  assert.equal(claims(user.access_token).aal, 'aal1');
  assert.deepEqual(claims(user.access_token).amr, ['pwd']);

  const right = await verify(totp(enrolled.body.secret));
  assert.equal(right.status, 200, JSON.stringify(right.body));
  assert.equal(right.body.factor.status, 'verified');
  assert.equal(right.body.recovery_codes.length, 10);
  assert.equal(new Set(right.body.recovery_codes).size, 10);
  for (const code of right.body.recovery_codes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
  assert.equal(claims(right.body.access_token).aal, 'aal2');
  assert.deepEqual(claims(right.body.access_token).amr, ['pwd', 'otp']);
  assert.equal(claims(right.body.access_token).sid, claims(user.access_token).sid);
  assert.equal(right.body.refresh_token, undefined);

  // The session's refresh keeps aal2.
  const refreshed = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: user.refresh_token } });
  assert.equal(refreshed.status, 200);
  assert.equal(claims(refreshed.body.access_token).aal, 'aal2');
  // Verified once: a second verify is a conflict, and a second enrolment too.
  assert.equal((await verify(totp(enrolled.body.secret))).body.error, 'factor_exists');
  const again = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token: right.body.access_token, json: { current_password: goodPassword } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error, 'factor_exists');
  const listed = await call(server.base, 'GET', '/auth/mfa/factors', { token: right.body.access_token });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.aal, 'aal2');
  assert.equal(listed.body.recovery_codes_remaining, 10);
  assert.deepEqual(listed.body.factors.map((f) => f.status), ['verified']);
});

test('sign-in with a factor: mfa_required, then a code gives tokens with aal2 that refresh keeps', async () => {
  const user = await enrolledUser();
  const first = await login(user.email);
  assert.equal(first.status, 200);
  assert.equal(first.body.mfa_required, true);
  assert.equal(first.body.access_token, undefined);
  assert.equal(first.body.refresh_token, undefined);
  assert.match(first.body.mfa_token, /^[A-Za-z0-9_-]{43}$/);
  assert.ok(first.body.expires_in > 0 && first.body.expires_in <= 300);
  assert.deepEqual(first.body.factors, [{ id: user.factorId, type: 'totp', friendly_name: 'Phone' }]);
  // A wrong password still says nothing about factors.
  const wrongPassword = await login(user.email, 'not the password at all');
  assert.equal(wrongPassword.status, 401);
  assert.equal(wrongPassword.body.mfa_token, undefined);

  // The code just used to verify is spent: the next step's code (skew +1) is accepted.
  await awayFromBoundary();
  const replay = await challenge({ mfa_token: first.body.mfa_token, code: totp(user.secret) });
  assert.equal(replay.status, 401);
  assert.equal(replay.body.error, 'otp_code_invalid');
  const done = await challenge({ mfa_token: first.body.mfa_token, code: totp(user.secret, Date.now() / 1000 + 30) });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const token = claims(done.body.access_token);
  assert.equal(token.aal, 'aal2');
  assert.deepEqual(token.amr, ['pwd', 'otp']);
  assert.ok(done.body.refresh_token);
  const refreshed = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: done.body.refresh_token } });
  assert.equal(claims(refreshed.body.access_token).aal, 'aal2');
  assert.deepEqual(claims(refreshed.body.access_token).amr, ['pwd', 'otp']);

  // The mfa_token is single use; a made-up one is refused the same way.
  const reused = await challenge({ mfa_token: first.body.mfa_token, recovery_code: user.recoveryCodes[0] });
  assert.equal(reused.status, 401);
  assert.equal(reused.body.error, 'mfa_token_invalid');
  const madeUp = await challenge({ mfa_token: 'x'.repeat(43), code: '123456' });
  assert.equal(madeUp.body.error, 'mfa_token_invalid');
  // Neither a code and a recovery code together nor neither.
  assert.equal((await challenge({ mfa_token: 'x', code: '1', recovery_code: '2' })).status, 400);
  assert.equal((await challenge({ mfa_token: 'x' })).status, 400);

  // The OAuth password grant answers Auth0's mfa_required.
  const grant = await fetch(`${server.base}/auth/token`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: user.email, password: goodPassword }) });
  assert.equal(grant.status, 403);
  const grantBody = await grant.json();
  assert.equal(grantBody.error, 'mfa_required');
  assert.match(grantBody.mfa_token, /^[A-Za-z0-9_-]{43}$/);
});

test('skew: one step either side is accepted, two are refused', async () => {
  const user = await enrolledUser();
  await awayFromBoundary();
  const now = Date.now() / 1000;
  for (const offset of [-60, 60]) {
    const first = await login(user.email);
    const refused = await challenge({ mfa_token: first.body.mfa_token, code: totp(user.secret, now + offset) });
    assert.equal(refused.status, 401, `offset ${offset}`);
  }
  // The verify step used "now"; one step back is at or below it and stays refused; one step ahead is accepted.
  const back = await challenge({ mfa_token: (await login(user.email)).body.mfa_token, code: totp(user.secret, now - 30) });
  assert.equal(back.status, 401);
  const ahead = await challenge({ mfa_token: (await login(user.email)).body.mfa_token, code: totp(user.secret, now + 30) });
  assert.equal(ahead.status, 200);
});

test('one step behind is accepted for a factor whose last code is older', async () => {
  const user = await enrolledUser();
  // Wait until the verify step is two steps back, then a code one step behind the clock is fresh.
  await new Promise((r) => setTimeout(r, 0));
  const usedStep = Math.floor(Date.now() / 1000 / 30);
  for (;;) {
    const step = Math.floor(Date.now() / 1000 / 30);
    const into = (Date.now() / 1000) % 30;
    if (step >= usedStep + 2 && into > 3 && into < 27) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const behind = await challenge({ mfa_token: (await login(user.email)).body.mfa_token,
    code: totp(user.secret, Date.now() / 1000 - 30) });
  assert.equal(behind.status, 200, JSON.stringify(behind.body));
});

test('a recovery code signs in once; the second use is refused', async () => {
  const user = await enrolledUser();
  const first = await login(user.email);
  const used = await challenge({ mfa_token: first.body.mfa_token, recovery_code: user.recoveryCodes[3].toUpperCase() });
  assert.equal(used.status, 200, JSON.stringify(used.body));
  assert.equal(claims(used.body.access_token).aal, 'aal2');
  const second = await login(user.email);
  const again = await challenge({ mfa_token: second.body.mfa_token, recovery_code: user.recoveryCodes[3] });
  assert.equal(again.status, 401);
  assert.equal(again.body.error, 'recovery_code_invalid');
  const listed = await call(server.base, 'GET', '/auth/mfa/factors', { token: used.body.access_token });
  assert.equal(listed.body.recovery_codes_remaining, 9);
  // Regenerated codes replace the old ones.
  const fresh = await call(server.base, 'POST', '/auth/mfa/recovery-codes', { token: used.body.access_token });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.recovery_codes.length, 10);
  const old = await challenge({ mfa_token: second.body.mfa_token, recovery_code: user.recoveryCodes[4] });
  assert.equal(old.body.error, 'recovery_code_invalid');
  const replaced = await challenge({ mfa_token: second.body.mfa_token, recovery_code: fresh.body.recovery_codes[0] });
  assert.equal(replaced.status, 200);
});

test('two answers racing with one code and one token: exactly one session', async () => {
  const user = await enrolledUser();
  const first = await login(user.email);
  await awayFromBoundary();
  const code = totp(user.secret, Date.now() / 1000 + 30);
  const answers = await Promise.all(Array.from({ length: 6 }, () => challenge({ mfa_token: first.body.mfa_token, code })));
  assert.equal(answers.filter((a) => a.status === 200).length, 1, JSON.stringify(answers.map((a) => a.status)));
  // The others: the code or the token already spent (401), or past the factor's attempt budget (429).
  assert.ok(answers.every((a) => [200, 401, 429].includes(a.status)), JSON.stringify(answers.map((a) => a.body)));
});

test('step-up: listed routes need aal2 from users with a factor; a signed-in session can step up', async () => {
  // An aal1 session of a user with a factor: one that started before the enrolment.
  const other = await signup(server.base);
  const early = await login(other.email);  // aal1, before the factor
  const enrolled = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token: other.access_token, json: { current_password: goodPassword } });
  await awayFromBoundary();
  const verified = await call(server.base, 'POST', '/auth/mfa/totp/verify',
    { token: other.access_token, json: { factor_id: enrolled.body.factor_id, code: totp(enrolled.body.secret) } });
  assert.equal(verified.status, 200);

  const change = (token) => call(server.base, 'POST', '/auth/password',
    { token, json: { current_password: goodPassword, new_password: goodPassword + ' again' } });
  const refused = await change(early.body.access_token);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'insufficient_aal');
  // Removing the factor from the aal1 session is refused too.
  const removal = await call(server.base, 'DELETE', `/auth/mfa/factors/${enrolled.body.factor_id}`, { token: early.body.access_token });
  assert.equal(removal.status, 403);
  assert.equal(removal.body.error, 'insufficient_aal');

  const stepped = await challenge({ code: totp(enrolled.body.secret, Date.now() / 1000 + 30) }, early.body.access_token);
  assert.equal(stepped.status, 200, JSON.stringify(stepped.body));
  assert.equal(claims(stepped.body.access_token).aal, 'aal2');
  assert.equal(claims(stepped.body.access_token).sid, claims(early.body.access_token).sid);
  assert.equal((await change(stepped.body.access_token)).status, 204);

  // A user without a factor is not locked out of the listed routes.
  const plain = await signup(server.base);
  assert.equal((await change(plain.access_token)).status, 204);
  // A step-up without a bearer or an mfa_token is a validation error.
  assert.equal((await challenge({ code: '123456' })).status, 400);
});

test('removing the factor needs aal2, takes the recovery codes, and sign-in is one step again', async () => {
  const user = await enrolledUser();
  const token = user.aal2.access_token;
  const notMine = await call(server.base, 'DELETE', `/auth/mfa/factors/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, { token });
  assert.equal(notMine.status, 404);
  assert.equal(notMine.body.error, 'factor_not_found');
  const removed = await call(server.base, 'DELETE', `/auth/mfa/factors/${user.factorId}`, { token });
  assert.equal(removed.status, 204);
  const listed = await call(server.base, 'GET', '/auth/mfa/factors', { token });
  assert.deepEqual(listed.body.factors, []);
  assert.equal(listed.body.recovery_codes_remaining, 0);
  const signedIn = await login(user.email);
  assert.ok(signedIn.body.access_token);
  assert.equal(claims(signedIn.body.access_token).aal, 'aal1');
  const audit = execFileSync('sqlite3', [server.database,
    `SELECT event FROM audit_events WHERE user_id = '${claims(token).sub}' ORDER BY id`], { encoding: 'utf8' }).trim().split('\n');
  for (const event of ['mfa_factor_enrolled', 'mfa_factor_verified', 'mfa_factor_removed']) assert.ok(audit.includes(event), event);
});

test('administrators list and reset a user\'s factors (at aal2 when admin is listed), audited', async () => {
  const email = uniqueEmail('admin');
  const added = server.cli(['user', 'add', email, '--admin', '--name', 'Ada', '--key-encryption-key', kek], `${goodPassword}\n`);
  assert.equal(added.status, 0, added.stderr);
  const admin = (await login(email)).body;
  const earlyAdmin = (await login(email)).body;
  const user = await enrolledUser();
  const id = claims(user.aal2.access_token).sub;
  const path = `/admin/users/${id}/factors`;
  // The admin has no factor: "highest available" lets them in.
  const listed = await call(server.base, 'GET', path, { token: admin.access_token });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.factors.map((f) => [f.id, f.status]), [[user.factorId, 'verified']]);
  assert.equal(JSON.stringify(listed.body).includes(user.secret), false);
  const notAdmin = await call(server.base, 'GET', path, { token: user.aal2.access_token });
  assert.equal(notAdmin.status, 403);
  assert.equal(notAdmin.body.error, 'forbidden');

  const reset = await call(server.base, 'DELETE', path, { token: admin.access_token });
  assert.equal(reset.status, 204);
  const signedIn = await login(user.email);
  assert.ok(signedIn.body.access_token, 'one step again after the reset');
  const audit = await call(server.base, 'GET', `/admin/audit?event=mfa_factor_removed&user_id=${id}`, { token: admin.access_token });
  assert.equal(audit.body.events.length, 1);
  assert.equal(audit.body.events[0].actor_id, claims(admin.access_token).sub);

  // An admin with a factor at aal1 is refused the admin routes until they step up.
  const adminEnrol = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token: admin.access_token, json: { current_password: goodPassword } });
  await awayFromBoundary();
  const adminVerify = await call(server.base, 'POST', '/auth/mfa/totp/verify',
    { token: admin.access_token, json: { factor_id: adminEnrol.body.factor_id, code: totp(adminEnrol.body.secret) } });
  assert.equal(adminVerify.status, 200);
  const stale = await call(server.base, 'GET', '/admin/users', { token: (await login(email)).body.access_token });
  assert.equal(stale.status, 401, 'a sign-in with a factor gives no token before the second step');
  const second = await login(email);
  assert.equal(second.body.mfa_required, true);
  // The admin's pre-enrolment session is aal1 now that they have a factor.
  const aal1 = await call(server.base, 'GET', '/admin/users', { token: admin.access_token });
  assert.equal(aal1.status, 200, 'the session that verified the factor was raised to aal2');
  const preEnrolment = await call(server.base, 'GET', '/admin/users', { token: earlyAdmin.access_token });
  assert.equal(preEnrolment.status, 403);
  assert.equal(preEnrolment.body.error, 'insufficient_aal');
});

test('attempts are limited per factor (the enrolment\'s code counts): past the budget even the right code is 429', async () => {
  const limited = await startServer([...noLimits, '--rate-mfa-factor', '3/3600']);
  try {
    const user = await signup(limited.base);
    const enrolled = await call(limited.base, 'POST', '/auth/mfa/totp/enroll',
      { token: user.access_token, json: { current_password: goodPassword } });
    await awayFromBoundary();
    const verified = await call(limited.base, 'POST', '/auth/mfa/totp/verify',
      { token: user.access_token, json: { factor_id: enrolled.body.factor_id, code: totp(enrolled.body.secret) } });
    assert.equal(verified.status, 200);
    const first = await call(limited.base, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } });
    const attempt = (code) => call(limited.base, 'POST', '/auth/mfa/challenge', { json: { mfa_token: first.body.mfa_token, code } });
    assert.equal((await attempt('000000')).status, 401);
    assert.equal((await attempt('000001')).status, 401);
    const limitedAnswer = await attempt(totp(enrolled.body.secret, Date.now() / 1000 + 30));
    assert.equal(limitedAnswer.status, 429);
    assert.equal(limitedAnswer.body.error, 'rate_limited');
    assert.ok(Number(limitedAnswer.headers.get('retry-after')) > 0);
  } finally {
    await limited.stop();
  }
});

test('bad input: unknown factors, over-long fields, wrong types and bodies get clear errors', async () => {
  const user = await signup(server.base);
  const token = user.access_token;
  const unknown = `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`;
  const verify = await call(server.base, 'POST', '/auth/mfa/totp/verify', { token, json: { factor_id: unknown, code: '123456' } });
  assert.equal(verify.status, 404);
  assert.equal(verify.body.error, 'factor_not_found');
  const longName = await call(server.base, 'POST', '/auth/mfa/totp/enroll',
    { token, json: { friendly_name: 'x'.repeat(65), current_password: goodPassword } });
  assert.equal(longName.status, 400);
  assert.equal(longName.body.error, 'validation_failed');
  const numberCode = await call(server.base, 'POST', '/auth/mfa/totp/verify', { token, json: { factor_id: unknown, code: 123456 } });
  assert.equal(numberCode.status, 400);
  const longCode = await challenge({ mfa_token: 'x', code: '1'.repeat(65) });
  assert.equal(longCode.status, 400);
  const notJson = await call(server.base, 'POST', '/auth/mfa/challenge', { body: 'code=123456', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(notJson.status, 415);
  // A user without a factor: nothing to step up with, and no recovery codes to regenerate.
  assert.equal((await challenge({ code: '123456' }, token)).body.error, 'factor_not_found');
  assert.equal((await challenge({ recovery_code: 'abcd-efgh-jkmn' }, token)).body.error, 'recovery_code_invalid');
  assert.equal((await call(server.base, 'POST', '/auth/mfa/recovery-codes', { token })).body.error, 'factor_not_found');
  // Another user's factor is not found, and cannot be removed.
  const owner = await enrolledUser();
  const foreign = await call(server.base, 'DELETE', `/auth/mfa/factors/${owner.factorId}`, { token });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error, 'factor_not_found');
});
