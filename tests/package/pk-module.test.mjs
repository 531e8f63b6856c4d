// The pk module (issue 16): RS256, PS256 and ES256, the algorithms OpenID
// providers sign ID tokens with, verify in a wasm module of their own, loaded
// only by a verifier that allows them. Tokens here are signed by node:crypto,
// an implementation independent of the one verifying them (mbedTLS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { repoRoot } from './helpers.mjs';

// A fresh Node process each, so that no other test has loaded the pk module.
function run(script) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PRELUDE + script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

// Keys and a token signer on node:crypto.
const PRELUDE = `
import * as lk from './wasm/js/index.js';
import { loadedPk } from './wasm/js/core.js';
import { generateKeyPairSync, sign, constants } from 'node:crypto';
const issuer = 'https://idp.example.test', audience = 'client-1', now = Math.floor(Date.now() / 1000);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwks = { keys: [
  { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
  { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256' },
] };
const b64u = (x) => Buffer.from(x).toString('base64url');
function token(alg, kid, claims = {}) {
  const input = b64u(JSON.stringify({ alg: alg.replace('-DER', ''), kid, typ: 'JWT' })) + '.' + b64u(JSON.stringify({ iss: issuer, aud: audience, sub: 'u1', iat: now, exp: now + 300, nonce: 'n', ...claims }));
  const data = Buffer.from(input);
  const sig = alg === 'RS256' ? sign('sha256', data, rsa.privateKey)
    : alg === 'PS256' ? sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign('sha256', data, { key: ec.privateKey, dsaEncoding: alg === 'ES256-DER' ? 'der' : 'ieee-p1363' });
  return input + '.' + b64u(sig);
}
const tamper = (t) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);
`;

test('a static verifier with RS256 needs the pk module loaded; then it verifies node:crypto-signed RS256, PS256 and ES256 tokens', () => {
  const out = run(`
await lk.init();
let refused;
try { lk.createVerifier({ jwks, algorithms: ['RS256'], issuer, audience }); } catch (e) { refused = { code: e.code, message: e.message }; }
const loadedBefore = loadedPk() !== null;
const eddsa = lk.createVerifier({ jwks }).verify(token('RS256', 'rsa-1')).code; // EdDSA-only: the core module answers
const stillNotLoaded = loadedPk() === null;
await lk.loadPk();
const v = lk.createVerifier({ jwks, algorithms: ['RS256', 'PS256', 'ES256'], issuer, audience });
const verdict = (t) => { const r = v.verify(t); return r.valid ? 'ok:' + r.claims.sub : r.code; };
console.log(JSON.stringify({
  refused, loadedBefore, eddsa, stillNotLoaded,
  rs: verdict(token('RS256', 'rsa-1')), ps: verdict(token('PS256', 'rsa-1')), es: verdict(token('ES256', 'ec-1')),
  rsTampered: verdict(tamper(token('RS256', 'rsa-1'))), esDer: verdict(token('ES256-DER', 'ec-1')),
  rsWithEcKid: verdict(token('RS256', 'ec-1')), expired: verdict(token('ES256', 'ec-1', { exp: now - 3600 })),
  wrongIssuer: verdict(token('RS256', 'rsa-1', { iss: 'https://evil.test' })),
  rsOnly: lk.createVerifier({ jwks, algorithms: ['RS256'] }).verify(token('ES256', 'ec-1')).code,
}));
`);
  assert.equal(out.refused.code, 'not_initialized');
  assert.match(out.refused.message, /pk module, loaded on demand: call and await init\(\{ pk: true \}\) \(or loadPk\(\)\)/);
  assert.equal(out.loadedBefore, false);
  assert.equal(out.eddsa, 'token_algorithm_not_allowed');
  assert.equal(out.stillNotLoaded, true, 'an EdDSA verifier does not load the pk module');
  assert.equal(out.rs, 'ok:u1');
  assert.equal(out.ps, 'ok:u1');
  assert.equal(out.es, 'ok:u1');
  assert.equal(out.rsTampered, 'token_signature_invalid');
  assert.equal(out.esDer, 'token_signature_invalid');
  assert.equal(out.rsWithEcKid, 'token_key_not_found');
  assert.equal(out.expired, 'token_expired');
  assert.equal(out.wrongIssuer, 'token_issuer_invalid');
  assert.equal(out.rsOnly, 'token_algorithm_not_allowed');
});

test('a jwksUrl verifier allowing ES256 loads the pk module on demand, and only it', () => {
  const out = run(`
await lk.init();
let fetches = 0;
const fetch = async () => { fetches++; return new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }); };
const plain = lk.createVerifier({ jwksUrl: 'https://idp.example.test/jwks', fetch });
const plainVerdict = (await plain.verify(token('ES256', 'ec-1'))).code;
const afterEddsa = loadedPk() !== null;
// Created before the pk module is there: a bad option fails at the first verify.
let badOption;
const bad = lk.createVerifier({ jwksUrl: 'https://idp.example.test/jwks', fetch, algorithms: ['RS256'], audiences: 'x' });
try { await bad.verify(token('RS256', 'rsa-1')); } catch (e) { badOption = e.code; }
const v = lk.createVerifier({ jwksUrl: 'https://idp.example.test/jwks', fetch, algorithms: ['RS256', 'ES256'], issuer, audience });
const es = await v.verify(token('ES256', 'ec-1'));
const rs = await v.verify(token('RS256', 'rsa-1'));
console.log(JSON.stringify({ plainVerdict, afterEddsa, es: es.valid && es.claims.nonce, rs: rs.valid, loaded: loadedPk() !== null, badOption }));
`);
  assert.equal(out.plainVerdict, 'token_algorithm_not_allowed');
  assert.equal(out.afterEddsa, false, 'an EdDSA jwksUrl verifier does not load the pk module');
  assert.equal(out.es, 'n');
  assert.equal(out.rs, true);
  assert.equal(out.loaded, true);
  assert.equal(out.badOption, 'verifier_config_invalid', 'a bad option still fails (at the first verify)');
});

test('the core module has no RSA or EC code: it refuses RS256 and skips RSA keys', () => {
  const out = run(`
import { ready } from './wasm/js/core.js';
await lk.init();
const handle = new (ready().VerifierHandle)(JSON.stringify({ algorithms: ['RS256'], jwks }));
const refused = { status: handle.status(), problem: JSON.parse(handle.problem()) };
handle.delete();
let thumbprint;
try { lk.jwkThumbprint(jwks.keys[0]); } catch (e) { thumbprint = e.code; }
console.log(JSON.stringify({ refused, thumbprint }));
`);
  assert.equal(out.refused.status, 'verifier_config_invalid');
  assert.match(out.refused.problem.reason, /^"RS256" is not supported/); // the package sends it to the pk module
  assert.equal(out.thumbprint, 'jwk_unsupported');
});
