// `npm pack` gives a tarball that installs into an empty project (offline:
// the package has no dependencies) and works there against a live server:
// offline verification through jwksUrl, the strength meter, a client that
// signs up and calls the API. The same typed example compiles there too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, copyFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, repoRoot } from './helpers.mjs';

let server;
let dir;
let tarball;

before(async () => {
  server = await startServer(['--rate-signup', 'off']);
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-pack-'));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' }));
  tarball = { path: path.join(dir, packed.filename), files: packed.files.map((f) => f.path), size: packed.size };
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the tarball holds the module, its wasm and declarations, and nothing else', () => {
  const files = tarball.files;
  for (const needed of ['package.json', 'wasm/js/index.js', 'wasm/js/index.d.ts', 'wasm/js/auth-client.js', 'wasm/dist/latchkey_core.mjs', 'wasm/dist/latchkey_core.wasm', 'wasm/dist/latchkey_tools.mjs', 'wasm/dist/latchkey_tools.wasm', 'wasm/dist/latchkey_pk.mjs', 'wasm/dist/latchkey_pk.wasm', 'wasm/dist/error-codes.d.ts']) {
    assert.ok(files.includes(needed), `missing ${needed}`);
  }
  const stray = files.filter((f) => !/^(package\.json|README\.md|LICENSE|wasm\/js\/[\w-]+\.(js|d\.ts)|wasm\/dist\/(latchkey_(core|tools|pk)\.(mjs|wasm)|error-codes\.d\.ts))$/.test(f));
  assert.deepEqual(stray, []);
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(Object.keys(manifest.exports['.']), ['types', 'default'], 'types first');
});

test('installs offline into an empty project, where the example runs against the server and type-checks', () => {
  const project = path.join(dir, 'app');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  execFileSync('npm', ['install', tarball.path, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, encoding: 'utf8' });
  writeFileSync(path.join(project, 'example.mjs'), `
import { init, createVerifier, passwordStrength, AuthClient } from 'latchkey';
await init({ tools: true });
const baseUrl = process.argv[2];
const client = new AuthClient({ baseUrl });
const session = await client.signup({ email: 'pack-' + Date.now() + '@example.com', password: 'velvet quartz lantern nimbus' });
const verifier = createVerifier({ jwksUrl: baseUrl + '/.well-known/jwks.json', audience: 'latchkey' });
const verdict = await verifier.verify(session.access_token);
const me = await client.request('/auth/me');
console.log(JSON.stringify({ valid: verdict.valid, sub: verdict.claims?.sub, me: me.id, score: passwordStrength('password1').score }));
`);
  const output = JSON.parse(execFileSync(process.execPath, ['example.mjs', server.base], { cwd: project, encoding: 'utf8', timeout: 30_000 }));
  assert.equal(output.valid, true);
  assert.equal(output.sub, output.me);
  assert.ok(output.score <= 1);
  // The declarations as an installed package: the typed example compiles in the app too.
  copyFileSync(path.join(repoRoot, 'tests/package/typed-example.ts'), path.join(project, 'typed-example.ts'));
  copyFileSync(path.join(repoRoot, 'tests/package/tsconfig.json'), path.join(project, 'tsconfig.json'));
  try {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`tsc failed in the app:\n${error.stdout}${error.stderr}`);
  }
});
