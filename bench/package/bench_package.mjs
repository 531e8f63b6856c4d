// bench/package: the npm package as a user calls it, in one Node process.
// - verify/s of the wasm verifier against jose's jwtVerify on the same EdDSA
//   token, same checks (alg, kid, typ, signature, exp, iss, aud, required
//   claims). No verdict is cached: every call verifies the signature.
// - passwordStrength() latency percentiles over the strength corpus.
// - package size: the core and tools modules (.wasm + glue) and the JS, gzip -9.
// Usage: node bench/package/bench_package.mjs [seconds-per-round]
// Prints one JSON object per line. Medians of 7 rounds, the two verifiers
// measured back to back in each round.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jose from 'jose';

import { init, createVerifier, signJwt, generateEd25519Jwk, publicJwk, passwordStrength } from '../../wasm/js/index.js';
import { benchCorpus } from '../strength/corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const seconds = Number(process.argv[2] ?? 1);
const rounds = 7;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const report = (name, value, unit, extra = {}) => console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, ...extra }));

async function opsPerSecond(op, budgetMs) {
  for (let i = 0; i < 200; i++) await op();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < 64; i++) await op();
    count += 64;
  }
  return (count * 1000) / (performance.now() - start);
}

async function batchedOpsPerSecond(batch, size, budgetMs) {
  for (let i = 0; i < 4; i++) await batch();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    await batch();
    count += size;
  }
  return (count * 1000) / (performance.now() - start);
}

function syncOpsPerSecond(op, budgetMs) {
  for (let i = 0; i < 200; i++) op();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < 64; i++) op();
    count += 64;
  }
  return (count * 1000) / (performance.now() - start);
}

await init({ tools: true });
const now = Math.floor(Date.now() / 1000);
const key = generateEd25519Jwk();
const claims = {
  iss: 'http://127.0.0.1:8080', sub: '8c5d0a4e-4f6b-4c1e-9d35-0a3f2b7d9e11', aud: 'latchkey',
  iat: now, exp: now + 900, jti: 'Q2hlY2sgdGhlIGp0aSBzaXpl', sid: 'b7a1c0de-2f3e-4a5b-8c9d-0e1f2a3b4c5d',
  role: 'user', email: 'alice@example.com', email_verified: true,
};
const token = signJwt(key, claims); // the same token for both
const wasm = createVerifier({ jwks: { keys: [publicJwk(key)] }, issuer: claims.iss, audience: 'latchkey', typ: 'at+jwt', requiredClaims: ['sub', 'sid'] });
const joseKeys = jose.createLocalJWKSet({ keys: [publicJwk(key)] });
const joseOptions = { issuer: claims.iss, audience: 'latchkey', typ: 'at+jwt', requiredClaims: ['sub', 'sid', 'exp'], algorithms: ['EdDSA'] };

// Both must accept the token and refuse a tampered one, or the race is meaningless.
const tampered = token.slice(0, -10) + (token.at(-10) === 'A' ? 'B' : 'A') + token.slice(-9);
if (!wasm.verify(token).valid || wasm.verify(tampered).valid) throw new Error('wasm verdicts wrong');
await jose.jwtVerify(token, joseKeys, joseOptions);
if (await jose.jwtVerify(tampered, joseKeys, joseOptions).then(() => true, () => false)) throw new Error('jose verdicts wrong');

// jose is async: measured awaited one by one (how a request handler calls it)
// and 64 at a time under Promise.all. jose's Ed25519 check runs on libuv's
// thread pool (promisified crypto.verify), so the batched mode spreads over
// several cores while the wasm verifier is synchronous on one: besides
// verifies per wall-clock second, each mode is reported per CPU-second of the
// whole process (user + system, all threads), the per-core comparison.
async function withCpu(measure) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const rate = await measure();
  const used = process.cpuUsage(cpu);
  const wallSeconds = (performance.now() - start) / 1000;
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { rate, perCpu: (rate * wallSeconds) / cpuSeconds };
}
const joseBatch = () => Promise.all(Array.from({ length: 64 }, () => jose.jwtVerify(token, joseKeys, joseOptions)));
const series = { wasm: [], joseAwaited: [], joseBatched: [] };
const ratios = { wall: [], cpu: [], awaitedWall: [], awaitedCpu: [] };
for (let round = 0; round < rounds; round++) {
  const budget = (seconds * 1000) / 3;
  const w = await withCpu(() => syncOpsPerSecond(() => wasm.verify(token).valid, budget));
  const ja = await withCpu(() => opsPerSecond(() => jose.jwtVerify(token, joseKeys, joseOptions), budget));
  const jb = await withCpu(() => batchedOpsPerSecond(joseBatch, 64, budget));
  series.wasm.push(w);
  series.joseAwaited.push(ja);
  series.joseBatched.push(jb);
  ratios.wall.push(w.rate / Math.max(ja.rate, jb.rate));
  ratios.cpu.push(w.perCpu / Math.max(ja.perCpu, jb.perCpu));
  ratios.awaitedWall.push(w.rate / ja.rate);
  ratios.awaitedCpu.push(w.perCpu / ja.perCpu);
}
const joseVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/jose/package.json'), 'utf8')).version;
report('token_bytes', token.length, 'bytes');
for (const [name, values] of Object.entries(series)) {
  report(`verify_${name}`, median(values.map((v) => v.rate)), 'ops/s', { per_cpu_second: Math.round(median(values.map((v) => v.perCpu))), ...(name === 'wasm' ? {} : { jose: joseVersion }) });
}
report('wasm_over_best_jose_wall', median(ratios.wall), 'x', { target: 1.1 });
report('wasm_over_best_jose_per_cpu', median(ratios.cpu), 'x', { target: 1.1 });
report('wasm_over_awaited_jose_wall', median(ratios.awaitedWall), 'x');
report('wasm_over_awaited_jose_per_cpu', median(ratios.awaitedCpu), 'x');

// passwordStrength: per-call latency over a varied corpus (8..64 code points).
const corpus = benchCorpus(100);
const passwords = Object.values(corpus.lengths).flat();
for (const p of passwords.slice(0, 50)) passwordStrength(p);
const times = [];
for (let round = 0; round < 3; round++) {
  for (const p of passwords) {
    const start = performance.now();
    passwordStrength(p, { userInputs: ['alice@example.com', 'Alice Example'] });
    times.push(performance.now() - start);
  }
}
times.sort((a, b) => a - b);
const pct = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
report('passwordStrength_p50', pct(0.5), 'ms', { calls: times.length });
report('passwordStrength_p95', pct(0.95), 'ms');
report('passwordStrength_max', times.at(-1), 'ms');

// Size of the package's files, each gzip -9 (what a page loads as is, without
// a bundler; bundle_sizes.mjs measures a Vite build): the core module (init())
// and the tools module (init({ tools: true })) apart.
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const jsDir = path.join(root, 'wasm/js');
const jsFiles = readdirSync(jsDir).filter((f) => f.endsWith('.js'));
const jsBytes = jsFiles.reduce((sum, f) => sum + gz(path.join(jsDir, f)), 0);
const dist = (file) => gz(path.join(root, 'wasm/dist', file));
const core = { wasm: dist('latchkey_core.wasm'), glue: dist('latchkey_core.mjs') };
const tools = { wasm: dist('latchkey_tools.wasm'), glue: dist('latchkey_tools.mjs') };
report('size_core_wasm_gzip', core.wasm, 'bytes');
report('size_core_glue_gzip', core.glue, 'bytes');
report('size_tools_wasm_gzip', tools.wasm, 'bytes');
report('size_tools_glue_gzip', tools.glue, 'bytes');
report('size_js_gzip', jsBytes, 'bytes', { files: jsFiles.length });
report('size_core_path_gzip', core.wasm + core.glue + jsBytes, 'bytes', { what: 'init(): verify + AuthClient, unbundled' });
report('size_total_gzip', core.wasm + core.glue + tools.wasm + tools.glue + jsBytes, 'bytes');
wasm.dispose();
