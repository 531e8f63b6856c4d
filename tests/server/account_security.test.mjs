// The security review's account-level findings (issue 11), each over real
// HTTP against a real server: sensitive changes need proof of presence,
// enumeration through /metrics and signup, the last-admin race, email
// normalisation, log injection, the password-change notice, and --dev
// refusing a public host. Also accounts without a password (social-only
// next), made here by removing the credential row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { startServer, call, signup, uniqueEmail, goodPassword, metricsToken, binary } from './server.mjs';
import { eventually } from './mail-sink.mjs';

const noLimits = ['--rate-signup', 'off', '--rate-signup-email', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off',
  '--rate-recovery-ip', 'off', '--rate-recovery-email', 'off', '--rate-token-ip', 'off'];

let server;
before(async () => {
  server = await startServer(noLimits);
});
after(async () => {
  await server.stop();
});

/** Runs `latchkey serve ARGS` that must refuse to start; bounded, so a server that starts anyway fails the test. */
function refusedServe(args) {
  const run = spawnSync(binary, ['serve', ...args], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(run.signal, null, `latchkey serve ${args.join(' ')} started instead of refusing`);
  return run;
}

const sql = (database, statement) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', database, statement], { encoding: 'utf8' }).trim();

/** Outbox mails (finished files) addressed to `to`, oldest first. */
function mailsTo(outbox, to) {
  if (!existsSync(outbox)) return [];
  return readdirSync(outbox).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(path.join(outbox, f), 'utf8')))
    .filter((m) => m.to === to);
}

async function mailWithSubject(outbox, to, subject) {
  let found;
  await eventually(() => (found = mailsTo(outbox, to).find((m) => m.subject === subject)) !== undefined,
    { what: `mail "${subject}" to ${to}` });
  return found;
}

test('email change with only a bearer token is refused; the current password proves presence', async () => {
  const user = await signup(server.base);
  const target = uniqueEmail('moved');
  const patch = (json) => call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json });

  const bare = await patch({ email: target });
  assert.equal(bare.status, 403);
  assert.equal(bare.body.error, 'reauthentication_required');
  const wrong = await patch({ email: target, current_password: 'not the password at all' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'invalid_credentials');
  assert.equal(wrong.body.message.includes('not the password'), false);
  // Nothing is pending after the refusals, and no mail went to the target.
  assert.equal((await call(server.base, 'GET', '/auth/me', { token: user.access_token })).body.pending_email ?? null, null);
  assert.equal(mailsTo(server.outbox, target).length, 0);

  // A name change alone needs no proof.
  assert.equal((await patch({ name: 'Renamed' })).status, 200);

  const proven = await patch({ email: target, current_password: user.password });
  assert.equal(proven.status, 200, JSON.stringify(proven.body));
  assert.equal(proven.body.pending_email, target);
  // The old address hears of it, with a way to report it (a reset link).
  const notice = await mailWithSubject(server.outbox, user.email, 'Your email address is being changed');
  assert.match(notice.text, new RegExp(target.replace(/[.+]/g, '\\$&')));
  assert.match(notice.text, /#forgot/);
  assert.match(notice.html, /href="[^"]*#forgot"/);

  const audit = server.logs.map((l) => JSON.parse(l)).filter((r) => r.event === 'reauthentication_failed' && r.user_id === user.user.id);
  assert.deepEqual(audit.map((r) => r.detail.reason).sort(), ['current_password_missing', 'current_password_wrong']);
});

test('an account without a password: no password sign-in; a recent sign-in proves presence, an old one does not', async () => {
  const user = await signup(server.base);
  const id = user.user.id;
  // Social-only accounts (next issue) have no password credential: make one here.
  assert.equal(sql(server.database, `SELECT COUNT(*) FROM credentials WHERE user_id = '${id}' AND type = 'password'`), '1');
  sql(server.database, `DELETE FROM credentials WHERE user_id = '${id}'`);

  const login = await call(server.base, 'POST', '/auth/login', { json: { email: user.email, password: user.password } });
  assert.equal(login.status, 401);
  assert.equal(login.body.error, 'invalid_credentials');
  const change = await call(server.base, 'POST', '/auth/password',
    { token: user.access_token, json: { current_password: user.password, new_password: 'a brand new passphrase here' } });
  assert.equal(change.status, 401);

  // The session is still good: the signup was a sign-in moments ago.
  const me = await call(server.base, 'GET', '/auth/me', { token: user.access_token });
  assert.equal(me.status, 200);
  const recent = await call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json: { email: uniqueEmail('recent') } });
  assert.equal(recent.status, 200, JSON.stringify(recent.body));

  // Move the sign-in back past five minutes: the same request is now refused.
  const sid = JSON.parse(Buffer.from(user.access_token.split('.')[1], 'base64url')).sid;
  sql(server.database, `UPDATE sessions SET auth_time = auth_time - 301 WHERE id = '${sid}'`);
  const stale = await call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json: { email: uniqueEmail('stale') } });
  assert.equal(stale.status, 403);
  assert.equal(stale.body.error, 'reauthentication_required');
});

test('access tokens record how the user signed in (amr, auth_time), and a refresh keeps them', async () => {
  const user = await signup(server.base);
  const claims = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
  const first = claims(user.access_token);
  assert.deepEqual(first.amr, ['pwd']);
  assert.ok(Math.abs(first.auth_time - first.iat) <= 1);
  const refreshed = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: user.refresh_token } });
  assert.equal(refreshed.status, 200);
  const second = claims(refreshed.body.access_token);
  assert.deepEqual(second.amr, ['pwd']);
  assert.equal(second.auth_time, first.auth_time);
});

test('a password change mails the owner a notice (ASVS 2.5.5)', async () => {
  const user = await signup(server.base);
  const next = 'violet tangerine submarine orchestra';
  const change = await call(server.base, 'POST', '/auth/password',
    { token: user.access_token, json: { current_password: user.password, new_password: next } });
  assert.equal(change.status, 204);
  const notice = await mailWithSubject(server.outbox, user.email, 'Your password was changed');
  assert.match(notice.text, /changed from a signed-in session/);
  assert.match(notice.text, /#forgot/);
  assert.ok(!notice.text.includes(next));
});

test('/metrics is not public: 404 without --metrics-token, 401 with a wrong token', async () => {
  const open = await startServer(['--rate-signup', 'off']);
  try {
    // The harness gives every server a token; a plain fetch without it is refused.
    const anonymous = await call(open.base, 'GET', '/metrics');
    assert.equal(anonymous.status, 401);
    const wrong = await call(open.base, 'GET', '/metrics', { headers: { Authorization: `Bearer ${metricsToken}x` } });
    assert.equal(wrong.status, 401);
    const right = await call(open.base, 'GET', '/metrics', { headers: { Authorization: `Bearer ${metricsToken}` } });
    assert.equal(right.status, 200);
  } finally {
    await open.stop();
  }
  // Without the option the route does not exist at all.
  const none = await startServer([], { metricsToken: false });
  try {
    assert.equal((await call(none.base, 'GET', '/metrics')).status, 404);
  } finally {
    await none.stop();
  }
  const short = refusedServe(['--port', '0', '--metrics-token', 'short', '--database', path.join(server.dir, 'never.db')]);
  assert.equal(short.status, 2);
  assert.ok(!short.stderr.includes('short'), 'the secret is not echoed');
});

test('with --require-verified-email, signup with a registered address answers like a new one and tells the owner', async () => {
  const verified = await startServer(['--require-verified-email', ...noLimits]);
  try {
    const email = uniqueEmail('owner');
    const first = await call(verified.base, 'POST', '/auth/signup', { json: { email, password: goodPassword, name: 'Owner' } });
    const again = await call(verified.base, 'POST', '/auth/signup', { json: { email: email.toUpperCase(), password: 'another fine passphrase', name: 'Owner' } });
    const fresh = await call(verified.base, 'POST', '/auth/signup', { json: { email: uniqueEmail('new'), password: goodPassword, name: 'Owner' } });
    for (const res of [first, again, fresh]) {
      assert.equal(res.status, 201);
      assert.deepEqual(Object.keys(res.body), ['user']);
    }
    const shape = (u) => Object.keys(u).sort().join(',');
    assert.equal(shape(again.body.user), shape(fresh.body.user));
    assert.equal(again.body.user.email, email);
    assert.notEqual(again.body.user.id, first.body.user.id);
    assert.equal(again.body.user.email_verified, false);
    const attempt = await mailWithSubject(verified.outbox, email, 'Someone tried to sign up with your address');
    assert.match(attempt.text, /#login/);
    // Still one account for that address.
    assert.equal(sql(verified.database, `SELECT COUNT(*) FROM users WHERE email = '${email}'`), '1');
  } finally {
    await verified.stop();
  }
  // Without it, a taken address is 409 (the response would carry tokens, so it cannot be faked).
  const user = await signup(server.base);
  const taken = await call(server.base, 'POST', '/auth/signup', { json: { email: user.email, password: goodPassword } });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error, 'email_taken');
});

test('two admins demoting each other at once leave one admin, every time', async () => {
  for (let trial = 0; trial < 10; trial++) {
    const a = await signup(server.base, uniqueEmail('admin-a'));
    const b = await signup(server.base, uniqueEmail('admin-b'));
    // Only these two are admins: demote every other admin first (a and b are promoted by the CLI).
    for (const u of [a, b]) assert.equal(server.cli(['user', 'set-role', u.email, 'admin']).status, 0);
    for (const row of sql(server.database, `SELECT email FROM users WHERE role = 'admin' AND id NOT IN ('${a.user.id}', '${b.user.id}')`).split('\n').filter(Boolean)) {
      assert.equal(server.cli(['user', 'set-role', row, 'user']).status, 0);
    }
    const [ab, ba] = await Promise.all([
      call(server.base, 'PATCH', `/admin/users/${b.user.id}`, { token: a.access_token, json: { role: 'user' } }),
      call(server.base, 'PATCH', `/admin/users/${a.user.id}`, { token: b.access_token, json: { role: 'user' } }),
    ]);
    const statuses = [ab.status, ba.status].sort();
    // One wins; the other is refused, either as the last admin or (if it ran second) as no longer an admin.
    assert.equal(statuses[0], 200, `trial ${trial}: ${JSON.stringify([ab.body, ba.body])}`);
    assert.ok([403, 409].includes(statuses[1]), `trial ${trial}: ${JSON.stringify([ab.body, ba.body])}`);
    assert.equal(sql(server.database, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0"), '1');
  }
});

test('email normalisation: one account per mailbox, invisible characters refused', async () => {
  const local = `jo\u0308rg-${process.pid}-${Date.now()}`;  // NFD
  const nfd = `${local}@example.com`;
  const nfc = nfd.normalize('NFC');
  const created = await call(server.base, 'POST', '/auth/signup', { json: { email: nfd, password: goodPassword } });
  assert.equal(created.status, 201);
  assert.equal(created.body.user.email, nfc.toLowerCase());
  for (const spelling of [nfc, nfc.toUpperCase(), `${nfc.split('@')[0]}@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com`]) {
    const dup = await call(server.base, 'POST', '/auth/signup', { json: { email: spelling, password: goodPassword } });
    assert.equal(dup.status, 409, spelling);
    const login = await call(server.base, 'POST', '/auth/login', { json: { email: spelling, password: goodPassword } });
    assert.equal(login.status, 200, spelling);
  }
  for (const bad of [`ali\u200bce-${Date.now()}@example.com`, `ali\u00adce@example.com`, `\u202ealice@example.com`, 'dana@b\u00fccher.example']) {
    const res = await call(server.base, 'POST', '/auth/signup', { json: { email: bad, password: goodPassword } });
    assert.equal(res.status, 400, bad);
    assert.equal(res.body.error, 'email_invalid');
  }
});

test('latchkey migrate reports addresses that the current rule merges or refuses, and merges nothing', async () => {
  const dir = await startServer([]);
  try {
    const now = Math.floor(Date.now() / 1000);
    // Rows as an older release stored them (it lowercased ASCII only).
    const rows = [['a', 'j\u00f6rg@example.com'], ['b', 'jo\u0308rg@example.com'], ['c', 'ali\u200bce@example.com'], ['d', 'plain@example.com']];
    for (const [id, email] of rows) {
      sql(dir.database, `INSERT INTO users (id, email, name, role, email_verified, disabled, created_at, updated_at) VALUES ('${id}', '${email}', '', 'user', 0, 0, ${now}, ${now})`);
    }
    const out = dir.cli(['migrate']);
    assert.equal(out.status, 0);
    const report = JSON.parse(out.stdout);
    const byReason = (reason) => report.email_collisions.filter((c) => c.reason === reason);
    const dups = byReason('duplicate');
    assert.equal(dups.length, 1);
    assert.equal(dups[0].address, 'j\u00f6rg@example.com');
    assert.deepEqual(dups[0].accounts.map((a) => a.id).sort(), ['a', 'b']);
    assert.deepEqual(byReason('invalid_under_current_rule').map((c) => c.accounts[0].id), ['c']);
    assert.equal(sql(dir.database, 'SELECT COUNT(*) FROM users'), '4');
  } finally {
    await dir.stop();
  }
});

test('--log-format text escapes control characters: a %0a in a path cannot forge a line', async () => {
  const text = await startServer(['--log-format', 'text']);
  const lines = text.logs;
  try {
    const forged = '/nothing%0a2026-01-01T00:00:00Z%20info%20audit%20event=login%20user_id=admin';
    await call(text.base, 'GET', forged);
    await call(text.base, 'GET', '/healthz');
    await eventually(() => lines.some((l) => l.includes('/healthz')), { what: 'the access log line of /healthz' });
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z (info|warn|error) /;
    for (const line of lines) assert.match(line, stamp, line);
    assert.ok(!lines.some((l) => l.startsWith('2026-01-01T00:00:00Z')));
    assert.ok(lines.some((l) => l.includes('\\n2026-01-01')), 'the newline shows escaped');
  } finally {
    await text.stop();
  }
});

test('--dev refuses a host that is not loopback: it would publish every reset link', () => {
  for (const host of ['0.0.0.0', '192.0.2.10', '::', 'example.com', '127.0.0']) {
    const run = refusedServe(['--dev', '--host', host, '--port', '0', '--database', path.join(server.dir, 'never.db')]);
    assert.equal(run.status, 2, host);
    assert.match(run.stderr, /--dev .*loopback --host/, host);
  }
  // The variable counts as much as the flag.
  const env = spawnSync(binary, ['serve', '--host', '0.0.0.0', '--port', '0'],
    { encoding: 'utf8', timeout: 10_000, env: { ...process.env, LATCHKEY_DEV: '1' } });
  assert.equal(env.status, 2);
});
