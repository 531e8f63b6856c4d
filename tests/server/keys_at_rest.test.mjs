// Signing keys wrapped at rest under an operator's key-encryption key:
// what the database holds, what happens without or with the wrong key, and
// the upgrade of a database whose keys were stored plain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer as start, runCli, call, signup } from './server.mjs';

// A fixed issuer: the default names the port, which changes between starts.
const startServer = (args, options) => start(['--issuer', 'https://keys.test', ...args], options);

const storedKeys = (database) =>
  execFileSync('sqlite3', [database, 'SELECT private_jwk FROM signing_keys ORDER BY created_at'], { encoding: 'utf8' })
    .trim().split('\n');

async function withEnv(vars, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

test('with a key-encryption key, keys are stored wrapped and the server needs that key to start', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-kek-'));
  const kek = randomBytes(32).toString('base64url');
  try {
    const first = await withEnv({ LATCHKEY_KEY_ENCRYPTION_KEY: kek }, () => startServer([], { dir }));
    const user = await signup(first.base);
    await first.stop({ keepDir: true });
    const [stored] = storedKeys(first.database);
    assert.match(stored, /^enc:v1:[A-Za-z0-9_-]+$/);
    assert.ok(!stored.includes('"d"'), 'no private key in the clear');

    // Without the key, or with another one, the server refuses to start and says why, without secrets.
    await assert.rejects(startServer([], { dir }), /key_decrypt_failed[\s\S]*LATCHKEY_KEY_ENCRYPTION_KEY/);
    const wrong = randomBytes(32).toString('base64url');
    await assert.rejects(withEnv({ LATCHKEY_KEY_ENCRYPTION_KEY: wrong }, () => startServer([], { dir })),
      (error) => /key_decrypt_failed/.test(error.message) && !error.message.includes(wrong) && !error.message.includes(kek));

    // From a file (standard base64 with a newline, as `openssl rand -base64 32` writes it): the old token still works.
    const file = path.join(dir, 'kek');
    writeFileSync(file, Buffer.from(kek, 'base64url').toString('base64') + '\n', { mode: 0o600 });
    const again = await startServer(['--key-encryption-key-file', file], { dir });
    try {
      assert.equal((await call(again.base, 'GET', '/auth/me', { token: user.access_token })).status, 200);
      // A rotation from the CLI wraps the new key too.
      const rotated = again.cli(['keys', 'rotate', '--key-encryption-key-file', file]);
      assert.equal(rotated.status, 0, rotated.stderr);
    } finally {
      await again.stop({ keepDir: true });
    }
    const keys = storedKeys(again.database);
    assert.equal(keys.length, 2);
    assert.ok(keys.every((k) => k.startsWith('enc:v1:')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('plain keys of an existing database are wrapped when a key-encryption key is first given', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-kek-'));
  try {
    const plain = await startServer([], { dir });
    const user = await signup(plain.base);
    await plain.stop({ keepDir: true });
    assert.match(storedKeys(plain.database)[0], /^\{.*"d":/);

    const kek = randomBytes(32).toString('base64url');
    const wrapped = await withEnv({ LATCHKEY_KEY_ENCRYPTION_KEY: kek }, () => startServer([], { dir }));
    try {
      assert.equal((await call(wrapped.base, 'GET', '/auth/me', { token: user.access_token })).status, 200);
    } finally {
      await wrapped.stop({ keepDir: true });
    }
    assert.match(storedKeys(wrapped.database)[0], /^enc:v1:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed key-encryption key is refused at start without echoing it', () => {
  for (const bad of ['short', randomBytes(31).toString('base64url'), randomBytes(33).toString('base64url')]) {
    const result = runCli(['serve', '--key-encryption-key', bad, '--port', '0', '--database', '/nonexistent/x.db']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /invalid value for --key-encryption-key/);
    assert.ok(!result.stderr.includes(bad));
  }
  const missing = runCli(['serve', '--key-encryption-key-file', '/nonexistent/kek', '--database', '/nonexistent/x.db']);
  assert.equal(missing.status, 2);
});
