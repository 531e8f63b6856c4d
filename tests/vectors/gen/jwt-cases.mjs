// Latchkey test-vector generator: JWT verification cases (happy paths, boundaries, RFC 8725 attacks).
// Writes tests/vectors/jwt-cases.json for the C++ verifier tests (native and WebAssembly builds).
// Uses only Node 20 built-ins, fixed key seeds and a fixed clock, so the output is byte-identical on every run.
// Usage: node tests/vectors/gen/jwt-cases.mjs [--check]   (--check exits 1 if the file on disk is out of date)

import {
  constants as cryptoConstants, createHash, createHmac, createPrivateKey, createPublicKey,
  privateEncrypt, sign as cryptoSign, verify as cryptoVerify, timingSafeEqual,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { P256, signP256, toBytes32 } from './p256.mjs';

const OUT_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'jwt-cases.json');
const OUT_DISPLAY = 'tests/vectors/jwt-cases.json';

const NOW = 1700000000;
const ISSUER = 'https://auth.example.test';
const AUDIENCE = 'latchkey-demo';

// ---------------------------------------------------------------------------------------------
// Encoding helpers

const sha256 = (data) => createHash('sha256').update(data).digest();
const b64u = (buf) => Buffer.from(buf).toString('base64url'); // RFC 4648 section 5, no padding
const toBytes = (x) => {
  if (Buffer.isBuffer(x)) return x;
  if (typeof x === 'string') return Buffer.from(x, 'utf8'); // raw JSON text written by hand
  return Buffer.from(JSON.stringify(x), 'utf8');
};

function fail(msg) {
  throw new Error(`jwt-cases generator: ${msg}`);
}

// RFC 7638 thumbprint: required members only, lexicographic order, no whitespace.
function thumbprint(jwk) {
  let canonical;
  if (jwk.kty === 'OKP') canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":"OKP","x":${JSON.stringify(jwk.x)}}`;
  else if (jwk.kty === 'oct') canonical = `{"k":${JSON.stringify(jwk.k)},"kty":"oct"}`;
  else if (jwk.kty === 'RSA') canonical = `{"e":${JSON.stringify(jwk.e)},"kty":"RSA","n":${JSON.stringify(jwk.n)}}`;
  else if (jwk.kty === 'EC') canonical = `{"crv":${JSON.stringify(jwk.crv)},"kty":"EC","x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`;
  else fail(`no thumbprint rule for kty ${jwk.kty}`);
  return b64u(sha256(canonical));
}

// ---------------------------------------------------------------------------------------------
// Keys (all derived from fixed labels)

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function makeEdKey(label) {
  const seed = sha256(`latchkey test key ${label}`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const pub = createPublicKey(priv);
  const exported = pub.export({ format: 'jwk' });
  if (exported.kty !== 'OKP' || exported.crv !== 'Ed25519') fail(`unexpected public JWK for ${label}`);
  const x = exported.x;
  const d = b64u(seed);
  if (priv.export({ format: 'jwk' }).d !== d) fail(`private JWK d mismatch for ${label}`);
  const kid = thumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  return {
    priv,
    pub,
    raw: Buffer.from(x, 'base64url'),
    fullJwk: { kty: 'OKP', crv: 'Ed25519', x, d, kid },
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x, kid },
  };
}

function makeOctKey(label, length) {
  const secret = sha256(`latchkey test key ${label}`).subarray(0, length);
  const k = b64u(secret);
  const kid = thumbprint({ kty: 'oct', k });
  return { secret, jwk: { kty: 'oct', k, kid } };
}

const ED_A = makeEdKey('ed-a');
const ED_B = makeEdKey('ed-b');
const ED_ATTACKER = makeEdKey('ed-attacker');
const HS_A = makeOctKey('hs-a', 32);
const HS_SHORT = makeOctKey('hs-short', 16);

// RSA keys cannot be derived from a label with Node's API, so fixed test keys (PKCS#8, made once
// with generateKeyPairSync) are written here: public test material, never use them elsewhere.
const RSA_PKCS8 = {
  'rs-a': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDDgyYoXgreDXo//WDFGOBgXxg4WNMwM0X0VrLUWqV3eTcMq5XyfMbHucNbcnwVqQAYa3iqbXStzq3Y0xS/j4ECGXNexdyWx13R3o9QBT7KYF/4C7oR8vJmQIALZQF+X79zNKXlQf5tVyfDXUtJoXdHlIgmHaW9BiUp71AACp02yp0asSoP1VrGou0SLj6YcOhR6q2Eu8My7sa3RpA8izRlFQVzteS0avJ9lWLyuRAftrWj6++O/fbafm5H+RIDwCVkHOQGdIZrlEPR4tvt+54Bqz8mn4GhlTKO3JcalcEXnO1V2DbgfISgjjQztqhdD84rwzWqKeqPey+PhbjejFhNAgMBAAECggEANxcE0PoSwNf2WwKH2nG0g6M3/WSV+W5xJzSoxipWlpAawWC16zJahpui3ukm6qmIo9jgktEtv+3NUZvErGeAt/k453sEOZ4qowC9zBP2SesXD5sqTnVw9Pv2uH85CQVsukca+br7OI8G3scyeChdpldFd8wBz/3jyemrVp+nBfFZbBfv4JDLNiZRgLLmUSMInKlE62wHgUiuLf4iMdRkkKxyngW090Upd3IiyEAdyut7MtA4Ypj7xeuJuVY+hhW6iZZgg0NOFMDaW/Z7ArIi1+ke8eF5+1k5ib3R4T1HDz4IjwvYShitJW+3mheQrgzbvEwkFvbbtGkSV7TstR1WtwKBgQD+eXZ2c7XaT9KtO/QmJVLRa5Y9pqcnXsJpOOG5zBxxDCWw93I7JTQQp00bP3E70MYbbKWOeYr5E5gywdCbtbsstwTGhr9b/ws1K5qKTgYCMcDQdVsatGlxnh0i6vTQEM4Zf8S4OCNfv0o7hmIB+V/4ypwgdPZ3Z2MfSJ9aTZbmtwKBgQDErzK7FsCUEvOMmkVkwfqcWT+Sd30PX0AtBQFx1+Bwzni+DVeo6H8zrOgvmeYhMRUL41CtOLmql/1hsoilKC1RWl5H905IuHo8dlGmI0fwqqVOjRtXiLlfQzo3J1RbxV3arS6LK3NVsJZyzGGfNPDDeS3Jgf0QK+cIpgKDKfMVGwKBgQDm86eu828tNlrXPF1mLWOPixws0c5MrfS1eJlsfbGma8bdaIY05ZvuLViOjTKgfeb+Rsmul+KoEb+E+V/xoarBd00PPIX54WvzkqJMOWm8nhkHWCsZ/njgVAbPhPwwxb+3Zr1MEC8Sm9KsWVcjwYb3jjLKRjzVu3A7mTZ+x4JX2wKBgE11ehM4SKuIMyaCcyXVRy9f7qtuJ3BwYMPaHtGI5TlH90FR294HgmEFjYOBpqIXxGQkJ9ewaV6H8SASwcHZas+JOWw6NzhofqtlJY66glCDxAqFg+kbTXX48epasNxbhDTk01m3yPpMS1P2rdOXc+JnzOJ5MQK3Z4t+ZarmUHdVAoGAEjS2xRWuZx2KVBiyvMBy0ErWxCrktAD29q+9EO1DqS5JTtZyGeJQHnQpmX0S1BrodnTwAANfkpnjFJQWs37CntWeLPodSGPDhL0i3f/Ul8lM6nhSMpJVj7Msp+6IDHmWd1IllA2SWpuptTj7+pb05vuFQWC+vidICVHyzaEFFUY=',
  'rs-attacker': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDcX76xAdOlMr847QB65UCPkDRuvAf5R079qTQXRIPy/9iM9yEcQHiVSXnmrHOU7MoHpG4fWn6w8C8vrXyVM1IZgOjXph/TFpyv1r2eL6jffNbOZdSwWWfW27nKfhrwmg2/L5PDzCt+snuAYy6SazOdrXHDtKiIZrAc2Wic2Y89t2olT70gWbik2JqVONKb64vLIxDNGTXgNoW6ukw3oDYkScy4Y6lHHsniFXDmapJi09omVDKxMdOMTXfyGWf8vUkXo24VMq9BbtNBXsyGk3CfMnFZnvwiMTVfTyPMI5RqqiFFUPblMcSTeGFkn2wLArU7RreLuFtLyHkyGyYXgNY9AgMBAAECggEAEQg2BkXfCYkLCMd0fosXustz6fe5YWBMBW8y5KDPK+mZ3zHodV+xkiQxejfA38qPRhjvc+08FnPHHyxi5msm1hbFqDPMM4svWqhs/lFZABuMxJClPWijjb0XYRmZqRfW+9Gds4fPosVWUJLEfNzb3+dnAAUHSNza5q087cZ40NWmn2R1BNIn+0e+9XLFuOSXqYsjK1qnh0TL8LN6sklDNHE4ItId3TS/Q3A7AhUMNHLjTJ29mf2LI5qE0Ny7BlX2AOVXh82Mfkfa/xxx7R40D1DfwlXyToDeD61FdMrNJpJnrvUjoVPJlyNVRCPIsxexZDw6aXmrqcGibzliCrbU5wKBgQDvRSIlQuwLVlga5Vk613T2OC/XK8MjLmusDFtCuEDDZwQLXm/a7A4Vhbh168e3vWZufjLM85XSMYDe9jyqHETsbQ8e+h4wLNIj7Y2Vna7ME2Rvg3KCN5hTQnDkYEH5vsTRba98Ta6t9HjNm2vmSIw8Rh6QEznFUukdJwkVXBbxkwKBgQDryGCnH29WhaXYWhOKaGLpmbdFvDur0C0xbejvjEvwkX/H+GLyB6zJNUc7xiVuCH33/AKXBglAjJMLJ3f31f3zYRVRwHsWsjUYTad3K3dfOCdgkM3J0x7Sou/20vbK061me7r9RsSi2gSAYSSFFWO9RI9APhKwpzmQ6qQGB3467wKBgQCRGhva/Pqo5XQI242BYahMqUZZ9vAgJcamT9gIXjToS1DolBzBZuYjpzR2TsaPZwz3dRDZud7h2aONk0a24u3pczn4TzZ/gK7vmuCCG14l5JzEA7MtxQlbdK+Bz94y1r4FQ79oYrPMSrX3+ok03kotQ1jFhuNCB0XXqBSaH37KgQKBgF86RbcZ3hjez5WrA7th35kjaT70AFGrOaV+E5c0XbNiwG4eZrAD44g8SXHd3F4tddsDYHRojrIQVI8ruKtTNUbnzfl/uPb4sLMJIfrihkrh3h2FPmgmKYu/HRXeLKjMh3sdu+7xdxei4DCNi3dopSjbGNREfb31PC3IZsi8nAHnAoGAXulavp1JLxecMDaTka4wYN98H1LQGjZ1FXDflKuWWcstx1H+xT74AHFFSn/kAQMmEqMqQiGb4ym5ppu/rwpGbUzfGsWdt/01LDvaukuLKlfzSB3gP0D/crtapNj9BthwUvpn4DKfSpC0GCQBXCqcyrYroiJ1Nee5GP3RjMR472g=',
  'rs-weak-1024': 'MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBANvfz4RfFAvUa/kl8wTZzQOmQHm9jM5tLyPe/D9XFTO9iXH9eyYWAiptcjaXSwxWLFx6JUw4JS5UXo01llZlMz3MjMVDfLH0WFKn/kGHUTaW9T7Nj1y9EsKZo2UBdQhKtuj+lMdKUCy9iRYzgu+eBDOn2tQ+xP1cUUZ+PaWCXTM1AgMBAAECgYAK7VeJ05PSdq8bBbjLH+vhZ4zCwBnUVHbISJeuqixCkwPWp2tMXEGlTCUl82Tmaw3vVp6t6AhpAgZk7CnZh1QBgZ6FWW8TX/L1GHQij5XKHpUdWp6oiw5Kquu9uzmE7RfIp6BAeJ2uqyHa2qOrwmvcIh/cg4nptGWylQdp7qjWwQJBAPulWu1yegUycGDSPxpQfycHQqkbLFnsT/Mh33ket5SBE9s1A7DoFDP84+oItIFeMvY08dMZIJXLkndwQozhYDECQQDfrbm5v/Ti8FqVC9xnyaQmp/UW2ugE6/3Bbv/WNcNXSMuES45lwSCRrk9UhM+AV9St4CfK+sHy0i6+GQC0ByZFAkBewuLdvZkTce39l86pcxyers48bf4ikql8rgnAS3/oDT9T8b/FE2/gL+AHlmWavcVFD6Ts0G6D2hf6oCx/brNRAkEAiGMswSdb0djO0tz1ms9n6S42kqYOHZosE3t0QhBsONepSNStUjxNeKb5tkZ5I//qLc9lVC5MfpxMZhtmw18spQJAPBXdMLJGJMSzIBseU9nVgxNM/gfiFvhZ6j1GsArYtx7EK5blmOnCPz/n05pG4iO69uIIYrHgqhRjlMYrJxGdSA==',
};

function makeRsaKey(label) {
  const priv = createPrivateKey({ key: Buffer.from(RSA_PKCS8[label], 'base64'), format: 'der', type: 'pkcs8' });
  const { n, e } = createPublicKey(priv).export({ format: 'jwk' });
  const kid = thumbprint({ kty: 'RSA', n, e });
  return { priv, pub: createPublicKey(priv), bits: Buffer.from(n, 'base64url').length * 8, publicJwk: { kty: 'RSA', n, e, kid } };
}

// P-256 from a label: d = SHA-256(label), which is below the group order.
const PKCS8_P256_PREFIX = Buffer.from('308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420', 'hex');
function makeEcKey(label) {
  const d = sha256(`latchkey test key ${label}`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_P256_PREFIX, d]), format: 'der', type: 'pkcs8' });
  const { x, y } = createPublicKey(priv).export({ format: 'jwk' });
  const kid = thumbprint({ kty: 'EC', crv: 'P-256', x, y });
  return { priv, pub: createPublicKey(priv), d, publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid } };
}

const RS_A = makeRsaKey('rs-a');
const RS_ATTACKER = makeRsaKey('rs-attacker');
const RS_WEAK = makeRsaKey('rs-weak-1024');
const EC_A = makeEcKey('ec-a');
const EC_ATTACKER = makeEcKey('ec-attacker');
if (RS_A.bits !== 2048 || RS_WEAK.bits !== 1024) fail('unexpected RSA test key sizes');

// ---------------------------------------------------------------------------------------------
// Verifier configs

const CONFIG_ORDER = [
  'algorithms', 'jwks', 'issuer', 'audience', 'leeway_seconds', 'required_claims', 'typ',
  'max_token_bytes', 'max_json_depth', 'required_aal',
];

// Every case carries a fully spelled-out config. Pass `issuer: undefined` etc. to leave an
// optional setting unconfigured.
function verifier(overrides = {}) {
  for (const k of Object.keys(overrides)) if (!CONFIG_ORDER.includes(k)) fail(`unknown config key ${k}`);
  const merged = {
    algorithms: ['EdDSA'],
    jwks: { keys: [ED_A.publicJwk] },
    issuer: ISSUER,
    audience: AUDIENCE,
    leeway_seconds: 60,
    required_claims: [],
    typ: 'at+jwt',
    max_token_bytes: 8192,
    max_json_depth: 32,
    ...overrides,
  };
  const out = {};
  for (const k of CONFIG_ORDER) if (merged[k] !== undefined) out[k] = merged[k];
  return out;
}

const V_ED = verifier();
const V_HS = verifier({ algorithms: ['HS256'], jwks: { keys: [HS_A.jwk] } });
const V_BOTH = verifier({ algorithms: ['EdDSA', 'HS256'], jwks: { keys: [ED_A.publicJwk, HS_A.jwk] } });
const V_BOTH_ED_ONLY = verifier({ algorithms: ['EdDSA', 'HS256'], jwks: { keys: [ED_A.publicJwk] } });
const V_ED_AB = verifier({ jwks: { keys: [ED_A.publicJwk, ED_B.publicJwk] } });

// ---------------------------------------------------------------------------------------------
// Tokens

function withOverrides(base, overrides) {
  const out = { ...base, ...overrides };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

const header = (o = {}) => withOverrides({ alg: 'EdDSA', kid: ED_A.publicJwk.kid, typ: 'at+jwt' }, o);
const hsHeader = (o = {}) => withOverrides({ alg: 'HS256', kid: HS_A.jwk.kid, typ: 'at+jwt' }, o);
const claims = (o = {}) => withOverrides({
  iss: ISSUER,
  sub: 'user-1',
  aud: AUDIENCE,
  iat: NOW - 10,
  exp: NOW + 900,
  jti: 'jti-0001',
  sid: 'sid-0001',
  role: 'user',
  email: 'user-1@example.test',
  email_verified: true,
}, o);

const SIGNERS = {
  edA: { alg: 'EdDSA', priv: ED_A.priv },
  edB: { alg: 'EdDSA', priv: ED_B.priv },
  edAttacker: { alg: 'EdDSA', priv: ED_ATTACKER.priv },
  hsA: { alg: 'HS256', secret: HS_A.secret },
  rsA: { alg: 'RS256', priv: RS_A.priv },
  rsAttacker: { alg: 'RS256', priv: RS_ATTACKER.priv },
  rsWeak: { alg: 'RS256', priv: RS_WEAK.priv },
  psA: { alg: 'PS256', priv: RS_A.priv },
  psAttacker: { alg: 'PS256', priv: RS_ATTACKER.priv },
  esA: { alg: 'ES256', key: EC_A },
  esAttacker: { alg: 'ES256', key: EC_ATTACKER },
};

// PS256 and ES256 signatures are randomised; the catalogue must come out byte-identical on every
// run, so both are made here with fixed randomness (a label-derived salt, a message-derived
// nonce) and checked with Node's own verifier.

function mgf1Sha256(seed, length) {
  const out = [];
  for (let counter = 0; Buffer.concat(out).length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(sha256(Buffer.concat([seed, c])));
  }
  return Buffer.concat(out).subarray(0, length);
}

// RFC 8017 §9.1.1 EMSA-PSS-ENCODE with SHA-256, MGF1-SHA-256 and a 32-byte salt, then the raw
// RSA private operation.
function signPs256(priv, data) {
  const modBits = Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).n, 'base64url').length * 8;
  const emLen = Math.ceil((modBits - 1) / 8);
  const salt = sha256(Buffer.concat([Buffer.from('latchkey pss salt '), data]));
  const h = sha256(Buffer.concat([Buffer.alloc(8), sha256(data), salt]));
  const db = Buffer.concat([Buffer.alloc(emLen - salt.length - h.length - 2), Buffer.from([1]), salt]);
  const mask = mgf1Sha256(h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - (modBits - 1));
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  const sig = privateEncrypt({ key: priv, padding: cryptoConstants.RSA_NO_PADDING }, em);
  if (!cryptoVerify('sha256', data, { key: createPublicKey(priv), padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)) {
    fail('PS256 signature does not verify');
  }
  return sig;
}

function signEs256(key, data) {
  const { r, s } = signP256(key.d, data);
  if (r === 0n || s === 0n) fail('ES256 nonce gave a zero r or s');
  const sig = Buffer.concat([toBytes32(r), toBytes32(s)]);
  if (!cryptoVerify('sha256', data, { key: key.pub, dsaEncoding: 'ieee-p1363' }, sig)) fail('ES256 signature does not verify');
  return sig;
}
const hmacSigner = (secret) => ({ alg: 'HS256', secret: toBytes(secret) });

function signInput(signer, input) {
  const data = Buffer.from(input, 'ascii');
  if (signer.alg === 'EdDSA') return cryptoSign(null, data, signer.priv);
  if (signer.alg === 'HS256') return createHmac('sha256', signer.secret).update(data).digest();
  if (signer.alg === 'RS256') return cryptoSign('sha256', data, signer.priv);
  if (signer.alg === 'PS256') return signPs256(signer.priv, data);
  if (signer.alg === 'ES256') return signEs256(signer.key, data);
  return fail(`unknown signer ${signer.alg}`);
}

// header / payload: object (JSON.stringify), string (raw JSON text) or Buffer (raw bytes).
// sig: explicit signature bytes; otherwise `signer` signs the signing input.
function jws({ hdr = header(), payload = claims(), signer = SIGNERS.edA, sig } = {}) {
  const input = `${b64u(toBytes(hdr))}.${b64u(toBytes(payload))}`;
  const signature = sig !== undefined ? sig : signInput(signer, input);
  return `${input}.${b64u(signature)}`;
}

const split = (t) => t.split('.');
const signatureBytes = (t) => Buffer.from(split(t)[2], 'base64url');

// Raw JSON text of the default claims (or given object) with extra raw member text appended.
function rawObject(obj, extra) {
  const text = JSON.stringify(obj);
  return Buffer.concat([Buffer.from(text.slice(0, -1), 'utf8'), toBytes(extra), Buffer.from('}', 'ascii')]);
}

// Deterministically vary the jti until the token satisfies a shape predicate.
function findToken(make, predicate, what) {
  for (let i = 0; i < 10000; i++) {
    const t = make(`jti-${String(i).padStart(4, '0')}`);
    if (predicate(t)) return t;
  }
  return fail(`could not construct a token: ${what}`);
}

const B64U_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Change the last character of a base64url segment so that only its unused trailing bits differ.
function flipUnusedBits(segment) {
  if (segment.length % 4 !== 2 && segment.length % 4 !== 3) fail('segment has no unused bits');
  const last = segment[segment.length - 1];
  const changed = segment.slice(0, -1) + B64U_ALPHABET[B64U_ALPHABET.indexOf(last) ^ 1];
  if (!Buffer.from(changed, 'base64url').equals(Buffer.from(segment, 'base64url'))) fail('flip changed decoded bytes');
  return changed;
}

function padSegment(segment) {
  const pad = (4 - (segment.length % 4)) % 4;
  if (pad === 0) fail('segment needs no padding');
  return segment + '='.repeat(pad);
}

// ---------------------------------------------------------------------------------------------
// Reference checker: re-derives every verdict from the documented semantics, so a case that
// accidentally trips an earlier check than intended is caught at generation time.

function b64uDecodeStrict(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const buf = Buffer.from(s, 'base64url');
  return b64u(buf) === s ? buf : null;
}

class JsonReject extends Error {}

// Strict JSON: valid UTF-8, no BOM, no duplicate member names (compared after unescaping),
// no lone surrogate escapes, container depth <= maxDepth (top-level container = 1).
function parseStrictJsonObject(buf, maxDepth) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return null;
  }
  let i = 0;
  const reject = () => { throw new JsonReject(); };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const hex4 = () => {
    const h = text.slice(i, i + 4);
    if (!/^[0-9A-Fa-f]{4}$/.test(h)) reject();
    i += 4;
    return parseInt(h, 16);
  };
  const string = () => {
    if (text[i] !== '"') reject();
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) reject();
      const ch = text[i];
      const code = text.charCodeAt(i);
      if (ch === '"') { i++; return out; }
      if (code < 0x20) reject();
      if (ch !== '\\') { out += ch; i++; continue; }
      i++;
      const e = text[i++];
      const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) { out += simple[e]; continue; }
      if (e !== 'u') reject();
      const u = hex4();
      if (u >= 0xdc00 && u <= 0xdfff) reject();
      if (u >= 0xd800 && u <= 0xdbff) {
        if (text[i] !== '\\' || text[i + 1] !== 'u') reject();
        i += 2;
        const lo = hex4();
        if (lo < 0xdc00 || lo > 0xdfff) reject();
        out += String.fromCharCode(u, lo);
      } else {
        out += String.fromCharCode(u);
      }
    }
  };
  const value = (depth) => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      if (depth + 1 > maxDepth) reject();
      i++;
      const obj = new Map();
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        const name = string();
        if (obj.has(name)) reject();
        ws();
        if (text[i++] !== ':') reject();
        obj.set(name, value(depth + 1));
        ws();
        const sep = text[i++];
        if (sep === '}') return obj;
        if (sep !== ',') reject();
      }
    }
    if (ch === '[') {
      if (depth + 1 > maxDepth) reject();
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        const sep = text[i++];
        if (sep === ']') return arr;
        if (sep !== ',') reject();
      }
    }
    if (ch === '"') return string();
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(lit, i)) { i += lit.length; return v; }
    }
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    m.lastIndex = i;
    const num = m.exec(text);
    if (!num) reject();
    i += num[0].length;
    return Number(num[0]);
  };
  try {
    const v = value(0);
    ws();
    if (i !== text.length || !(v instanceof Map)) return null;
    return v;
  } catch (e) {
    if (e instanceof JsonReject) return null;
    throw e;
  }
}

const ALG_FOR_KTY = { OKP: 'EdDSA', oct: 'HS256' };
const PK_ALGS = ['RS256', 'PS256', 'ES256'];

// RSA and EC P-256 keys as the core takes them: a key whose alg does not fit its type is skipped
// (as in a provider's mixed JWKS); a private one, or one with bad parameters, fails the set;
// RSA moduli under 2048 bits are key_too_short; exponents must be odd, 3 or more, at most 32 bits.
function referencePublicKey(k) {
  if (k.kty === 'RSA') {
    if (k.alg !== undefined && k.alg !== 'RS256' && k.alg !== 'PS256') return null;
    if ('d' in k) return { error: 'jwk_invalid' };
    const n = b64uDecodeStrict(k.n);
    const e = b64uDecodeStrict(k.e);
    if (!n || !e) return { error: 'jwk_invalid' };
    const nHex = n.toString('hex').replace(/^(00)+/, '');
    const eHex = e.toString('hex').replace(/^(00)+/, '');
    const bits = nHex.length === 0 ? 0 : (nHex.length - 2) * 4 + BigInt(`0x${nHex.slice(0, 2)}`).toString(2).length;
    if (bits < 2048) return { error: 'key_too_short' };
    const eValue = eHex.length ? BigInt(`0x${eHex}`) : 0n;
    if (bits > 8192 || eHex.length > 8 || eValue < 3n || eValue % 2n === 0n || BigInt(`0x${nHex}`) % 2n === 0n) return { error: 'jwk_invalid' };
    const pub = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(nHex, 'hex').toString('base64url'), e: Buffer.from(eHex, 'hex').toString('base64url') }, format: 'jwk' });
    return { algs: k.alg ? [k.alg] : ['RS256', 'PS256'], kid: k.kid, pub, bytes: nHex.length / 2 };
  }
  if (k.kty === 'EC') {
    if (k.crv !== 'P-256' || (k.alg !== undefined && k.alg !== 'ES256')) return null;
    if ('d' in k) return { error: 'jwk_invalid' };
    const x = b64uDecodeStrict(k.x);
    const y = b64uDecodeStrict(k.y);
    if (!x || !y || x.length !== 32 || y.length !== 32) return { error: 'jwk_invalid' };
    try {
      return { algs: ['ES256'], kid: k.kid, pub: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: k.x, y: k.y }, format: 'jwk' }) };
    } catch {
      return { error: 'jwk_invalid' }; // not a point of the curve
    }
  }
  return null;
}

const AAL_LEVELS = { aal1: 1, aal2: 2, aal3: 3 };

function referenceBuild(cfg) {
  if (cfg.required_aal !== undefined && !Object.hasOwn(AAL_LEVELS, cfg.required_aal)) return { error: 'verifier_config_invalid' };
  const algs = cfg.algorithms;
  if (!Array.isArray(algs) || algs.length === 0 || algs.some((a) => !['EdDSA', 'HS256', ...PK_ALGS].includes(a))) {
    return { error: 'verifier_config_invalid' };
  }
  const keys = [];
  const kids = new Set();
  for (const k of cfg.jwks.keys) {
    let entry;
    // A key whose alg its type cannot have is not for this verifier: skipped, as in a mixed JWKS.
    if (k.kty in ALG_FOR_KTY && k.alg !== undefined && k.alg !== ALG_FOR_KTY[k.kty]) continue;
    if (k.kty === 'OKP' && k.crv === 'Ed25519') {
      if ('d' in k) return { error: 'jwk_invalid' };
      const x = b64uDecodeStrict(k.x);
      if (!x || x.length !== 32) return { error: 'jwk_invalid' };
      entry = { alg: 'EdDSA', kid: k.kid, pub: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.x }, format: 'jwk' }) };
    } else if (k.kty === 'oct') {
      const secret = b64uDecodeStrict(k.k);
      if (!secret) return { error: 'jwk_invalid' };
      if (secret.length < 32) return { error: 'key_too_short' };
      entry = { alg: 'HS256', kid: k.kid, secret };
    } else {
      const pk = referencePublicKey(k);
      if (pk === null) continue; // unknown kty/crv, or an alg its type cannot have: skipped
      if (pk.error) return pk;
      entry = pk;
    }
    entry.algs ??= [entry.alg];
    if (kids.has(k.kid)) return { error: 'jwks_duplicate_kid' };
    kids.add(k.kid);
    keys.push(entry);
  }
  return { keys };
}

function referenceVerdict(c) {
  const cfg = c.verifier;
  const built = referenceBuild(cfg);
  if (built.error) return built.error;
  const t = c.token;
  // 1 size
  if (Buffer.byteLength(t, 'utf8') > cfg.max_token_bytes) return 'token_too_large';
  // 2 structure, base64url, header JSON
  const parts = t.split('.');
  if (parts.length !== 3) return 'token_malformed';
  const decoded = parts.map(b64uDecodeStrict);
  if (decoded.some((d) => d === null)) return 'token_malformed';
  const h = parseStrictJsonObject(decoded[0], cfg.max_json_depth);
  if (!h) return 'token_malformed';
  // 3 alg
  const alg = h.get('alg');
  if (typeof alg !== 'string') return 'token_malformed';
  if (alg.toLowerCase() === 'none' || !cfg.algorithms.includes(alg)) return 'token_algorithm_not_allowed';
  // 4 typ
  if (cfg.typ !== undefined) {
    const typ = h.get('typ');
    if (typeof typ !== 'string') return 'token_type_invalid';
    let norm = typ.toLowerCase();
    if (norm.startsWith('application/')) norm = norm.slice('application/'.length);
    if (norm !== cfg.typ.toLowerCase()) return 'token_type_invalid';
  }
  // 5 crit
  if (h.has('crit')) {
    const crit = h.get('crit');
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((x) => typeof x !== 'string')) return 'token_malformed';
    return 'token_crit_unsupported';
  }
  // 6 kid -> key
  let key;
  if (h.has('kid')) {
    const kid = h.get('kid');
    if (typeof kid !== 'string') return 'token_malformed';
    key = built.keys.find((k) => k.kid === kid && k.algs.includes(alg));
  } else {
    const candidates = built.keys.filter((k) => k.algs.includes(alg));
    key = candidates.length === 1 ? candidates[0] : undefined;
  }
  if (!key) return 'token_key_not_found';
  // 7 signature
  const input = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  const sig = decoded[2];
  if (alg === 'EdDSA') {
    if (sig.length !== 64 || !cryptoVerify(null, input, key.pub, sig)) return 'token_signature_invalid';
  } else if (alg === 'RS256' || alg === 'PS256') {
    const padding = alg === 'PS256' ? { padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
    if (sig.length !== key.bytes || !cryptoVerify('sha256', input, { key: key.pub, ...padding }, sig)) return 'token_signature_invalid';
  } else if (alg === 'ES256') {
    if (sig.length !== 64 || !cryptoVerify('sha256', input, { key: key.pub, dsaEncoding: 'ieee-p1363' }, sig)) return 'token_signature_invalid';
  } else {
    const mac = createHmac('sha256', key.secret).update(input).digest();
    if (sig.length !== 32 || !timingSafeEqual(mac, sig)) return 'token_signature_invalid';
  }
  // 8 payload
  const p = parseStrictJsonObject(decoded[1], cfg.max_json_depth);
  if (!p) return 'token_malformed';
  // 9 claims
  const isTime = (v) => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 9.2e18;
  const leeway = cfg.leeway_seconds;
  const now = c.now;
  if (!p.has('exp')) return 'token_claim_missing';
  const exp = p.get('exp');
  if (!isTime(exp)) return 'token_claim_invalid';
  if (now >= exp + leeway) return 'token_expired';
  if (p.has('nbf')) {
    const nbf = p.get('nbf');
    if (!isTime(nbf)) return 'token_claim_invalid';
    if (now + leeway < nbf) return 'token_not_yet_valid';
  }
  if (p.has('iat')) {
    const iat = p.get('iat');
    if (!isTime(iat)) return 'token_claim_invalid';
    if (iat > now + leeway) return 'token_not_yet_valid';
  }
  if (p.has('iss') && typeof p.get('iss') !== 'string') return 'token_claim_invalid';
  if (cfg.issuer !== undefined) {
    if (!p.has('iss')) return 'token_claim_missing';
    if (p.get('iss') !== cfg.issuer) return 'token_issuer_invalid';
  }
  for (const n of ['sub', 'jti']) if (p.has(n) && typeof p.get(n) !== 'string') return 'token_claim_invalid';
  if (p.has('aud')) {
    const aud = p.get('aud');
    const okType = typeof aud === 'string' || (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
    if (!okType) return 'token_claim_invalid';
  }
  if (cfg.audience !== undefined) {
    if (!p.has('aud')) return 'token_claim_missing';
    const wanted = [].concat(cfg.audience);
    const have = [].concat(p.get('aud'));
    if (!have.some((a) => wanted.includes(a))) return 'token_audience_invalid';
  }
  for (const n of cfg.required_claims) if (!p.has(n)) return 'token_claim_missing';
  // 10 assurance level, last: only a genuine, otherwise valid token is told it needs a step-up
  if (cfg.required_aal !== undefined) {
    if (p.has('aal') && typeof p.get('aal') !== 'string') return 'token_claim_invalid';
    const level = p.has('aal') && Object.hasOwn(AAL_LEVELS, p.get('aal')) ? AAL_LEVELS[p.get('aal')] : 0;
    if (level < AAL_LEVELS[cfg.required_aal]) return 'insufficient_aal';
  }
  return 'ok';
}

// ---------------------------------------------------------------------------------------------
// The catalogue

const ERROR_CODES = new Set([
  'ok', 'verifier_config_invalid', 'key_too_short', 'jwk_invalid', 'jwks_duplicate_kid',
  'token_malformed', 'token_too_large', 'token_algorithm_not_allowed', 'token_type_invalid',
  'token_crit_unsupported', 'token_key_not_found', 'token_signature_invalid', 'token_expired',
  'token_not_yet_valid', 'token_issuer_invalid', 'token_audience_invalid', 'token_claim_missing',
  'token_claim_invalid', 'insufficient_aal',
]);

const cases = [];
function add(id, description, verifierConfig, token, expect, now = NOW) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail(`case id not kebab-case: ${id}`);
  if (cases.some((c) => c.id === id)) fail(`duplicate case id: ${id}`);
  if (!ERROR_CODES.has(expect)) fail(`unknown verdict ${expect} in ${id}`);
  if (typeof token !== 'string') fail(`token of ${id} is not a string`);
  cases.push({ id, description, verifier: verifierConfig, now, token, expect });
}

const T_ED = jws();
const T_HS = jws({ hdr: hsHeader(), signer: SIGNERS.hsA });

// --- happy paths
add('valid-eddsa', 'A well-formed EdDSA access token signed by ed_a with all default claims verifies.', V_ED, T_ED, 'ok');
add('valid-hs256', 'A well-formed HS256 access token MACed with hs_a verifies against an HS256-only verifier.', V_HS, T_HS, 'ok');
add('valid-both-algs-eddsa-token', 'A verifier allowing EdDSA and HS256 and holding ed_a and hs_a accepts the EdDSA token.', V_BOTH, T_ED, 'ok');
add('valid-both-algs-hs256-token', 'A verifier allowing EdDSA and HS256 and holding ed_a and hs_a accepts the HS256 token.', V_BOTH, T_HS, 'ok');
add('valid-jwks-keys-with-alg-member', 'JWKS keys carrying the optional alg member ("EdDSA", "HS256") are accepted and used.',
  verifier({ algorithms: ['EdDSA', 'HS256'], jwks: { keys: [{ ...ED_A.publicJwk, alg: 'EdDSA' }, { ...HS_A.jwk, alg: 'HS256' }] } }),
  T_ED, 'ok');
add('valid-eddsa-kid-absent-single-key', 'A token without kid is accepted when the verifier holds exactly one EdDSA key.',
  V_ED, jws({ hdr: header({ kid: undefined }) }), 'ok');
add('valid-hs256-kid-absent-single-key', 'An HS256 token without kid is accepted when the verifier holds exactly one HS256 key.',
  V_BOTH, jws({ hdr: hsHeader({ kid: undefined }), signer: SIGNERS.hsA }), 'ok');

// --- alg "none" and allow-list configuration
const NONE_VARIANTS = [['none', 'none'], ['None', 'none-capitalized'], ['NONE', 'none-upper'], ['nOnE', 'none-mixed-case']];
const GARBAGE_SIG = sha256('latchkey garbage signature');
for (const [alg, tag] of NONE_VARIANTS) {
  const input = `${b64u(toBytes({ alg, typ: 'at+jwt' }))}.${b64u(toBytes(claims()))}`;
  add(`alg-${tag}-empty-signature`, `An unsecured JWS with alg "${alg}" and an empty signature is never allowed.`,
    V_BOTH, `${input}.`, 'token_algorithm_not_allowed');
  add(`alg-${tag}-garbage-signature`, `An unsecured JWS with alg "${alg}" and 32 arbitrary signature bytes is never allowed.`,
    V_BOTH, `${input}.${b64u(GARBAGE_SIG)}`, 'token_algorithm_not_allowed');
}
add('config-algorithms-none', 'A verifier config whose allow-list is ["none"] fails to build.',
  verifier({ algorithms: ['none'] }), T_ED, 'verifier_config_invalid');
add('config-algorithms-none-alongside-eddsa', 'A verifier config listing "none" next to "EdDSA" fails to build.',
  verifier({ algorithms: ['EdDSA', 'none'] }), T_ED, 'verifier_config_invalid');
add('config-algorithms-rs512', 'A verifier config naming an unsupported algorithm (RS512) fails to build.',
  verifier({ algorithms: ['RS512'] }), T_ED, 'verifier_config_invalid');
add('config-algorithms-empty', 'A verifier config with an empty allow-list fails to build.',
  verifier({ algorithms: [] }), T_ED, 'verifier_config_invalid');
add('config-algorithms-wrong-case', 'Algorithm names in the config are case-sensitive: "eddsa" is not a known algorithm.',
  verifier({ algorithms: ['eddsa'] }), T_ED, 'verifier_config_invalid');
add('alg-wrong-case-eddsa', 'Header alg "eddsa" (wrong case, correctly signed by ed_a) is not on the allow-list.',
  V_ED, jws({ hdr: header({ alg: 'eddsa' }) }), 'token_algorithm_not_allowed');
add('alg-rs256-header', 'Header alg "RS256" is not on the allow-list.',
  V_ED, jws({ hdr: header({ alg: 'RS256' }) }), 'token_algorithm_not_allowed');
add('alg-hs256-not-allowed', 'A genuine hs_a HS256 token is rejected by an EdDSA-only verifier.',
  V_ED, T_HS, 'token_algorithm_not_allowed');

// --- algorithm confusion: HS256 MACed with ed_a's public key used as the HMAC secret
const CONFUSION_SECRETS = [
  ['raw', 'the raw 32-byte public key', ED_A.raw],
  ['x-b64url', 'the base64url x string', Buffer.from(ED_A.publicJwk.x, 'ascii')],
  ['jwk-json', 'the public JWK JSON text', Buffer.from(JSON.stringify(ED_A.publicJwk), 'utf8')],
  ['pem-spki', 'the PEM SPKI text', Buffer.from(ED_A.pub.export({ type: 'spki', format: 'pem' }), 'ascii')],
  ['der-spki', 'the DER SPKI bytes', ED_A.pub.export({ type: 'spki', format: 'der' })],
  ['hex', 'the lowercase hex of the public key', Buffer.from(ED_A.raw.toString('hex'), 'ascii')],
];
for (const [tag, what, secret] of CONFUSION_SECRETS) {
  const t = jws({ hdr: header({ alg: 'HS256' }), signer: hmacSigner(secret) });
  add(`alg-confusion-${tag}-eddsa-only`, `HS256 token (kid ed_a) MACed with ${what} of ed_a; HS256 is not allowed.`,
    V_ED, t, 'token_algorithm_not_allowed');
  add(`alg-confusion-${tag}-both-algs`, `HS256 token (kid ed_a) MACed with ${what} of ed_a; the OKP key never serves HS256.`,
    V_BOTH_ED_ONLY, t, 'token_key_not_found');
}
add('alg-confusion-raw-both-algs-no-kid', 'HS256 token without kid MACed with the raw ed_a public key; the verifier holds no HS256 key.',
  V_BOTH_ED_ONLY, jws({ hdr: header({ alg: 'HS256', kid: undefined }), signer: hmacSigner(ED_A.raw) }), 'token_key_not_found');

// --- kid handling
add('kid-unknown', 'A kid that matches no key in the JWKS.', V_ED, jws({ hdr: header({ kid: 'no-such-key' }) }), 'token_key_not_found');
add('kid-empty-string', 'An empty-string kid matches no key.', V_ED, jws({ hdr: header({ kid: '' }) }), 'token_key_not_found');
add('kid-absent-two-eddsa-keys', 'Without kid the verifier must not guess between two EdDSA keys.',
  V_ED_AB, jws({ hdr: header({ kid: undefined }) }), 'token_key_not_found');
add('kid-of-hs-key-on-eddsa-token', 'An EdDSA token whose kid names the oct key hs_a finds no key of matching algorithm.',
  V_BOTH, jws({ hdr: header({ kid: HS_A.jwk.kid }) }), 'token_key_not_found');
add('kid-number', 'A numeric kid header is malformed.', V_ED, jws({ hdr: header({ kid: 7 }) }), 'token_malformed');
add('kid-ed-b-signed-by-ed-a', 'The kid selects ed_b but the token was signed by ed_a.',
  V_ED_AB, jws({ hdr: header({ kid: ED_B.publicJwk.kid }) }), 'token_signature_invalid');
add('kid-ed-b-signed-by-ed-b', 'With two EdDSA keys the kid selects ed_b, which did sign the token.',
  V_ED_AB, jws({ hdr: header({ kid: ED_B.publicJwk.kid }), signer: SIGNERS.edB }), 'ok');

// --- embedded key material and key URLs are ignored
add('header-jwk-attacker-no-kid', 'Attacker-signed token embedding its own public JWK and no kid; the single trusted key ed_a is used.',
  V_ED, jws({ hdr: header({ kid: undefined, jwk: ED_ATTACKER.publicJwk }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');
add('header-jwk-attacker-kid', 'Attacker-signed token embedding its public JWK with the attacker kid; the JWKS has no such key.',
  V_ED, jws({ hdr: header({ kid: ED_ATTACKER.publicJwk.kid, jwk: ED_ATTACKER.publicJwk }), signer: SIGNERS.edAttacker }), 'token_key_not_found');
add('header-jku-ignored', 'Attacker-signed token with kid of ed_a and a jku URL; jku is never fetched.',
  V_ED, jws({ hdr: header({ jku: 'https://attacker.example.test/jwks.json' }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');
add('header-x5u-ignored', 'Attacker-signed token with kid of ed_a and an x5u URL; x5u is never fetched.',
  V_ED, jws({ hdr: header({ x5u: 'https://attacker.example.test/cert.pem' }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');
add('header-x5c-ignored', 'Attacker-signed token with kid of ed_a and an x5c chain; x5c is never used.',
  V_ED, jws({ hdr: header({ x5c: [b64u(ED_ATTACKER.pub.export({ type: 'spki', format: 'der' })).replace(/-/g, '+').replace(/_/g, '/')] }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');
add('header-jku-legit-signature', 'A genuine ed_a token carrying an (ignored) jku header still verifies.',
  V_ED, jws({ hdr: header({ jku: 'https://attacker.example.test/jwks.json' }) }), 'ok');

// --- tampering and splicing
{
  const [, p, s] = split(T_ED);
  add('tampered-header-typ', 'Header typ changed to the equivalent "application/at+jwt" after signing; the signature no longer matches.',
    V_ED, `${b64u(toBytes(header({ typ: 'application/at+jwt' })))}.${p}.${s}`, 'token_signature_invalid');
  add('tampered-header-added-member', 'A member added to the header after signing.',
    V_ED, `${b64u(toBytes(header({ cty: 'JWT' })))}.${p}.${s}`, 'token_signature_invalid');
}
{
  const [h, , s] = split(T_ED);
  add('tampered-payload-sub', 'Payload sub changed to "admin" after signing.',
    V_ED, `${h}.${b64u(toBytes(claims({ sub: 'admin' })))}.${s}`, 'token_signature_invalid');
  add('tampered-payload-exp-extended', 'Payload exp extended by a year after signing.',
    V_ED, `${h}.${b64u(toBytes(claims({ exp: NOW + 900 + 31536000 })))}.${s}`, 'token_signature_invalid');
}
{
  const [h, , s] = split(T_HS);
  add('tampered-payload-hs256', 'HS256 token whose payload role was changed to "admin" after MACing.',
    V_HS, `${h}.${b64u(toBytes(claims({ role: 'admin' })))}.${s}`, 'token_signature_invalid');
}
{
  const other = jws({ payload: claims({ sub: 'user-2', jti: 'jti-0002' }) });
  const [h, p] = split(other);
  add('signature-spliced-from-other-token', 'The signature of a valid token for user-1 spliced onto a token for user-2.',
    V_ED, `${h}.${p}.${split(T_ED)[2]}`, 'token_signature_invalid');
}
add('signature-by-other-key', 'Token with kid of ed_a but signed by ed_b.', V_ED, jws({ signer: SIGNERS.edB }), 'token_signature_invalid');
add('hs256-wrong-secret', 'HS256 token MACed with a different 32-byte secret.',
  V_HS, jws({ hdr: hsHeader(), signer: hmacSigner(sha256('latchkey some other secret')) }), 'token_signature_invalid');
{
  // Ed25519 malleability: S' = S + L encodes the same scalar but is non-canonical (RFC 8032 requires S < L).
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const sig = signatureBytes(T_ED);
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  let s2 = s + L;
  const malleable = Buffer.from(sig);
  for (let i = 32; i < 64; i++) { malleable[i] = Number(s2 & 0xffn); s2 >>= 8n; }
  if (s2 !== 0n) fail('S + L overflowed 32 bytes');
  const [h, p] = split(T_ED);
  add('signature-noncanonical-s-plus-l', 'Ed25519 signature with S replaced by S + L (malleated, non-canonical scalar) must be rejected.',
    V_ED, `${h}.${p}.${b64u(malleable)}`, 'token_signature_invalid');
  add('signature-all-zero', 'A 64-byte all-zero signature.', V_ED, `${h}.${p}.${b64u(Buffer.alloc(64))}`, 'token_signature_invalid');
}

// --- signature and structure shape
{
  const [h, p, s] = split(T_ED);
  const sig = signatureBytes(T_ED);
  add('signature-stripped', 'The signature part is empty ("header.payload.").', V_ED, `${h}.${p}.`, 'token_signature_invalid');
  add('signature-truncated-63-bytes', 'The signature is cut to 63 bytes (84 base64url characters).',
    V_ED, `${h}.${p}.${b64u(sig.subarray(0, 63))}`, 'token_signature_invalid');
  add('signature-last-char-removed', 'The last signature character is removed (85 characters, impossible base64url length).',
    V_ED, `${h}.${p}.${s.slice(0, -1)}`, 'token_malformed');
  add('signature-65-bytes', 'A zero byte appended to the signature (65 bytes).',
    V_ED, `${h}.${p}.${b64u(Buffer.concat([sig, Buffer.alloc(1)]))}`, 'token_signature_invalid');
  add('structure-two-parts', 'Only header and payload, no second dot.', V_ED, `${h}.${p}`, 'token_malformed');
  add('structure-four-parts', 'A fourth dot-separated part appended to a valid token.', V_ED, `${T_ED}.${b64u(Buffer.from('extra'))}`, 'token_malformed');
  const jweHeader = b64u(toBytes({ alg: 'dir', enc: 'A256GCM', kid: ED_A.publicJwk.kid }));
  add('structure-five-parts-jwe', 'A JWE-like compact token with five parts.',
    V_ED, `${jweHeader}..${b64u(sha256('iv').subarray(0, 12))}.${b64u(sha256('ciphertext'))}.${b64u(sha256('tag').subarray(0, 16))}`, 'token_malformed');
  add('structure-empty-string', 'The empty string.', V_ED, '', 'token_malformed');
  add('structure-only-dots', 'Two dots and nothing else.', V_ED, '..', 'token_malformed');
}
{
  const [h, p] = split(T_HS);
  add('hs256-signature-truncated-16-bytes', 'HS256 MAC truncated to 16 bytes.',
    V_HS, `${h}.${p}.${b64u(signatureBytes(T_HS).subarray(0, 16))}`, 'token_signature_invalid');
}

// --- base64url strictness
{
  const [h, p, s] = split(T_ED);
  add('b64-padding-header', 'The header part carries "=" padding.', V_ED, `${padSegment(h)}.${p}.${s}`, 'token_malformed');
  add('b64-padding-signature', 'The signature part carries "==" padding.', V_ED, `${h}.${p}.${padSegment(s)}`, 'token_malformed');
  add('b64-noncanonical-header', 'The last header character differs only in unused trailing bits.', V_ED, `${flipUnusedBits(h)}.${p}.${s}`, 'token_malformed');
  add('b64-noncanonical-signature', 'The last signature character differs only in unused trailing bits.', V_ED, `${h}.${p}.${flipUnusedBits(s)}`, 'token_malformed');
  const mid = Math.floor(p.length / 2);
  add('b64-space-in-payload', 'A space inside the payload part.', V_ED, `${h}.${p.slice(0, mid)} ${p.slice(mid)}.${s}`, 'token_malformed');
  add('b64-newline-in-signature', 'A line feed inside the signature part.', V_ED, `${h}.${p}.${s.slice(0, 40)}\n${s.slice(40)}`, 'token_malformed');
  add('token-trailing-newline', 'A valid token followed by a line feed.', V_ED, `${T_ED}\n`, 'token_malformed');
}
{
  const t = findToken((jti) => jws({ payload: claims({ jti }) }), (x) => split(x)[1].length % 4 !== 0, 'payload needing padding');
  const [h, p, s] = split(t);
  add('b64-padding-payload', 'The payload part carries "=" padding.', V_ED, `${h}.${padSegment(p)}.${s}`, 'token_malformed');
}
{
  const t = findToken((jti) => jws({ payload: claims({ jti }) }), (x) => /-/.test(split(x)[2]) && /_/.test(split(x)[2]), 'signature with - and _');
  const [h, p, s] = split(t);
  add('b64-standard-alphabet-plus', 'A "-" in the signature replaced by the standard-alphabet "+".', V_ED, `${h}.${p}.${s.replace('-', '+')}`, 'token_malformed');
  add('b64-standard-alphabet-slash', 'A "_" in the signature replaced by the standard-alphabet "/".', V_ED, `${h}.${p}.${s.replace('_', '/')}`, 'token_malformed');
}
{
  const [h, p, s] = split(T_HS);
  add('b64-noncanonical-hs256-signature', 'The last HS256 MAC character differs only in its 2 unused trailing bits.',
    V_HS, `${h}.${p}.${flipUnusedBits(s)}`, 'token_malformed');
}

// --- duplicate member names
const KID_A = JSON.stringify(ED_A.publicJwk.kid);
add('dup-header-alg-none-then-eddsa', 'Header {"alg":"none",...,"alg":"EdDSA"}: duplicate alg members.',
  V_ED, jws({ hdr: `{"alg":"none","kid":${KID_A},"typ":"at+jwt","alg":"EdDSA"}` }), 'token_malformed');
add('dup-header-alg-same-value', 'Header with alg "EdDSA" twice.',
  V_ED, jws({ hdr: `{"alg":"EdDSA","kid":${KID_A},"typ":"at+jwt","alg":"EdDSA"}` }), 'token_malformed');
add('dup-payload-sub', 'Correctly signed payload with two sub members.',
  V_ED, jws({ payload: rawObject(claims(), ',"sub":"admin"') }), 'token_malformed');
add('dup-payload-exp', 'Correctly signed payload with two exp members.',
  V_ED, jws({ payload: rawObject(claims(), `,"exp":${NOW + 31536000}`) }), 'token_malformed');
add('dup-payload-sub-escaped-name', 'Correctly signed payload with sub and "s\\u0075b" (the same name after unescaping).',
  V_ED, jws({ payload: rawObject(claims(), ',"s\\u0075b":"admin"') }), 'token_malformed');

// --- crit
add('crit-exp', 'Header crit ["exp"]: no extension is supported.', V_ED, jws({ hdr: header({ crit: ['exp'] }) }), 'token_crit_unsupported');
add('crit-b64-false', 'Header b64:false with crit ["b64"] (RFC 7797 unencoded payload) is not supported.',
  V_ED, jws({ hdr: header({ b64: false, crit: ['b64'] }) }), 'token_crit_unsupported');
add('crit-empty-array', 'Header crit [] is malformed.', V_ED, jws({ hdr: header({ crit: [] }) }), 'token_malformed');
add('crit-string', 'Header crit "exp" (a string, not an array) is malformed.', V_ED, jws({ hdr: header({ crit: 'exp' }) }), 'token_malformed');
add('crit-array-with-number', 'Header crit [1] (not an array of strings) is malformed.', V_ED, jws({ hdr: header({ crit: [1] }) }), 'token_malformed');

// --- size limits
add('size-exactly-configured-limit', 'A valid token whose length equals max_token_bytes.',
  verifier({ max_token_bytes: T_ED.length }), T_ED, 'ok');
add('size-one-over-configured-limit', 'A valid token one byte longer than max_token_bytes.',
  verifier({ max_token_bytes: T_ED.length - 1 }), T_ED, 'token_too_large');
{
  const sized = (target) => {
    for (let n = 0; n < 8192; n++) {
      const t = jws({ payload: claims({ pad: 'x'.repeat(n) }) });
      if (t.length === target) return t;
      if (t.length > target) break;
    }
    return fail(`no padded token of length ${target}`);
  };
  add('size-default-limit-exact', 'A valid 8192-byte token under the default limit of 8192.', V_ED, sized(8192), 'ok');
  add('size-default-limit-plus-one', 'A correctly signed 8193-byte token under the default limit of 8192.', V_ED, sized(8193), 'token_too_large');
}

// --- JSON nesting depth (top-level object = depth 1)
const nestArrays = (n) => '['.repeat(n) + ']'.repeat(n);
const nestObjects = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
add('depth-payload-100-arrays', 'A signed payload with a claim nested 100 arrays deep (depth 101).',
  V_ED, jws({ payload: rawObject(claims(), `,"nest":${nestArrays(100)}`) }), 'token_malformed');
add('depth-payload-100-objects', 'A signed payload with a claim nested 100 objects deep (depth 101).',
  V_ED, jws({ payload: rawObject(claims(), `,"nest":${nestObjects(100)}`) }), 'token_malformed');
add('depth-payload-10', 'A signed payload of total depth 10 is fine.',
  V_ED, jws({ payload: rawObject(claims(), `,"nest":${nestArrays(9)}`) }), 'ok');
add('depth-payload-at-limit', 'A signed payload of total depth 32 equals max_json_depth and is accepted.',
  V_ED, jws({ payload: rawObject(claims(), `,"nest":${nestObjects(31)}`) }), 'ok');
add('depth-payload-over-limit', 'A signed payload of total depth 33 exceeds max_json_depth 32.',
  V_ED, jws({ payload: rawObject(claims(), `,"nest":${nestObjects(32)}`) }), 'token_malformed');
add('depth-header-over-limit', 'A header of total depth 33 exceeds max_json_depth 32.',
  V_ED, jws({ hdr: rawObject(header(), `,"x":${nestArrays(32)}`) }), 'token_malformed');

// --- UTF-8 and JSON well-formedness
add('utf8-invalid-byte-in-payload', 'A signed payload string containing the byte 0xFF.',
  V_ED, jws({ payload: rawObject(claims(), Buffer.concat([Buffer.from(',"name":"a'), Buffer.from([0xff]), Buffer.from('b"')])) }), 'token_malformed');
add('utf8-overlong-in-payload', 'A signed payload string containing the overlong encoding C0 AF of "/".',
  V_ED, jws({ payload: rawObject(claims(), Buffer.concat([Buffer.from(',"name":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('b"')])) }), 'token_malformed');
add('utf8-encoded-surrogate-in-payload', 'A signed payload string containing ED A0 80 (a UTF-8-encoded surrogate).',
  V_ED, jws({ payload: rawObject(claims(), Buffer.concat([Buffer.from(',"name":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('b"')])) }), 'token_malformed');
add('utf8-bom-payload', 'A signed payload starting with a UTF-8 byte order mark.',
  V_ED, jws({ payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), toBytes(claims())]) }), 'token_malformed');
add('utf8-bom-header', 'A header starting with a UTF-8 byte order mark.',
  V_ED, jws({ hdr: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), toBytes(header())]) }), 'token_malformed');
add('utf8-valid-non-ascii-claim', 'A signed payload with a properly encoded non-ASCII claim value is fine.',
  V_ED, jws({ payload: claims({ name: 'Zo\u00eb \u00c5ngstr\u00f6m \u{1f511}' }) }), 'ok');
add('json-lone-high-surrogate-escape', 'A signed payload string containing the lone escape \\ud800.',
  V_ED, jws({ payload: rawObject(claims(), ',"name":"a\\ud800b"') }), 'token_malformed');
add('json-lone-low-surrogate-escape', 'A signed payload string containing the lone escape \\udc00.',
  V_ED, jws({ payload: rawObject(claims(), ',"name":"a\\udc00b"') }), 'token_malformed');
add('json-surrogate-pair-escape', 'A signed payload string with the valid escaped pair \\ud83d\\udd11 is fine.',
  V_ED, jws({ payload: rawObject(claims(), ',"name":"key \\ud83d\\udd11"') }), 'ok');
add('json-payload-array', 'A signed payload that is a JSON array, not an object.',
  V_ED, jws({ payload: JSON.stringify([claims()]) }), 'token_malformed');
add('json-payload-not-json', 'A signed payload that is not JSON at all.', V_ED, jws({ payload: 'hello, world' }), 'token_malformed');
add('json-payload-empty', 'A signed empty payload.', V_ED, jws({ payload: Buffer.alloc(0) }), 'token_malformed');
add('json-payload-trailing-comma', 'A signed payload object with a trailing comma.',
  V_ED, jws({ payload: rawObject(claims(), ',') }), 'token_malformed');
add('json-payload-trailing-garbage', 'A signed payload with text after the closing brace.',
  V_ED, jws({ payload: `${JSON.stringify(claims())}x` }), 'token_malformed');
add('json-payload-raw-control-char', 'A signed payload string containing an unescaped U+0001.',
  V_ED, jws({ payload: rawObject(claims(), ',"name":"a\u0001b"') }), 'token_malformed');
add('json-payload-insignificant-whitespace', 'A signed payload pretty-printed with JSON whitespace is fine.',
  V_ED, jws({ payload: JSON.stringify(claims(), null, 2) }), 'ok');
add('json-header-not-json', 'A header that is not JSON.', V_ED, jws({ hdr: 'EdDSA' }), 'token_malformed');
add('json-header-array', 'A header that is a JSON array.', V_ED, jws({ hdr: JSON.stringify([header()]) }), 'token_malformed');
add('header-alg-missing', 'A header without alg.', V_ED, jws({ hdr: header({ alg: undefined }) }), 'token_malformed');
add('header-alg-number', 'A header whose alg is a number.', V_ED, jws({ hdr: header({ alg: 1 }) }), 'token_malformed');

// --- time claims
const EXP = NOW + 900;
add('exp-leeway-60-last-second', 'now = exp + leeway - 1 with leeway 60 is still valid.', V_ED, T_ED, 'ok', EXP + 59);
add('exp-leeway-60-boundary', 'now = exp + leeway with leeway 60 is expired.', V_ED, T_ED, 'token_expired', EXP + 60);
const V_ED_L0 = verifier({ leeway_seconds: 0 });
add('exp-leeway-0-last-second', 'now = exp - 1 with leeway 0 is still valid.', V_ED_L0, T_ED, 'ok', EXP - 1);
add('exp-leeway-0-boundary', 'now = exp with leeway 0 is expired.', V_ED_L0, T_ED, 'token_expired', EXP);
add('exp-missing', 'A token without exp.', V_ED, jws({ payload: claims({ exp: undefined }) }), 'token_claim_missing');
add('exp-string', 'exp given as the string "1700000900".', V_ED, jws({ payload: claims({ exp: String(EXP) }) }), 'token_claim_invalid');
add('exp-boolean', 'exp given as true.', V_ED, jws({ payload: claims({ exp: true }) }), 'token_claim_invalid');
add('exp-fractional', 'A fractional exp (now + 900.5) is a valid NumericDate.', V_ED, jws({ payload: claims({ exp: NOW + 900.5 }) }), 'ok');
add('exp-fractional-half-second-left', 'With leeway 0, exp = now + 0.5 has not yet passed (no truncation to integers).',
  V_ED_L0, jws({ payload: claims({ exp: NOW + 0.5 }) }), 'ok');
add('exp-fractional-half-second-past', 'With leeway 0, exp = now - 0.5 has passed.',
  V_ED_L0, jws({ payload: claims({ exp: NOW - 0.5 }) }), 'token_expired');
add('exp-1e300', 'exp = 1e300 is far outside the representable time range.', V_ED, jws({ payload: claims({ exp: 1e300 }) }), 'token_claim_invalid');
add('exp-1e19', 'exp = 1e19 exceeds the +9.2e18 bound.', V_ED, jws({ payload: claims({ exp: 1e19 }) }), 'token_claim_invalid');
add('exp-minus-1e19', 'exp = -1e19 exceeds the -9.2e18 bound.', V_ED, jws({ payload: claims({ exp: -1e19 }) }), 'token_claim_invalid');
add('exp-exponent-notation', 'exp written as 1.7000009e9 is the same number as 1700000900.',
  V_ED, jws({ payload: Buffer.from(JSON.stringify(claims()).replace(`"exp":${EXP}`, '"exp":1.7000009e9'), 'utf8') }), 'ok');
add('exp-zero', 'exp = 0 (1970) is long expired.', V_ED, jws({ payload: claims({ exp: 0 }) }), 'token_expired');
add('nbf-leeway-60-boundary', 'nbf = now + leeway with leeway 60 is accepted.', V_ED, jws({ payload: claims({ nbf: NOW + 60 }) }), 'ok');
add('nbf-leeway-60-one-second-early', 'nbf = now + leeway + 1 with leeway 60 is not yet valid.',
  V_ED, jws({ payload: claims({ nbf: NOW + 61 }) }), 'token_not_yet_valid');
add('nbf-leeway-0-boundary', 'nbf = now with leeway 0 is accepted.', V_ED_L0, jws({ payload: claims({ nbf: NOW }) }), 'ok');
add('nbf-leeway-0-one-second-early', 'nbf = now + 1 with leeway 0 is not yet valid.',
  V_ED_L0, jws({ payload: claims({ nbf: NOW + 1 }) }), 'token_not_yet_valid');
add('iat-leeway-60-boundary', 'iat = now + leeway with leeway 60 is accepted.', V_ED, jws({ payload: claims({ iat: NOW + 60 }) }), 'ok');
add('iat-leeway-60-one-second-future', 'iat = now + leeway + 1 with leeway 60 is in the future.',
  V_ED, jws({ payload: claims({ iat: NOW + 61 }) }), 'token_not_yet_valid');
add('iat-leeway-0-boundary', 'iat = now with leeway 0 is accepted.', V_ED_L0, jws({ payload: claims({ iat: NOW }) }), 'ok');
add('iat-leeway-0-one-second-future', 'iat = now + 1 with leeway 0 is in the future.',
  V_ED_L0, jws({ payload: claims({ iat: NOW + 1 }) }), 'token_not_yet_valid');
add('nbf-string', 'nbf given as a string.', V_ED, jws({ payload: claims({ nbf: String(NOW) }) }), 'token_claim_invalid');
add('iat-string', 'iat given as a string.', V_ED, jws({ payload: claims({ iat: String(NOW - 10) }) }), 'token_claim_invalid');
add('order-expired-before-nbf', 'A token both expired and not yet valid reports expiry first (exp is checked before nbf).',
  V_ED, jws({ payload: claims({ exp: NOW - 120, nbf: NOW + 3600 }) }), 'token_expired');
add('order-exp-missing-before-issuer', 'A token lacking exp and carrying a wrong iss reports the missing exp first.',
  V_ED, jws({ payload: claims({ exp: undefined, iss: 'https://evil.example.test' }) }), 'token_claim_missing');
add('order-signature-before-payload', 'A bad signature is reported before the (unparseable) payload is looked at.',
  V_ED, `${split(T_ED)[0]}.${b64u(Buffer.from('not json'))}.${split(T_ED)[2]}`, 'token_signature_invalid');
add('order-expired-and-bad-signature', 'An expired token with a forged signature reports the signature.',
  V_ED, jws({ payload: claims({ exp: NOW - 3600 }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');

// --- issuer
for (const [tag, iss] of [
  ['trailing-slash', `${ISSUER}/`],
  ['different-case', 'https://Auth.example.test'],
  ['prefix', 'https://auth.example.tes'],
  ['suffix', `${ISSUER}.evil`],
]) {
  add(`iss-${tag}`, `iss "${iss}" is not byte-identical to the configured issuer.`, V_ED, jws({ payload: claims({ iss }) }), 'token_issuer_invalid');
}
add('iss-missing', 'iss absent while an issuer is configured.', V_ED, jws({ payload: claims({ iss: undefined }) }), 'token_claim_missing');
add('iss-array', 'iss given as an array containing the right issuer.', V_ED, jws({ payload: claims({ iss: [ISSUER] }) }), 'token_claim_invalid');
add('iss-escaped-slashes', 'iss written with JSON-escaped slashes decodes to the configured issuer.',
  V_ED, jws({ payload: Buffer.from(JSON.stringify(claims()).replace(JSON.stringify(ISSUER), '"https:\\/\\/auth.example.test"'), 'utf8') }), 'ok');
const V_NO_ISS = verifier({ issuer: undefined });
add('iss-not-configured-any-issuer', 'Without a configured issuer any string iss is accepted.',
  V_NO_ISS, jws({ payload: claims({ iss: 'https://someone-else.example.test' }) }), 'ok');
add('iss-not-configured-missing', 'Without a configured issuer a token without iss is accepted.',
  V_NO_ISS, jws({ payload: claims({ iss: undefined }) }), 'ok');
add('iss-not-configured-number', 'iss must be a string even when no issuer is configured.',
  V_NO_ISS, jws({ payload: claims({ iss: 42 }) }), 'token_claim_invalid');

// --- audience
add('aud-array-containing', 'aud array containing the configured audience.', V_ED, jws({ payload: claims({ aud: ['other-api', AUDIENCE] }) }), 'ok');
add('aud-array-without', 'aud array not containing the configured audience.',
  V_ED, jws({ payload: claims({ aud: ['other-api', 'billing'] }) }), 'token_audience_invalid');
add('aud-empty-array', 'An empty aud array matches nothing.', V_ED, jws({ payload: claims({ aud: [] }) }), 'token_audience_invalid');
add('aud-empty-string', 'aud "" does not match.', V_ED, jws({ payload: claims({ aud: '' }) }), 'token_audience_invalid');
for (const [tag, aud] of [['prefix', 'latchkey-dem'], ['suffix', 'latchkey-demo2'], ['different-case', 'Latchkey-Demo']]) {
  add(`aud-${tag}`, `aud "${aud}" is not exactly the configured audience.`, V_ED, jws({ payload: claims({ aud }) }), 'token_audience_invalid');
}
add('aud-missing', 'aud absent while an audience is configured.', V_ED, jws({ payload: claims({ aud: undefined }) }), 'token_claim_missing');
add('aud-number', 'aud given as a number.', V_ED, jws({ payload: claims({ aud: 7 }) }), 'token_claim_invalid');
add('aud-array-with-number', 'aud array containing the audience and a number.',
  V_ED, jws({ payload: claims({ aud: [AUDIENCE, 7] }) }), 'token_claim_invalid');
add('aud-config-array-token-string', 'Configured audiences ["a","latchkey-demo"] accept aud "latchkey-demo".',
  verifier({ audience: ['a', AUDIENCE] }), T_ED, 'ok');
add('aud-not-configured', 'Without a configured audience any string aud is accepted.',
  verifier({ audience: undefined }), jws({ payload: claims({ aud: 'somebody-else' }) }), 'ok');
add('order-issuer-before-audience', 'Wrong iss and wrong aud together report the issuer first.',
  V_ED, jws({ payload: claims({ iss: 'https://evil.example.test', aud: 'evil' }) }), 'token_issuer_invalid');

// --- typ
add('typ-application-prefix', 'typ "application/at+jwt" matches the configured "at+jwt".',
  V_ED, jws({ hdr: header({ typ: 'application/at+jwt' }) }), 'ok');
add('typ-uppercase', 'typ "AT+JWT" matches case-insensitively.', V_ED, jws({ hdr: header({ typ: 'AT+JWT' }) }), 'ok');
add('typ-application-prefix-mixed-case', 'typ "Application/AT+JWT" matches case-insensitively, prefix included.',
  V_ED, jws({ hdr: header({ typ: 'Application/AT+JWT' }) }), 'ok');
add('typ-jwt', 'typ "JWT" is not an access token type.', V_ED, jws({ hdr: header({ typ: 'JWT' }) }), 'token_type_invalid');
add('typ-missing', 'typ absent while one is configured.', V_ED, jws({ hdr: header({ typ: undefined }) }), 'token_type_invalid');
add('typ-number', 'typ given as the number 5.', V_ED, jws({ hdr: header({ typ: 5 }) }), 'token_type_invalid');
add('typ-double-prefix', 'typ "application/application/at+jwt" allows the prefix only once.',
  V_ED, jws({ hdr: header({ typ: 'application/application/at+jwt' }) }), 'token_type_invalid');
add('typ-trailing-space', 'typ "at+jwt " with a trailing space does not match.', V_ED, jws({ hdr: header({ typ: 'at+jwt ' }) }), 'token_type_invalid');
add('typ-not-configured-accepts-jwt', 'A verifier without typ configured accepts typ "JWT".',
  verifier({ typ: undefined }), jws({ hdr: header({ typ: 'JWT' }) }), 'ok');
add('order-typ-before-kid', 'A wrong typ is reported before an unknown kid.',
  V_ED, jws({ hdr: header({ typ: 'JWT', kid: 'no-such-key' }) }), 'token_type_invalid');

// --- other claim types and required claims
add('sub-number', 'sub given as a number.', V_ED, jws({ payload: claims({ sub: 1 }) }), 'token_claim_invalid');
add('jti-number', 'jti given as a number.', V_ED, jws({ payload: claims({ jti: 1 }) }), 'token_claim_invalid');
add('required-claim-sid-missing', 'required_claims ["sid"] and the token has no sid.',
  verifier({ required_claims: ['sid'] }), jws({ payload: claims({ sid: undefined }) }), 'token_claim_missing');
add('required-claim-sid-present', 'required_claims ["sid","role"] and the token has both.',
  verifier({ required_claims: ['sid', 'role'] }), T_ED, 'ok');

// --- required assurance level (required_aal)
const V_AAL2 = verifier({ required_aal: 'aal2' });
const aalToken = (aal) => jws({ payload: claims({ aal, amr: aal === 'aal2' ? ['pwd', 'otp'] : ['pwd'] }) });
add('aal-required-aal2-token-aal2', 'required_aal "aal2" and the token states aal2.', V_AAL2, aalToken('aal2'), 'ok');
add('aal-required-aal2-token-aal3', 'required_aal "aal2" and the token states aal3 (higher is enough).', V_AAL2, aalToken('aal3'), 'ok');
add('aal-required-aal1-token-aal1', 'required_aal "aal1" and the token states aal1.', verifier({ required_aal: 'aal1' }), aalToken('aal1'), 'ok');
add('aal-required-aal2-token-aal1', 'required_aal "aal2" and the token states aal1: a step-up is needed.', V_AAL2, aalToken('aal1'), 'insufficient_aal');
add('aal-required-aal2-token-missing', 'required_aal "aal2" and the token has no aal claim.', V_AAL2, T_ED, 'insufficient_aal');
add('aal-required-aal1-token-missing', 'required_aal "aal1" and the token has no aal claim: not even aal1 is stated.',
  verifier({ required_aal: 'aal1' }), T_ED, 'insufficient_aal');
add('aal-required-aal2-token-unknown', 'required_aal "aal2" and the token states "aal9", which is no level.', V_AAL2, aalToken('aal9'), 'insufficient_aal');
add('aal-required-aal2-token-uppercase', 'required_aal "aal2" and the token states "AAL2": levels are exact, lowercase.', V_AAL2, aalToken('AAL2'), 'insufficient_aal');
add('aal-required-aal2-token-number', 'required_aal "aal2" and the token states aal as the number 2.', V_AAL2, aalToken(2), 'token_claim_invalid');
add('aal-not-required-token-aal1', 'No required_aal: a token with aal1 verifies as before.', V_ED, aalToken('aal1'), 'ok');
add('aal-not-required-token-number', 'No required_aal: aal is not looked at, even when it is not a string.', V_ED, aalToken(2), 'ok');
add('aal-checked-after-signature', 'required_aal "aal2", a token stating aal2 signed by an attacker: the signature fails first.',
  V_AAL2, jws({ payload: claims({ aal: 'aal2' }), signer: SIGNERS.edAttacker }), 'token_signature_invalid');
add('aal-checked-after-expiry', 'required_aal "aal2", an expired aal1 token: expiry is reported, not the level.',
  V_AAL2, jws({ payload: claims({ aal: 'aal1', exp: NOW - 3600, iat: NOW - 7200 }) }), 'token_expired');
add('aal-config-unknown-level', 'required_aal "aal4" makes the verifier fail to build.', verifier({ required_aal: 'aal4' }), T_ED, 'verifier_config_invalid');
add('aal-config-number', 'required_aal 2 (a number) makes the verifier fail to build.', verifier({ required_aal: 2 }), T_ED, 'verifier_config_invalid');
add('aal-config-uppercase', 'required_aal "AAL2" makes the verifier fail to build.', verifier({ required_aal: 'AAL2' }), T_ED, 'verifier_config_invalid');

// --- JWKS problems
add('jwks-hs-short-key', 'An oct key of 16 bytes makes the verifier fail to build.',
  verifier({ algorithms: ['HS256'], jwks: { keys: [HS_SHORT.jwk] } }), jws({ hdr: hsHeader({ kid: HS_SHORT.jwk.kid }), signer: hmacSigner(HS_SHORT.secret) }), 'key_too_short');
add('jwks-duplicate-kid', 'Two keys (ed_a and ed_b) sharing the kid of ed_a make the verifier fail to build.',
  verifier({ jwks: { keys: [ED_A.publicJwk, { ...ED_B.publicJwk, kid: ED_A.publicJwk.kid }] } }), T_ED, 'jwks_duplicate_kid');
add('jwks-okp-with-private-d', 'An OKP key carrying its private d in the JWKS makes the verifier fail to build.',
  verifier({ jwks: { keys: [ED_A.fullJwk] } }), T_ED, 'jwk_invalid');
add('jwks-extra-rsa-key-skipped', 'An RSA key next to ed_a does not disturb an EdDSA verifier (a build without RSA skips it).',
  verifier({ jwks: { keys: [{ kty: 'RSA', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB', kid: 'rsa-1' }, ED_A.publicJwk] } }),
  T_ED, 'ok');
add('jwks-extra-x25519-key-skipped', 'An OKP key with crv X25519 next to ed_a is skipped silently.',
  verifier({ jwks: { keys: [{ kty: 'OKP', crv: 'X25519', x: b64u(sha256('latchkey x25519 placeholder')), kid: 'x25519-1' }, ED_A.publicJwk] } }),
  T_ED, 'ok');

// --- RS256, PS256, ES256: the algorithms OpenID providers sign ID tokens with
const idHeader = (alg, key, o = {}) => withOverrides({ alg, kid: key.publicJwk.kid, typ: 'JWT' }, o);
const pkVerifier = (algorithms, keys, o = {}) => verifier({ algorithms, jwks: { keys }, typ: undefined, ...o });
const rsaAlg = (alg) => ({ ...RS_A.publicJwk, alg });
const T_RS = jws({ hdr: idHeader('RS256', RS_A), signer: SIGNERS.rsA });
const T_PS = jws({ hdr: idHeader('PS256', RS_A), signer: SIGNERS.psA });
const T_ES = jws({ hdr: idHeader('ES256', EC_A), signer: SIGNERS.esA });
const V_RS = pkVerifier(['RS256'], [rsaAlg('RS256')]);
const V_PS = pkVerifier(['PS256'], [rsaAlg('PS256')]);
const V_ES = pkVerifier(['ES256'], [EC_A.publicJwk]);
const V_PROVIDER = pkVerifier(['RS256', 'ES256'], [rsaAlg('RS256'), EC_A.publicJwk, ED_A.publicJwk, HS_A.jwk]);
const flipLast = (t) => {
  const sig = signatureBytes(t);
  sig[sig.length - 1] ^= 1;
  return `${split(t)[0]}.${split(t)[1]}.${b64u(sig)}`;
};

add('valid-rs256', 'An RS256 token signed by rs_a (2048-bit RSA, alg RS256) verifies.', V_RS, T_RS, 'ok');
add('valid-ps256', 'A PS256 token (PSS, MGF1-SHA-256, 32-byte salt) signed by rs_a verifies.', V_PS, T_PS, 'ok');
add('valid-es256', 'An ES256 token (r || s) signed by ec_a (P-256) verifies.', V_ES, T_ES, 'ok');
add('valid-rs256-key-without-alg', 'An RSA key without alg verifies RS256.', pkVerifier(['RS256'], [RS_A.publicJwk]), T_RS, 'ok');
add('valid-ps256-key-without-alg', 'An RSA key without alg verifies PS256 too.', pkVerifier(['PS256'], [RS_A.publicJwk]), T_PS, 'ok');
add('valid-es256-key-with-alg', 'An EC key with alg ES256 verifies ES256.', pkVerifier(['ES256'], [{ ...EC_A.publicJwk, alg: 'ES256' }]), T_ES, 'ok');
add('valid-provider-jwks-rs256', 'A provider-like key set (RSA, EC, OKP, oct) and RS256+ES256 allowed: the RS256 token verifies.', V_PROVIDER, T_RS, 'ok');
add('valid-provider-jwks-es256', 'The same key set and allow-list: the ES256 token verifies.', V_PROVIDER, T_ES, 'ok');
add('valid-rs256-kid-absent-single-key', 'An RS256 token without kid, and one RSA key.', V_RS, jws({ hdr: idHeader('RS256', RS_A, { kid: undefined }), signer: SIGNERS.rsA }), 'ok');
add('valid-rs256-modulus-leading-zero', 'An RSA key whose n carries a leading zero octet still verifies (the number is the same).',
  pkVerifier(['RS256'], [{ ...rsaAlg('RS256'), n: b64u(Buffer.concat([Buffer.alloc(1), Buffer.from(RS_A.publicJwk.n, 'base64url')])) }]), T_RS, 'ok');

add('rs256-bad-signature', 'An RS256 token whose signature has its last bit flipped.', V_RS, flipLast(T_RS), 'token_signature_invalid');
add('ps256-bad-signature', 'A PS256 token whose signature has its last bit flipped.', V_PS, flipLast(T_PS), 'token_signature_invalid');
add('es256-bad-signature', 'An ES256 token whose s has its last bit flipped.', V_ES, flipLast(T_ES), 'token_signature_invalid');
add('rs256-other-key', 'An RS256 token signed by another RSA key under rs_a\'s kid.', V_RS,
  jws({ hdr: idHeader('RS256', RS_A), signer: SIGNERS.rsAttacker }), 'token_signature_invalid');
add('ps256-other-key', 'A PS256 token signed by another RSA key under rs_a\'s kid.', V_PS,
  jws({ hdr: idHeader('PS256', RS_A), signer: SIGNERS.psAttacker }), 'token_signature_invalid');
add('es256-other-key', 'An ES256 token signed by another P-256 key under ec_a\'s kid.', V_ES,
  jws({ hdr: idHeader('ES256', EC_A), signer: SIGNERS.esAttacker }), 'token_signature_invalid');
add('rs256-signature-one-byte-short', 'An RS256 signature one byte shorter than the modulus.', V_RS,
  jws({ hdr: idHeader('RS256', RS_A), sig: signatureBytes(T_RS).subarray(1) }), 'token_signature_invalid');
add('rs256-signature-empty', 'An RS256 token with an empty signature.', V_RS, `${split(T_RS)[0]}.${split(T_RS)[1]}.`, 'token_signature_invalid');
add('rs256-pkcs1-signature-as-ps256', 'A PKCS#1 v1.5 signature presented as PS256 (same key, key without alg).',
  pkVerifier(['PS256'], [RS_A.publicJwk]), jws({ hdr: idHeader('PS256', RS_A), sig: signInput(SIGNERS.rsA, `${split(T_PS)[0]}.${split(T_PS)[1]}`) }), 'token_signature_invalid');
const derEs = (() => {
  const sig = signatureBytes(T_ES);
  const int = (b) => {
    let v = b;
    while (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) v = v.subarray(1);
    return v[0] & 0x80 ? Buffer.concat([Buffer.alloc(1), v]) : v;
  };
  const r = int(sig.subarray(0, 32));
  const s = int(sig.subarray(32));
  const body = Buffer.concat([Buffer.from([2, r.length]), r, Buffer.from([2, s.length]), s]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
})();
add('es256-der-signature', 'An ES256 signature in DER (as X.509 uses) instead of r || s is refused.', V_ES,
  jws({ hdr: idHeader('ES256', EC_A), sig: derEs }), 'token_signature_invalid');
add('es256-zero-signature', 'An ES256 signature r = s = 0.', V_ES, jws({ hdr: idHeader('ES256', EC_A), sig: Buffer.alloc(64) }), 'token_signature_invalid');
add('es256-r-s-equal-order', 'An ES256 signature with r = s = n (the group order).', V_ES,
  jws({ hdr: idHeader('ES256', EC_A), sig: Buffer.concat([toBytes32(P256.n), toBytes32(P256.n)]) }), 'token_signature_invalid');
add('es256-signature-65-bytes', 'An ES256 signature with a trailing zero byte.', V_ES,
  jws({ hdr: idHeader('ES256', EC_A), sig: Buffer.concat([signatureBytes(T_ES), Buffer.alloc(1)]) }), 'token_signature_invalid');

// Key confusion: a key of one type is never used for another type's algorithm.
add('confusion-rs256-token-ec-key', 'An RS256 token whose kid names an EC key: no RSA key matches.',
  pkVerifier(['RS256', 'ES256'], [{ ...EC_A.publicJwk, kid: RS_A.publicJwk.kid }]), T_RS, 'token_key_not_found');
add('confusion-es256-token-rsa-key', 'An ES256 token whose kid names an RSA key: no EC key matches.',
  pkVerifier(['RS256', 'ES256'], [{ ...RS_A.publicJwk, kid: EC_A.publicJwk.kid }]), T_ES, 'token_key_not_found');
add('confusion-rs256-token-okp-key', 'An RS256 token whose kid names an Ed25519 key.',
  pkVerifier(['RS256', 'EdDSA'], [{ ...ED_A.publicJwk, kid: RS_A.publicJwk.kid }]), T_RS, 'token_key_not_found');
add('confusion-es256-token-oct-key', 'An ES256 token whose kid names an oct secret.',
  pkVerifier(['ES256', 'HS256'], [{ ...HS_A.jwk, kid: EC_A.publicJwk.kid }]), T_ES, 'token_key_not_found');
add('confusion-eddsa-token-rsa-key', 'An EdDSA token whose kid names an RSA key.',
  verifier({ algorithms: ['EdDSA', 'RS256'], jwks: { keys: [{ ...RS_A.publicJwk, kid: ED_A.publicJwk.kid }] } }), T_ED, 'token_key_not_found');
for (const [tag, what, secret] of [
  ['n', 'the RSA modulus bytes', Buffer.from(RS_A.publicJwk.n, 'base64url')],
  ['pem', 'the PEM SPKI text', Buffer.from(RS_A.pub.export({ type: 'spki', format: 'pem' }), 'ascii')],
  ['jwk', 'the public JWK JSON text', Buffer.from(JSON.stringify(RS_A.publicJwk), 'utf8')],
]) {
  const token = jws({ hdr: { alg: 'HS256', kid: RS_A.publicJwk.kid, typ: 'JWT' }, signer: hmacSigner(secret) });
  add(`confusion-hs256-with-rsa-${tag}-rs-only`, `HS256 MACed with ${what} of rs_a, verifier allowing RS256 only.`, V_RS, token, 'token_algorithm_not_allowed');
  add(`confusion-hs256-with-rsa-${tag}-both`, `HS256 MACed with ${what} of rs_a, verifier allowing RS256 and HS256 with only rs_a: an RSA key is no HMAC secret.`,
    pkVerifier(['RS256', 'HS256'], [RS_A.publicJwk]), token, 'token_key_not_found');
}
add('confusion-hs256-with-ec-x-both', 'HS256 MACed with ec_a\'s x coordinate, verifier allowing ES256 and HS256 with only ec_a.',
  pkVerifier(['ES256', 'HS256'], [EC_A.publicJwk]),
  jws({ hdr: { alg: 'HS256', kid: EC_A.publicJwk.kid, typ: 'JWT' }, signer: hmacSigner(Buffer.from(EC_A.publicJwk.x, 'base64url')) }), 'token_key_not_found');
add('confusion-rsa-key-alg-es256-skipped', 'An RSA key claiming alg ES256 is skipped: the ES256 token finds no key.',
  pkVerifier(['ES256'], [{ ...RS_A.publicJwk, alg: 'ES256', kid: EC_A.publicJwk.kid }]), T_ES, 'token_key_not_found');
add('confusion-ec-key-alg-rs256-skipped', 'An EC key claiming alg RS256 is skipped: the RS256 token finds no key.',
  pkVerifier(['RS256'], [{ ...EC_A.publicJwk, alg: 'RS256', kid: RS_A.publicJwk.kid }]), T_RS, 'token_key_not_found');
add('confusion-oct-key-alg-rs256-skipped', 'An oct key claiming alg RS256 is skipped.',
  pkVerifier(['RS256'], [{ ...HS_A.jwk, alg: 'RS256', kid: RS_A.publicJwk.kid }]), T_RS, 'token_key_not_found');
add('confusion-okp-key-alg-es256-skipped', 'An OKP key claiming alg ES256 is skipped.',
  pkVerifier(['ES256'], [{ ...ED_A.publicJwk, alg: 'ES256', kid: EC_A.publicJwk.kid }]), T_ES, 'token_key_not_found');

// The JWK's alg binds the key to one algorithm.
add('alg-mismatch-rs256-key-ps256-token', 'A key with alg RS256 does not verify a (genuine) PS256 token.',
  pkVerifier(['RS256', 'PS256'], [rsaAlg('RS256')]), T_PS, 'token_key_not_found');
add('alg-mismatch-ps256-key-rs256-token', 'A key with alg PS256 does not verify a (genuine) RS256 token.',
  pkVerifier(['RS256', 'PS256'], [rsaAlg('PS256')]), T_RS, 'token_key_not_found');
add('alg-ps256-not-allowed', 'A genuine PS256 token and a verifier allowing RS256 only.', pkVerifier(['RS256'], [RS_A.publicJwk]), T_PS, 'token_algorithm_not_allowed');
add('alg-es256-not-allowed', 'A genuine ES256 token and an RS256-only verifier.', V_PROVIDER && pkVerifier(['RS256'], [rsaAlg('RS256'), EC_A.publicJwk]), T_ES, 'token_algorithm_not_allowed');
add('alg-rs256-not-allowed-eddsa-verifier', 'A genuine RS256 token and an EdDSA-only verifier holding rs_a.',
  verifier({ jwks: { keys: [ED_A.publicJwk, RS_A.publicJwk] } }), T_RS, 'token_algorithm_not_allowed');

// Weak and malformed keys fail the whole set, like other malformed keys.
add('rsa-weak-1024-key', 'A 1024-bit RSA key makes the verifier fail to build.',
  pkVerifier(['RS256'], [RS_WEAK.publicJwk]), jws({ hdr: idHeader('RS256', RS_WEAK), signer: SIGNERS.rsWeak }), 'key_too_short');
add('rsa-weak-key-next-to-good-one', 'A 1024-bit RSA key next to rs_a fails the set too.',
  pkVerifier(['RS256'], [RS_A.publicJwk, RS_WEAK.publicJwk]), T_RS, 'key_too_short');
const rsaE = (e) => pkVerifier(['RS256'], [{ ...rsaAlg('RS256'), e: b64u(Buffer.from(e, 'hex')) }]);
add('rsa-exponent-1', 'An RSA key with e = 1 is refused.', rsaE('01'), T_RS, 'jwk_invalid');
add('rsa-exponent-even', 'An RSA key with an even e (65536) is refused.', rsaE('010000'), T_RS, 'jwk_invalid');
add('rsa-exponent-over-32-bits', 'An RSA key with a 40-bit e is refused.', rsaE('0100000001'), T_RS, 'jwk_invalid');
add('rsa-exponent-3-accepted', 'e = 3 is small but sane: the key is accepted (the token, signed under 65537, then fails).', rsaE('03'), T_RS, 'token_signature_invalid');
add('rsa-modulus-even', 'An RSA key with an even modulus is refused.',
  pkVerifier(['RS256'], [{ ...rsaAlg('RS256'), n: b64u(Buffer.concat([Buffer.from(RS_A.publicJwk.n, 'base64url').subarray(0, 255), Buffer.from([2])])) }]), T_RS, 'jwk_invalid');
add('rsa-private-key-refused', 'An RSA key with its private exponent d in a verification set is refused.',
  pkVerifier(['RS256'], [{ ...RS_A.priv.export({ format: 'jwk' }), kid: RS_A.publicJwk.kid }]), T_RS, 'jwk_invalid');
add('rsa-missing-e', 'An RSA key without e is refused.', pkVerifier(['RS256'], [{ ...rsaAlg('RS256'), e: undefined }].map((k) => withOverrides(k, {}))), T_RS, 'jwk_invalid');
add('ec-point-not-on-curve', 'An EC key whose point is not on P-256 is refused.',
  pkVerifier(['ES256'], [{ ...EC_A.publicJwk, y: b64u(Buffer.from(EC_A.publicJwk.x, 'base64url')) }]), T_ES, 'jwk_invalid');
add('ec-short-coordinate', 'An EC key with a 31-byte x is refused.',
  pkVerifier(['ES256'], [{ ...EC_A.publicJwk, x: b64u(Buffer.from(EC_A.publicJwk.x, 'base64url').subarray(1)) }]), T_ES, 'jwk_invalid');
add('ec-private-key-refused', 'An EC key with its private d in a verification set is refused.',
  pkVerifier(['ES256'], [{ ...EC_A.publicJwk, d: b64u(EC_A.d) }]), T_ES, 'jwk_invalid');
add('ec-p384-key-skipped', 'An EC key on P-384 is skipped: the ES256 token finds no key.',
  pkVerifier(['ES256'], [{ ...EC_A.publicJwk, crv: 'P-384' }]), T_ES, 'token_key_not_found');
add('rsa-duplicate-kid', 'An RSA and an EC key sharing one kid make the verifier fail to build.',
  pkVerifier(['RS256', 'ES256'], [RS_A.publicJwk, { ...EC_A.publicJwk, kid: RS_A.publicJwk.kid }]), T_RS, 'jwks_duplicate_kid');
add('rs256-expired', 'A genuine RS256 token past exp is still expired.', V_RS,
  jws({ hdr: idHeader('RS256', RS_A), payload: claims({ exp: NOW - 3600, iat: NOW - 7200 }), signer: SIGNERS.rsA }), 'token_expired');

// ---------------------------------------------------------------------------------------------
// Self-check and output

const mismatches = [];
for (const c of cases) {
  const got = referenceVerdict(c);
  if (got !== c.expect) mismatches.push(`${c.id}: expected ${c.expect}, reference check gives ${got}`);
}
if (mismatches.length) fail(`verdict self-check failed:\n  ${mismatches.join('\n  ')}`);

const doc = {
  description: 'JWT verification test cases for Latchkey: happy paths, boundaries and RFC 8725 attacks, with the expected verdict ("ok" or an error code) for each. '
    + 'Generated by tests/vectors/gen/jwt-cases.mjs (Node built-ins only); do not edit by hand, re-run the generator instead. '
    + 'keys holds the full test keys (private d for Ed25519, k for oct; public halves only for RSA and EC, whose private keys are in the generator) with RFC 7638 thumbprints as kid; these keys are public test material, never use them elsewhere. '
    + 'Each case has its own fully spelled-out verifier config and clock (now, Unix seconds); when the config fails to build, expect is the build error.',
  now: NOW,
  keys: {
    ed_a: ED_A.fullJwk,
    ed_b: ED_B.fullJwk,
    ed_attacker: ED_ATTACKER.fullJwk,
    hs_a: HS_A.jwk,
    hs_short: HS_SHORT.jwk,
    rs_a: RS_A.publicJwk,
    rs_weak_1024: RS_WEAK.publicJwk,
    ec_a: EC_A.publicJwk,
  },
  cases,
};
const output = `${JSON.stringify(doc, null, 1)}\n`;

const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) {
  console.error('usage: node tests/vectors/gen/jwt-cases.mjs [--check]');
  process.exit(2);
}
if (args.includes('--check')) {
  let onDisk = null;
  try {
    onDisk = fs.readFileSync(OUT_PATH, 'utf8');
  } catch {
    // missing file is reported below
  }
  if (onDisk !== output) {
    console.error(`${OUT_DISPLAY} is ${onDisk === null ? 'missing' : 'out of date'}; run: node tests/vectors/gen/jwt-cases.mjs`);
    process.exit(1);
  }
  console.log(`${OUT_DISPLAY} is up to date (${cases.length} cases).`);
} else {
  fs.writeFileSync(OUT_PATH, output);
  console.log(`wrote ${OUT_DISPLAY} (${cases.length} cases).`);
}
