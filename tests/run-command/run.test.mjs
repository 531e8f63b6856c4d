// The README's run command (native/run.sh and `.ci/setup.sh run`): it installs
// what running needs and not the test tools, prints one line per step with
// its time, keeps compiler and installer output in build/logs/ (named, with
// its last lines, when a step fails), and starts the server (text logs with --dev).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, cpSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot, onLines } from '../server/server.mjs';

// A folder of stand-ins that record how they were called, put first on PATH.
function recorder(dir, names, { exitCode = 0, lines = 0 } = {}) {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const name of names) {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/bin/sh\necho "${name} $(pwd) $*" >> "${dir}/calls.log"\ni=0; while [ $i -lt ${lines} ]; do echo "${name} output line $i"; i=$((i+1)); done\nexit ${exitCode}\n`);
    chmodSync(file, 0o755);
  }
  return bin;
}

const calls = (dir) => {
  try {
    return readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

function packageArray(name) {
  const text = readFileSync(path.join(repoRoot, '.ci/setup.sh'), 'utf8');
  const block = new RegExp(`^${name}=\\(([^)]*)\\)`, 'm').exec(text);
  assert.ok(block, name);
  return block[1].split(/\s+/).filter((w) => w && !w.startsWith('#'));
}

test('setup: the run list holds no test tool; the test list holds them', () => {
  const run = packageArray('run_packages');
  const tests = packageArray('test_packages');
  for (const tool of ['chromium', 'catch2', 'python3-aiosmtpd', 'python3-bcrypt', 'python3-fastapi']) {
    assert.ok(!run.includes(tool), `${tool} is not needed to run`);
    assert.ok(tests.includes(tool), `${tool} is a test need`);
  }
  for (const need of ['cmake', 'g++', 'libsodium-dev', 'libcpp-httplib-dev', 'emscripten']) assert.ok(run.includes(need), need);
});

test('setup run installs only the docs page renderer from npm (no dev dependencies); setup test installs both', () => {
  for (const mode of ['run', 'test']) {
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-setup-'));
    try {
      mkdirSync(path.join(dir, 'repo/.ci'), { recursive: true });
      mkdirSync(path.join(dir, 'repo/native/docs-ui'), { recursive: true });
      cpSync(path.join(repoRoot, '.ci/setup.sh'), path.join(dir, 'repo/.ci/setup.sh'));
      writeFileSync(path.join(dir, 'repo/package-lock.json'), '{}');
      writeFileSync(path.join(dir, 'repo/native/docs-ui/package-lock.json'), '{}');
      const bin = recorder(dir, ['npm', 'apt-get', 'sudo']);
      const result = spawnSync('bash', [path.join(dir, 'repo/.ci/setup.sh'), mode], {
        encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 60_000,
      });
      assert.equal(result.status, 0, result.stderr);
      const npm = calls(dir).filter((c) => c.startsWith('npm '));
      const docsUi = `npm ${path.join(dir, 'repo/native/docs-ui')} ci --no-audit --no-fund --loglevel=error --ignore-scripts`;
      const root = `npm ${path.join(dir, 'repo')} ci --no-audit --no-fund --loglevel=error`;
      assert.deepEqual(npm, mode === 'run' ? [docsUi] : [docsUi, root], mode);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const bad = spawnSync('bash', [path.join(repoRoot, '.ci/setup.sh'), 'everything'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

test('run.sh: one line per step with its time, no build output, then the server (text logs with --dev)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-run-'));
  const child = spawn('bash', ['native/run.sh', '--dev', '--port', '0', '--database', path.join(dir, 'run.db'), '--outbox-dir', path.join(dir, 'outbox')], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true, // its own process group, stopped whole
  });
  const stderr = [];
  onLines(child.stderr, (l) => stderr.push(l));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const listening = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line; stderr:\n${stderr.join('\n')}`)), 300_000);
      onLines(child.stdout, (line) => {
        if (line.includes('listening')) {
          clearTimeout(timer);
          resolve(line);
        }
      });
      child.once('exit', (code) => reject(new Error(`run.sh exited with ${code}:\n${stderr.join('\n')}`)));
    });
    assert.ok(!listening.startsWith('{'), `--dev logs text: ${listening}`);
    // It answers (and only then is stopped: a SIGTERM before the accept loop is lost by today's server).
    const port = /port=(\d+)/.exec(listening)[1];
    let healthy = false;
    for (let i = 0; i < 300 && !healthy; i++) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(healthy, 'the server answers /healthz');
    const steps = stderr.filter((l) => l.startsWith('latchkey: '));
    assert.ok(steps.length >= 2, stderr.join('\n'));
    for (const line of steps) assert.match(line, /^latchkey: .+ \.\.\. done \(\d+s\)$/);
    assert.deepEqual(stderr.filter((l) => !l.startsWith('latchkey: ')), [], 'nothing else on the terminal');
    assert.match(readFileSync(path.join(repoRoot, 'build/logs/native-build.log'), 'utf8'), /ninja|Build files|no work to do/i);
  } finally {
    // The group: the server (run.sh execs it) or, if a step was still running, its children too.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run.sh: a failing step names its log and shows its last lines only', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-run-fail-'));
  try {
    const bin = recorder(dir, ['cmake'], { exitCode: 3, lines: 300 });
    const result = spawnSync('bash', ['native/run.sh', '--port', '0'], {
      cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 120_000,
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.match(lines.find((l) => l.includes('building the server')), /FAILED after \d+s \(exit 3\); full output: build\/logs\/native-build\.log$/);
    assert.ok(lines.length <= 30, `${lines.length} lines on the terminal`);
    assert.ok(result.stderr.includes('cmake output line 299'), 'the last lines are shown');
    assert.ok(!result.stderr.includes('cmake output line 10\n'), 'not the whole output');
    assert.equal(readFileSync(path.join(repoRoot, 'build/logs/native-build.log'), 'utf8').split('\n').filter((l) => l.startsWith('cmake output')).length, 300);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run.sh --help: the server\'s options, grouped, and no "open this URL" line', () => {
  const result = spawnSync('bash', ['native/run.sh', '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^usage: latchkey serve/);
  assert.match(result.stdout, /\nRate limits\n/);
  assert.match(result.stdout, /\[LATCHKEY_CORS_ORIGINS\]/);
  assert.ok(!result.stderr.includes('open http'), result.stderr);
});
