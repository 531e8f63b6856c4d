// Durable mail (native/mail/mail_queue.h): mails wait in the database, so a
// mail that could not be sent before the server stopped is sent after the
// next start; a failed delivery is retried with backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, call, signup } from './server.mjs';
import { eventually } from './mail-sink.mjs';

const outboxFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []);
const noLimits = ['--rate-recovery-ip', 'off', '--rate-recovery-email', 'off', '--rate-signup', 'off'];
const sqlite = (database, sql) => execFileSync('sqlite3', [database, sql], { encoding: 'utf8' }).trim();

async function freePort() {
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

test('a mail that failed before the server stopped is kept, retried, and sent after the next start', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-mail-'));
  try {
    // SMTP unreachable: the reset mail fails and waits for its retry.
    const down = `smtp://127.0.0.1:${await freePort()}`;
    const first = await startServer(['--smtp-url', down, '--smtp-starttls', 'none', '--smtp-retries', '0',
      '--mail-retry-seconds', '1', ...noLimits], { dir });
    let user;
    try {
      user = await signup(first.base); // its verification mail fails too
      const forgot = await call(first.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
      assert.equal(forgot.status, 202);
      const failures = () => first.logs.filter((l) => l.includes('mail delivery failed')).length;
      await eventually(() => failures() >= 2, { what: 'both deliveries failed' });
      // Retried with backoff: 1 s, then 2 s.
      await eventually(() => failures() >= 4, { what: 'both retried', timeout: 6000 });
    } finally {
      await first.stop();
    }
    const line = first.logs.map((l) => JSON.parse(l)).find((r) => r.msg.startsWith('mail waiting at shutdown'));
    assert.equal(line.count, 2);
    const kept = sqlite(first.database, 'SELECT kind, attempts >= 2 FROM mail_queue ORDER BY id');
    assert.deepEqual(kept.split('\n'), ['verify_email|1', 'password_reset|1']);

    // Started again with a working mailer (the outbox): both are sent, none twice, and the table empties.
    const second = await startServer(noLimits, { dir });
    try {
      await eventually(() => outboxFiles(second.outbox).length >= 2, { what: 'both mails in the outbox', timeout: 8000 });
      const records = outboxFiles(second.outbox).map((f) => JSON.parse(readFileSync(path.join(second.outbox, f), 'utf8')));
      assert.equal(records.length, 2);
      assert.ok(records.every((r) => r.to === user.email));
      assert.ok(records.some((r) => /reset-password\?token=/.test(r.text)));
      await eventually(() => sqlite(second.database, 'SELECT COUNT(*) FROM mail_queue') === '0', { what: 'an empty queue' });
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a mail that keeps failing is dropped after --mail-attempts, logged and counted', async () => {
  const down = `smtp://127.0.0.1:${await freePort()}`;
  const server = await startServer(['--smtp-url', down, '--smtp-starttls', 'none', '--smtp-retries', '0',
    '--mail-retry-seconds', '1', '--mail-attempts', '2', ...noLimits]);
  try {
    await signup(server.base);
    await eventually(() => server.logs.some((l) => l.includes('mail dropped: every attempt failed')), { what: 'the mail dropped', timeout: 6000 });
    assert.equal(server.logs.filter((l) => l.includes('mail delivery failed')).length, 2);
    assert.equal(sqlite(server.database, 'SELECT COUNT(*) FROM mail_queue'), '0');
  } finally {
    await server.stop();
  }
});

test('with a key-encryption key, a waiting mail is stored wrapped (no link in the table) and sent as written', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-mail-'));
  const kek = ['--key-encryption-key', randomBytes(32).toString('base64url')];
  try {
    const down = `smtp://127.0.0.1:${await freePort()}`;
    const first = await startServer(['--smtp-url', down, '--smtp-starttls', 'none', '--smtp-retries', '0',
      '--mail-retry-seconds', '1', ...kek, ...noLimits], { dir });
    let user;
    try {
      user = await signup(first.base);
      await eventually(() => first.logs.some((l) => l.includes('mail delivery failed')), { what: 'the delivery failed' });
    } finally {
      await first.stop();
    }
    const [text, html, to] = sqlite(first.database, "SELECT text_body, html_body, recipient FROM mail_queue WHERE kind = 'verify_email'").split('|');
    assert.match(text, /^enc:v1:/);
    assert.match(html, /^enc:v1:/);
    assert.equal(to, user.email);
    const second = await startServer([...kek, ...noLimits], { dir });
    try {
      await eventually(() => outboxFiles(second.outbox).length >= 1, { what: 'the mail in the outbox', timeout: 8000 });
      const [record] = outboxFiles(second.outbox).map((f) => JSON.parse(readFileSync(path.join(second.outbox, f), 'utf8')));
      assert.equal(record.to, user.email);
      assert.match(record.text, /#verify-email\?token=[A-Za-z0-9_-]{43}/);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
