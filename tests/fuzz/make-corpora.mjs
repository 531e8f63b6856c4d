#!/usr/bin/env node
// Writes the seed corpus of every fuzz target from the test vectors:
//   node tests/fuzz/make-corpora.mjs OUTDIR
// gives OUTDIR/<target>/<sha1 of the seed>. Run at test time, never committed
// (small hand-made seeds and reproducers of past findings live in
// tests/fuzz/regressions/<target>/ and are replayed on every run).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const vectorsDir = join(here, '..', 'vectors');
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: make-corpora.mjs OUTDIR');
  process.exit(2);
}

const readJson = (...parts) => JSON.parse(readFileSync(join(vectorsDir, ...parts), 'utf8'));
const jwtCases = readJson('jwt-cases.json');
const rfc = readJson('rfc-vectors.json');
const strengthCorpus = readJson('strength-corpus.json');
const strengthMatchers = readJson('strength-matchers.json');
const wycheproofEddsa = readJson('wycheproof', 'eddsa_test.json');

const seeds = new Map(); // target -> Map(sha1 -> Buffer)
function add(target, value) {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  if (!seeds.has(target)) seeds.set(target, new Map());
  seeds.get(target).set(createHash('sha1').update(bytes).digest('hex'), bytes);
}

// base64url with no validation: the vectors include deliberately broken parts.
const b64decode = (s) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

// JWT cases: tokens, their parts, their decoded JSON, their configs and keys.
for (const c of jwtCases.cases) {
  add('jwt_verify', c.token);
  add('verifier_config', JSON.stringify(c.verifier));
  if (c.verifier && typeof c.verifier === 'object' && c.verifier.jwks) add('jwks', JSON.stringify(c.verifier.jwks));
  for (const key of c.verifier?.jwks?.keys ?? []) add('jwk', JSON.stringify(key));
  const parts = String(c.token).split('.');
  for (const part of parts) add('encoding', part);
  if (parts.length === 3) {
    const header = b64decode(parts[0]);
    const payload = b64decode(parts[1]);
    add('json', header);
    add('json', payload);
    add('jwt_claims', payload);
    add('jwt_claims', Buffer.concat([header, Buffer.from('\n'), payload]));
    try {
      const claims = JSON.parse(payload.toString('utf8'));
      if (typeof claims.email === 'string') add('account_rules', claims.email);
    } catch {
      // A deliberately broken payload: the JSON seed above is enough.
    }
  }
}
for (const key of Object.values(jwtCases.keys)) {
  add('jwk', JSON.stringify(key));
  add('encoding', key.x ?? key.k);
}
add('jwks', JSON.stringify({ keys: Object.values(jwtCases.keys) }));

// RFC known answers: JWKs, hex and base64url strings anywhere in them.
(function walk(value) {
  if (typeof value === 'string') {
    add('encoding', value);
  } else if (Array.isArray(value)) {
    value.forEach(walk);
  } else if (value && typeof value === 'object') {
    if (typeof value.kty === 'string') {
      add('jwk', JSON.stringify(value));
      add('jwks', JSON.stringify({ keys: [value] }));
    }
    Object.values(value).forEach(walk);
  }
})(rfc.vectors);
add('json', readFileSync(join(vectorsDir, 'strength-matchers.json')));

// Wycheproof Ed25519: a few key groups as JWKs (public, and with d).
for (const group of wycheproofEddsa.testGroups.slice(0, 8)) {
  add('jwk', JSON.stringify(group.jwk));
  const { d, ...publicJwk } = group.jwk;
  add('jwk', JSON.stringify(publicJwk));
  add('encoding', group.key.pk);
}

// Passkeys (tests/vectors/webauthn/cases.json): the CBOR inside attestation
// objects and COSE keys; for the webauthn target, each input's first byte
// picks what it is (see webauthn_fuzz.cc).
const webauthnCases = readJson('webauthn', 'cases.json');
const u16 = (n) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const withMode = (mode, bytes) => Buffer.concat([Buffer.from([mode]), bytes]);
// The authData byte string: the attestation object's last member in these vectors.
function authDataOf(attestation) {
  const at = attestation.indexOf(Buffer.from('hauthData'));
  if (at < 0) return null;
  let p = at + 9;
  const major = attestation[p];
  let length = 0;
  if (major >= 0x40 && major < 0x58) length = major - 0x40, p += 1;
  else if (major === 0x58) length = attestation[p + 1], p += 2;
  else if (major === 0x59) length = attestation.readUInt16BE(p + 1), p += 3;
  else return null;
  return attestation.subarray(p, p + length);
}
for (const c of webauthnCases.cases) {
  const r = c.credential.response;
  add('webauthn', withMode(4, Buffer.from(JSON.stringify(c.credential))));
  if (c.ceremony === 'registration') {
    const attestation = b64decode(r.attestationObject);
    add('cbor', attestation);
    add('webauthn', withMode(2, attestation));
    const authData = authDataOf(attestation);
    if (authData) add('webauthn', withMode(0, authData));
    if (c.result) {
      add('cbor', b64decode(c.result.public_key));
      add('webauthn', withMode(1, b64decode(c.result.public_key)));
    }
  } else {
    const authData = b64decode(r.authenticatorData);
    const signature = b64decode(r.signature);
    add('webauthn', withMode(0, authData));
    add('webauthn', withMode(1, b64decode(c.stored.public_key)));
    add('webauthn', withMode(3, Buffer.concat([u16(authData.length), u16(signature.length), authData, signature,
      b64decode(r.clientDataJSON)])));
  }
}

// Passwords: the strength corpus and matcher cases, alone and with context.
const passwords = [
  ...strengthMatchers.cases.map((c) => c.password),
  ...strengthCorpus.cases.map((c) => c.password),
];
// The estimator costs milliseconds under the sanitizers: a sample of the
// corpus (every matcher case first), so a short run is not spent on seeds.
passwords.forEach((password, i) => {
  if (i % 8 === 0) add('strength', password);
  if (i % 32 === 0) add('strength', `${password}\0alice.smith@example.com\0Alice Smith`);
  if (i % 16 === 0) add('password_policy', password);
  if (i % 48 === 0) add('password_policy', `${password}\0alice@example.com\0Alice`);
  if (i % 10 === 0) add('encoding', password);
});
add('password_policy', JSON.stringify({ min_length: 8, max_length: 256, min_score: 3, blocklist: true,
  context_check: true, service_words: ['latchkey'] }));
add('password_policy', JSON.stringify({ min_length: 1, max_length: 64, min_score: 0 }));

// Email and name shapes.
for (const text of ['user@example.com', '  User@Example.COM ', 'a@b.c', 'first.last+tag@sub.example.org',
  'ünïcode@exämple.de', 'Alice Smith', 'no-at-sign.example.com', 'two@@example.com', '@example.com']) {
  add('account_rules', text);
}

// HTTP request heads: well-formed ones, each framing, and the ambiguous
// shapes the front refuses (issue 14's review).
const crlf = (lines) => `${lines.join('\r\n')}\r\n\r\n`;
for (const head of [
  crlf(['GET /healthz HTTP/1.1', 'Host: a']),
  crlf(['POST /auth/login HTTP/1.1', 'Host: a', 'Content-Type: application/json', 'Content-Length: 2']) + '{}',
  crlf(['POST /auth/login HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked']) + '2\r\n{}\r\n0\r\n\r\n',
  crlf(['POST /auth/login HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked']) + '4;x=y\r\nabcd\r\n0\r\nT: v\r\n\r\n',
  crlf(['POST / HTTP/1.1', 'Host: a', 'Content-Length: 1', 'Content-Length: 2']),
  crlf(['POST / HTTP/1.1', 'Host: a', 'Content-Length: 1', 'Transfer-Encoding: chunked']),
  crlf(['POST / HTTP/1.1', 'Host: a', 'Transfer-Encoding: xchunked']),
  crlf(['GET / HTTP/1.0', 'Connection: keep-alive']),
  crlf(['BREW /pot HTTP/1.1', 'Host: a']),
  'GET / HTTP/1.1\nHost: a\n\n',
]) {
  add('http_request', head);
}

// The state machines read fixed-width fields: seeds of plain byte patterns.
for (const target of ['refresh', 'session_refresh']) {
  for (let n = 0; n < 8; n++) {
    add(target, Buffer.from(Array.from({ length: 32 + n * 24 }, (_, i) => (i * (n + 7) + n) & 0xff)));
  }
}

for (const [target, byHash] of seeds) {
  const dir = join(outDir, target);
  mkdirSync(dir, { recursive: true });
  const existing = new Set(readdirSync(dir));
  for (const [hash, bytes] of byHash) {
    if (!existing.has(hash)) writeFileSync(join(dir, hash), bytes);
  }
}
console.log(
  [...seeds].map(([target, byHash]) => `${target}: ${byHash.size}`).join(', ')
);
