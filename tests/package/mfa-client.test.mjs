// client.mfa against a live `latchkey serve`: enrol and verify a TOTP
// factor, a sign-in that stops at MFA_CHALLENGE and finishes with a code or
// a recovery code, the assurance level before and after, a step-up of an
// aal1 session, unenrol, and typed errors. Codes are computed by the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { init, AuthClient, AuthError, decodeToken } from '../../wasm/js/index.js';
import { startServer, uniqueEmail, goodPassword, recordEvents, tick } from './helpers.mjs';
import { totp, awayFromBoundary } from '../server/totp.mjs';

let server;
before(async () => {
  await init();
  server = await startServer(['--rate-signup', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off',
    '--rate-mfa-account', 'off']);
});
after(() => server?.stop());

const aalOf = (session) => decodeToken(session.access_token).claims.aal;

async function enrolledClient() {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const email = uniqueEmail('mfa');
  await client.signup({ email, password: goodPassword });
  const enrolled = await client.mfa.enroll({ friendlyName: 'Phone', currentPassword: goodPassword });
  await awayFromBoundary();
  const verified = await client.mfa.verify({ factorId: enrolled.factor_id, code: totp(enrolled.secret) });
  return { client, email, enrolled, verified };
}

test('enrol and verify: recovery codes once, the session raised to aal2, the level reported', async () => {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await client.signup({ email: uniqueEmail('mfa'), password: goodPassword });
  assert.deepEqual(await client.mfa.getAuthenticatorAssuranceLevel(),
    { currentLevel: 'aal1', nextLevel: 'aal1', currentAuthenticationMethods: ['pwd'] });
  await assert.rejects(client.mfa.enroll({}), (e) => e instanceof AuthError && e.code === 'reauthentication_required');
  const enrolled = await client.mfa.enroll({ currentPassword: goodPassword });
  assert.match(enrolled.qr_svg, /^<svg/);
  await assert.rejects(client.mfa.verify({ factorId: enrolled.factor_id, code: '000000' === totp(enrolled.secret) ? '000001' : '000000' }),
    (e) => e instanceof AuthError && e.code === 'otp_code_invalid' && e.status === 401);
  const events = recordEvents(client);
  await awayFromBoundary();
  const verified = await client.mfa.verify({ factorId: enrolled.factor_id, code: totp(enrolled.secret) });
  assert.equal(verified.recovery_codes.length, 10);
  const session = await client.getSession();
  assert.equal(aalOf(session), 'aal2');
  assert.ok(session.refresh_token, 'the refresh token is kept');
  assert.equal(aalOf(await client.refresh()), 'aal2');
  assert.deepEqual(await client.mfa.getAuthenticatorAssuranceLevel(),
    { currentLevel: 'aal2', nextLevel: 'aal2', currentAuthenticationMethods: ['pwd', 'otp'] });
  await tick();
  assert.ok(events.some((e) => e.event === 'MFA_CHALLENGE_VERIFIED'));
});

test('login stops at MFA_CHALLENGE; a code finishes it with SIGNED_IN and MFA_CHALLENGE_VERIFIED', async () => {
  const { email, enrolled } = await enrolledClient();
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const events = recordEvents(client);
  const first = await client.login({ email, password: goodPassword });
  assert.equal(first.mfaRequired, true);
  assert.deepEqual(first.factors.map((f) => f.id), [enrolled.factor_id]);
  assert.equal(await client.getSession(), null, 'no session before the second step');
  assert.deepEqual(await client.mfa.getAuthenticatorAssuranceLevel(),
    { currentLevel: null, nextLevel: 'aal2', currentAuthenticationMethods: [] });
  await assert.rejects(client.mfa.challenge({ code: totp(enrolled.secret, Date.now() / 1000 - 90) }),
    (e) => e instanceof AuthError && e.code === 'otp_code_invalid');
  const session = await client.mfa.challenge({ code: totp(enrolled.secret, Date.now() / 1000 + 30) });
  assert.equal(aalOf(session), 'aal2');
  assert.equal((await client.getUser()).email, email);
  await tick();
  const names = events.map((e) => e.event);
  assert.deepEqual(names.filter((n) => n !== 'INITIAL_SESSION'), ['MFA_CHALLENGE', 'SIGNED_IN', 'MFA_CHALLENGE_VERIFIED']);
});

test('a recovery code finishes a sign-in once; a step-up raises an aal1 session', async () => {
  const { email, enrolled, verified } = await enrolledClient();
  const early = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await client.login({ email, password: goodPassword });
  const session = await client.mfa.challenge({ recoveryCode: verified.recovery_codes[0] });
  assert.equal(aalOf(session), 'aal2');
  await early.login({ email, password: goodPassword });
  await assert.rejects(early.mfa.challenge({ recoveryCode: verified.recovery_codes[0] }),
    (e) => e instanceof AuthError && e.code === 'recovery_code_invalid');
  // Still pending after a wrong answer: the right one finishes it.
  await awayFromBoundary();
  const finished = await early.mfa.challenge({ code: totp(enrolled.secret, Date.now() / 1000 + 30) });
  assert.equal(aalOf(finished), 'aal2');

  // Unenrol (aal2), then the next sign-in is one step and at aal1.
  await client.mfa.unenroll({ factorId: enrolled.factor_id });
  assert.deepEqual((await client.mfa.listFactors()).factors, []);
  const plain = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const signedIn = await plain.login({ email, password: goodPassword });
  assert.equal(aalOf(signedIn), 'aal1');
  // challenge() with neither a pending sign-in nor a session is a typed error.
  const nobody = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await assert.rejects(nobody.mfa.challenge({ code: '123456' }), (e) => e instanceof AuthError && e.code === 'session_missing');
});

test('step-up: a session from before the enrolment is aal1 with nextLevel aal2, and challenge() raises it', async () => {
  const email = uniqueEmail('mfa');
  const older = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await older.signup({ email, password: goodPassword });
  const newer = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await newer.login({ email, password: goodPassword });
  const enrolled = await newer.mfa.enroll({ currentPassword: goodPassword });
  await awayFromBoundary();
  await newer.mfa.verify({ factorId: enrolled.factor_id, code: totp(enrolled.secret) });
  assert.deepEqual(await older.mfa.getAuthenticatorAssuranceLevel(),
    { currentLevel: 'aal1', nextLevel: 'aal2', currentAuthenticationMethods: ['pwd'] });
  await assert.rejects(older.mfa.unenroll({ factorId: enrolled.factor_id }),
    (e) => e instanceof AuthError && e.code === 'insufficient_aal' && e.status === 403);
  const raised = await older.mfa.challenge({ code: totp(enrolled.secret, Date.now() / 1000 + 30) });
  assert.equal(aalOf(raised), 'aal2');
  assert.equal((await older.mfa.getAuthenticatorAssuranceLevel()).currentLevel, 'aal2');
});
