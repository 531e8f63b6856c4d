// The JS entry as a package user calls it, and agreement with the native
// build on tokens, password hashes and the error table.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as latchkey from '../../wasm/js/index.js';
import { latchkeyCli } from './helpers.mjs';

const { init, createVerifier, signJwt, generateEd25519Jwk, publicJwk, hashPassword, verifyPassword, needsRehash, errorTable, AuthError } = latchkey;
const cheap = { iterations: 1, memoryKib: 8192 };
const now = Math.floor(Date.now() / 1000);

before(() => init({ tools: true }));

test('init is idempotent and calls before it fail with a typed error', async () => {
  assert.equal(init(), init());
  // A second instance of the loader module: nothing loaded yet.
  const fresh = await import('../../wasm/js/core.js?before-init');
  assert.throws(() => fresh.ready(), (e) => e instanceof AuthError && e.code === 'not_initialized');
  await fresh.init();
  assert.ok(JSON.parse(fresh.ready().errorTable()).length > 10);
});

test('sign and verify round trip with the verifier policy applied', () => {
  const key = generateEd25519Jwk();
  assert.equal(key.kty, 'OKP');
  const token = signJwt(key, { iss: 'https://auth.test', aud: 'app', sub: 'u1', exp: now + 60, role: 'user' });
  const verifier = createVerifier({ algorithms: ['EdDSA'], jwks: { keys: [publicJwk(key)] }, issuer: 'https://auth.test', audience: 'app', typ: 'at+jwt' });
  try {
    const ok = verifier.verify(token);
    assert.equal(ok.valid, true);
    assert.equal(ok.claims.role, 'user');
    assert.equal(ok.header.kid, key.kid);
    assert.deepEqual(verifier.verify(token, now + 61 + 60), { valid: false, code: 'token_expired' });
    // Change one signature character well inside the last part (always a different value).
    const at = token.length - 10;
    const tampered = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    assert.deepEqual(verifier.verify(tampered), { valid: false, code: 'token_signature_invalid' });
    assert.deepEqual(verifier.verify(undefined), { valid: false, code: 'token_malformed' });
    assert.deepEqual(verifier.verify(''), { valid: false, code: 'token_malformed' });
  } finally {
    verifier.dispose();
  }
  assert.throws(() => verifier.verify(token), AuthError);
  verifier.dispose(); // twice is harmless
});

test('invalid configs and keys throw AuthError with the core code', () => {
  const code = (config) => {
    try {
      createVerifier(config).dispose();
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof AuthError);
      return e.code;
    }
  };
  const jwks = { keys: [publicJwk(generateEd25519Jwk())] };
  assert.equal(code({ algorithms: ['EdDSA'], jwks }), 'ok');
  assert.equal(code({ algorithms: ['none'], jwks }), 'verifier_config_invalid');
  assert.equal(code({ algorithms: [], jwks }), 'verifier_config_invalid');
  assert.equal(code({ algorithms: ['EdDSA'] }), 'verifier_config_invalid');
  assert.equal(code({ algorithms: ['EdDSA'], jwks, leeway_seconds: -5 }), 'verifier_config_invalid');
  assert.equal(code({ algorithms: ['HS256'], jwks: { keys: [{ kty: 'oct', k: 'c2hvcnQ' }] } }), 'key_too_short');
  assert.equal(code({ algorithms: ['EdDSA'], jwks: { keys: [generateEd25519Jwk()] } }), 'jwk_invalid');
  assert.throws(() => signJwt(publicJwk(generateEd25519Jwk()), { exp: now }), (e) => e.code === 'invalid_argument');
  assert.throws(() => signJwt({ kty: 'oct', k: 'c2hvcnQ' }, { exp: now }), (e) => e.code === 'key_too_short');
});

test('tokens cross between the native CLI and wasm in both directions', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-wasm-'));
  try {
    const keyFile = path.join(dir, 'key.json');
    const key = generateEd25519Jwk();
    writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
    const jwksFile = path.join(dir, 'jwks.json');
    writeFileSync(jwksFile, JSON.stringify({ keys: [publicJwk(key)] }));

    // Native signs, wasm verifies.
    const signed = latchkeyCli(['token', 'sign', '--key', keyFile, '--sub', 'alice', '--aud', 'app', '--iss', 'https://auth.test']);
    assert.equal(signed.status, 0, signed.stderr);
    const nativeToken = signed.stdout.trim();
    const verifier = createVerifier({ algorithms: ['EdDSA'], jwks: { keys: [publicJwk(key)] }, audience: 'app', issuer: 'https://auth.test' });
    assert.equal(verifier.verify(nativeToken).claims.sub, 'alice');
    verifier.dispose();

    // Wasm signs, native verifies; refusals carry the same code.
    const wasmToken = signJwt(key, { sub: 'bob', aud: 'app', exp: now + 120 });
    const verify = (token, extra) => latchkeyCli(['token', 'verify', '--jwks', jwksFile, ...extra, token]);
    assert.equal(verify(wasmToken, ['--aud', 'app']).status, 0);
    const expired = verify(wasmToken, ['--aud', 'app', '--now', String(now + 3600)]);
    assert.equal(expired.status, 1);
    assert.equal(JSON.parse(expired.stderr).error, 'token_expired');
    assert.equal(JSON.parse(verify(wasmToken, ['--aud', 'other']).stderr).error, 'token_audience_invalid');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Argon2id hashes cross between wasm and native', () => {
  const wasmHash = hashPassword('correct horse', cheap);
  assert.match(wasmHash, /^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);
  assert.equal(verifyPassword(wasmHash, 'correct horse'), 'ok');
  assert.equal(verifyPassword(wasmHash, 'correct horsE'), 'password_mismatch');
  assert.equal(verifyPassword('not a hash', 'x'), 'password_hash_invalid');
  assert.equal(latchkeyCli(['hash', 'verify', wasmHash], 'correct horse\n').status, 0);
  assert.equal(latchkeyCli(['hash', 'verify', wasmHash], 'wrong\n').status, 1);

  const native = latchkeyCli(['hash', '--iterations', '1', '--memory-kib', '8192'], 'pässwörd 🔑\n');
  assert.equal(native.status, 0);
  assert.equal(verifyPassword(native.stdout.trim(), 'pässwörd 🔑'), 'ok');
  assert.equal(needsRehash(native.stdout.trim(), cheap), false);
  assert.equal(needsRehash(native.stdout.trim()), true);
  assert.throws(() => hashPassword('x', { iterations: 0, memoryKib: 8192 }), (e) => e.code === 'password_hash_params_invalid');
});

test('the default Argon2id cost (19 MiB) runs in wasm', () => {
  const hash = hashPassword('default cost');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(verifyPassword(hash, 'default cost'), 'ok');
});

test('the wasm error table is the native one', () => {
  const native = latchkeyCli(['errors']);
  assert.equal(native.status, 0);
  assert.deepEqual(errorTable(), JSON.parse(native.stdout));
});
