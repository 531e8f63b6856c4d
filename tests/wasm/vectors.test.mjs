// The shared vector files through the wasm build's JS entry: every case must
// give the expected verdict AND the same verdict as the native build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { init, createVerifier, jwkThumbprint, publicJwk, primitives, AuthError } from '../../wasm/js/index.js';
import { loadedPk } from '../../wasm/js/core.js';
import { loadVectors, nativeVerdicts } from './helpers.mjs';

// The pk module too: the catalogue has RS256/PS256/ES256 cases.
before(() => init({ tools: true, pk: true }));

const hex = (text) => Buffer.from(text, 'utf8').toString('hex');

function verdictFor(config, token, now) {
  let verifier;
  try {
    verifier = createVerifier(config);
  } catch (error) {
    if (error instanceof AuthError) return error.code;
    throw error;
  }
  try {
    const result = verifier.verify(token, now);
    return result.valid ? 'ok' : result.code;
  } finally {
    verifier.dispose();
  }
}

function assertSameAsNativeAndExpected(kind, file, wasmVerdicts, expected, minimum) {
  const native = nativeVerdicts(kind, file);
  assert.ok(wasmVerdicts.size >= minimum, `only ${wasmVerdicts.size} cases`);
  assert.equal(native.size, wasmVerdicts.size, 'both builds ran the same cases');
  const mismatches = [];
  for (const [id, verdict] of wasmVerdicts) {
    if (verdict !== expected.get(id)) mismatches.push(`${id}: wasm ${verdict}, expected ${expected.get(id)}`);
    if (verdict !== native.get(id)) mismatches.push(`${id}: wasm ${verdict}, native ${native.get(id)}`);
  }
  assert.deepEqual(mismatches, []);
}

test('JWT attack catalogue: wasm verdicts equal the expected and the native ones', () => {
  const file = loadVectors('jwt-cases.json');
  const wasm = new Map(file.cases.map((c) => [c.id, verdictFor(c.verifier, c.token, c.now)]));
  const expected = new Map(file.cases.map((c) => [c.id, c.expect]));
  assertSameAsNativeAndExpected('jwt', 'jwt-cases.json', wasm, expected, 150);
});

for (const name of ['wycheproof/ed25519_test.json', 'wycheproof/eddsa_test.json']) {
  test(`Wycheproof ${name}: same verdicts in wasm and native`, () => {
    const file = loadVectors(name);
    const wasm = new Map();
    const expected = new Map();
    for (const group of file.testGroups) {
      const pk = group.publicKey?.pk ?? group.key.pk;
      for (const t of group.tests) {
        wasm.set(String(t.tcId), primitives.ed25519Verify(pk, t.msg, t.sig) ? 'valid' : 'invalid');
        expected.set(String(t.tcId), t.result);
      }
    }
    assertSameAsNativeAndExpected('ed25519', name, wasm, expected, 145);
  });
}

test('Wycheproof HMAC-SHA256: same verdicts in wasm and native', () => {
  const file = loadVectors('wycheproof/hmac_sha256_test.json');
  const wasm = new Map();
  const expected = new Map();
  for (const group of file.testGroups) {
    for (const t of group.tests) {
      const mac = primitives.hmacSha256(t.key, t.msg).slice(0, group.tagSize / 4);
      wasm.set(String(t.tcId), mac === t.tag ? 'valid' : 'invalid');
      expected.set(String(t.tcId), t.result);
    }
  }
  assertSameAsNativeAndExpected('hmac', 'wycheproof/hmac_sha256_test.json', wasm, expected, 174);
});

// RSA and ECDSA through the pk module's signature check (the verifier's own,
// VerifyJwsSignature), each key as a JWK; a refused key verifies nothing.
const b64u = (hex) => Buffer.from(hex, 'hex').toString('base64url');
const PK_FILES = [
  ['rsa_pkcs1', 'wycheproof/rsa_signature_2048_sha256_nss.json', 'RS256', 240],
  ['rsa_pss', 'wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256', 103],
  ['ecdsa_p1363', 'wycheproof/ecdsa_secp256r1_sha256_p1363_nss.json', 'ES256', 218],
];
for (const [kind, name, alg, minimum] of PK_FILES) {
  test(`Wycheproof ${name} (${alg}): same verdicts in the wasm pk module and native`, () => {
    const pk = loadedPk();
    const file = loadVectors(name);
    const wasm = new Map();
    const expected = new Map();
    for (const group of file.testGroups) {
      const jwk = alg === 'ES256'
        ? { kty: 'EC', crv: 'P-256', x: b64u(group.publicKey.wx), y: b64u(group.publicKey.wy) }
        : { kty: 'RSA', n: b64u(group.n), e: b64u(group.e) };
      for (const t of group.tests) {
        const verdict = pk.verifySignature(alg, JSON.stringify(jwk), t.msg, t.sig);
        wasm.set(String(t.tcId), verdict === 'valid' ? 'valid' : 'invalid');
        expected.set(String(t.tcId), t.result);
      }
    }
    assertSameAsNativeAndExpected(kind, name, wasm, expected, minimum);
  });
}

// Each RFC vector's checks, through the public JS functions.
function rfcVerdict(v) {
  const { inputs: i, expected: e } = v;
  const checks = [];
  const expect = (ok, what) => checks.push([ok, what]);
  if (v.name.startsWith('hmac-sha256-rfc4231')) {
    const mac = primitives.hmacSha256(i.key_hex, i.data_hex);
    expect(mac.slice(0, (e.truncate_to_bytes ?? 32) * 2) === e.mac_hex, 'mac');
  } else if (v.name === 'jws-hs256-rfc7515-a1') {
    const config = { algorithms: ['HS256'], jwks: { keys: [i.jwk] }, leeway_seconds: 0 };
    const input = e.signing_input_ascii;
    expect(primitives.hmacSha256(i.key_hex, hex(input)) === e.signature_hex, 'signature');
    expect(verdictFor(config, e.compact_serialization, 1300819379) === 'ok', 'verify');
    expect(verdictFor(config, e.compact_serialization, 1300819380) === 'token_expired', 'expiry');
  } else if (v.name === 'okp-ed25519-keys-rfc8037-a1-a2') {
    const pub = publicJwk(i.private_jwk);
    expect(pub.x === e.public_jwk.x && pub.d === undefined, 'x');
  } else if (v.name === 'jwk-thumbprint-ed25519-rfc8037-a3') {
    expect(jwkThumbprint(i.public_jwk) === e.thumbprint_b64url, 'thumbprint');
  } else if (v.name === 'jws-eddsa-ed25519-rfc8037-a4-a5') {
    const seed = primitives.base64UrlToHex(i.private_jwk.d).hex;
    const x = primitives.base64UrlToHex(i.private_jwk.x).hex;
    const input = hex(e.signing_input_ascii);
    expect(primitives.ed25519Sign(seed, input) === e.signature_hex, 'signature');
    expect(primitives.ed25519Verify(x, input, e.signature_hex), 'verify');
  } else if (v.name === 'totp-rfc6238-appendix-b') {
    for (const row of e) {
      expect(primitives.totp(i.seed_hex[row.mode], row.unix_time, row.mode, i.digits) === row.totp, `totp ${row.mode} at ${row.utc}`);
    }
  } else if (v.name === 'pkce-s256-rfc7636-appendix-b') {
    const digest = primitives.sha256(hex(i.code_verifier));
    expect(Buffer.from(digest, 'hex').toString('base64url') === e.code_challenge, 'challenge');
  } else {
    return 'not_applicable';
  }
  const failed = checks.find(([ok]) => !ok);
  return failed ? `fail: ${failed[1]}` : 'pass';
}

test('RFC known answers and derived negatives: wasm passes and agrees with native', () => {
  const file = loadVectors('rfc-vectors.json');
  const wasm = new Map();
  const expected = new Map();
  for (const v of file.vectors) {
    wasm.set(v.name, rfcVerdict(v));
    expected.set(v.name, 'pass');
  }
  for (const v of file.derived_negative_vectors) {
    const spec = v.verifier_config;
    const config = { algorithms: spec.allowed_algs, jwks: { keys: [spec.key.public_jwk ?? spec.key.jwk] }, leeway_seconds: 0 };
    wasm.set(v.name, verdictFor(config, v.token, spec.clock_unix ?? 1300819379) === 'ok' ? 'accept' : 'reject');
    expected.set(v.name, v.expected);
  }
  // The native runner has its own checks per vector; "pass" must mean pass in both.
  assertSameAsNativeAndExpected('rfc', 'rfc-vectors.json', wasm, expected, 20);
});
