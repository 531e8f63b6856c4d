// Latchkey test-vector generator: passkey (WebAuthn) registration and assertion cases.
// Writes tests/vectors/webauthn/cases.json (and spec-level3.json, the specification's §16 vectors) for the core's relying-party checks (core/include/latchkey/webauthn.h):
// real attestation objects and assertions made with ES256, EdDSA and RS256 keys, then every way the checks refuse.
// Uses only Node 20 built-ins, fixed keys and deterministic signatures, so the output is byte-identical on every run.
// Usage: node tests/vectors/gen/webauthn-cases.mjs [--check]   (--check exits 1 if the file on disk is out of date)

import { createHash, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { P256, signP256, toBytes32, toInt } from './p256.mjs';

const OUT_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'webauthn', 'cases.json');
const OUT_DISPLAY = 'tests/vectors/webauthn/cases.json';

const RP = { id: 'example.test', origins: ['https://example.test', 'https://app.example.test'] };

const sha256 = (data) => createHash('sha256').update(data).digest();
const b64u = (buf) => Buffer.from(buf).toString('base64url');
const hex = (h) => Buffer.from(h, 'hex');
function fail(msg) {
  throw new Error(`webauthn-cases generator: ${msg}`);
}

// ---------------------------------------------------------------------------------------------
// A minimal CBOR encoder (RFC 8949 shortest form). Maps are arrays of [key, value] pairs so the
// order is the case's; raw(bytes) inserts bytes as they are, for hostile encodings.

const RAW = Symbol('raw');
const raw = (bytes) => ({ [RAW]: Buffer.from(bytes) });
function head(major, n) {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) return Buffer.from([m | 25, n >> 8, n & 0xff]);
  if (n < 0x100000000) { const b = Buffer.alloc(5); b[0] = m | 26; b.writeUInt32BE(n, 1); return b; }
  fail('integer too large for this encoder');
}
function cbor(v) {
  if (v && v[RAW]) return v[RAW];
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v]);
  if (typeof v === 'string') { const b = Buffer.from(v, 'utf8'); return Buffer.concat([head(3, b.length), b]); }
  if (typeof v === 'boolean') return Buffer.from([v ? 0xf5 : 0xf4]);
  if (v === null) return Buffer.from([0xf6]);
  if (v instanceof CborMap) return Buffer.concat([head(5, v.pairs.length), ...v.pairs.flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  fail(`cannot encode ${v}`);
}
class CborMap {
  constructor(pairs) { this.pairs = pairs; }
}
const map = (...pairs) => new CborMap(pairs);

// ---------------------------------------------------------------------------------------------
// Keys. EdDSA and P-256 keys derive from fixed labels; RSA keys are the fixed test keys of
// tests/vectors/gen/jwt-cases.mjs (public test material, never use them elsewhere).

const PKCS8_ED25519_PREFIX = hex('302e020100300506032b657004220420');
const PKCS8_P256_PREFIX = hex('308141020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420');
const RSA_PKCS8 = {
  'rs-a': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDDgyYoXgreDXo//WDFGOBgXxg4WNMwM0X0VrLUWqV3eTcMq5XyfMbHucNbcnwVqQAYa3iqbXStzq3Y0xS/j4ECGXNexdyWx13R3o9QBT7KYF/4C7oR8vJmQIALZQF+X79zNKXlQf5tVyfDXUtJoXdHlIgmHaW9BiUp71AACp02yp0asSoP1VrGou0SLj6YcOhR6q2Eu8My7sa3RpA8izRlFQVzteS0avJ9lWLyuRAftrWj6++O/fbafm5H+RIDwCVkHOQGdIZrlEPR4tvt+54Bqz8mn4GhlTKO3JcalcEXnO1V2DbgfISgjjQztqhdD84rwzWqKeqPey+PhbjejFhNAgMBAAECggEANxcE0PoSwNf2WwKH2nG0g6M3/WSV+W5xJzSoxipWlpAawWC16zJahpui3ukm6qmIo9jgktEtv+3NUZvErGeAt/k453sEOZ4qowC9zBP2SesXD5sqTnVw9Pv2uH85CQVsukca+br7OI8G3scyeChdpldFd8wBz/3jyemrVp+nBfFZbBfv4JDLNiZRgLLmUSMInKlE62wHgUiuLf4iMdRkkKxyngW090Upd3IiyEAdyut7MtA4Ypj7xeuJuVY+hhW6iZZgg0NOFMDaW/Z7ArIi1+ke8eF5+1k5ib3R4T1HDz4IjwvYShitJW+3mheQrgzbvEwkFvbbtGkSV7TstR1WtwKBgQD+eXZ2c7XaT9KtO/QmJVLRa5Y9pqcnXsJpOOG5zBxxDCWw93I7JTQQp00bP3E70MYbbKWOeYr5E5gywdCbtbsstwTGhr9b/ws1K5qKTgYCMcDQdVsatGlxnh0i6vTQEM4Zf8S4OCNfv0o7hmIB+V/4ypwgdPZ3Z2MfSJ9aTZbmtwKBgQDErzK7FsCUEvOMmkVkwfqcWT+Sd30PX0AtBQFx1+Bwzni+DVeo6H8zrOgvmeYhMRUL41CtOLmql/1hsoilKC1RWl5H905IuHo8dlGmI0fwqqVOjRtXiLlfQzo3J1RbxV3arS6LK3NVsJZyzGGfNPDDeS3Jgf0QK+cIpgKDKfMVGwKBgQDm86eu828tNlrXPF1mLWOPixws0c5MrfS1eJlsfbGma8bdaIY05ZvuLViOjTKgfeb+Rsmul+KoEb+E+V/xoarBd00PPIX54WvzkqJMOWm8nhkHWCsZ/njgVAbPhPwwxb+3Zr1MEC8Sm9KsWVcjwYb3jjLKRjzVu3A7mTZ+x4JX2wKBgE11ehM4SKuIMyaCcyXVRy9f7qtuJ3BwYMPaHtGI5TlH90FR294HgmEFjYOBpqIXxGQkJ9ewaV6H8SASwcHZas+JOWw6NzhofqtlJY66glCDxAqFg+kbTXX48epasNxbhDTk01m3yPpMS1P2rdOXc+JnzOJ5MQK3Z4t+ZarmUHdVAoGAEjS2xRWuZx2KVBiyvMBy0ErWxCrktAD29q+9EO1DqS5JTtZyGeJQHnQpmX0S1BrodnTwAANfkpnjFJQWs37CntWeLPodSGPDhL0i3f/Ul8lM6nhSMpJVj7Msp+6IDHmWd1IllA2SWpuptTj7+pb05vuFQWC+vidICVHyzaEFFUY=',
  'rs-attacker': 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDcX76xAdOlMr847QB65UCPkDRuvAf5R079qTQXRIPy/9iM9yEcQHiVSXnmrHOU7MoHpG4fWn6w8C8vrXyVM1IZgOjXph/TFpyv1r2eL6jffNbOZdSwWWfW27nKfhrwmg2/L5PDzCt+snuAYy6SazOdrXHDtKiIZrAc2Wic2Y89t2olT70gWbik2JqVONKb64vLIxDNGTXgNoW6ukw3oDYkScy4Y6lHHsniFXDmapJi09omVDKxMdOMTXfyGWf8vUkXo24VMq9BbtNBXsyGk3CfMnFZnvwiMTVfTyPMI5RqqiFFUPblMcSTeGFkn2wLArU7RreLuFtLyHkyGyYXgNY9AgMBAAECggEAEQg2BkXfCYkLCMd0fosXustz6fe5YWBMBW8y5KDPK+mZ3zHodV+xkiQxejfA38qPRhjvc+08FnPHHyxi5msm1hbFqDPMM4svWqhs/lFZABuMxJClPWijjb0XYRmZqRfW+9Gds4fPosVWUJLEfNzb3+dnAAUHSNza5q087cZ40NWmn2R1BNIn+0e+9XLFuOSXqYsjK1qnh0TL8LN6sklDNHE4ItId3TS/Q3A7AhUMNHLjTJ29mf2LI5qE0Ny7BlX2AOVXh82Mfkfa/xxx7R40D1DfwlXyToDeD61FdMrNJpJnrvUjoVPJlyNVRCPIsxexZDw6aXmrqcGibzliCrbU5wKBgQDvRSIlQuwLVlga5Vk613T2OC/XK8MjLmusDFtCuEDDZwQLXm/a7A4Vhbh168e3vWZufjLM85XSMYDe9jyqHETsbQ8e+h4wLNIj7Y2Vna7ME2Rvg3KCN5hTQnDkYEH5vsTRba98Ta6t9HjNm2vmSIw8Rh6QEznFUukdJwkVXBbxkwKBgQDryGCnH29WhaXYWhOKaGLpmbdFvDur0C0xbejvjEvwkX/H+GLyB6zJNUc7xiVuCH33/AKXBglAjJMLJ3f31f3zYRVRwHsWsjUYTad3K3dfOCdgkM3J0x7Sou/20vbK061me7r9RsSi2gSAYSSFFWO9RI9APhKwpzmQ6qQGB3467wKBgQCRGhva/Pqo5XQI242BYahMqUZZ9vAgJcamT9gIXjToS1DolBzBZuYjpzR2TsaPZwz3dRDZud7h2aONk0a24u3pczn4TzZ/gK7vmuCCG14l5JzEA7MtxQlbdK+Bz94y1r4FQ79oYrPMSrX3+ok03kotQ1jFhuNCB0XXqBSaH37KgQKBgF86RbcZ3hjez5WrA7th35kjaT70AFGrOaV+E5c0XbNiwG4eZrAD44g8SXHd3F4tddsDYHRojrIQVI8ruKtTNUbnzfl/uPb4sLMJIfrihkrh3h2FPmgmKYu/HRXeLKjMh3sdu+7xdxei4DCNi3dopSjbGNREfb31PC3IZsi8nAHnAoGAXulavp1JLxecMDaTka4wYN98H1LQGjZ1FXDflKuWWcstx1H+xT74AHFFSn/kAQMmEqMqQiGb4ym5ppu/rwpGbUzfGsWdt/01LDvaukuLKlfzSB3gP0D/crtapNj9BthwUvpn4DKfSpC0GCQBXCqcyrYroiJ1Nee5GP3RjMR472g=',
  'rs-weak-1024': 'MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBANvfz4RfFAvUa/kl8wTZzQOmQHm9jM5tLyPe/D9XFTO9iXH9eyYWAiptcjaXSwxWLFx6JUw4JS5UXo01llZlMz3MjMVDfLH0WFKn/kGHUTaW9T7Nj1y9EsKZo2UBdQhKtuj+lMdKUCy9iRYzgu+eBDOn2tQ+xP1cUUZ+PaWCXTM1AgMBAAECgYAK7VeJ05PSdq8bBbjLH+vhZ4zCwBnUVHbISJeuqixCkwPWp2tMXEGlTCUl82Tmaw3vVp6t6AhpAgZk7CnZh1QBgZ6FWW8TX/L1GHQij5XKHpUdWp6oiw5Kquu9uzmE7RfIp6BAeJ2uqyHa2qOrwmvcIh/cg4nptGWylQdp7qjWwQJBAPulWu1yegUycGDSPxpQfycHQqkbLFnsT/Mh33ket5SBE9s1A7DoFDP84+oItIFeMvY08dMZIJXLkndwQozhYDECQQDfrbm5v/Ti8FqVC9xnyaQmp/UW2ugE6/3Bbv/WNcNXSMuES45lwSCRrk9UhM+AV9St4CfK+sHy0i6+GQC0ByZFAkBewuLdvZkTce39l86pcxyers48bf4ikql8rgnAS3/oDT9T8b/FE2/gL+AHlmWavcVFD6Ts0G6D2hf6oCx/brNRAkEAiGMswSdb0djO0tz1ms9n6S42kqYOHZosE3t0QhBsONepSNStUjxNeKb5tkZ5I//qLc9lVC5MfpxMZhtmw18spQJAPBXdMLJGJMSzIBseU9nVgxNM/gfiFvhZ6j1GsArYtx7EK5blmOnCPz/n05pG4iO69uIIYrHgqhRjlMYrJxGdSA==',
};

function edKey(label) {
  const seed = sha256(`latchkey webauthn key ${label}`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const { x } = createPublicKey(priv).export({ format: 'jwk' });
  return { alg: -8, priv, pub: createPublicKey(priv), cose: map([1, 1], [3, -8], [-1, 6], [-2, Buffer.from(x, 'base64url')]) };
}
function ecKey(label) {
  const d = sha256(`latchkey webauthn key ${label}`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_P256_PREFIX, d]), format: 'der', type: 'pkcs8' });
  const { x, y } = createPublicKey(priv).export({ format: 'jwk' });
  const X = Buffer.from(x, 'base64url');
  const Y = Buffer.from(y, 'base64url');
  return { alg: -7, d, priv, pub: createPublicKey(priv), x: X, y: Y, cose: map([1, 2], [3, -7], [-1, 1], [-2, X], [-3, Y]) };
}
function rsaKey(label) {
  const priv = createPrivateKey({ key: Buffer.from(RSA_PKCS8[label], 'base64'), format: 'der', type: 'pkcs8' });
  const { n, e } = createPublicKey(priv).export({ format: 'jwk' });
  const N = Buffer.from(n, 'base64url');
  return { alg: -257, priv, pub: createPublicKey(priv), cose: map([1, 3], [3, -257], [-1, N], [-2, Buffer.from(e, 'base64url')]) };
}

const ES = ecKey('es-a');
const ES_OTHER = ecKey('es-other');
const ED = edKey('ed-a');
const ED_OTHER = edKey('ed-other');
const RS = rsaKey('rs-a');
const RS_OTHER = rsaKey('rs-attacker');
const RS_WEAK = rsaKey('rs-weak-1024');

// ECDSA P-256 with a derived nonce (p256.mjs), so signatures are reproducible; each is checked with node:crypto.
// Returns the 32-byte r and s.
function es256(key, data) {
  const { r, s } = signP256(key.d, data);
  const raw64 = Buffer.concat([toBytes32(r), toBytes32(s)]);
  if (!cryptoVerify('sha256', data, { key: key.pub, dsaEncoding: 'ieee-p1363' }, raw64)) fail('ES256 signature does not verify');
  return { r: toBytes32(r), s: toBytes32(s) };
}

// DER INTEGER content of an unsigned big-endian number: minimal, with a 0x00 when the high bit is set.
function derIntContent(bytes) {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  return v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
}
const derInt = (content) => Buffer.concat([Buffer.from([0x02, content.length]), content]);
const derSeq = (body) => Buffer.concat([Buffer.from([0x30, body.length]), body]);
const derSig = ({ r, s }) => derSeq(Buffer.concat([derInt(derIntContent(r)), derInt(derIntContent(s))]));

function sign(key, data) {
  let sig;
  if (key.alg === -7) sig = derSig(es256(key, data));
  else if (key.alg === -8) sig = cryptoSign(null, data, key.priv);
  else sig = cryptoSign('sha256', data, key.priv);
  const ok = key.alg === -8 ? cryptoVerify(null, data, key.pub, sig) : cryptoVerify('sha256', data, key.pub, sig);
  if (!ok) fail('signature does not verify');
  return sig;
}

// ---------------------------------------------------------------------------------------------
// WebAuthn structures

const UP = 0x01, UV = 0x04, BE = 0x08, BS = 0x10, AT = 0x40, ED_FLAG = 0x80;
const AAGUID = hex('00112233445566778899aabbccddeeff');
const challengeFor = (label) => sha256(`latchkey webauthn challenge ${label}`);
const credentialIdFor = (label) => sha256(`latchkey webauthn credential ${label}`);

function u32(n) { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; }
function u16(n) { const b = Buffer.alloc(2); b.writeUInt16BE(n); return b; }

// Authenticator data (§6.1); `attested` = {credentialId, coseKey (bytes)}; `extensions` = raw bytes.
function authData({ rpId = RP.id, flags, signCount = 0, attested, extensions }) {
  const parts = [sha256(rpId), Buffer.from([flags]), u32(signCount)];
  if (attested) parts.push(AAGUID, u16(attested.credentialId.length), attested.credentialId, attested.coseKey);
  if (extensions) parts.push(extensions);
  return Buffer.concat(parts);
}

function clientData({ type, challenge, origin = RP.origins[0], crossOrigin = false, extra = {} }) {
  return Buffer.from(JSON.stringify({ type, challenge: b64u(challenge), origin, crossOrigin, ...extra }), 'utf8');
}

const cases = [];
function add(c) {
  if (cases.some((x) => x.id === c.id)) fail(`duplicate case ${c.id}`);
  cases.push(c);
}

// ---------------------------------------------------------------------------------------------
// Registration cases

function registration(id, description, {
  key = ES, label = id, flags = UP | UV | AT, signCount = 0, rpId, coseKey, attestedId, noAttested = false,
  extensions, authDataBytes, fmt = 'none', attStmt = map(), attObjBytes, cd = {}, clientDataBytes,
  credentialId, rawId, type = 'public-key', transports = ['internal', 'hybrid'], requireUv = false,
  expectationChallenge, expect = 'ok',
}) {
  const challenge = challengeFor(label);
  const credId = credentialIdFor(label);
  const coseBytes = coseKey !== undefined ? coseKey : cbor(key.cose);
  const ad = authDataBytes || authData({
    rpId, flags, signCount, extensions,
    attested: noAttested ? undefined : { credentialId: attestedId || credId, coseKey: coseBytes },
  });
  const att = attObjBytes || cbor(map(['fmt', fmt], ['attStmt', attStmt], ['authData', ad]));
  const cdj = clientDataBytes || clientData({ type: 'webauthn.create', challenge, ...cd });
  const c = {
    id, description, ceremony: 'registration',
    credential: {
      id: credentialId || b64u(credId), rawId: rawId || b64u(credId), type,
      response: { clientDataJSON: b64u(cdj), attestationObject: b64u(att), transports },
      clientExtensionResults: {}, authenticatorAttachment: 'platform',
    },
    expectation: { challenge: b64u(expectationChallenge || challenge), require_user_verification: requireUv },
    expect,
  };
  if (expect === 'ok') {
    c.result = {
      credential_id: b64u(attestedId || credId), public_key: b64u(coseBytes), algorithm: key.alg, sign_count: signCount,
      aaguid: b64u(AAGUID), user_verified: !!(flags & UV), backup_eligible: !!(flags & BE), backup_state: !!(flags & BS),
      attestation_format: fmt,
    };
  }
  add(c);
}

registration('reg-es256', 'ES256 (P-256) passkey, attestation "none", UP and UV.', { key: ES });
registration('reg-eddsa', 'EdDSA (Ed25519) passkey, attestation "none".', { key: ED });
registration('reg-rs256', 'RS256 (2048-bit RSA) passkey, attestation "none".', { key: RS });
registration('reg-synced-passkey', 'A synced passkey: BE and BS set, counter 0.', { flags: UP | UV | AT | BE | BS });
registration('reg-be-without-bs', 'Backup eligible, not yet backed up.', { flags: UP | UV | AT | BE });
registration('reg-counter-nonzero', 'A security key starting its counter at 7.', { key: ED, signCount: 7 });
registration('reg-second-origin', 'The second allowed origin.', { cd: { origin: RP.origins[1] } });
registration('reg-without-cross-origin', 'clientDataJSON without crossOrigin (older browsers).', {
  clientDataBytes: Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: b64u(challengeFor('reg-without-cross-origin')), origin: RP.origins[0] })),
});
registration('reg-client-data-extra-members', 'clientDataJSON with topOrigin and an unknown member: ignored.', {
  cd: { extra: { topOrigin: 'https://example.test', other_keys_can_be_added_here: 'x' } },
});
registration('reg-uv-required-present', 'UV required and performed.', { requireUv: true });
registration('reg-up-only', 'UP without UV, UV not required.', { flags: UP | AT });
registration('reg-fmt-packed-accepted', 'Attestation "packed" is accepted unverified; its name is returned.', {
  fmt: 'packed', attStmt: map(['alg', -7], ['sig', hex('3006020101020101')]),
});
registration('reg-extensions-with-flag', 'Extension data announced by the ED flag (credProtect).', {
  flags: UP | UV | AT | ED_FLAG, extensions: cbor(map(['credProtect', 2])),
});
registration('reg-no-transports', 'A response without transports.', { transports: undefined });

registration('reg-wrong-type', 'clientData type "webauthn.get" at registration.', { cd: { type: 'webauthn.get' }, expect: 'passkey_response_invalid' });
registration('reg-wrong-challenge', 'The response answers another challenge.', { expectationChallenge: challengeFor('another'), expect: 'passkey_challenge_invalid' });
registration('reg-wrong-origin', 'An origin not in the list.', { cd: { origin: 'https://evil.test' }, expect: 'passkey_origin_invalid' });
registration('reg-origin-with-slash', 'The origin with a trailing slash is not the origin.', { cd: { origin: 'https://example.test/' }, expect: 'passkey_origin_invalid' });
registration('reg-cross-origin', 'crossOrigin true: made in a frame of another site.', { cd: { crossOrigin: true }, expect: 'passkey_origin_invalid' });
registration('reg-rp-id-mismatch', 'Authenticator data made for another RP ID.', { rpId: 'evil.test', expect: 'passkey_rp_id_mismatch' });
registration('reg-up-missing', 'UP not set.', { flags: UV | AT, expect: 'passkey_user_presence_required' });
registration('reg-uv-required-missing', 'UV required, not performed.', { flags: UP | AT, requireUv: true, expect: 'passkey_user_verification_required' });
registration('reg-bs-without-be', 'BS set without BE.', { flags: UP | UV | AT | BS, expect: 'passkey_response_invalid' });
registration('reg-credential-id-mismatch', 'The attested credential ID differs from the response id.', { attestedId: credentialIdFor('other'), expect: 'passkey_response_invalid' });
registration('reg-id-raw-id-differ', 'id and rawId differ.', { rawId: b64u(credentialIdFor('other')), expect: 'passkey_response_invalid' });
registration('reg-type-not-public-key', 'type is not "public-key".', { type: 'password', expect: 'passkey_response_invalid' });
registration('reg-no-attested-credential', 'AT not set, no credential.', { flags: UP | UV, noAttested: true, expect: 'passkey_response_invalid' });
registration('reg-alg-es384', 'A COSE key for ES384 (-35, P-384): not offered.', {
  coseKey: cbor(map([1, 2], [3, -35], [-1, 2], [-2, Buffer.alloc(48, 1)], [-3, Buffer.alloc(48, 2)])), expect: 'passkey_algorithm_unsupported',
});
registration('reg-alg-absent', 'A COSE key without alg.', { coseKey: cbor(map([1, 2], [-1, 1], [-2, ES.x], [-3, ES.y])), expect: 'passkey_algorithm_unsupported' });
registration('reg-crv-p384-with-es256', 'alg ES256 on curve P-384 (crv 2).', { coseKey: cbor(map([1, 2], [3, -7], [-1, 2], [-2, ES.x], [-3, ES.y])), expect: 'passkey_algorithm_unsupported' });
registration('reg-eddsa-ed448', 'alg EdDSA on Ed448 (crv 7).', { coseKey: cbor(map([1, 1], [3, -8], [-1, 7], [-2, Buffer.alloc(57, 3)])), expect: 'passkey_algorithm_unsupported' });
registration('reg-rsa-1024', 'An RS256 key of 1024 bits.', { key: RS_WEAK, expect: 'key_too_short' });
const offCurveY = Buffer.from(ES.y); offCurveY[31] ^= 1;
registration('reg-ec-point-off-curve', 'A P-256 point not on the curve.', { coseKey: cbor(map([1, 2], [3, -7], [-1, 1], [-2, ES.x], [-3, offCurveY])), expect: 'jwk_invalid' });
registration('reg-ec-x-short', 'A P-256 x of 31 bytes.', { coseKey: cbor(map([1, 2], [3, -7], [-1, 1], [-2, ES.x.subarray(1)], [-3, ES.y])), expect: 'jwk_invalid' });
registration('reg-ec-private-key', 'A COSE key carrying the private scalar d.', { coseKey: cbor(map([1, 2], [3, -7], [-1, 1], [-2, ES.x], [-3, ES.y], [-4, ES.d])), expect: 'jwk_invalid' });
registration('reg-kty-alg-mismatch', 'kty OKP with alg ES256.', { coseKey: cbor(map([1, 1], [3, -7], [-1, 1], [-2, ES.x], [-3, ES.y])), expect: 'jwk_invalid' });
registration('reg-none-with-statement', 'Attestation "none" with a non-empty attStmt.', { attStmt: map(['sig', hex('00')]), expect: 'passkey_response_invalid' });
registration('reg-fmt-not-text', 'fmt is not a text string.', { fmt: Buffer.from('none'), expect: 'passkey_response_invalid' });
registration('reg-auth-data-truncated', 'Authenticator data cut inside the COSE key.', {
  authDataBytes: authData({ flags: UP | UV | AT, attested: { credentialId: credentialIdFor('reg-auth-data-truncated'), coseKey: cbor(ES.cose).subarray(0, 40) } }),
  expect: 'cbor_invalid',
});
registration('reg-auth-data-too-short', 'Authenticator data of 36 bytes.', { authDataBytes: authData({ flags: UP | UV }).subarray(0, 36), expect: 'passkey_response_invalid' });
registration('reg-auth-data-id-past-end', 'A credential ID length past the end.', {
  authDataBytes: Buffer.concat([authData({ flags: UP | UV | AT }), AAGUID, u16(500), Buffer.alloc(10)]), expect: 'passkey_response_invalid',
});
registration('reg-extension-flag-without-data', 'ED set, no extension data.', { flags: UP | UV | AT | ED_FLAG, expect: 'passkey_response_invalid' });
registration('reg-extension-data-without-flag', 'Extension data no flag announces.', { extensions: cbor(map(['credProtect', 2])), expect: 'passkey_response_invalid' });
registration('reg-attestation-indefinite-map', 'The attestation object as an indefinite-length map.', {
  attObjBytes: Buffer.concat([hex('bf'), cbor('fmt'), cbor('none'), cbor('attStmt'), cbor(map()), cbor('authData'),
    cbor(authData({ flags: UP | UV | AT, attested: { credentialId: credentialIdFor('reg-attestation-indefinite-map'), coseKey: cbor(ES.cose) } })), hex('ff')]),
  expect: 'cbor_invalid',
});
registration('reg-attestation-trailing-byte', 'A byte after the attestation object.', {
  attObjBytes: Buffer.concat([cbor(map(['fmt', 'none'], ['attStmt', map()], ['authData',
    authData({ flags: UP | UV | AT, attested: { credentialId: credentialIdFor('reg-attestation-trailing-byte'), coseKey: cbor(ES.cose) } })])), hex('00')]),
  expect: 'cbor_invalid',
});
registration('reg-client-data-not-json', 'clientDataJSON that is not JSON.', { clientDataBytes: Buffer.from('{"type":'), expect: 'passkey_response_invalid' });
registration('reg-client-data-no-challenge', 'clientDataJSON without challenge.', {
  clientDataBytes: Buffer.from(JSON.stringify({ type: 'webauthn.create', origin: RP.origins[0] })), expect: 'passkey_response_invalid',
});
registration('reg-cross-origin-not-boolean', 'crossOrigin as a string.', { cd: { crossOrigin: 'false' }, expect: 'passkey_response_invalid' });
registration('reg-id-not-base64url', 'id and rawId in padded base64.', { credentialId: `${b64u(credentialIdFor('x'))}=`, rawId: `${b64u(credentialIdFor('x'))}=`, expect: 'passkey_response_invalid' });

// ---------------------------------------------------------------------------------------------
// Assertion cases

function assertion(id, description, {
  key = ES, signer, label = id, flags = UP | UV, signCount = 5, rpId, extensions, authDataBytes, cd = {}, clientDataBytes,
  stored = {}, tamperClientData, signature, sigTransform, userHandle = b64u(Buffer.from('user-1234')), credentialId,
  requireUv = false, expectationChallenge, expect = 'ok', type = 'public-key',
}) {
  const challenge = challengeFor(label);
  const credId = credentialIdFor(label);
  const ad = authDataBytes || authData({ rpId, flags, signCount, extensions });
  const cdj = clientDataBytes || clientData({ type: 'webauthn.get', challenge, ...cd });
  let sig = signature || sign(signer || key, Buffer.concat([ad, sha256(cdj)]));
  if (sigTransform) sig = sigTransform(sig);
  const sentClientData = tamperClientData ? tamperClientData(cdj) : cdj;
  const response = { clientDataJSON: b64u(sentClientData), authenticatorData: b64u(ad), signature: typeof sig === 'string' ? sig : b64u(sig) };
  if (userHandle !== undefined) response.userHandle = userHandle;
  const c = {
    id, description, ceremony: 'assertion',
    credential: { id: credentialId || b64u(credId), rawId: credentialId || b64u(credId), type, response, clientExtensionResults: {}, authenticatorAttachment: 'platform' },
    stored: { public_key: b64u(stored.coseKey || cbor(key.cose)), sign_count: stored.signCount ?? 4, backup_eligible: stored.backupEligible ?? !!(flags & BE) },
    expectation: { challenge: b64u(expectationChallenge || challenge), require_user_verification: requireUv },
    expect,
  };
  if (expect === 'ok') c.result = { sign_count: signCount, user_verified: !!(flags & UV), backup_state: !!(flags & BS) };
  add(c);
}

// An ES256 signature's DER rebuilt with changes to r and s (their INTEGER contents).
function reDer(sig, fn) {
  const rLen = sig[3];
  const r = sig.subarray(4, 4 + rLen);
  const s = sig.subarray(6 + rLen);
  return fn(r, s);
}

assertion('asr-es256', 'ES256 assertion, counter 4 to 5.', { key: ES });
assertion('asr-eddsa', 'EdDSA assertion.', { key: ED });
assertion('asr-rs256', 'RS256 assertion.', { key: RS });
assertion('asr-synced-counter-zero', 'A synced passkey: counter 0 stored and reported, BE and BS.', { flags: UP | UV | BE | BS, signCount: 0, stored: { signCount: 0 } });
assertion('asr-counter-from-zero', 'Stored 0, reported 1.', { signCount: 1, stored: { signCount: 0 } });
assertion('asr-up-only', 'UP without UV, UV not required.', { flags: UP });
assertion('asr-uv-required-present', 'UV required and performed.', { requireUv: true });
assertion('asr-no-user-handle', 'userHandle absent.', { userHandle: undefined });
assertion('asr-null-user-handle', 'userHandle null.', { userHandle: null });
assertion('asr-extensions-with-flag', 'Extension data with the ED flag.', { flags: UP | UV | ED_FLAG, extensions: cbor(map(['appid', false])) });
assertion('asr-high-r-der', 'An ES256 signature whose DER integers need a leading zero (key ES, searched label).', { key: ES, label: 'asr-high-r-der-1' });

assertion('asr-counter-regressed', 'Stored 10, reported 9.', { signCount: 9, stored: { signCount: 10 }, expect: 'passkey_counter_regressed' });
assertion('asr-counter-equal', 'Stored 10, reported 10.', { signCount: 10, stored: { signCount: 10 }, expect: 'passkey_counter_regressed' });
assertion('asr-counter-zero-after-nonzero', 'Stored 10, reported 0.', { signCount: 0, stored: { signCount: 10 }, expect: 'passkey_counter_regressed' });
assertion('asr-wrong-type', 'clientData type "webauthn.create" at sign-in.', { cd: { type: 'webauthn.create' }, expect: 'passkey_response_invalid' });
assertion('asr-wrong-challenge', 'Another challenge.', { expectationChallenge: challengeFor('another'), expect: 'passkey_challenge_invalid' });
assertion('asr-wrong-origin', 'An origin not in the list.', { cd: { origin: 'http://example.test' }, expect: 'passkey_origin_invalid' });
assertion('asr-cross-origin', 'crossOrigin true.', { cd: { crossOrigin: true }, expect: 'passkey_origin_invalid' });
assertion('asr-rp-id-mismatch', 'Authenticator data for another RP ID.', { rpId: 'sub.example.test', expect: 'passkey_rp_id_mismatch' });
assertion('asr-up-missing', 'UP not set.', { flags: UV, expect: 'passkey_user_presence_required' });
assertion('asr-uv-required-missing', 'UV required, not performed.', { flags: UP, requireUv: true, expect: 'passkey_user_verification_required' });
assertion('asr-be-changed', 'BE set at registration, not now.', { flags: UP | UV, stored: { backupEligible: true }, expect: 'passkey_response_invalid' });
assertion('asr-be-appeared', 'BE not set at registration, set now.', { flags: UP | UV | BE, stored: { backupEligible: false }, expect: 'passkey_response_invalid' });
assertion('asr-bs-without-be', 'BS without BE.', { flags: UP | UV | BS, expect: 'passkey_response_invalid' });
assertion('asr-attested-flag', 'AT set in an assertion.', { flags: UP | UV | AT, expect: 'passkey_response_invalid' });
assertion('asr-es256-other-key', 'Signed by another P-256 key.', { signer: ES_OTHER, expect: 'passkey_signature_invalid' });
assertion('asr-eddsa-other-key', 'Signed by another Ed25519 key.', { key: ED, signer: ED_OTHER, expect: 'passkey_signature_invalid' });
assertion('asr-rs256-other-key', 'Signed by another RSA key.', { key: RS, signer: RS_OTHER, expect: 'passkey_signature_invalid' });
assertion('asr-client-data-changed', 'clientDataJSON changed after signing (same challenge and origin).', {
  tamperClientData: (cdj) => Buffer.from(cdj.toString().replace('}', ',"x":1}')), expect: 'passkey_signature_invalid',
});
assertion('asr-es256-raw-signature', 'An ES256 signature as r || s, not DER.', {
  sigTransform: (sig) => reDer(sig, (r, s) => Buffer.concat([toBytes32(toInt(r)), toBytes32(toInt(s))])), expect: 'passkey_signature_invalid',
});
assertion('asr-der-non-minimal-r', 'DER with an extra leading zero in r.', {
  sigTransform: (sig) => reDer(sig, (r, s) => derSeq(Buffer.concat([derInt(Buffer.concat([hex('00'), r])), derInt(s)]))), expect: 'passkey_signature_invalid',
});
assertion('asr-der-trailing-byte', 'DER followed by a byte (lengths adjusted).', {
  sigTransform: (sig) => reDer(sig, (r, s) => derSeq(Buffer.concat([derInt(r), derInt(s), hex('00')]))), expect: 'passkey_signature_invalid',
});
assertion('asr-der-trailing-outside', 'DER followed by a byte after the sequence.', {
  sigTransform: (sig) => Buffer.concat([sig, hex('00')]), expect: 'passkey_signature_invalid',
});
assertion('asr-der-r-zero', 'DER with r = 0.', { sigTransform: (sig) => reDer(sig, (r, s) => derSeq(Buffer.concat([derInt(hex('00')), derInt(s)]))), expect: 'passkey_signature_invalid' });
assertion('asr-der-s-too-long', 'DER with a 33-byte s.', { sigTransform: (sig) => reDer(sig, (r, s) => derSeq(Buffer.concat([derInt(r), derInt(Buffer.concat([hex('01'), toBytes32(toInt(s))]))]))), expect: 'passkey_signature_invalid' });
assertion('asr-der-negative-r', 'DER with a negative r.', { sigTransform: (sig) => reDer(sig, (r, s) => derSeq(Buffer.concat([derInt(hex('ff01')), derInt(s)]))), expect: 'passkey_signature_invalid' });
assertion('asr-der-long-form-length', 'DER with a long-form sequence length.', {
  sigTransform: (sig) => Buffer.concat([hex('3081'), sig.subarray(1)]), expect: 'passkey_signature_invalid',
});
assertion('asr-der-s-equals-n', 'DER with s = n (the group order).', {
  sigTransform: (sig) => reDer(sig, (r) => derSeq(Buffer.concat([derInt(r), derInt(derIntContent(toBytes32(P256.n)))]))), expect: 'passkey_signature_invalid',
});
assertion('asr-eddsa-truncated', 'An Ed25519 signature of 63 bytes.', { key: ED, sigTransform: (sig) => sig.subarray(0, 63), expect: 'passkey_signature_invalid' });
assertion('asr-rs256-truncated', 'An RSA signature one byte short.', { key: RS, sigTransform: (sig) => sig.subarray(1), expect: 'passkey_signature_invalid' });
assertion('asr-auth-data-truncated', 'Authenticator data of 36 bytes.', { authDataBytes: authData({ flags: UP | UV }).subarray(0, 36), expect: 'passkey_response_invalid' });
assertion('asr-extension-flag-without-data', 'ED set, no extension data.', { flags: UP | UV | ED_FLAG, expect: 'passkey_response_invalid' });
assertion('asr-extension-data-without-flag', 'Extension data no flag announces.', { extensions: cbor(map(['appid', false])), expect: 'passkey_response_invalid' });
assertion('asr-extensions-not-a-map', 'Extension data that is not a map.', { flags: UP | UV | ED_FLAG, extensions: cbor(1), expect: 'cbor_invalid' });
assertion('asr-extensions-tagged', 'Extension data with a CBOR tag.', { flags: UP | UV | ED_FLAG, extensions: hex('a16161c001'), expect: 'cbor_invalid' });
assertion('asr-signature-not-base64url', 'A signature in standard base64.', { signature: '+/+/', expect: 'passkey_response_invalid' });
assertion('asr-type-not-public-key', 'type is not "public-key".', { type: 'public_key', expect: 'passkey_response_invalid' });
assertion('asr-stored-key-unsupported', 'A stored key of an algorithm not offered.', {
  stored: { coseKey: cbor(map([1, 2], [3, -35], [-1, 2], [-2, Buffer.alloc(48, 1)], [-3, Buffer.alloc(48, 2)])) }, expect: 'passkey_algorithm_unsupported',
});

// ---------------------------------------------------------------------------------------------
// The WebAuthn Level 3 specification's own test vectors (§16, "Test Vectors"; generated by the
// specification's test-vectors/webauthn-test-vectors.py, relying party example.org), written to
// spec-level3.json: the bytes exactly as published, plus a few changed copies.

const SPEC_RP = { id: 'example.org', origins: ['https://example.org'] };
const specCases = [];
function specCase(c) {
  if (specCases.some((x) => x.id === c.id)) fail(`duplicate spec case ${c.id}`);
  specCases.push(c);
}
const specRegistration = (id, description, { credentialId, clientDataJSON, attestationObject, challenge, expect, result }) => specCase({
  id, description, ceremony: 'registration',
  credential: {
    id: b64u(hex(credentialId)), rawId: b64u(hex(credentialId)), type: 'public-key',
    response: { clientDataJSON: b64u(hex(clientDataJSON)), attestationObject: b64u(hex(attestationObject)) }, clientExtensionResults: {},
  },
  expectation: { challenge: b64u(hex(challenge)), require_user_verification: false },
  expect, ...(result ? { result } : {}),
});
const specAssertion = (id, description, { credentialId, authenticatorData, clientDataJSON, signature, challenge, stored, expect, result }) => specCase({
  id, description, ceremony: 'assertion',
  credential: {
    id: b64u(hex(credentialId)), rawId: b64u(hex(credentialId)), type: 'public-key',
    response: { clientDataJSON: b64u(hex(clientDataJSON)), authenticatorData: b64u(hex(authenticatorData)), signature: b64u(hex(signature)) },
    clientExtensionResults: {},
  },
  stored, expectation: { challenge: b64u(hex(challenge)), require_user_verification: false },
  expect, ...(result ? { result } : {}),
});

// §16.2 ES256 credential, attestation "none".
const S2 = {
  credentialId: 'f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4',
  coseKey: 'a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220',
  registration: {
    challenge: '00c30fb78531c464d2b6771dab8d7b603c01162f2fa486bea70f283ae556e130',
    clientDataJSON: '7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a22414d4d507434557878475453746e63647134313759447742466938767049612d7077386f4f755657345441222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a20426b5165446a646354427258426941774a544c453551227d',
    attestationObject: 'a363666d74646e6f6e656761747453746d74a068617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b559000000008446ccb9ab1db374750b2367ff6f3a1f0020f91f391db4c9b2fde0ea70189cba3fb63f579ba6122b33ad94ff3ec330084be4a5010203262001215820afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61225820930a56b87a2fca66334b03458abf879717c12cc68ed73290af2e2664796b9220',
  },
  assertion: {
    challenge: '39c0e7521417ba54d43e8dc95174f423dee9bf3cd804ff6d65c857c9abf4d408',
    authenticatorData: 'bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b51900000000',
    clientDataJSON: '7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a224f63446e55685158756c5455506f334a5558543049393770767a7a59425039745a63685879617630314167222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73657d',
    signature: '3046022100f50a4e2e4409249c4a853ba361282f09841df4dd4547a13a87780218deffcd380221008480ac0f0b93538174f575bf11a1dd5d78c6e486013f937295ea13653e331e87',
  },
};
if (!cbor(ES.cose).length) fail('encoder broken');
specRegistration('spec-16.2-registration', '§16.2: ES256 credential, attestation "none" (flags UP, BE, BS, AT).', {
  credentialId: S2.credentialId, ...S2.registration, expect: 'ok',
  result: {
    credential_id: b64u(hex(S2.credentialId)), public_key: b64u(hex(S2.coseKey)), algorithm: -7, sign_count: 0,
    aaguid: b64u(hex('8446ccb9ab1db374750b2367ff6f3a1f')), user_verified: false, backup_eligible: true, backup_state: true,
    attestation_format: 'none',
  },
});
specRegistration('spec-16.2-registration-other-challenge', '§16.2 registration answered with another challenge expected.', {
  credentialId: S2.credentialId, ...S2.registration, challenge: S2.assertion.challenge, expect: 'passkey_challenge_invalid',
});
const S2_STORED = { public_key: b64u(hex(S2.coseKey)), sign_count: 0, backup_eligible: true };
specAssertion('spec-16.2-assertion', '§16.2: the ES256 assertion (counter 0, stored 0).', {
  credentialId: S2.credentialId, ...S2.assertion, stored: S2_STORED, expect: 'ok',
  result: { sign_count: 0, user_verified: false, backup_state: true },
});
specAssertion('spec-16.2-assertion-counter-stored', '§16.2 assertion (counter 0) after a stored counter of 3.', {
  credentialId: S2.credentialId, ...S2.assertion, stored: { ...S2_STORED, sign_count: 3 }, expect: 'passkey_counter_regressed',
});
const flipLast = (h) => h.slice(0, -2) + (parseInt(h.slice(-2), 16) ^ 1).toString(16).padStart(2, '0');
specAssertion('spec-16.2-assertion-signature-changed', '§16.2 assertion with the last byte of s changed.', {
  credentialId: S2.credentialId, ...S2.assertion, signature: flipLast(S2.assertion.signature), stored: S2_STORED, expect: 'passkey_signature_invalid',
});

// §16.4 ES256 credential made with "crossOrigin": true: refused here.
specRegistration('spec-16.4-registration-cross-origin', '§16.4: registration with "crossOrigin": true in clientDataJSON.', {
  credentialId: '6e1050c0d2ca2f07c755cb2c66a74c64fa43065c18f938354d9915db2bd5ce57',
  challenge: '3be5aacd03537142472340ab5969f240f1d87716e20b6807ac230655fa4b3b49',
  clientDataJSON: '7b2274797065223a22776562617574686e2e637265617465222c226368616c6c656e6765223a224f2d57717a514e5463554a484930437257576e7951504859647862694332674872434d475666704c4f306b222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a747275652c22657874726144617461223a22636c69656e74446174614a534f4e206d617920626520657874656e6465642077697468206164646974696f6e616c206669656c647320696e20746865206675747572652c207375636820617320746869733a207a5a7175457444523944577170573574425754467567227d',
  attestationObject: 'a363666d74646e6f6e656761747453746d74a068617574684461746158a4bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b54500000000883f4f6014f19c09d87aa38123be48d000206e1050c0d2ca2f07c755cb2c66a74c64fa43065c18f938354d9915db2bd5ce57a501020326200121582022200a473f90b11078851550d03b4e44a2279f8c4eca27b3153dedfe03e4e97d225820cbd0be95e746ad6f5a8191be11756e4c0420e72f65b466d39bc56b8b123a9c6e',
  expect: 'passkey_origin_invalid',
});

// §16.10 RS256 credential (packed attestation): the assertion. The credential's modulus is the
// product of the Mersenne primes 2^1279 - 1 and 2^2203 - 1 (as the specification says), e = 65537.
const specN = ((1n << 1279n) - 1n) * ((1n << 2203n) - 1n);
const specNBytes = Buffer.from(specN.toString(16).padStart(872, '0'), 'hex');
if (specNBytes.length !== 436) fail('spec RSA modulus size');
const S10_KEY = cbor(map([1, 3], [3, -257], [-1, specNBytes], [-2, hex('010001')]));
const S10 = {
  credentialId: '992a18acc83f67533600c1138a4b4c4bd236de13629cf025ed17cb00b00b74df',
  challenge: '295f59f5fa8fe62c5aca9e27626c78c8da376ae6d8cd2dd29aebad601e1bc4c5',
  authenticatorData: 'bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b51900000000',
  clientDataJSON: '7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a224b56395a39667150356978617970346e596d7834794e6f33617562597a5333536d75757459423462784d55222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73657d',
  signature: '01063d52d7c39b4d432fc7063c5d93e582bdcb16889cd71f888d67d880ea730a428498d3bc8e1ee11f2b1ecbe6c292b118c55ffaaddefa8cad0a54dd137c51f1eec673f1bb6c4d1789d6826a222b22d0f585fc901fdc933212e579d199b89d672aa44891333e6a1355536025e82b25590256c3538229b55737083b2f6b9377e49e2472f11952f79fdd0da180b5ffd901b4049a8f081bb40711bef76c62aed943571f2d0575304cb549d68d8892f95086a30f93716aee818f8dc06e96c0d5e0ed4cfa9fd8773d90464b68cf140f7986666ff9c9e3302acd0535d60d769f465e2ab57ef8aabc89fccfef7ba32a64154a8b3d26be2298f470b8cc5377dbe3dfd4b0b45f8f01e63bde6cfc76b62771f9b70aa27cf40152cad93aa5acd784fd4b90f676e2ea828d0bf2400aebbaae4153e5838f537f88b6228346782a93a899be66ec77de45b3efcf311da6321c92e6b0cd11bfe653bf3e98cee8e341f02d67dbb6f9c98d9e8178090cfb5b70fbc6d541599ac794ae2f1d4de1286ec8de8c2daf7b1d15c8438e90d924df5c19045220a4c8438c1b979bbe016cf3d0eeec23c3999d4882cc645b776de930756612cdc6dd398160ff02a6',
};
// The specification's registration carries this key; its bytes are checked against the published attestation object's tail.
const S10_KEY_TAIL = '2143010001';
if (!S10_KEY.toString('hex').startsWith('a4010303390100205901b403ffffff') || !S10_KEY.toString('hex').endsWith(`0001${S10_KEY_TAIL}`)) fail('spec RS256 key');
specAssertion('spec-16.10-assertion-rs256', '§16.10: the RS256 assertion (a 3,482-bit key).', {
  ...S10, stored: { public_key: b64u(S10_KEY), sign_count: 0, backup_eligible: true }, expect: 'ok',
  result: { sign_count: 0, user_verified: false, backup_state: true },
});
specAssertion('spec-16.10-assertion-rs256-signature-changed', '§16.10 assertion with the signature\'s last byte changed.', {
  ...S10, signature: flipLast(S10.signature), stored: { public_key: b64u(S10_KEY), sign_count: 0, backup_eligible: true }, expect: 'passkey_signature_invalid',
});

// §16.11 Ed25519 credential (packed attestation): the assertion.
const S11 = {
  credentialId: 'ce9f840ed96599580cd140fbc7bb3230633f50f61041aff73308ae71caa8a2bd',
  challenge: '895957e01c633a698348a2d8a31a54b7db27e8c1c43b2080d79ae2190267bfd2',
  authenticatorData: 'bfabc37432958b063360d3ad6461c9c4735ae7f8edd46592a5e0f01452b2e4b50100000000',
  clientDataJSON: '7b2274797065223a22776562617574686e2e676574222c226368616c6c656e6765223a2269566c583442786a4f6d6d44534b4c596f7870557439736e364d48454f7943413135726947514a6e763949222c226f726967696e223a2268747470733a2f2f6578616d706c652e6f7267222c2263726f73734f726967696e223a66616c73657d',
  signature: 'f5c59c7e46c34f6f8cc197101ddf9934fa2595f68eb1913a637e8419eb9ba4cfdfc48f85393bc0d40b011f0d6fecb097d6607525713223a0dc0d453993dae00b',
};
const S11_STORED = { public_key: b64u(hex('a401010327200621582044e06ddd331c36a8dc667bab52bcae63486c916aa5e339e6acebaa84934bf832')), sign_count: 0, backup_eligible: false };
specAssertion('spec-16.11-assertion-eddsa', '§16.11: the Ed25519 assertion.', {
  ...S11, stored: S11_STORED, expect: 'ok', result: { sign_count: 0, user_verified: false, backup_state: false },
});
specAssertion('spec-16.11-assertion-eddsa-be-stored', '§16.11 assertion against a credential stored as backup eligible.', {
  ...S11, stored: { ...S11_STORED, backup_eligible: true }, expect: 'passkey_response_invalid',
});

// Each published signature is checked with node:crypto here too.
{
  const message = (a) => Buffer.concat([hex(a.authenticatorData), sha256(hex(a.clientDataJSON))]);
  const esKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(hex(S2.coseKey).subarray(10, 42)), y: b64u(hex(S2.coseKey).subarray(45, 77)) }, format: 'jwk' });
  const rsKey = createPublicKey({ key: { kty: 'RSA', n: b64u(specNBytes), e: 'AQAB' }, format: 'jwk' });
  const edKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(hex('44e06ddd331c36a8dc667bab52bcae63486c916aa5e339e6acebaa84934bf832')) }, format: 'jwk' });
  if (!cryptoVerify('sha256', message(S2.assertion), esKey, hex(S2.assertion.signature))) fail('spec §16.2 signature');
  if (!cryptoVerify('sha256', message(S10), rsKey, hex(S10.signature))) fail('spec §16.10 signature');
  if (!cryptoVerify(null, message(S11), edKey, hex(S11.signature))) fail('spec §16.11 signature');
}

// ---------------------------------------------------------------------------------------------
// Output

// The high-r case must exercise the leading zero; its label was searched for once.
const highR = cases.find((c) => c.id === 'asr-high-r-der');
const highSig = Buffer.from(highR.credential.response.signature, 'base64url');
if (highSig[3] !== 33) fail(`asr-high-r-der: r has ${highSig[3]} bytes; pick another label`);

const outputs = [
  [OUT_PATH, OUT_DISPLAY, cases, {
    description: 'Passkey (WebAuthn Level 3) registration and assertion cases for the core\'s relying-party checks. Generated by tests/vectors/gen/webauthn-cases.mjs; see README.md.',
    rp: RP,
  }],
  [path.join(path.dirname(OUT_PATH), 'spec-level3.json'), 'tests/vectors/webauthn/spec-level3.json', specCases, {
    description: 'The WebAuthn Level 3 specification\'s test vectors (§16.2, §16.4, §16.10, §16.11; https://w3c.github.io/webauthn/#sctn-test-vectors) in the shape of cases.json, with a few changed copies. Written by tests/vectors/gen/webauthn-cases.mjs; see README.md.',
    rp: SPEC_RP,
  }],
].map(([file, display, list, head]) => [file, display, list, `${JSON.stringify({ ...head, cases: list }, null, 1)}\n`]);

const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) {
  console.error('usage: node tests/vectors/gen/webauthn-cases.mjs [--check]');
  process.exit(2);
}
if (args.includes('--check')) {
  let stale = false;
  for (const [file, display, list, output] of outputs) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== output) {
      console.error(`${display} is out of date: run node tests/vectors/gen/webauthn-cases.mjs`);
      stale = true;
    } else {
      console.log(`${display} is up to date (${list.length} cases)`);
    }
  }
  if (stale) process.exit(1);
} else {
  for (const [file, display, list, output] of outputs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, output);
    console.log(`wrote ${display} (${list.length} cases)`);
  }
}
