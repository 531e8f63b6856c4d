// Passkeys (issue 17) over real HTTP, driven by a software authenticator
// (tests/support/authenticator.mjs: node:crypto keys, real attestation and
// assertion objects): registration and sign-in with ES256, EdDSA and RS256,
// with and without an email, assurance levels, and every check's failing
// path (challenge, origin, RP ID, flags, signature, counter, ownership), the
// management routes and the start-up checks of the RP settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, uniqueEmail, goodPassword, runCli, binary } from './server.mjs';
import { SoftAuthenticator } from '../support/authenticator.mjs';
import { totp, awayFromBoundary } from './totp.mjs';
import { execFileSync, spawnSync } from 'node:child_process';

const noLimits = ['--rate-signup', 'off', '--rate-signup-email', 'off', '--rate-login-ip', 'off',
  '--rate-login-account', 'off', '--rate-refresh', 'off', '--rate-refresh-account', 'off', '--rate-mfa-account', 'off'];

let server;
let origin;
before(async () => {
  server = await startServer(noLimits);
  // A loopback public URL: the RP ID is localhost (browsers refuse IP addresses).
  origin = `http://localhost:${server.port}`;
});
after(() => server.stop());

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const post = (path, json, token) => call(server.base, 'POST', path, { json, token });

async function registrationOptions(user) {
  const options = await post('/auth/passkeys/registration/options', { current_password: goodPassword }, user.access_token);
  assert.equal(options.status, 200, JSON.stringify(options.body));
  return options.body;
}

/** A signed-up user with a passkey on `authenticator` (created here unless given). */
async function userWithPasskey(authenticatorOptions = {}) {
  const user = await signup(server.base);
  const authenticator = new SoftAuthenticator({ origin, ...authenticatorOptions });
  const options = await registrationOptions(user);
  const registered = await post('/auth/passkeys/registration/verify',
    { credential: authenticator.create(options), name: 'Laptop' }, user.access_token);
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  return { user, authenticator, passkey: registered.body };
}

async function signInOptions(email) {
  const options = await post('/auth/passkeys/authentication/options', email === undefined ? {} : { email });
  assert.equal(options.status, 200, JSON.stringify(options.body));
  return options.body;
}

const verifySignIn = (credential) => post('/auth/passkeys/authentication/verify', { credential });

// The audit events recorded for a user (the sqlite3 CLI, installed by .ci/setup.sh).
const auditEvents = (userId) => execFileSync('sqlite3',
  ['-cmd', '.timeout 5000', server.database, `SELECT event FROM audit_events WHERE user_id = '${userId}' ORDER BY id`], { encoding: 'utf8' })
  .trim().split('\n');

test('registration options: signed in, with the recent-auth proof; ES256, EdDSA, RS256; resident key and UV preferred', async () => {
  const user = await signup(server.base);
  const anonymous = await post('/auth/passkeys/registration/options', { current_password: goodPassword });
  assert.equal(anonymous.status, 401);
  const bare = await post('/auth/passkeys/registration/options', {}, user.access_token);
  assert.equal(bare.status, 403);
  assert.equal(bare.body.error, 'reauthentication_required');
  const wrong = await post('/auth/passkeys/registration/options', { current_password: 'not the password at all' }, user.access_token);
  assert.equal(wrong.status, 401);

  const options = await registrationOptions(user);
  assert.deepEqual(options.rp, { id: 'localhost', name: 'Latchkey' });
  assert.equal(Buffer.from(options.user.id, 'base64url').toString(), user.user.id);
  assert.equal(options.user.name, user.email);
  assert.equal(Buffer.from(options.challenge, 'base64url').length, 32);
  assert.deepEqual(options.pubKeyCredParams.map((p) => p.alg), [-7, -8, -257]);
  assert.equal(options.authenticatorSelection.residentKey, 'preferred');
  assert.equal(options.authenticatorSelection.userVerification, 'preferred');
  assert.equal(options.attestation, 'none');
  assert.deepEqual(options.excludeCredentials, []);
  // Each call a new challenge.
  assert.notEqual((await registrationOptions(user)).challenge, options.challenge);
});

for (const [name, alg] of [['ES256', -7], ['EdDSA', -8], ['RS256', -257]]) {
  test(`${name}: register, then sign in without an email (discoverable): amr webauthn, aal2, refresh works`, async () => {
    const { user, authenticator, passkey } = await userWithPasskey({ alg });
    assert.equal(passkey.name, 'Laptop');
    assert.equal(passkey.backed_up, false);
    assert.deepEqual(passkey.transports, ['internal']);
    assert.match(passkey.id, /^[0-9a-f-]{36}$/);

    const options = await signInOptions();
    assert.equal(options.rpId, 'localhost');
    assert.deepEqual(options.allowCredentials, []);
    const signedIn = await verifySignIn(authenticator.get(options));
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(signedIn.body.user.id, user.user.id);
    const c = claims(signedIn.body.access_token);
    assert.deepEqual(c.amr, ['webauthn']);
    assert.equal(c.aal, 'aal2');
    const refreshed = await post('/auth/refresh', { refresh_token: signedIn.body.refresh_token });
    assert.equal(refreshed.status, 200);
    assert.equal(claims(refreshed.body.access_token).aal, 'aal2');
  });
}

test('with an email: allowCredentials lists that account\'s passkeys; an unknown email gets a stable stand-in', async () => {
  const { user, authenticator, passkey } = await userWithPasskey();
  const options = await signInOptions(user.email.toUpperCase());
  assert.deepEqual(options.allowCredentials.map((c) => c.id), [passkey.credential_id]);
  assert.deepEqual(options.allowCredentials[0].transports, ['internal']);
  const signedIn = await verifySignIn(authenticator.get(options));
  assert.equal(signedIn.status, 200);

  const unknown = uniqueEmail('nobody');
  const first = await signInOptions(unknown);
  const second = await signInOptions(unknown);
  assert.equal(first.allowCredentials.length, 1);
  assert.deepEqual(first.allowCredentials, second.allowCredentials);
  assert.equal(first.allowCredentials[0].id.length, passkey.credential_id.length);
  assert.notDeepEqual((await signInOptions(uniqueEmail('other'))).allowCredentials, first.allowCredentials);
  // An account with no passkey looks the same as no account.
  const plain = await signup(server.base);
  assert.equal((await signInOptions(plain.email)).allowCredentials.length, 1);
  assert.equal((await post('/auth/passkeys/authentication/options', { email: 'not an email' })).status, 400);
});

test('the passkey of another account is refused when an email named this one, and a user handle must match', async () => {
  const a = await userWithPasskey();
  const b = await userWithPasskey();
  const options = await signInOptions(b.user.email);
  const refused = await verifySignIn(a.authenticator.get(options));
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error, 'passkey_not_recognized');

  const wrongHandle = await verifySignIn(a.authenticator.get(await signInOptions(), { userHandle: Buffer.from(b.user.user.id) }));
  assert.equal(wrongHandle.status, 401);
  assert.equal(wrongHandle.body.error, 'passkey_not_recognized');

  const unknown = new SoftAuthenticator({ origin });
  unknown.create(await registrationOptions(await signup(server.base)));  // made, never sent to the server
  const stranger = await verifySignIn(unknown.get(await signInOptions()));
  assert.equal(stranger.status, 401);
  assert.equal(stranger.body.error, 'passkey_not_recognized');
});

test('challenges are single use and bound to their ceremony and user', async () => {
  const user = await signup(server.base);
  const authenticator = new SoftAuthenticator({ origin });
  const options = await registrationOptions(user);
  const credential = authenticator.create(options);
  assert.equal((await post('/auth/passkeys/registration/verify', { credential }, user.access_token)).status, 201);
  const replay = await post('/auth/passkeys/registration/verify', { credential }, user.access_token);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'passkey_challenge_invalid');

  // Another user's registration challenge.
  const other = await signup(server.base);
  const foreign = authenticator.create(await registrationOptions(other));
  const stolen = await post('/auth/passkeys/registration/verify', { credential: foreign }, user.access_token);
  assert.equal(stolen.body.error, 'passkey_challenge_invalid');

  // A sign-in answer replayed; a registration challenge used to sign in; one never issued.
  const registeredOne = authenticator.credentials[0];
  const signInOpts = await signInOptions();
  const assertion = authenticator.get(signInOpts, {}, registeredOne);
  assert.equal((await verifySignIn(assertion)).status, 200);
  assert.equal((await verifySignIn(assertion)).body.error, 'passkey_challenge_invalid');
  const crossed = await verifySignIn(authenticator.get(await registrationOptions(user), {}, registeredOne));
  assert.equal(crossed.body.error, 'passkey_challenge_invalid');
  const invented = await verifySignIn(authenticator.get({ challenge: Buffer.alloc(32, 9).toString('base64url') }, {}, registeredOne));
  assert.equal(invented.status, 400);
  assert.equal(invented.body.error, 'passkey_challenge_invalid');
});

test('client data and authenticator data checks: type, origin, cross-origin, RP ID, user presence', async () => {
  const { user, authenticator } = await userWithPasskey();
  const cases = [
    [{ type: 'webauthn.create' }, 400, 'passkey_response_invalid'],
    [{ origin: 'http://evil.example' }, 400, 'passkey_origin_invalid'],
    [{ origin: `http://localhost:${server.port + 1}` }, 400, 'passkey_origin_invalid'],
    [{ crossOrigin: true }, 400, 'passkey_origin_invalid'],
    [{ rpId: 'evil.example' }, 400, 'passkey_rp_id_mismatch'],
    [{ flags: 0x04 }, 401, 'passkey_user_presence_required'],
  ];
  for (const [spoil, status, error] of cases) {
    const answer = await verifySignIn(authenticator.get(await signInOptions(), spoil));
    assert.equal(answer.status, status, `${JSON.stringify(spoil)}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error, error, JSON.stringify(spoil));
  }
  // The same at registration.
  for (const [spoil, , error] of cases.slice(0, 5)) {
    const fresh = new SoftAuthenticator({ origin });
    const spoiled = { ...spoil, type: spoil.type ? 'webauthn.get' : undefined };
    const answer = await post('/auth/passkeys/registration/verify',
      { credential: fresh.create(await registrationOptions(user), spoiled) }, user.access_token);
    assert.equal(answer.body.error, error, JSON.stringify(spoiled));
  }
  assert.ok(auditEvents(user.user.id).includes('passkey_signin_failed'));
});

test('a wrong signature is refused; the counter must grow unless it stays 0 (synced passkeys), audited', async () => {
  const { user, authenticator } = await userWithPasskey({ counter: 5 });
  const tampered = await verifySignIn(authenticator.get(await signInOptions(), {
    signature: (sig) => { const copy = Buffer.from(sig); copy[copy.length - 1] ^= 1; return copy; },
  }));
  assert.equal(tampered.status, 401);
  assert.equal(tampered.body.error, 'passkey_signature_invalid');

  assert.equal((await verifySignIn(authenticator.get(await signInOptions(), { counter: 10 }))).status, 200);
  const cloned = await verifySignIn(authenticator.get(await signInOptions(), { counter: 10 }));
  assert.equal(cloned.status, 401);
  assert.equal(cloned.body.error, 'passkey_counter_regressed');
  const lower = await verifySignIn(authenticator.get(await signInOptions(), { counter: 3 }));
  assert.equal(lower.body.error, 'passkey_counter_regressed');
  assert.equal((await verifySignIn(authenticator.get(await signInOptions(), { counter: 11 }))).status, 200);
  const events = auditEvents(user.user.id);
  assert.ok(events.includes('passkey_registered'));
  assert.ok(events.includes('passkey_signin'));
  assert.ok(events.includes('passkey_counter_regressed'));

  const synced = await userWithPasskey({ counter: null, backupEligible: true, backupState: true });
  assert.equal(synced.passkey.backed_up, true);
  for (let i = 0; i < 2; i++) assert.equal((await verifySignIn(synced.authenticator.get(await signInOptions()))).status, 200);
});

test('without user verification: amr hwk, aal1; a user with TOTP then answers it', async () => {
  const { user, authenticator } = await userWithPasskey({ uv: false });
  const signedIn = await verifySignIn(authenticator.get(await signInOptions()));
  assert.equal(signedIn.status, 200);
  assert.deepEqual(claims(signedIn.body.access_token).amr, ['hwk']);
  assert.equal(claims(signedIn.body.access_token).aal, 'aal1');

  const enrolled = await post('/auth/mfa/totp/enroll', { current_password: goodPassword }, user.access_token);
  await awayFromBoundary();
  const verified = await post('/auth/mfa/totp/verify', { factor_id: enrolled.body.factor_id, code: totp(enrolled.body.secret) }, user.access_token);
  assert.equal(verified.status, 200);
  const pending = await verifySignIn(authenticator.get(await signInOptions()));
  assert.equal(pending.status, 200);
  assert.equal(pending.body.mfa_required, true);
  assert.equal(pending.body.access_token, undefined);
  // With user verification the passkey is both factors: no TOTP step.
  authenticator.uv = true;
  const direct = await verifySignIn(authenticator.get(await signInOptions()));
  assert.equal(direct.body.mfa_required, undefined);
  assert.equal(claims(direct.body.access_token).aal, 'aal2');
});

test('malformed answers: missing credential, bad base64url, broken CBOR, unsupported algorithm, id mismatch', async () => {
  const user = await signup(server.base);
  const reg = (credential) => post('/auth/passkeys/registration/verify', { credential }, user.access_token);
  assert.equal((await post('/auth/passkeys/registration/verify', {}, user.access_token)).body.error, 'validation_failed');
  assert.equal((await post('/auth/passkeys/registration/verify', { credential: 'x' }, user.access_token)).body.error, 'validation_failed');
  const authenticator = new SoftAuthenticator({ origin });
  const good = authenticator.create(await registrationOptions(user));
  const cases = [
    [{ ...good, type: 'password' }, 'passkey_response_invalid'],
    [{ ...good, rawId: 'AAAA' }, 'passkey_response_invalid'],
    [{ ...good, response: { ...good.response, clientDataJSON: '***' } }, 'passkey_response_invalid'],
    [{ ...good, response: { ...good.response, attestationObject: undefined } }, 'passkey_response_invalid'],
  ];
  for (const [credential, error] of cases) {
    const answer = await reg(credential);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, error, JSON.stringify(credential).slice(0, 200));
  }
  const broken = await reg(authenticator.create(await registrationOptions(user), { attestationObject: Buffer.from([0xbf, 0x61]) }));
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error, 'cbor_invalid');
  const noneWithStatement = await reg(authenticator.create(await registrationOptions(user), { attStmt: { sig: Buffer.alloc(8) } }));
  assert.equal(noneWithStatement.status, 400);
  const es384 = await reg(authenticator.create(await registrationOptions(user), { coseAlg: -35 }));
  assert.equal(es384.body.error, 'passkey_algorithm_unsupported');
  const oversized = await post('/auth/passkeys/authentication/verify',
    { credential: { ...good, response: { ...good.response, clientDataJSON: 'A'.repeat(40000) } } });
  assert.ok([400, 413].includes(oversized.status));
  // None of it stored anything.
  assert.deepEqual((await call(server.base, 'GET', '/auth/passkeys', { token: user.access_token })).body.passkeys, []);
});

test('a credential ID already registered (to anyone) is refused; registered ones are excluded in new options', async () => {
  const { user, authenticator, passkey } = await userWithPasskey();
  const options = await registrationOptions(user);
  assert.deepEqual(options.excludeCredentials.map((c) => c.id), [passkey.credential_id]);
  const other = await signup(server.base);
  const sameId = authenticator.create(await registrationOptions(other), { credentialId: authenticator.credentials[0].id });
  const taken = await post('/auth/passkeys/registration/verify', { credential: sameId }, other.access_token);
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error, 'passkey_exists');
  // The first owner still signs in with it.
  assert.equal((await verifySignIn(authenticator.get(await signInOptions(), {}, authenticator.credentials[0]))).status, 200);
});

test('list, rename and delete (with the proof); the last way to sign in stays', async () => {
  const { user, passkey } = await userWithPasskey();
  const token = user.access_token;
  const listed = await call(server.base, 'GET', '/auth/passkeys', { token });
  assert.deepEqual(listed.body.passkeys.map((p) => p.id), [passkey.id]);
  const renamed = await call(server.base, 'PATCH', `/auth/passkeys/${passkey.id}`, { token, json: { name: 'Phone' } });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.name, 'Phone');
  assert.equal((await call(server.base, 'PATCH', `/auth/passkeys/${passkey.id}`, { token, json: { name: '' } })).status, 400);
  assert.equal((await call(server.base, 'PATCH', `/auth/passkeys/${passkey.id}`, { token, json: { name: '   ' } })).status, 400);
  assert.equal((await call(server.base, 'PATCH', `/auth/passkeys/${passkey.id}`, { token, json: { name: ' Tablet ' } })).body.name, 'Tablet');
  const missing = await call(server.base, 'PATCH', '/auth/passkeys/00000000-0000-4000-8000-000000000000', { token, json: { name: 'x' } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error, 'passkey_not_found');
  const noProof = await call(server.base, 'DELETE', `/auth/passkeys/${passkey.id}`, { token });
  assert.equal(noProof.status, 403);
  const other = await userWithPasskey();
  const foreign = await call(server.base, 'DELETE', `/auth/passkeys/${other.passkey.id}`, { token, json: { current_password: goodPassword } });
  assert.equal(foreign.status, 404);
  const removed = await call(server.base, 'DELETE', `/auth/passkeys/${passkey.id}`, { token, json: { current_password: goodPassword } });
  assert.equal(removed.status, 204);
  assert.deepEqual((await call(server.base, 'GET', '/auth/passkeys', { token })).body.passkeys, []);
});

test('a passkey-only account cannot delete its last passkey', async () => {
  // Accounts without a password come from social sign-in; here the password
  // row is taken out in the database, which is what such an account has.
  const { user, passkey, authenticator } = await userWithPasskey();
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', server.database, `DELETE FROM credentials WHERE user_id = '${user.user.id}' AND type = 'password'`]);
  const signedIn = await verifySignIn(authenticator.get(await signInOptions()));
  const last = await call(server.base, 'DELETE', `/auth/passkeys/${passkey.id}`, { token: signedIn.body.access_token });
  assert.equal(last.status, 409);
  assert.equal(last.body.error, 'last_sign_in_method');
});

test('administrators list and delete a user\'s passkeys; others may not', async () => {
  const { user, passkey } = await userWithPasskey();
  const adminEmail = uniqueEmail('admin');
  const added = server.cli(['user', 'add', adminEmail, '--admin'], `${goodPassword}\n`);
  assert.equal(added.status, 0, added.stderr);
  const admin = (await post('/auth/login', { email: adminEmail, password: goodPassword })).body;
  const path = `/admin/users/${user.user.id}/passkeys`;
  const listed = await call(server.base, 'GET', path, { token: admin.access_token });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.passkeys.map((p) => p.id), [passkey.id]);
  assert.equal((await call(server.base, 'GET', path, { token: user.access_token })).status, 403);
  const removed = await call(server.base, 'DELETE', `${path}/${passkey.id}`, { token: admin.access_token });
  assert.equal(removed.status, 204);
  assert.deepEqual((await call(server.base, 'GET', path, { token: admin.access_token })).body.passkeys, []);
});

test('serve refuses relying party settings browsers would reject', () => {
  const run = (args) => spawnSync(binary, ['serve', '--port', '0', '--database', ':memory:', ...args], { encoding: 'utf8', timeout: 10000 });
  const ip = run(['--webauthn-rp-id', '127.0.0.1']);
  assert.equal(ip.status, 2, ip.stderr);
  assert.match(ip.stderr, /webauthn-rp-id/);
  const outside = run(['--webauthn-rp-id', 'example.com', '--webauthn-origin', 'https://example.org']);
  assert.equal(outside.status, 2);
  assert.match(outside.stderr, /not on the relying party ID 'example.com'/);
  const withPath = run(['--webauthn-origin', 'https://example.com/app']);
  assert.equal(withPath.status, 2);
  assert.match(withPath.stderr, /webauthn-origin/);
  const topLevel = run(['--webauthn-rp-id', 'com', '--webauthn-origin', 'https://example.com']);
  assert.equal(topLevel.status, 2);
  const insecure = run(['--webauthn-rp-id', 'example.com', '--webauthn-origin', 'http://app.example.com']);
  assert.equal(insecure.status, 2);
  assert.match(insecure.stderr, /only on https pages/);
  // Only the RP ID given: the origin the public URL implies is named as such.
  const derived = run(['--webauthn-rp-id', 'example.com']);
  assert.equal(derived.status, 2);
  assert.match(derived.stderr, /the public URL's origin 'http:\/\/localhost:\d+' \(set --webauthn-origin\)/);
});

test('a deployment\'s settings: RP ID a parent domain, several origins', async () => {
  const deployed = await startServer([...noLimits, '--webauthn-rp-id', 'example.com',
    // A default port written out is what browsers leave off: it must still match.
    '--webauthn-origin', 'https://app.example.com:443', '--webauthn-origin', 'https://example.com']);
  try {
    const user = await signup(deployed.base);
    const options = (await call(deployed.base, 'POST', '/auth/passkeys/registration/options',
      { token: user.access_token, json: { current_password: goodPassword } })).body;
    assert.equal(options.rp.id, 'example.com');
    const authenticator = new SoftAuthenticator({ origin: 'https://app.example.com', rpId: 'example.com' });
    const registered = await call(deployed.base, 'POST', '/auth/passkeys/registration/verify',
      { token: user.access_token, json: { credential: authenticator.create(options) } });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const signInOpts = (await call(deployed.base, 'POST', '/auth/passkeys/authentication/options', { json: {} })).body;
    authenticator.origin = 'https://example.com';
    const signedIn = await call(deployed.base, 'POST', '/auth/passkeys/authentication/verify',
      { json: { credential: authenticator.get(signInOpts) } });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    // The server's own loopback origin is not in the list now.
    authenticator.origin = `http://localhost:${deployed.port}`;
    const local = await call(deployed.base, 'POST', '/auth/passkeys/authentication/verify', { json: {
      credential: authenticator.get((await call(deployed.base, 'POST', '/auth/passkeys/authentication/options', { json: {} })).body) } });
    assert.equal(local.body.error, 'passkey_origin_invalid');
  } finally {
    await deployed.stop();
  }
});
