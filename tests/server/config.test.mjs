// Configuration from flags and LATCHKEY_* variables, the CLI around the
// server, rehashing when the cost changes, and the failed-login cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, runCli, call, signup, uniqueEmail, goodPassword } from './server.mjs';

test('serve --help lists every option with its environment variable', () => {
  const help = runCli(['serve', '--help']);
  assert.equal(help.status, 0);
  for (const flag of ['--port', '--database', '--issuer', '--audience', '--access-ttl', '--refresh-ttl', '--argon2-memory-kib',
    '--hash-threads', '--cors-origin', '--tls-cert', '--tls-key', '--log-format', '--rate-login-ip']) {
    assert.ok(help.stdout.includes(flag), flag);
  }
  assert.match(help.stdout, /\[LATCHKEY_DATABASE\]/);
  const bad = runCli(['serve', '--port', 'eighty']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /invalid value for --port/);
  assert.equal(runCli(['serve', '--no-such-flag']).status, 2);
  assert.equal(runCli(['serve', '--tls-cert', 'x.pem']).status, 2);
  for (const command of [['user', '--help'], ['migrate', '--help'], ['keys', 'rotate', '--help']]) {
    assert.equal(runCli(command).status, 0, command.join(' '));
  }
});

test('LATCHKEY_* variables configure the server; flags win over them', async () => {
  process.env.LATCHKEY_ACCESS_TTL = '120';
  process.env.LATCHKEY_AUDIENCE = 'from-env';
  let server;
  try {
    server = await startServer(['--audience', 'from-flag']);
  } finally {
    delete process.env.LATCHKEY_ACCESS_TTL;
    delete process.env.LATCHKEY_AUDIENCE;
  }
  try {
    const s = await signup(server.base);
    assert.equal(s.expires_in, 120);
    assert.equal(JSON.parse(Buffer.from(s.access_token.split('.')[1], 'base64url')).aud, 'from-flag');
  } finally {
    await server.stop();
  }
});

test('migrate and user commands work on a database of their own', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cli-'));
  try {
    const db = path.join(dir, 'x.db');
    const migrate = runCli(['migrate', '--database', db]);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.equal(JSON.parse(migrate.stdout).schema_version, 6);
    assert.deepEqual(JSON.parse(migrate.stdout).email_collisions, []);
    const add = (email, extra = []) => runCli(['user', 'add', email, '--database', db, '--argon2-iterations', '1', '--argon2-memory-kib', '8192', ...extra], `${goodPassword}\n`);
    assert.equal(add('ops@example.com', ['--admin']).status, 0);
    const dup = add('OPS@example.com');
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /email_taken/);
    const weak = runCli(['user', 'add', 'weak@example.com', '--database', db], 'short\n');
    assert.match(weak.stderr, /weak_password/);
    assert.equal(add('dev@example.com').status, 0);
    const role = runCli(['user', 'set-role', 'dev@example.com', 'admin', '--database', db]);
    assert.equal(JSON.parse(role.stdout).role, 'admin');
    const disable = runCli(['user', 'disable', 'dev@example.com', '--database', db]);
    assert.equal(JSON.parse(disable.stdout).disabled, true);
    assert.match(runCli(['user', 'disable', 'nobody@example.com', '--database', db]).stderr, /not_found/);
    const audit = execFileSync('sqlite3', [db, "SELECT event FROM audit_events ORDER BY id"], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(audit, ['signup', 'signup', 'role_changed', 'user_disabled']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a login after the Argon2 cost changed upgrades the stored hash', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-rehash-'));
  try {
    const first = await startServer([], { dir });
    const { email } = await signup(first.base);
    await first.stop({ keepDir: true });
    const hashOf = () => execFileSync('sqlite3', [first.database, `SELECT c.secret FROM credentials c JOIN users u ON u.id = c.user_id WHERE u.email = '${email}' AND c.type = 'password'`], { encoding: 'utf8' }).trim();
    assert.match(hashOf(), /m=8192,t=1,p=1/);
    const second = await startServer(['--argon2-iterations', '2', '--argon2-memory-kib', '9216'], { dir });
    try {
      assert.equal((await call(second.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).status, 200);
      assert.match(hashOf(), /m=9216,t=2,p=1/);
      assert.equal((await call(second.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).status, 200);
      assert.equal((await call(second.base, 'POST', '/auth/login', { json: { email, password: 'wrong password' } })).status, 401);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('failed logins per account are capped, even for the right password', async () => {
  const server = await startServer(['--rate-failed-logins', '3/3600', '--rate-login-account', 'off', '--rate-login-ip', 'off']);
  try {
    const { email } = await signup(server.base);
    for (let i = 0; i < 3; i++) {
      assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email, password: 'guess guess guess' } })).status, 401);
    }
    const blocked = await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 60);
    // Another account is unaffected.
    const other = await signup(server.base, uniqueEmail());
    assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email: other.email, password: goodPassword } })).status, 200);
  } finally {
    await server.stop();
  }
});

test('an access token stops working at exp, even after being used (and cached)', async () => {
  const server = await startServer(['--access-ttl', '5', '--leeway', '0']);
  try {
    const s = await signup(server.base);
    assert.equal(s.expires_in, 5);
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: s.access_token })).status, 200);
    await new Promise((r) => setTimeout(r, (s.expires_at * 1000 - Date.now()) + 1100));
    const late = await call(server.base, 'GET', '/auth/me', { token: s.access_token });
    assert.equal(late.status, 401);
    assert.equal(late.body.error, 'token_expired');
    const refreshed = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: s.refresh_token } });
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: refreshed.body.access_token })).status, 200);
  } finally {
    await server.stop();
  }
});

test('TLS: --tls-cert and --tls-key serve HTTPS with HSTS', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-tls-'));
  try {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
    const server = await startServer(['--tls-cert', cert, '--tls-key', key]);
    try {
      const https = await import('node:https');
      const { readFileSync } = await import('node:fs');
      const response = await new Promise((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: server.port, path: '/healthz', ca: readFileSync(cert) }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        }).on('error', reject);
      });
      assert.equal(response.status, 200);
      assert.match(response.headers['strict-transport-security'], /max-age=\d+/);
      assert.equal(JSON.parse(response.body).status, 'ok');
    } finally {
      await server.stop();
    }
    const missing = runCli(['serve', '--port', '0', '--tls-cert', path.join(dir, 'nope.pem'), '--tls-key', key, '--database', path.join(dir, 'x.db')]);
    assert.equal(missing.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--password-service-words replaces the service words, published and enforced', async () => {
  const server = await startServer(['--password-service-words', 'Acmecorp,portal.example', '--rate-signup', 'off']);
  try {
    const policy = await call(server.base, 'GET', '/auth/password-policy');
    assert.deepEqual(policy.body.service_words, ['Acmecorp', 'portal.example']);
    const refused = await call(server.base, 'POST', '/auth/signup',
      { json: { email: uniqueEmail(), password: 'Zebra-acmecorp-Quartz-91' } });
    assert.equal(refused.status, 422);
    assert.deepEqual(refused.body.reasons, ['contains_context']);
    // The default word is no longer in the list.
    const ok = await call(server.base, 'POST', '/auth/signup', { json: { email: uniqueEmail(), password: 'Zebra-latchkey-Quartz-91' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  } finally {
    await server.stop();
  }
  const tooLong = runCli(['serve', '--password-service-words', 'x'.repeat(65), '--database', '/nonexistent/x.db']);
  assert.equal(tooLong.status, 2);
});
