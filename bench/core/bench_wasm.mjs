// bench_wasm: the wasm build's throughput in Node, through the package's JS
// entry exactly as a user calls it (embind copies and JSON included).
// Usage: node bench/core/bench_wasm.mjs [seconds]   (default 1: one of 7 rounds)
// Medians of 7 rounds, the ratio measured back to back per round, as in
// bench_core. Prints one JSON object per line, like bench_core.
import { init, createVerifier, signJwt, generateEd25519Jwk, publicJwk, hashPassword, primitives } from '../../wasm/js/index.js';

const seconds = Number(process.argv[2] ?? 1);
const rounds = 7;
let sink = false;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function opsPerSecond(op, seconds) {
  for (let i = 0; i < 100; i++) sink = op();
  let count = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 64; i++) sink = op();
    count += 64;
  }
  return (count * 1000) / (performance.now() - start);
}

function medianOpsPerSecond(op) {
  return median(Array.from({ length: rounds }, () => opsPerSecond(op, seconds / 2)));
}

const report = (name, value, unit) => console.log(JSON.stringify({ build: 'wasm', name, value: Math.round(value * 10) / 10, unit }));

await init();
const now = 1_800_000_000;
const edPrivate = generateEd25519Jwk();
const hsKey = { kty: 'oct', k: Buffer.alloc(32, 'h').toString('base64url') };
const claims = {
  iss: 'http://127.0.0.1:8080', sub: '8c5d0a4e-4f6b-4c1e-9d35-0a3f2b7d9e11', aud: 'latchkey',
  iat: now, exp: now + 900, jti: 'Q2hlY2sgdGhlIGp0aSBzaXpl', sid: 'b7a1c0de-2f3e-4a5b-8c9d-0e1f2a3b4c5d',
  role: 'user', email: 'alice@example.com', email_verified: true,
};
const edToken = signJwt(edPrivate, claims);
const hsToken = signJwt(hsKey, claims);
const policy = { issuer: 'http://127.0.0.1:8080', audience: 'latchkey', typ: 'at+jwt', required_claims: ['sub', 'sid'] };
const edVerifier = createVerifier({ ...policy, algorithms: ['EdDSA'], jwks: { keys: [publicJwk(edPrivate)] } });
const hsVerifier = createVerifier({ ...policy, algorithms: ['HS256'], jwks: { keys: [hsKey] } });
if (!edVerifier.verify(edToken, now).valid || !hsVerifier.verify(hsToken, now).valid) throw new Error('bench tokens do not verify');

const dot = edToken.lastIndexOf('.');
const inputHex = Buffer.from(edToken.slice(0, dot)).toString('hex');
const sigHex = Buffer.from(edToken.slice(dot + 1), 'base64url').toString('hex');
const pkHex = primitives.base64UrlToHex(edPrivate.x).hex;

report('token_bytes', edToken.length, 'bytes');
const raw = [];
const full = [];
const ratio = [];
for (let round = 0; round < rounds; round++) {
  raw.push(opsPerSecond(() => primitives.ed25519Verify(pkHex, inputHex, sigHex), seconds / 2));
  full.push(opsPerSecond(() => edVerifier.verify(edToken, now).valid, seconds / 2));
  ratio.push((100 * full.at(-1)) / raw.at(-1));
}
report('ed25519_verify_raw', median(raw), 'ops/s');
report('jwt_verify_eddsa', median(full), 'ops/s');
report('jwt_verify_eddsa_vs_raw', median(ratio), '%');
report('jwt_verify_hs256', medianOpsPerSecond(() => hsVerifier.verify(hsToken, now).valid), 'ops/s');
report('jwt_sign_eddsa', medianOpsPerSecond(() => signJwt(edPrivate, claims).length > 0), 'ops/s');
report('jwt_sign_hs256', medianOpsPerSecond(() => signJwt(hsKey, claims).length > 0), 'ops/s');

const times = [];
for (let i = 0; i < 15; i++) {
  const start = performance.now();
  sink = hashPassword('correct horse battery staple').length > 0;
  times.push(performance.now() - start);
}
report('argon2id_t2_m19456_p1_median', median(times), 'ms');
edVerifier.dispose();
hsVerifier.dispose();

