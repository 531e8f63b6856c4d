// Offline verification of the server's own tokens, with a static JWKS and
// with jwksUrl, compared with the server's verdict on the same tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { init, createVerifier, decodeToken, signJwt, generateEd25519Jwk, publicJwk, AuthError } from '../../wasm/js/index.js';
import { startServer, call, signup } from './helpers.mjs';

let server;
let jwks;
let user;

before(async () => {
  await init({ tools: true });
  server = await startServer(['--rate-signup', 'off']);
  jwks = (await call(server.base, 'GET', '/.well-known/jwks.json')).body;
  user = await signup(server.base);
});
after(() => server?.stop());

const issuer = () => decodeToken(user.access_token).claims.iss;
const audience = () => decodeToken(user.access_token).claims.aud;

function tamper(token) {
  const at = token.length - 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

test('decodeToken reads the header and claims without verifying', () => {
  const { header, claims } = decodeToken(user.access_token);
  assert.equal(header.alg, 'EdDSA');
  assert.equal(header.typ, 'at+jwt');
  assert.equal(claims.email, user.user.email);
  assert.deepEqual(decodeToken(tamper(user.access_token)).claims, claims);
  for (const bad of ['', 'a.b', 'a.b.c', '!!.e30.x', 42]) {
    assert.throws(() => decodeToken(bad), (e) => e instanceof AuthError && e.code === 'token_malformed');
  }
});

test('server tokens verify offline; tampered, expired, wrong issuer and audience are refused', () => {
  const claims = decodeToken(user.access_token).claims;
  const verifier = createVerifier({ jwks, issuer: issuer(), audience: audience(), leewaySeconds: 0, typ: 'at+jwt' });
  try {
    const ok = verifier.verify(user.access_token);
    assert.equal(ok.valid, true);
    assert.equal(ok.claims.sub, user.user.id);
    assert.deepEqual(verifier.verify(tamper(user.access_token)), { valid: false, code: 'token_signature_invalid' });
    assert.deepEqual(verifier.verify(user.access_token, claims.exp + 1), { valid: false, code: 'token_expired' });
  } finally {
    verifier.dispose();
  }
  const wrongIssuer = createVerifier({ jwks, issuer: 'https://elsewhere.example', audience: audience() });
  const wrongAudience = createVerifier({ jwks, issuer: issuer(), audience: 'another-app' });
  try {
    assert.deepEqual(wrongIssuer.verify(user.access_token), { valid: false, code: 'token_issuer_invalid' });
    assert.deepEqual(wrongAudience.verify(user.access_token), { valid: false, code: 'token_audience_invalid' });
  } finally {
    wrongIssuer.dispose();
    wrongAudience.dispose();
  }
  // A token signed by a key the server never published.
  const foreign = signJwt(generateEd25519Jwk(), { ...claims });
  const verifier2 = createVerifier({ jwks, issuer: issuer(), audience: audience() });
  try {
    assert.deepEqual(verifier2.verify(foreign), { valid: false, code: 'token_key_not_found' });
  } finally {
    verifier2.dispose();
  }
});

test('the verdicts equal the server\'s own on the same tokens', async () => {
  const claims = decodeToken(user.access_token).claims;
  const key = generateEd25519Jwk();
  const sameKid = { ...key, kid: decodeToken(user.access_token).header.kid };
  const tokens = {
    good: user.access_token,
    tampered: tamper(user.access_token),
    foreignKey: signJwt(key, claims),
    // Signed by another key under the server's kid: the signature must fail.
    forgedKid: signJwt(sameKid, claims),
    garbage: 'not.a.token',
  };
  const verifier = createVerifier({ jwks, issuer: issuer(), audience: audience(), typ: 'at+jwt' });
  try {
    for (const [name, token] of Object.entries(tokens)) {
      const offline = verifier.verify(token);
      const online = await call(server.base, 'GET', '/auth/me', { token });
      assert.equal(offline.valid, online.status === 200, `${name}: offline ${JSON.stringify(offline)} vs server ${online.status}`);
      if (!offline.valid) assert.equal(online.body.error, offline.code, `${name}: same code`);
    }
  } finally {
    verifier.dispose();
  }
});

test('jwksUrl: verify returns a promise; the keys come from the server and are cached', async () => {
  const verifier = createVerifier({ jwksUrl: `${server.base}/.well-known/jwks.json`, issuer: issuer(), audience: audience() });
  try {
    const pending = verifier.verify(user.access_token);
    assert.ok(pending instanceof Promise);
    assert.equal((await pending).valid, true);
    assert.deepEqual(await verifier.verify(tamper(user.access_token)), { valid: false, code: 'token_signature_invalid' });
    for (let i = 0; i < 20; i++) assert.equal((await verifier.verify(user.access_token)).valid, true);
    assert.equal(verifier.fetchCount, 1);
  } finally {
    verifier.dispose();
  }
  assert.throws(() => createVerifier({ jwksUrl: 'http://x', jwks }), (e) => e.code === 'verifier_config_invalid');
  assert.throws(() => createVerifier({ jwksUrl: 'http://x', algorithms: ['none'] }), (e) => e.code === 'verifier_config_invalid');
});

test('verifier_config_invalid names the option (as JS spells it) and the reason', () => {
  const refusal = (options, code = 'verifier_config_invalid') => {
    try {
      createVerifier(options).dispose();
    } catch (error) {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, code);
      return { message: error.message, ...error.details };
    }
    assert.fail(`accepted: ${JSON.stringify(options)}`);
  };
  let r = refusal({ jwks, audiences: ['latchkey'] });
  assert.equal(r.option, 'audiences');
  assert.equal(r.message, 'createVerifier: option "audiences" is not an option; did you mean "audience"?');
  r = refusal({ jwks, algorithms: ['EdDSA', 'RS384'] });
  assert.equal(r.option, 'algorithms');
  assert.match(r.reason, /^"RS384" is not supported; supported: EdDSA, HS256, RS256, PS256, ES256$/);
  assert.match(refusal({ jwks, algorithms: ['none'] }).reason, /never accepted/);
  // JS option names in, JS option names out.
  r = refusal({ jwks, leewaySeconds: 90000 });
  assert.equal(r.option, 'leewaySeconds');
  assert.match(r.reason, /from 0 to 86400, not 90000/);
  assert.equal(refusal({ jwks, leeway_second: 5 }).reason, 'is not an option; did you mean "leewaySeconds"?');
  assert.equal(refusal({ jwks, maxTokenBytes: 0 }).option, 'maxTokenBytes');
  assert.equal(refusal({ jwks, typ: '' }).option, 'typ');
  assert.equal(refusal({ jwks, issuer: 42 }).reason, 'must be a non-empty string, not 42');
  // A key error keeps its own code, and still names the option.
  assert.equal(refusal({ jwks: { keys: 'none' } }, 'jwk_invalid').option, 'jwks');
  assert.match(refusal({ jwksUrl: 'http://127.0.0.1:1/jwks', jwks }).message, /"jwks" excludes "jwksUrl"/);
  assert.equal(refusal({ jwksUrl: 'http://127.0.0.1:1/jwks', audiences: 'x' }).option, 'audiences');
});

// A small JWKS endpoint of our own whose keys and headers the test controls.
async function jwksEndpoint() {
  const state = { jwks: { keys: [] }, hits: 0, cacheControl: 'max-age=300' };
  const http = createServer((req, res) => {
    state.hits += 1;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': state.cacheControl });
    res.end(JSON.stringify(state.jwks));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${http.address().port}/jwks.json`;
  state.close = () => new Promise((resolve) => http.close(resolve));
  return state;
}

test('an unknown kid refetches at most once per cooldown, even under a storm', async () => {
  const endpoint = await jwksEndpoint();
  let clock = Date.now();
  const oldKey = generateEd25519Jwk();
  const newKey = generateEd25519Jwk();
  endpoint.jwks = { keys: [publicJwk(oldKey)] };
  const verifier = createVerifier({ jwksUrl: endpoint.url, now: () => clock, cooldownMs: 30_000 });
  const exp = Math.floor(clock / 1000) + 600;
  try {
    assert.equal((await verifier.verify(signJwt(oldKey, { exp }))).valid, true);
    assert.equal(endpoint.hits, 1);
    // Key rotation: a token under the new kid triggers one refetch for all concurrent callers.
    endpoint.jwks = { keys: [publicJwk(oldKey), publicJwk(newKey)] };
    clock += 31_000;
    const fresh = signJwt(newKey, { exp });
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(fresh)));
    assert.ok(verdicts.every((v) => v.valid));
    assert.equal(endpoint.hits, 2);
    // A storm of forged kids within the cooldown: no fetch at all.
    const forged = Array.from({ length: 50 }, () => signJwt(generateEd25519Jwk(), { exp }));
    const refused = await Promise.all(forged.map((t) => verifier.verify(t)));
    assert.ok(refused.every((v) => !v.valid && v.code === 'token_key_not_found'));
    assert.equal(endpoint.hits, 2);
    // After the cooldown, one more refetch (shared by concurrent misses), then quiet again.
    clock += 31_000;
    await Promise.all(forged.slice(0, 10).map((t) => verifier.verify(t)));
    assert.equal(endpoint.hits, 3);
  } finally {
    verifier.dispose();
    await endpoint.close();
  }
});

test('the JWKS is refetched after its max-age, not before', async () => {
  const endpoint = await jwksEndpoint();
  let clock = Date.now();
  const key = generateEd25519Jwk();
  endpoint.jwks = { keys: [publicJwk(key)] };
  endpoint.cacheControl = 'public, max-age=60';
  const verifier = createVerifier({ jwksUrl: endpoint.url, now: () => clock });
  const token = signJwt(key, { exp: Math.floor(clock / 1000) + 3600 });
  try {
    await verifier.verify(token);
    clock += 59_000;
    await verifier.verify(token);
    assert.equal(endpoint.hits, 1);
    clock += 2_000;
    await verifier.verify(token);
    assert.equal(endpoint.hits, 2);
  } finally {
    verifier.dispose();
    await endpoint.close();
  }
});

test('an unreachable JWKS rejects with network_error', async () => {
  const verifier = createVerifier({ jwksUrl: 'http://127.0.0.1:9/jwks.json' });
  await assert.rejects(verifier.verify('a.b.c'), (e) => e instanceof AuthError && e.code === 'network_error');
  verifier.dispose();
});
