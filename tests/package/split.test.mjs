// The package split (issue 15): init() loads only the core module (token
// verification, AuthClient's refresh machine); the tools module (strength
// estimator word lists, signing, hashing) loads with init({ tools: true }) or
// loadTools(), and a call before that says how to load it. A Vite build of
// the verify-and-refresh path stays within 120 KB gzip (wasm + JS) and never
// fetches the tools module, nor the pk module (RS256/PS256/ES256, issue 16),
// whose size is reported with the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot } from './helpers.mjs';
import { bundleSizes } from '../../bench/package/bundle_sizes.mjs';

// A fresh Node process, so that no other test has loaded the tools already.
function run(script) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

test('init() loads the core only: verification works, the tools say how to load them', () => {
  const out = run(`
import * as lk from './wasm/js/index.js';
await lk.init();
const verifier = lk.createVerifier({ jwks: { keys: [] } });
const verdict = verifier.verify('a.b.c');
let before;
try { lk.passwordStrength('hunter2'); } catch (e) { before = { code: e.code, message: e.message }; }
let signBefore;
try { lk.signJwt({}, {}); } catch (e) { signBefore = e.code; }
await lk.loadTools();
const key = lk.generateEd25519Jwk();
const token = lk.signJwt(key, { sub: 'u', exp: Math.floor(Date.now() / 1000) + 60 });
const after = lk.createVerifier({ jwks: { keys: [lk.publicJwk(key)] } }).verify(token).valid;
console.log(JSON.stringify({ verdict, before, signBefore, score: lk.passwordStrength('velvet quartz lantern nimbus').score, after }));
`);
  assert.deepEqual(out.verdict, { valid: false, code: 'token_malformed' });
  assert.equal(out.before.code, 'not_initialized');
  assert.match(out.before.message, /passwordStrength is in the tools module, loaded on demand: call and await init\(\{ tools: true \}\)/);
  assert.equal(out.signBefore, 'not_initialized');
  assert.equal(out.score, 4);
  assert.equal(out.after, true);
});

test('init({ tools: true }) loads both, and is idempotent with init()', () => {
  const out = run(`
import * as lk from './wasm/js/index.js';
await lk.init({ tools: true });
const same = lk.init() === lk.init();
console.log(JSON.stringify({ same, acceptable: lk.checkPassword('password').acceptable, policy: typeof lk.passwordPolicy().min_length }));
`);
  assert.deepEqual(out, { same: true, acceptable: false, policy: 'number' });
});

test('a Vite build of the verify-and-refresh path is at most 120 KB gzip and leaves the tools out', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-split-'));
  try {
    const sizes = await bundleSizes(dir, { latchkey: repoRoot });
    const small = sizes.find((s) => s.name === 'latchkey: createVerifier + AuthClient');
    assert.ok(small.initialGzip <= 120 * 1024, `verify-and-refresh path is ${small.initialGzip} bytes gzip`);
    assert.ok(!small.initialFiles.some((f) => /tools/.test(f)), `tools in the initial load: ${small.initialFiles.join(', ')}`);
    assert.ok(small.lazyFiles.some((f) => /tools.*\.wasm$/.test(f)), `no lazy tools wasm: ${small.lazyFiles.join(', ')}`);
    assert.ok(!small.initialFiles.some((f) => /latchkey_pk/.test(f)), `pk in the initial load: ${small.initialFiles.join(', ')}`);
    assert.ok(small.lazyFiles.some((f) => /latchkey_pk.*\.wasm$/.test(f)), `no lazy pk wasm: ${small.lazyFiles.join(', ')}`);
    const pk = sizes.find((s) => s.name.startsWith('latchkey: createVerifier RS256'));
    const pkWasm = Object.entries(pk.sizes).find(([f]) => /latchkey_pk.*\.wasm$/.test(f));
    assert.ok(pkWasm, 'the RS256 build emits the pk wasm');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Issue 16: RS256/PS256/ES256 live in the pk module; the core module did not
// grow for them. At main a3ff6e8 (before them) latchkey_core.wasm was 209,022
// bytes (103,679 gzip -9 by zlib); with them left out by LATCHKEY_PK=0 it is
// 208,860 (103,780 gzip: +101 compressed bytes from the shared Jwk layout).
test('the core module does not grow with the pk module next to it', () => {
  const wasm = readFileSync(path.join(repoRoot, 'wasm/dist/latchkey_core.wasm'));
  // A budget, not a freeze: new error codes and their messages live in the
  // core (about 100 bytes each), while any of the pk module's RSA/EC code
  // (128 KB) would blow it at once. 209,022 bytes (103,679 gzip) before RS256/ES256.
  assert.ok(wasm.length <= 209_022 + 4096, `latchkey_core.wasm is ${wasm.length} bytes`);
  const gzip = gzipSync(wasm, { level: 9 }).length;
  assert.ok(gzip <= 103_679 + 2048, `latchkey_core.wasm is ${gzip} bytes gzip`);
});
