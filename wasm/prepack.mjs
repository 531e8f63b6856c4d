// npm's prepack: the tarball must hold the compiled core (wasm/dist/), which
// is a build output and not in git. Builds it when Debian's Emscripten is
// there (incrementally: a no-op when up to date), or stops with a message
// saying what is missing and how to build it; never packs without it.
// Third-party build output goes to build/wasm-pack.log, named on failure.
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const needed = [
  'wasm/dist/latchkey_core.mjs', 'wasm/dist/latchkey_core.wasm',
  'wasm/dist/latchkey_tools.mjs', 'wasm/dist/latchkey_tools.wasm',
  'wasm/dist/latchkey_pk.mjs', 'wasm/dist/latchkey_pk.wasm',
  'wasm/dist/error-codes.d.ts',
];
const missing = () => needed.filter((file) => !existsSync(path.join(root, file)));
const onPath = (tool) => spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

function fail(lines) {
  process.stderr.write(`\nlatchkey prepack: ${lines.join('\n  ')}\n\n`);
  process.exit(1);
}

const absent = missing();
if (absent.length > 0 && !(onPath('emcmake') && onPath('cmake'))) {
  fail([
    `the compiled core is missing (${absent.join(', ')}) and cannot be built here:`,
    "Debian's Emscripten (emcmake) and cmake are not on PATH. Build it first with",
    '  bash tests/run.sh    (or: emcmake cmake -S . -B build/wasm -G Ninja && cmake --build build/wasm)',
    'then run npm pack again. Nothing was packed.',
  ]);
}

if (onPath('emcmake') && onPath('cmake')) {
  mkdirSync(path.join(root, 'build'), { recursive: true });
  const log = path.join(root, 'build/wasm-pack.log');
  const out = openSync(log, 'w');
  const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' }; // Debian's emcc needs its acorn
  const run = (command, args) => spawnSync(command, args, { cwd: root, env, stdio: ['ignore', out, out] }).status === 0;
  const started = Date.now();
  // An existing build tree keeps its configuration (the test command's -Werror one included).
  const configured = existsSync(path.join(root, 'build/wasm/CMakeCache.txt')) ||
    run('emcmake', ['cmake', '-S', '.', '-B', 'build/wasm', '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release']);
  const built = configured && run('cmake', ['--build', 'build/wasm', '-j', '2']);
  closeSync(out);
  if (!built) fail([`building the wasm core failed; its output is in ${log}`, 'Nothing was packed.']);
  if (absent.length > 0) process.stderr.write(`latchkey prepack: built the wasm core in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

const still = missing();
if (still.length > 0) fail([`the build did not produce ${still.join(', ')}. Nothing was packed.`]);
