// The package's passkeys against a live `latchkey serve`, in Node with a
// stand-in for the browser's WebAuthn API: navigator.credentials and
// PublicKeyCredential backed by the tests' software authenticator. The
// stand-in speaks ArrayBuffers and has no parse…FromJSON or toJSON(), so
// the package's own base64url conversions are what the server receives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { init, AuthClient, AuthError, decodeToken } from '../../wasm/js/index.js';
import { startServer, uniqueEmail, goodPassword, recordEvents } from './helpers.mjs';
import { SoftAuthenticator } from '../support/authenticator.mjs';

let server;
let authenticator;
let cancelNext = false;
const b64u = (buffer) => Buffer.from(buffer).toString('base64url');
const buffer = (text) => { const b = Buffer.from(text, 'base64url'); return b.buffer.slice(b.byteOffset, b.byteOffset + b.length); };

// What a browser hands back: binary members as ArrayBuffers.
function asBrowserCredential(json) {
  const response = Object.fromEntries(Object.entries(json.response).map(([key, value]) =>
    [key, key === 'transports' ? value : buffer(value)]));
  if (json.response.transports) response.getTransports = () => json.response.transports;
  delete response.transports;
  return { id: json.id, rawId: buffer(json.rawId), type: json.type, authenticatorAttachment: 'platform',
    getClientExtensionResults: () => ({}), response };
}

// The options the page passed, back to the JSON the authenticator takes.
const optionsJson = (publicKey) => ({ ...publicKey, challenge: b64u(publicKey.challenge),
  user: publicKey.user && { ...publicKey.user, id: b64u(publicKey.user.id) } });

before(async () => {
  await init();
  server = await startServer(['--rate-login-ip', 'off', '--rate-login-account', 'off']);
  authenticator = new SoftAuthenticator({ origin: `http://localhost:${server.port}` });
  globalThis.PublicKeyCredential = function PublicKeyCredential() {};
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { credentials: {
    async create({ publicKey }) {
      assert.ok(publicKey.challenge instanceof ArrayBuffer && publicKey.user.id instanceof ArrayBuffer);
      return asBrowserCredential(authenticator.create(optionsJson(publicKey)));
    },
    async get({ publicKey }) {
      if (cancelNext) {
        cancelNext = false;
        throw new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');
      }
      for (const allowed of publicKey.allowCredentials) assert.ok(allowed.id instanceof ArrayBuffer);
      return asBrowserCredential(authenticator.get(optionsJson(publicKey)));
    },
  } } });
});
after(async () => {
  delete globalThis.PublicKeyCredential;
  await server?.stop();
});

test('register, list, sign in without and with an email (SIGNED_IN, amr webauthn), rename, remove', async () => {
  const email = uniqueEmail('pkg-passkey');
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await client.signup({ email, password: goodPassword });
  await assert.rejects(client.passkeys.register({ name: 'Laptop' }),
    (error) => error instanceof AuthError && error.code === 'reauthentication_required');
  const passkey = await client.passkeys.register({ name: 'Laptop', currentPassword: goodPassword });
  assert.equal(passkey.name, 'Laptop');
  assert.deepEqual((await client.passkeys.list()).map((p) => p.id), [passkey.id]);

  const fresh = new AuthClient({ baseUrl: server.base, autoRefresh: false, storageKey: 'other' });
  const events = recordEvents(fresh);
  const { session } = await fresh.signInWithPasskey();
  assert.deepEqual(decodeToken(session.access_token).claims.amr, ['webauthn']);
  assert.equal(session.user.email, email);
  assert.ok(events.some((e) => e.event === 'SIGNED_IN'));
  const byEmail = await fresh.signInWithPasskey({ email });
  assert.equal(byEmail.session.user.email, email);

  assert.equal((await fresh.passkeys.rename(passkey.id, 'Work laptop')).name, 'Work laptop');
  await fresh.passkeys.remove(passkey.id, { currentPassword: goodPassword });
  assert.deepEqual(await fresh.passkeys.list(), []);
  await assert.rejects(fresh.signInWithPasskey(),
    (error) => error instanceof AuthError && error.code === 'passkey_not_recognized' && error.status === 401);
});

test('a dismissed prompt is passkey_cancelled; no WebAuthn is passkeys_unsupported', async () => {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false, storageKey: 'cancel' });
  cancelNext = true;
  await assert.rejects(client.signInWithPasskey(), (error) => error instanceof AuthError && error.code === 'passkey_cancelled');
  const saved = globalThis.PublicKeyCredential;
  delete globalThis.PublicKeyCredential;
  try {
    await assert.rejects(client.signInWithPasskey(), (error) => error.code === 'passkeys_unsupported');
    await assert.rejects(client.passkeys.register(), (error) => error.code === 'passkeys_unsupported');
  } finally {
    globalThis.PublicKeyCredential = saved;
  }
});

test('offline checks: the package decides a registration and an assertion as the server does', async () => {
  const { verifyPasskeyRegistration, verifyPasskeyAssertion, loadPk } = await import('../../wasm/js/index.js');
  const rp = { id: 'localhost', origins: [`http://localhost:${server.port}`] };
  const challenge = Buffer.alloc(32, 3).toString('base64url');
  const offline = new SoftAuthenticator({ origin: rp.origins[0], counter: 7 });
  const created = offline.create({ challenge, user: { id: Buffer.from('user-1').toString('base64url') } });
  assert.throws(() => verifyPasskeyRegistration(created, { rp, challenge }), (error) => error.code === 'not_initialized');
  await loadPk();
  const registration = verifyPasskeyRegistration(created, { rp, challenge });
  assert.equal(registration.credential_id, created.id);
  assert.equal(registration.algorithm, -7);
  assert.equal(registration.sign_count, 7);
  assert.throws(() => verifyPasskeyRegistration(created, { rp: { ...rp, origins: ['https://elsewhere.example'] }, challenge }),
    (error) => error instanceof AuthError && error.code === 'passkey_origin_invalid');
  const stored = { public_key: registration.public_key, sign_count: registration.sign_count, backup_eligible: false };
  const assertion = verifyPasskeyAssertion(offline.get({ challenge }), { stored, rp, challenge });
  assert.equal(assertion.sign_count, 8);
  assert.equal(assertion.user_verified, true);
  assert.throws(() => verifyPasskeyAssertion(offline.get({ challenge }, { counter: 3 }), { stored: { ...stored, sign_count: 8 }, rp, challenge }),
    (error) => error.code === 'passkey_counter_regressed');
});
