// Doc tests: the code blocks of README.md and docs/*.md that claim to run are
// run, as written, against a live server, so the documentation stays true.
//
// Every ```sh/```js block is marked by the line before it:
//   <!-- doctest: sh [checkout] [expect="TEXT"] -->  run with bash; `checkout`:
//        in this checkout (its final folder becomes the app folder), else in a
//        scratch folder; `latchkey` (build/native) is on PATH
//   <!-- doctest: js [expect="TEXT"] -->  run as an ES module in the app folder
//        made by the README's `npm pack` block (the package installed from its tarball)
//   <!-- not run: REASON -->  shown, not run (a signature, an excerpt tested elsewhere)
// An unmarked block fails the test. Blocks name the run command's server,
// http://127.0.0.1:8080; it is replaced by the live server's address.
// `expect` is text the block's output must contain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, repoRoot } from '../server/server.mjs';

const RUN_ADDRESS = 'http://127.0.0.1:8080';
const nativeBin = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native');
const files = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** [{file, line, lang, marker, code}] for every fenced block. */
function blocks(file) {
  const lines = readFileSync(path.join(repoRoot, file), 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? /^<!--\s*(doctest:.*?|not run:.*?)\s*-->$/.exec(lines[before].trim())?.[1] ?? null : null;
    out.push({ file, line: i + 1, lang: open[1], marker, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

function parseMarker(marker) {
  const m = /^doctest:\s*(sh|js)\b(.*)$/.exec(marker);
  if (!m) return null;
  const expect = /expect="([^"]*)"/.exec(m[2])?.[1];
  return { lang: m[1], checkout: /\bcheckout\b/.test(m[2].replace(/expect="[^"]*"/, '')), expect };
}

const all = files.flatMap(blocks);
const runnable = all.filter((b) => b.marker?.startsWith('doctest:')).map((b) => ({ ...b, spec: parseMarker(b.marker) }));

let server;
let scratch;
let appDir = null;
before(async () => {
  server = await startServer(['--rate-signup', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off']);
  scratch = mkdtempSync(path.join(tmpdir(), 'latchkey-doctest-'));
});
after(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (appDir && path.relative(repoRoot, appDir).startsWith('..')) rmSync(appDir, { recursive: true, force: true });
  rmSync(path.join(repoRoot, 'latchkey-0.1.0.tgz'), { force: true });
});

const where = (b) => `${b.file}:${b.line}`;
const live = (code) => code.replaceAll(RUN_ADDRESS, server.base);

function runSh(b) {
  const cwdFile = path.join(scratch, `cwd-${b.line}`);
  const script = `set -euo pipefail\n${live(b.code)}\npwd > '${cwdFile}'\n`;
  const result = spawnSync('bash', ['-c', script], {
    cwd: b.spec.checkout ? repoRoot : scratch,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${nativeBin}:${process.env.PATH}`, npm_config_loglevel: 'error' },
    timeout: 300_000,
  });
  assert.equal(result.status, 0, `${where(b)} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return { output: result.stdout + result.stderr, cwd: readFileSync(cwdFile, 'utf8').trim() };
}

function runJs(b) {
  assert.ok(appDir && existsSync(path.join(appDir, 'node_modules/latchkey/package.json')),
    `${where(b)}: no app folder with the package installed (the README's \`doctest: sh checkout\` block makes it)`);
  const file = path.join(appDir, `doctest-${path.basename(b.file, '.md')}-${b.line}.mjs`);
  writeFileSync(file, live(b.code));
  const result = spawnSync(process.execPath, [file], { cwd: appDir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `${where(b)} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return { output: result.stdout + result.stderr };
}

test('every sh/js block is marked as run or not run, with a reason', () => {
  const code = all.filter((b) => ['sh', 'bash', 'js', 'mjs', 'ts'].includes(b.lang));
  const unmarked = code.filter((b) => !b.marker).map(where);
  assert.deepEqual(unmarked, [], 'unmarked blocks');
  for (const b of runnable) assert.ok(b.spec && b.spec.lang === (b.lang === 'bash' ? 'sh' : b.lang), `${where(b)}: marker ${b.marker} vs \`\`\`${b.lang}`);
  assert.ok(runnable.length >= 8, `${runnable.length} runnable blocks`);
});

test('the blocks run as written against a live server', async (t) => {
  // The npm section first: it makes the app folder the JavaScript blocks run in.
  const ordered = [...runnable.filter((b) => b.spec.checkout), ...runnable.filter((b) => !b.spec.checkout)];
  for (const b of ordered) {
    await t.test(`${where(b)} (${b.spec.lang})`, () => {
      const { output, cwd } = b.spec.lang === 'sh' ? runSh(b) : runJs(b);
      // Only a folder the block made outside the checkout is the app folder
      // (and removed after): a block that stays in the checkout must not get
      // the checkout deleted.
      if (b.spec.checkout) {
        const inside = path.relative(repoRoot, cwd);
        assert.ok(inside.startsWith('..') && !path.isAbsolute(inside),
          `${where(b)}: a checkout block must end in a new folder outside the checkout, not ${cwd}`);
        appDir = cwd;
      }
      if (b.spec.expect) assert.ok(output.includes(b.spec.expect), `${where(b)}: output lacks ${JSON.stringify(b.spec.expect)}:\n${output}`);
    });
  }
});
