// Crash safety: kill -9 in the middle of a burst of signups; after a restart
// the database is intact and every signup that was answered 201 is there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, call, uniqueEmail, goodPassword } from './server.mjs';

test('kill -9 during signups loses nothing that was acknowledged', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-crash-'));
  try {
    const first = await startServer(['--rate-signup', 'off', '--access-log', 'off'], { dir });
    assert.equal(statSync(first.database).mode & 0o777, 0o600, 'the database is private to its owner');
    const acknowledged = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const email = uniqueEmail('crash');
        try {
          const res = await call(first.base, 'POST', '/auth/signup', { json: { email, password: goodPassword } });
          if (res.status === 201) acknowledged.push(email);
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Kill once enough signups were answered (a loaded machine or a sanitized
    // build is slower), with the workers' next requests still in flight.
    const deadline = Date.now() + 30000;
    while (acknowledged.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await new Promise((r) => first.child.exitCode !== null || first.child.signalCode ? r() : first.child.once('exit', r));
    assert.ok(acknowledged.length >= 10, `only ${acknowledged.length} signups before the kill`);

    const check = execFileSync('sqlite3', [first.database, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
    assert.equal(check, 'ok');
    const second = await startServer(['--rate-login-ip', 'off', '--rate-login-account', 'off'], { dir });
    try {
      const stored = new Set(execFileSync('sqlite3', [second.database, 'SELECT email FROM users;'], { encoding: 'utf8' }).trim().split('\n'));
      const missing = acknowledged.filter((email) => !stored.has(email));
      assert.deepEqual(missing, []);
      const login = await call(second.base, 'POST', '/auth/login', { json: { email: acknowledged.at(-1), password: goodPassword } });
      assert.equal(login.status, 200);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
