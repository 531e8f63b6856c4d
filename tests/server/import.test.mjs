// latchkey import-users: a FastAPI-tutorial-shaped database made at test time
// with python3-bcrypt (an independent bcrypt), imported, and its users signing
// in with their old passwords, after which their hashes are Argon2id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, call, repoRoot, goodPassword } from './server.mjs';
import { python } from './mail-sink.mjs';

const tag = `${process.pid}-${Date.now()}`;
const mail = (name) => `${name}-${tag}@legacy.example`;
const nfd = 'Cafe\u0301 au lait, 2024!';
const rows = [
  { email: mail('alice'), password: 'alice old secret', name: 'Alice Liddell', role: 'admin' },
  { email: mail('bob'), password: 'bob old secret', name: 'Bob', prefix: '$2a$' },
  { email: mail('carol'), password: 'carol old secret', name: 'Carol', prefix: '$2y$', role: 'superuser' },
  { email: mail('nfd'), password: nfd, name: 'Unicode' },
  { email: mail('dave'), hash: '$2b$04$tooshort', name: 'Dave' },
  { email: mail('erin'), hash: `$2b$31$${'a'.repeat(53)}`, name: 'Erin' },
  { email: mail('frank'), hash: 'plain-md5-5f4dcc3b5aa765d61d8327deb882cf99', name: 'Frank' },
  { email: mail('ALICE').replace('ALICE', 'Alice'), password: 'second alice', name: 'Alice again' },
  { email: 'not-an-email', password: 'whatever', name: 'Nobody' },
  { email: mail('existing'), password: 'existing legacy', name: 'Existing' },
];

let server;
let dir;
before(async () => {
  server = await startServer(['--rate-login-ip', 'off', '--rate-login-account', 'off']);
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-import-'));
  assert.equal(server.cli(['user', 'add', mail('existing')], `${goodPassword}\n`).status, 0);
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function legacyDb(name, spec) {
  const file = path.join(dir, `${name}.db`);
  const specFile = path.join(dir, `${name}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  execFileSync(python, [path.join(repoRoot, 'tests/support/make_legacy_users.py'), file, specFile]);
  return file;
}

const sql = (query) => execFileSync('sqlite3', [server.database, query], { encoding: 'utf8' }).trim();
const storedHash = (email) => sql(`SELECT c.secret FROM credentials c JOIN users u ON u.id = c.user_id WHERE u.email = '${email}' AND c.type = 'password'`);
const login = (email, password) => call(server.base, 'POST', '/auth/login', { json: { email, password } });

test('dry-run reports the same counts and changes nothing', () => {
  const source = legacyDb('dry', { rows });
  const before_ = sql('SELECT COUNT(*) FROM users');
  const run = server.cli(['import-users', '--from', source, '--dry-run']);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.dry_run, true);
  assert.equal(report.imported, 0);
  assert.equal(report.would_import, 4);
  assert.equal(sql('SELECT COUNT(*) FROM users'), before_);
});

test('import keeps bcrypt hashes, reports skips, and users sign in with their old passwords', async () => {
  const source = legacyDb('main', { rows });
  const run = server.cli(['import-users', '--from', source]);
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout);
  assert.equal(report.read, rows.length);
  assert.equal(report.imported, 4);
  assert.deepEqual(report.skipped_by_reason, {
    malformed_hash: 2,
    cost_out_of_range: 1,
    duplicate_in_source: 1,
    invalid_email: 1,
    email_taken: 1,
  });
  assert.equal(report.roles_defaulted, 1);
  assert.deepEqual(report.skipped_rows.map((r) => r.row), [5, 6, 7, 8, 9, 10]);
  assert.match(storedHash(mail('alice')), /^\$2b\$04\$/);
  assert.match(storedHash(mail('bob')), /^\$2a\$04\$/);
  assert.match(storedHash(mail('carol')), /^\$2y\$04\$/);
  assert.equal(sql(`SELECT role FROM users WHERE email = '${mail('alice')}'`), 'admin');
  assert.equal(sql(`SELECT role FROM users WHERE email = '${mail('carol')}'`), 'user');
  assert.equal(sql(`SELECT name FROM users WHERE email = '${mail('alice')}'`), 'Alice Liddell');
  // The account that existed before keeps its own password.
  assert.match(storedHash(mail('existing')), /^\$argon2id\$/);
  assert.equal(sql(`SELECT COUNT(*) FROM users WHERE email = '${mail('dave')}'`), '0');

  for (const row of rows.slice(0, 3)) {
    assert.equal((await login(row.email, 'not the password')).status, 401, row.email);
    assert.match(storedHash(row.email), /^\$2/, 'a failed login does not upgrade');
    const ok = await login(row.email, row.password);
    assert.equal(ok.status, 200, `${row.email}: ${JSON.stringify(ok.body)}`);
    assert.match(storedHash(row.email), /^\$argon2id\$/);
    assert.equal((await login(row.email, row.password)).status, 200, 'and again, now against Argon2id');
    assert.equal((await login(row.email, 'not the password')).status, 401);
  }
  const events = sql(`SELECT COUNT(*) FROM audit_events WHERE event = 'password_hash_upgraded'`);
  assert.equal(events, '3');
  assert.equal(sql(`SELECT COUNT(*) FROM audit_events WHERE event = 'users_imported'`), '1');
});

test('bcrypt is checked against the password as typed; the upgrade stores the NFKC form', async () => {
  const email = mail('nfd');
  // The legacy app hashed the decomposed form: the composed one does not match it...
  assert.equal((await login(email, nfd.normalize('NFC'))).status, 401);
  // ...the bytes as typed do, and from then on either form works (Argon2id of NFKC).
  assert.equal((await login(email, nfd)).status, 200);
  assert.match(storedHash(email), /^\$argon2id\$/);
  assert.equal((await login(email, nfd.normalize('NFC'))).status, 200);
});

test('a custom table and column mapping', async () => {
  const source = legacyDb('custom', {
    table: 'accounts',
    columns: ['mail', 'pw_hash', 'display_name', 'kind'],
    rows: [{ email: mail('mapped'), password: 'mapped old secret', name: 'Mapped', role: 'admin' }],
  });
  const defaults = server.cli(['import-users', '--from', source]);
  assert.notEqual(defaults.status, 0);
  assert.match(defaults.stderr, /no table users/);
  const run = server.cli(['import-users', '--from', source, '--table', 'accounts', '--email-column', 'mail', '--hash-column', 'pw_hash',
    '--name-column', 'display_name', '--role-column', 'kind']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).imported, 1);
  assert.equal(sql(`SELECT name || '/' || role FROM users WHERE email = '${mail('mapped')}'`), 'Mapped/admin');
  assert.equal((await login(mail('mapped'), 'mapped old secret')).status, 200);
  const missing = server.cli(['import-users', '--from', source, '--table', 'accounts', '--email-column', 'mail', '--hash-column', 'pw_hash',
    '--name-column', 'nickname']);
  assert.notEqual(missing.status, 0);
});

test('names in the mapping are identifiers only: injection attempts are refused', () => {
  const source = legacyDb('inject', { rows: [{ email: mail('inject'), password: 'inject old secret' }] });
  const count = sql('SELECT COUNT(*) FROM users');
  for (const args of [
    ['--email-column', 'email" FROM users; DROP TABLE users; --'],
    ['--table', 'users WHERE 1=1'],
    ['--hash-column', 'hashed_password,(SELECT 1)'],
    ['--name-column', 'x"y'],
    ['--role-column', '1role'],
  ]) {
    const run = server.cli(['import-users', '--from', source, ...args]);
    assert.equal(run.status, 2, args.join(' '));
    assert.match(run.stderr, /not a plain identifier/);
  }
  assert.equal(sql('SELECT COUNT(*) FROM users'), count);
  assert.equal(execFileSync('sqlite3', [source, 'SELECT COUNT(*) FROM users'], { encoding: 'utf8' }).trim(), '1');
});

test('a source that cannot be read imports nothing', () => {
  const count = sql('SELECT COUNT(*) FROM users');
  const run = server.cli(['import-users', '--from', path.join(dir, 'missing.db')]);
  assert.notEqual(run.status, 0);
  const noFrom = server.cli(['import-users']);
  assert.equal(noFrom.status, 2);
  assert.equal(sql('SELECT COUNT(*) FROM users'), count);
});
