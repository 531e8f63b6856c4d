// `npm pack` in a checkout whose wasm is not built must not make a tarball
// without wasm/dist (it imports with ERR_MODULE_NOT_FOUND): where Emscripten
// is missing, prepack stops with a message naming what is missing and how to
// build it; where the core is built, the tarball holds it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, cpSync, rmSync, readdirSync, symlinkSync, realpathSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot } from './helpers.mjs';

let dir;
let bin; // PATH with node, npm and sh only: no emcmake, no cmake

// A checkout of the package's own files, without wasm/dist.
function checkout(name) {
  const at = path.join(dir, name);
  mkdirSync(path.join(at, 'wasm'), { recursive: true });
  cpSync(path.join(repoRoot, 'package.json'), path.join(at, 'package.json'));
  cpSync(path.join(repoRoot, 'wasm/js'), path.join(at, 'wasm/js'), { recursive: true });
  cpSync(path.join(repoRoot, 'wasm/prepack.mjs'), path.join(at, 'wasm/prepack.mjs'));
  return at;
}

const pack = (cwd) =>
  spawnSync('npm', ['pack', '--json', '--pack-destination', cwd], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: bin, npm_config_loglevel: 'error' },
    timeout: 60_000,
  });

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-prepack-'));
  bin = path.join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, path.join(bin, 'node'));
  symlinkSync('/bin/sh', path.join(bin, 'sh')); // npm runs scripts with sh
  symlinkSync(realpathSync(spawnSync('/bin/sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim()), path.join(bin, 'npm'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('without the built wasm and without Emscripten, npm pack stops with a clear message and packs nothing', () => {
  const at = checkout('unbuilt');
  const result = pack(at);
  assert.notEqual(result.status, 0, 'npm pack must fail');
  assert.match(result.stderr, /the compiled core is missing \(wasm\/dist\/latchkey_core\.mjs, wasm\/dist\/latchkey_core\.wasm, wasm\/dist\/latchkey_tools\.mjs, wasm\/dist\/latchkey_tools\.wasm, wasm\/dist\/latchkey_pk\.mjs, wasm\/dist\/latchkey_pk\.wasm, wasm\/dist\/error-codes\.d\.ts\)/);
  assert.match(result.stderr, /emcmake/);
  assert.match(result.stderr, /bash tests\/run\.sh/);
  assert.deepEqual(readdirSync(at).filter((f) => f.endsWith('.tgz')), [], 'no tarball');
});

test('with the built wasm present, npm pack (same PATH) packs the core with the module', () => {
  const at = checkout('built');
  cpSync(path.join(repoRoot, 'wasm/dist'), path.join(at, 'wasm/dist'), { recursive: true });
  const result = pack(at);
  assert.equal(result.status, 0, result.stderr);
  const [packed] = JSON.parse(result.stdout);
  const files = packed.files.map((f) => f.path);
  for (const needed of ['wasm/dist/latchkey_core.mjs', 'wasm/dist/latchkey_core.wasm', 'wasm/dist/latchkey_tools.mjs', 'wasm/dist/latchkey_tools.wasm', 'wasm/dist/latchkey_pk.mjs', 'wasm/dist/latchkey_pk.wasm', 'wasm/dist/error-codes.d.ts']) {
    assert.ok(files.includes(needed), needed);
  }
  assert.ok(!files.includes('wasm/prepack.mjs'), 'the build script is not shipped');
});

test('with the core built but the tools module missing, npm pack stops and names it', () => {
  const at = checkout('half-built');
  cpSync(path.join(repoRoot, 'wasm/dist'), path.join(at, 'wasm/dist'), { recursive: true });
  rmSync(path.join(at, 'wasm/dist/latchkey_tools.wasm'));
  const result = pack(at);
  assert.notEqual(result.status, 0, 'npm pack must fail');
  assert.match(result.stderr, /the compiled core is missing \(wasm\/dist\/latchkey_tools\.wasm\)/);
  assert.deepEqual(readdirSync(at).filter((f) => f.endsWith('.tgz')), [], 'no tarball');
});
