// Password recovery, email verification and email change over real HTTP,
// with mail delivered over SMTP to a real server (aiosmtpd) started here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, uniqueEmail, goodPassword } from './server.mjs';
import { startSink, tokenFrom, claimsOf } from './mail-sink.mjs';

const newPassword = 'violet tangerine submarine orchestra';
const noLimits = ['--rate-signup', 'off', '--rate-signup-email', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off',
  '--rate-recovery-ip', 'off', '--rate-recovery-email', 'off', '--rate-token-ip', 'off'];

let sink;
let server;
before(async () => {
  sink = await startSink();
  server = await startServer(['--smtp-url', sink.url, '--smtp-starttls', 'none', '--public-url', 'https://app.example.test/', ...noLimits]);
});
after(async () => {
  await server.stop();
  await sink.stop();
});

const post = (path, json, opts = {}) => call(server.base, 'POST', path, { json, ...opts });
const login = (email, password) => post('/auth/login', { email, password });

test('forgot -> mail -> reset: old sessions end, the old password fails, the new one works', async () => {
  const user = await signup(server.base);
  const verifyMail = await sink.next(user.email); // the signup's verification mail
  assert.equal(verifyMail.subject, 'Confirm your email address');
  const second = await login(user.email, user.password);
  assert.equal(second.status, 200);

  const forgot = await post('/auth/forgot-password', { email: user.email.toUpperCase() });
  assert.equal(forgot.status, 202);
  assert.deepEqual(forgot.body, { status: 'accepted' });
  const mail = await sink.next(user.email);
  assert.equal(mail.subject, 'Reset your password');
  assert.equal(mail.mail_from, 'no-reply@localhost');
  assert.match(mail.text, /^https:\/\/app\.example\.test\/#reset-password\?token=[A-Za-z0-9_-]{43}$/m);
  assert.match(mail.html, /href="https:\/\/app\.example\.test\/#reset-password\?token=/);
  const token = tokenFrom(mail, 'reset-password');

  const reset = await post('/auth/reset-password', { token, new_password: newPassword });
  assert.equal(reset.status, 204, JSON.stringify(reset.body));
  const notice = await sink.next(user.email);
  assert.equal(notice.subject, 'Your password was changed');
  assert.ok(!notice.text.includes(token));

  for (const refresh of [user.refresh_token, second.body.refresh_token]) {
    const res = await post('/auth/refresh', { refresh_token: refresh });
    assert.equal(res.status, 401);
  }
  const me = await call(server.base, 'GET', '/auth/me', { token: second.body.access_token });
  assert.equal(me.status, 401);
  assert.equal(me.body.error, 'session_revoked');
  assert.equal((await login(user.email, user.password)).body.error, 'invalid_credentials');
  const fresh = await login(user.email, newPassword);
  assert.equal(fresh.status, 200);
  // The link proved the mailbox: the address counts as verified now, in the token too.
  assert.equal(fresh.body.user.email_verified, true);
  assert.equal(claimsOf(fresh.body.access_token).email_verified, true);

  const again = await post('/auth/reset-password', { token, new_password: 'another fine long passphrase' });
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'reset_token_invalid');
});

test('a weak new password is refused without using up the link', async () => {
  const user = await signup(server.base);
  await sink.next(user.email);
  await post('/auth/forgot-password', { email: user.email });
  const token = tokenFrom(await sink.next(user.email), 'reset-password');
  const weak = await post('/auth/reset-password', { token, new_password: 'password' });
  assert.equal(weak.status, 422);
  assert.equal(weak.body.error, 'weak_password');
  assert.ok(weak.body.reasons.includes('blocklisted'));
  assert.equal((await post('/auth/reset-password', { token, new_password: newPassword })).status, 204);
});

test('a newer reset link supersedes the older one', async () => {
  const user = await signup(server.base);
  await sink.next(user.email);
  await post('/auth/forgot-password', { email: user.email });
  const first = tokenFrom(await sink.next(user.email), 'reset-password');
  await post('/auth/forgot-password', { email: user.email });
  const second = tokenFrom(await sink.next(user.email), 'reset-password');
  assert.notEqual(first, second);
  const old = await post('/auth/reset-password', { token: first, new_password: newPassword });
  assert.equal(old.status, 400);
  assert.equal(old.body.error, 'reset_token_invalid');
  assert.equal((await post('/auth/reset-password', { token: second, new_password: newPassword })).status, 204);
});

test('checking a reset link does not use it, names no account, and refuses what the reset would refuse', async () => {
  const user = await signup(server.base);
  const verify = tokenFrom(await sink.next(user.email), 'verify-email');
  await post('/auth/forgot-password', { email: user.email });
  const token = tokenFrom(await sink.next(user.email), 'reset-password');
  const check = (t) => post('/auth/reset-password/check', { token: t });

  const before = Math.floor(Date.now() / 1000);
  const live = await check(token);
  assert.equal(live.status, 200, JSON.stringify(live.body));
  assert.deepEqual(Object.keys(live.body).sort(), ['expires_at', 'valid']);
  assert.equal(live.body.valid, true);
  // The default link lifetime is an hour from the forgot-password request.
  assert.ok(live.body.expires_at > before + 3500 && live.body.expires_at <= before + 3601, String(live.body.expires_at));
  assert.equal(live.headers.get('cache-control'), 'no-store');
  assert.ok(!JSON.stringify(live.body).includes(user.email.split('@')[0]), 'the answer names the account');
  // Looking twice is fine: the link is still there.
  assert.equal((await check(token)).status, 200);

  // A verification link is not a reset link.
  const wrongKind = await check(verify);
  assert.equal(wrongKind.status, 400);
  assert.equal(wrongKind.body.error, 'reset_token_invalid');
  assert.equal((await post('/auth/verify-email', { token: verify })).status, 200, 'the check spent the verification link');

  // A newer link replaces this one: the check says so, as the reset would.
  await post('/auth/forgot-password', { email: user.email });
  const newer = tokenFrom(await sink.next(user.email), 'reset-password');
  const replaced = await check(token);
  assert.equal(replaced.body.error, 'reset_token_invalid');
  assert.equal((await post('/auth/reset-password', { token, new_password: newPassword })).body.error, 'reset_token_invalid');

  // Used: refused from then on, with the reset's own code.
  assert.equal((await check(newer)).status, 200);
  assert.equal((await post('/auth/reset-password', { token: newer, new_password: newPassword })).status, 204);
  await sink.next(user.email); // the "password changed" notice
  const used = await check(newer);
  assert.equal(used.status, 400);
  assert.equal(used.body.error, 'reset_token_invalid');
});

test('a reset token cannot verify an email and a verification token cannot reset a password', async () => {
  const user = await signup(server.base);
  const verify = tokenFrom(await sink.next(user.email), 'verify-email');
  await post('/auth/forgot-password', { email: user.email });
  const reset = tokenFrom(await sink.next(user.email), 'reset-password');
  assert.equal((await post('/auth/verify-email', { token: reset })).body.error, 'verification_token_invalid');
  assert.equal((await post('/auth/reset-password', { token: verify, new_password: newPassword })).body.error, 'reset_token_invalid');
  // Neither attempt used up the other kind.
  assert.equal((await post('/auth/verify-email', { token: verify })).status, 200);
  assert.equal((await post('/auth/reset-password', { token: reset, new_password: newPassword })).status, 204);
});

test('verify-email: the link verifies once, and the next access token says so', async () => {
  const user = await signup(server.base);
  assert.equal(claimsOf(user.access_token).email_verified, false);
  const mail = await sink.next(user.email);
  assert.match(mail.text, /https:\/\/app\.example\.test\/#verify-email\?token=/);
  const token = tokenFrom(mail, 'verify-email');
  const verified = await post('/auth/verify-email', { token });
  assert.equal(verified.status, 200);
  assert.equal(verified.body.email, user.email);
  assert.equal(verified.body.email_verified, true);
  assert.equal(verified.body.pending_email, null);
  const reused = await post('/auth/verify-email', { token });
  assert.equal(reused.status, 400);
  assert.equal(reused.body.error, 'verification_token_invalid');
  const refreshed = await post('/auth/refresh', { refresh_token: user.refresh_token });
  assert.equal(refreshed.status, 200);
  assert.equal(claimsOf(refreshed.body.access_token).email_verified, true);
  // Verified accounts get no more verification mail.
  await post('/auth/resend-verification', { email: user.email });
  await post('/auth/forgot-password', { email: user.email });
  assert.equal((await sink.next(user.email)).subject, 'Reset your password');
});

test('resend-verification sends a new link that supersedes the first', async () => {
  const user = await signup(server.base);
  const first = tokenFrom(await sink.next(user.email), 'verify-email');
  const resend = await post('/auth/resend-verification', { email: user.email });
  assert.equal(resend.status, 202);
  assert.deepEqual(resend.body, { status: 'accepted' });
  const second = tokenFrom(await sink.next(user.email), 'verify-email');
  assert.equal((await post('/auth/verify-email', { token: first })).body.error, 'verification_token_invalid');
  assert.equal((await post('/auth/verify-email', { token: second })).status, 200);
});

test('email change: the old address is told, the new one must confirm before it counts', async () => {
  const user = await signup(server.base);
  await sink.next(user.email);
  const target = uniqueEmail('moved');
  const patched = await call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json: { email: target, name: 'Moved Person', current_password: user.password } });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.email, user.email);
  assert.equal(patched.body.pending_email, target);
  assert.equal(patched.body.name, 'Moved Person');
  const notice = await sink.next(user.email);
  assert.equal(notice.subject, 'Your email address is being changed');
  assert.ok(notice.text.includes(target));
  assert.doesNotMatch(notice.text, /token=/);
  const confirm = await sink.next(target);
  assert.equal(confirm.subject, 'Confirm your new email address');
  const token = tokenFrom(confirm, 'verify-email');

  // Not yet: the old address still signs in, the new one does not.
  assert.equal((await login(user.email, user.password)).status, 200);
  assert.equal((await login(target, user.password)).status, 401);
  const confirmed = await post('/auth/verify-email', { token });
  assert.equal(confirmed.status, 200);
  assert.equal(confirmed.body.email, target);
  assert.equal(confirmed.body.pending_email, null);
  assert.equal(confirmed.body.email_verified, true);
  assert.equal((await login(target, user.password)).status, 200);
  assert.equal((await login(user.email, user.password)).status, 401);
  assert.equal((await post('/auth/verify-email', { token })).body.error, 'verification_token_invalid');
});

test('email change: taken addresses are refused at request and at confirmation time', async () => {
  const a = await signup(server.base);
  const b = await signup(server.base);
  await sink.next(a.email);
  await sink.next(b.email);
  const taken = await call(server.base, 'PATCH', '/auth/me', { token: a.access_token, json: { email: b.email, current_password: a.password } });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.error, 'email_taken');

  const wanted = uniqueEmail('contested');
  assert.equal((await call(server.base, 'PATCH', '/auth/me', { token: a.access_token, json: { email: wanted, current_password: a.password } })).status, 200);
  await sink.next(a.email);
  const token = tokenFrom(await sink.next(wanted), 'verify-email');
  // Someone signs up with that address before the link is used.
  const squatter = await signup(server.base, wanted);
  const refused = await post('/auth/verify-email', { token });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error, 'email_taken');
  const me = await call(server.base, 'GET', '/auth/me', { token: a.access_token });
  assert.equal(me.body.email, a.email);
  assert.ok(squatter.user.id);
});

test('email change: asking for the current address cancels the pending change and its link', async () => {
  const user = await signup(server.base);
  await sink.next(user.email);
  const target = uniqueEmail('cancelled');
  await call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json: { email: target, current_password: user.password } });
  await sink.next(user.email);
  const token = tokenFrom(await sink.next(target), 'verify-email');
  const cancel = await call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json: { email: user.email } });
  assert.equal(cancel.status, 200);
  assert.equal(cancel.body.pending_email, null);
  assert.equal((await post('/auth/verify-email', { token })).body.error, 'verification_token_invalid');
});

test('unknown emails get the same answer, no mail, and comparable timing', async () => {
  const user = await signup(server.base);
  await sink.next(user.email);
  await post('/auth/verify-email', { token: 'x'.repeat(43) }); // warm up
  const unknown = uniqueEmail('nobody');
  const known = [];
  const missing = [];
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    const a = await post('/auth/forgot-password', { email: user.email });
    known.push(performance.now() - t);
    t = performance.now();
    const b = await post('/auth/forgot-password', { email: unknown });
    missing.push(performance.now() - t);
    assert.equal(a.status, b.status);
    assert.deepEqual(a.body, b.body);
    assert.deepEqual([...a.headers.keys()].sort(), [...b.headers.keys()].sort());
    const r1 = await post('/auth/resend-verification', { email: user.email });
    const r2 = await post('/auth/resend-verification', { email: unknown });
    assert.equal(r1.status, 202);
    assert.deepEqual([r1.status, r1.body], [r2.status, r2.body]);
  }
  const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const diff = Math.abs(median(known) - median(missing));
  // Mail is sent off the request path; what remains is one database write.
  assert.ok(diff < 15, `median known ${median(known).toFixed(2)} ms vs unknown ${median(missing).toFixed(2)} ms`);
  console.log(`# forgot-password median: known ${median(known).toFixed(2)} ms, unknown ${median(missing).toFixed(2)} ms`);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(sink.count(unknown), 0);
});

test('bad input on the new routes gets stable error codes', async () => {
  const cases = [
    ['/auth/forgot-password', {}, 400, 'validation_failed'],
    ['/auth/forgot-password', { email: 42 }, 400, 'validation_failed'],
    ['/auth/forgot-password', { email: 'not-an-email' }, 400, 'email_invalid'],
    ['/auth/forgot-password', { email: 'a@example.com', extra: 1 }, 400, 'validation_failed'],
    ['/auth/forgot-password', { email: `${'x'.repeat(400)}@example.com` }, 400, 'validation_failed'],
    ['/auth/resend-verification', { email: null }, 400, 'validation_failed'],
    ['/auth/resend-verification', { email: 'a b@example.com' }, 400, 'email_invalid'],
    ['/auth/reset-password', { new_password: newPassword }, 400, 'validation_failed'],
    ['/auth/reset-password', { token: 'abc' }, 400, 'validation_failed'],
    ['/auth/reset-password', { token: 'abc', new_password: newPassword }, 400, 'reset_token_invalid'],
    ['/auth/reset-password', { token: 'A'.repeat(43), new_password: newPassword }, 400, 'reset_token_invalid'],
    ['/auth/reset-password', { token: '!'.repeat(43), new_password: newPassword }, 400, 'reset_token_invalid'],
    ['/auth/reset-password', { token: 'A'.repeat(200), new_password: newPassword }, 400, 'validation_failed'],
    ['/auth/reset-password', { token: ['x'], new_password: newPassword }, 400, 'validation_failed'],
    ['/auth/reset-password/check', {}, 400, 'validation_failed'],
    ['/auth/reset-password/check', { token: 5 }, 400, 'validation_failed'],
    ['/auth/reset-password/check', { token: 'abc' }, 400, 'reset_token_invalid'],
    ['/auth/reset-password/check', { token: 'A'.repeat(43) }, 400, 'reset_token_invalid'],
    ['/auth/reset-password/check', { token: 'A'.repeat(200) }, 400, 'validation_failed'],
    ['/auth/reset-password/check', { token: 'A'.repeat(43), new_password: newPassword }, 400, 'validation_failed'],
    ['/auth/verify-email', {}, 400, 'validation_failed'],
    ['/auth/verify-email', { token: 'B'.repeat(43) }, 400, 'verification_token_invalid'],
    ['/auth/verify-email', { token: '' }, 400, 'verification_token_invalid'],
  ];
  for (const [path, json, status, code] of cases) {
    const res = await post(path, json);
    assert.equal(res.status, status, `${path} ${JSON.stringify(json)}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, code, `${path} ${JSON.stringify(json)}`);
  }
  for (const path of ['/auth/forgot-password', '/auth/reset-password', '/auth/reset-password/check', '/auth/verify-email', '/auth/resend-verification']) {
    const text = await call(server.base, 'POST', path, { body: 'email=a', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(text.status, 415);
    const broken = await call(server.base, 'POST', path, { body: '{"email":', headers: { 'Content-Type': 'application/json' } });
    assert.equal(broken.body.error, 'json_invalid');
    const array = await call(server.base, 'POST', path, { body: '[]', headers: { 'Content-Type': 'application/json' } });
    assert.equal(array.body.error, 'json_invalid');
  }
  const user = await signup(server.base);
  const patch = (json) => call(server.base, 'PATCH', '/auth/me', { token: user.access_token, json });
  assert.equal((await patch({})).body.error, 'validation_failed');
  assert.equal((await patch({ email: 'nope' })).body.error, 'email_invalid');
  assert.equal((await patch({ email: uniqueEmail(), current_password: 7 })).body.field, 'current_password');
  assert.equal((await patch({ email: 7 })).body.error, 'validation_failed');
  assert.equal((await patch({ role: 'admin' })).body.field, 'role');
  assert.equal((await patch({ name: 'a\u0007b' })).body.error, 'validation_failed');
  assert.equal((await call(server.base, 'PATCH', '/auth/me', { json: { name: 'x' } })).status, 401);
});

test('recovery requests are rate limited per address (known or not) and link attempts per IP', async () => {
  const limited = await startServer(['--rate-recovery-email', '2/3600', '--rate-recovery-ip', 'off', '--rate-token-ip', '3/60']);
  try {
    // Link attempts per IP (checks count too): the fourth guess is refused before any lookup.
    for (let i = 0; i < 2; i++) {
      const guess = await call(limited.base, 'POST', '/auth/verify-email', { json: { token: 'C'.repeat(43) } });
      assert.equal(guess.body.error, 'verification_token_invalid');
    }
    const looked = await call(limited.base, 'POST', '/auth/reset-password/check', { json: { token: 'C'.repeat(43) } });
    assert.equal(looked.body.error, 'reset_token_invalid');
    const blocked = await call(limited.base, 'POST', '/auth/reset-password', { json: { token: 'C'.repeat(43), new_password: newPassword } });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    const blockedCheck = await call(limited.base, 'POST', '/auth/reset-password/check', { json: { token: 'C'.repeat(43) } });
    assert.equal(blockedCheck.status, 429);
    assert.equal(blockedCheck.body.error, 'rate_limited');
    for (const email of [uniqueEmail('limited'), uniqueEmail('limited-unknown')]) {
      for (let i = 0; i < 2; i++) assert.equal((await call(limited.base, 'POST', '/auth/forgot-password', { json: { email } })).status, 202);
      const third = await call(limited.base, 'POST', '/auth/forgot-password', { json: { email } });
      assert.equal(third.status, 429);
      assert.equal(third.body.error, 'rate_limited');
      assert.ok(Number(third.headers.get('retry-after')) > 0);
    }
  } finally {
    await limited.stop();
  }
});

test('reset and verification links expire (short lifetimes)', async () => {
  const quick = await startServer(['--reset-ttl', '1', '--verify-ttl', '1', '--smtp-url', sink.url, '--smtp-starttls', 'none', ...noLimits]);
  try {
    const user = await signup(quick.base);
    const verify = tokenFrom(await sink.next(user.email), 'verify-email');
    await call(quick.base, 'POST', '/auth/forgot-password', { json: { email: user.email } });
    const reset = tokenFrom(await sink.next(user.email), 'reset-password');
    await new Promise((r) => setTimeout(r, 2100));
    const lateCheck = await call(quick.base, 'POST', '/auth/reset-password/check', { json: { token: reset } });
    assert.equal(lateCheck.body.error, 'reset_token_invalid');
    const late = await call(quick.base, 'POST', '/auth/reset-password', { json: { token: reset, new_password: newPassword } });
    assert.equal(late.body.error, 'reset_token_invalid');
    assert.equal((await call(quick.base, 'POST', '/auth/verify-email', { json: { token: verify } })).body.error, 'verification_token_invalid');
    assert.equal((await call(quick.base, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } })).status, 200);
  } finally {
    await quick.stop();
  }
});

test('--require-verified-email: signup gives no tokens; login works only after verification', async () => {
  const strict = await startServer(['--require-verified-email', '--smtp-url', sink.url, '--smtp-starttls', 'none', ...noLimits]);
  try {
    const email = uniqueEmail('strict');
    const created = await call(strict.base, 'POST', '/auth/signup', { json: { email, password: goodPassword } });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ['user']);
    assert.equal(created.body.user.email_verified, false);
    const denied = await call(strict.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'email_not_verified');
    // A wrong password says nothing about verification: no account probing.
    const wrong = await call(strict.base, 'POST', '/auth/login', { json: { email, password: 'wrong password entirely' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_credentials');
    const form = await call(strict.base, 'POST', '/auth/token', {
      body: new URLSearchParams({ grant_type: 'password', username: email, password: goodPassword }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 400);
    assert.equal(form.body.error, 'invalid_grant');
    assert.equal(form.body.error_code, 'email_not_verified');
    const token = tokenFrom(await sink.next(email), 'verify-email');
    assert.equal((await call(strict.base, 'POST', '/auth/verify-email', { json: { token } })).status, 200);
    const ok = await call(strict.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
    assert.equal(ok.status, 200);
    assert.equal(claimsOf(ok.body.access_token).email_verified, true);
  } finally {
    await strict.stop();
  }
});

test('recovery events are audited without tokens', async () => {
  const admin = uniqueEmail('auditor');
  assert.equal(server.cli(['user', 'add', admin, '--admin'], `${goodPassword}\n`).status, 0);
  const session = await login(admin, goodPassword);
  const events = await call(server.base, 'GET', '/admin/audit?limit=200', { token: session.body.access_token });
  assert.equal(events.status, 200);
  const names = new Set(events.body.events.map((e) => e.event));
  // Each event names its people by id and, joined in for reading, by email.
  const ownLogin = events.body.events.find((e) => e.event === 'login' && e.user_id === session.body.user.id);
  assert.equal(ownLogin.user_email, admin);
  assert.equal(ownLogin.actor_email, null);
  for (const e of events.body.events) {
    assert.ok(e.user_id === null ? e.user_email === null : e.user_email === null || e.user_email.includes('@'), JSON.stringify(e));
  }
  for (const name of ['password_reset_requested', 'password_reset', 'email_verified', 'email_change_requested', 'email_changed', 'email_verification_requested']) {
    assert.ok(names.has(name), `audit has ${name}`);
  }
  const logs = server.logs.join('\n');
  for (const m of sink.messages) {
    const token = /token=([A-Za-z0-9_-]{43})/.exec(m.text)?.[1];
    if (token) assert.ok(!logs.includes(token), 'a token reached the log');
  }
});
