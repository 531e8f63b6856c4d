// Mail delivery when things go wrong (SMTP down, SMTP refusing), and the
// development outbox: files, log lines, and GET /dev/outbox (only with --dev).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { startServer, call, signup, uniqueEmail, metricsText } from './server.mjs';
import { startSink, eventually } from './mail-sink.mjs';

// Finished outbox files (the server writes *.json.partial, then renames).
const outboxFiles = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []);

const noLimits = ['--rate-recovery-ip', 'off', '--rate-recovery-email', 'off', '--rate-signup', 'off'];

async function freePort() {
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

async function metric(base, name, labels) {
  const text = await metricsText(base);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

// The server must answer 202, log the failure without secrets, count it, and keep going.
async function checkFailedDelivery(server, secret) {
  const user = await signup(server.base);
  const forgot = await call(server.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
  assert.equal(forgot.status, 202);
  assert.deepEqual(forgot.body, { status: 'accepted' });
  await eventually(async () => (await metric(server.base, 'latchkey_mail_total', { kind: 'password_reset', result: 'failed' })) >= 1, {
    what: 'a failed password_reset mail in /metrics',
  });
  const failureLines = () => server.logs.map((l) => JSON.parse(l)).filter((r) => r.msg === 'mail delivery failed');
  await eventually(() => failureLines().length >= 1, { what: 'the delivery failure in the log' });
  const failures = failureLines();
  for (const f of failures) {
    assert.deepEqual(Object.keys(f).sort(), ['kind', 'level', 'msg', 'reason', 'time']);
    assert.equal(f.level, 'error');
  }
  const logs = server.logs.join('\n');
  assert.ok(!logs.includes('token='), 'no link in the log');
  assert.ok(!logs.includes(secret), 'no SMTP password in the log');
  assert.ok(!logs.includes(user.email), 'no address in the failure log');
  // Still serving, and the account still works.
  assert.equal((await call(server.base, 'GET', '/healthz')).status, 200);
  assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email: user.email, password: user.password } })).status, 200);
}

test('SMTP down: 202 all the same, the failure is logged without secrets and counted', async () => {
  const port = await freePort(); // nothing listens here
  const secret = 'smtp-secret-should-never-be-logged';
  process.env.LATCHKEY_SMTP_PASSWORD = secret; // inherited by the server: the way operators should pass it
  const server = await startServer(['--smtp-url', `smtp://127.0.0.1:${port}`, '--smtp-starttls', 'none', '--smtp-user', 'mailer',
    '--smtp-retries', '2', '--smtp-backoff-ms', '20', ...noLimits]).finally(() => delete process.env.LATCHKEY_SMTP_PASSWORD);
  try {
    await checkFailedDelivery(server, secret);
    const failure = server.logs.map((l) => JSON.parse(l)).find((r) => r.msg === 'mail delivery failed');
    assert.match(failure.reason, /connect/i);
    assert.match(failure.reason, /3 attempts/);
  } finally {
    await server.stop();
  }
});

test('SMTP refusing (550): 202 all the same, logged and counted, nothing leaks', async () => {
  const sink = await startSink({ reject: true });
  const secret = 'another-smtp-secret';
  const server = await startServer(['--smtp-url', sink.url, '--smtp-starttls', 'none', '--smtp-retries', '1', '--smtp-backoff-ms', '10', ...noLimits]);
  try {
    await checkFailedDelivery(server, secret);
    const failure = server.logs.map((l) => JSON.parse(l)).find((r) => r.msg === 'mail delivery failed');
    assert.match(failure.reason, /550/);
  } finally {
    await server.stop();
    await sink.stop();
  }
});

test('SMTP that accepts but never answers: the attempt times out (--smtp-timeout), 202 all the same', async () => {
  const sockets = new Set();
  const silent = net.createServer((socket) => sockets.add(socket)); // never sends a greeting
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const server = await startServer(['--smtp-url', `smtp://127.0.0.1:${silent.address().port}`, '--smtp-starttls', 'none',
    '--smtp-timeout', '1', '--smtp-retries', '0', ...noLimits]);
  try {
    const started = Date.now();
    await checkFailedDelivery(server, 'unused-secret');
    const failure = server.logs.map((l) => JSON.parse(l)).find((r) => r.msg === 'mail delivery failed');
    assert.match(failure.reason, /timeout/i);
    assert.ok(Date.now() - started < 4000, 'one attempt of about one second');
  } finally {
    await server.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => silent.close(r));
  }
});

test('SMTP with STARTTLS required against a server without TLS: refused, not sent in the clear', async () => {
  const sink = await startSink();
  const server = await startServer(['--smtp-url', sink.url, '--smtp-retries', '0', ...noLimits]);
  try {
    const user = await signup(server.base);
    await eventually(async () => (await metric(server.base, 'latchkey_mail_total', { kind: 'verify_email', result: 'failed' })) >= 1, {
      what: 'a failed verify_email mail',
    });
    assert.equal(sink.count(user.email), 0);
  } finally {
    await server.stop();
    await sink.stop();
  }
});

test('SMTP success is counted as sent; text and HTML parts, values escaped in the HTML', async () => {
  const sink = await startSink();
  const server = await startServer(['--smtp-url', sink.url, '--smtp-starttls', 'none', '--mail-from', 'Latchkey Test <auth@example.org>',
    '--public-url', 'https://app.example.test/x?a=1&b=<i>', ...noLimits]);
  try {
    const user = await signup(server.base);
    const mail = await sink.next(user.email);
    assert.equal(mail.mail_from, 'auth@example.org');
    assert.deepEqual(mail.rcpt_tos, [user.email]);
    assert.equal(mail.subject, 'Confirm your email address');
    assert.ok(mail.text.includes('https://app.example.test/x?a=1&b=<i>/#verify-email?token='));
    assert.match(mail.html, /^<!doctype html>/);
    assert.ok(mail.html.includes('href="https://app.example.test/x?a=1&amp;b=&lt;i&gt;/#verify-email?token='));
    assert.ok(!mail.html.includes('<i>'));
    await eventually(async () => (await metric(server.base, 'latchkey_mail_total', { kind: 'verify_email', result: 'sent' })) >= 1, {
      what: 'a sent mail in /metrics',
    });
  } finally {
    await server.stop();
    await sink.stop();
  }
});

test('outbox (no SMTP): one 0600 file per mail, a log line without the link', async () => {
  const server = await startServer(noLimits);
  try {
    const user = await signup(server.base);
    await eventually(() => outboxFiles(server.outbox).length >= 1, { what: 'an outbox file' });
    const files = outboxFiles(server.outbox);
    assert.equal(files.length, 1);
    const file = path.join(server.outbox, files[0]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(record.to, user.email);
    assert.match(record.text, /#verify-email\?token=[A-Za-z0-9_-]{43}/);
    // The log line follows the file (the mail worker writes, then logs): wait for it too.
    const outboxLine = () => server.logs.map((l) => JSON.parse(l)).find((r) => r.msg === 'mail written to the outbox');
    await eventually(() => outboxLine() !== undefined, { what: 'the outbox log line' });
    const line = outboxLine();
    assert.equal(line.to, user.email);
    assert.equal(line.subject, 'Confirm your email address');
    assert.equal(line.link, undefined);
    assert.ok(!server.logs.join('\n').includes('token='));
    const endpoint = await call(server.base, 'GET', '/dev/outbox');
    assert.equal(endpoint.status, 404);
    assert.equal(endpoint.body.error, 'not_found');
  } finally {
    await server.stop();
  }
});

test('GET /dev/outbox with --dev: newest first, at most 50, the contract fields', async () => {
  const server = await startServer(['--dev', ...noLimits]);
  try {
    const user = await signup(server.base);
    await call(server.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
    let messages = [];
    await eventually(async () => {
      messages = (await call(server.base, 'GET', '/dev/outbox')).body.messages;
      return messages.length === 2;
    }, { what: 'two messages in the outbox' });
    assert.deepEqual(Object.keys(messages[0]).sort(), ['created_at', 'html', 'id', 'subject', 'text', 'to']);
    assert.equal(messages[0].subject, 'Reset your password');
    assert.equal(messages[1].subject, 'Confirm your email address');
    assert.match(messages[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // In --dev the link is in the log, for local work without a mail server.
    await eventually(() => server.logs.some((l) => l.includes('#reset-password?token=')), { what: 'the link in the dev log' });
    for (let i = 0; i < 30; i++) await call(server.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
    await signup(server.base);
    await eventually(() => outboxFiles(server.outbox).length >= 33, { what: 'all outbox files' });
    for (let i = 0; i < 25; i++) await call(server.base, 'POST', '/auth/resend-verification', { json: { email: uniqueEmail('nobody') } });
    for (let i = 0; i < 25; i++) await call(server.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
    await eventually(() => outboxFiles(server.outbox).length >= 58, { what: 'all outbox files' });
    const all = (await call(server.base, 'GET', '/dev/outbox')).body.messages;
    assert.equal(all.length, 50);
    const ids = all.map((m) => m.id);
    assert.deepEqual([...ids].sort().reverse(), ids, 'newest first');
  } finally {
    await server.stop();
  }
});
