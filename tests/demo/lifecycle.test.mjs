// The session's lifecycle at a glance on the token panel: a new account lands
// there; the refresh token's part (its session, rotation, what reuse does, the
// next scheduled refresh) and every time readable; the timeline drawn and
// listed as sign-in, refreshes and sign-out happen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, uniqueEmail } from '../server/server.mjs';
import { openBrowser, screenshot, signUpInPage, startDemoServer } from './harness.mjs';

const CLOCK = String.raw`\d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?`;

test('signup lands on the token panel, which shows the session, rotation, the next refresh and the timeline', async () => {
  // 8 s tokens: the client refreshes a quarter of the life before expiry, every 6 s.
  const server = await startDemoServer(['--access-ttl', '8']);
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    const account = await signUpInPage(page, { email: uniqueEmail('lifecycle'), password: 'violet tugboat meringue 47' });
    assert.equal(new URL(page.url()).hash, '#token');
    const claims = JSON.parse(await page.locator('pre[data-claims]').getAttribute('data-claims'));
    assert.match(claims.sid, /^[0-9a-f-]{36}$/);

    // The refresh token's part: its session (started just now), its fingerprint, reuse.
    const field = (name) => page.locator(`[data-field="${name}"]`);
    await field('session').filter({ hasText: new RegExp(`^${claims.sid}, started ${CLOCK} \\((now|\\d+ s ago)\\)$`) }).waitFor();
    await field('refresh-token').filter({ hasText: /^fingerprint [0-9a-f]{8} / }).waitFor();
    const firstTag = /fingerprint ([0-9a-f]{8})/.exec(await field('refresh-token').textContent())[1];
    const facts = await page.locator('.refresh-facts').textContent();
    assert.match(facts, /Each refresh spends the refresh token and returns a new one/);
    assert.match(facts, /revokes the whole session/);

    // The next refresh, from the client's schedule, before the token expires; shown as a clock time.
    await page.waitForFunction(() => document.querySelector('[data-field="next-refresh"]').dataset.at !== '');
    const nextAt = Number(await field('next-refresh').getAttribute('data-at'));
    assert.ok(nextAt > Date.now() - 1000 && nextAt < claims.exp * 1000, `next refresh ${nextAt}, exp ${claims.exp}`);
    assert.match(await field('next-refresh').textContent(), new RegExp(`^${CLOCK} \\(in [1-6] s\\)$`));

    // Times read as clock times and relative; the claims' epoch seconds carry a note.
    assert.match(await page.locator('.countdown').textContent(), new RegExp(`expires in [1-8] s \\(at ${CLOCK}\\)`));
    assert.match(await page.locator('.annotation[data-claim="exp"]').textContent(), new RegExp(`^// expires ${CLOCK} \\(in [1-8] s\\)$`));
    assert.match(await page.locator('.annotation[data-claim="iat"]').textContent(), new RegExp(`^// issued ${CLOCK} \\((now|\\d s ago)\\)$`));
    assert.match(await page.locator('.annotation[data-claim="auth_time"]').textContent(), /^\/\/ signed in /);
    for (const selector of ['.countdown', '.refresh-facts', '.event-log']) {
      assert.doesNotMatch(await page.locator(selector).textContent(), /\b1\d{9}\b/, `${selector} shows epoch seconds`);
    }

    // The refresh happens when scheduled; the timeline lists it with the rotation.
    const refreshed = page.locator('.event-log li[data-event="TOKEN_REFRESHED"]').first();
    await refreshed.filter({ hasText: /refresh token rotated: [0-9a-f]{8} → [0-9a-f]{8}/ }).waitFor({ timeout: 15000 });
    const refreshedAt = Date.parse(await refreshed.locator('time').getAttribute('datetime'));
    // (The event comes after the request's round trip.)
    assert.ok(refreshedAt >= nextAt - 50 && refreshedAt - nextAt < 3000, `refreshed at ${refreshedAt}, scheduled for ${nextAt}`);
    const [, from, to] = /rotated: ([0-9a-f]{8}) → ([0-9a-f]{8})/.exec(await refreshed.textContent());
    assert.equal(from, firstTag);
    assert.notEqual(to, firstTag);
    await field('rotations').filter({ hasText: /^[1-9]\d* rotations? seen by this page\.$/ }).waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-field="next-refresh"]').dataset.at) > Date.now());

    // The drawing matches the list: a mark per event, a bar per access token, now and the next refresh.
    await page.waitForFunction(() => document.querySelectorAll('svg.timeline .tl-mark').length === document.querySelectorAll('.event-log li').length);
    assert.ok(await page.locator('svg.timeline .tl-token').count() >= 2);
    assert.equal(await page.locator('svg.timeline .tl-now').count(), 1);
    assert.equal(await page.locator('svg.timeline .tl-next').count(), 1);
    assert.match(await page.locator('svg.timeline').getAttribute('role'), /^img$/);
    await screenshot(page, 'token-lifecycle');

    // Sign out and in again: the timeline keeps the first session's end and starts the next.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    // The form in place (no navigation): the page, and its event list, stay.
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByRole('link', { name: 'Token' }).click();
    await page.waitForSelector('main[data-view="token"]');
    const items = page.locator('.event-log li');
    const events = (await items.evaluateAll((all) => all.map((li) => li.dataset.event))).filter((e) => e !== 'TOKEN_REFRESHED');
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN', 'SIGNED_OUT', 'SIGNED_IN']);
    assert.equal(await items.locator('time[datetime]').count(), await items.count(), 'every event has its time');
    const second = JSON.parse(await page.locator('pre[data-claims]').getAttribute('data-claims'));
    assert.notEqual(second.sid, claims.sid);
    await page.locator('.event-log li[data-event="SIGNED_IN"]').last().filter({ hasText: `session ${second.sid.slice(0, 8)}` }).waitFor();
    await field('session').filter({ hasText: second.sid }).waitFor();
    assert.equal(await page.locator('svg.timeline .tl-signout').count(), 1);
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('replaying the spent refresh token ends the whole session, and the timeline shows it', async () => {
  // No reuse interval: a replay right after the rotation counts as theft (by default
  // the server forgives 10 s, for tabs racing).
  const server = await startDemoServer(['--reuse-interval', '0']);
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    const account = await signUpInPage(page, { email: uniqueEmail('replay'), password: 'violet tugboat meringue 47' });
    const replay = page.getByRole('button', { name: 'Replay the spent refresh token' });
    assert.equal(await replay.isDisabled(), true, 'nothing is spent before a rotation');
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.locator('.event-log li[data-event="TOKEN_REFRESHED"]').filter({ hasText: 'rotated' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.refresh-facts button.danger').disabled);
    const { sid } = JSON.parse(await page.locator('pre[data-claims]').getAttribute('data-claims'));

    // It asks first; Cancel changes nothing.
    await replay.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator('main').getAttribute('data-view'), 'token');
    await replay.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Replay it' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await page.getByRole('status').filter({ hasText: 'session has ended' }).waitFor();

    // The server revoked the session: its current tokens are dead too.
    const other = await call(server.base, 'POST', '/auth/login', { json: { email: account.email, password: account.password } });
    const listed = await call(server.base, 'GET', '/auth/sessions', { token: other.body.access_token });
    assert.equal(listed.status, 200);
    assert.ok(!listed.body.sessions.some((s) => s.id === sid), 'the replayed session is gone');

    // Back in: the timeline has the rotation, then the end of that session.
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByRole('link', { name: 'Token' }).click();
    await page.waitForSelector('main[data-view="token"]');
    const events = await page.locator('.event-log li').evaluateAll((all) => all.map((li) => li.dataset.event));
    assert.deepEqual(events, ['INITIAL_SESSION', 'SIGNED_IN', 'TOKEN_REFRESHED', 'SESSION_EXPIRED', 'SIGNED_OUT', 'SIGNED_IN']);
    assert.match(await page.locator('.event-log li[data-event="SESSION_EXPIRED"]').textContent(), /server refused the refresh token/);
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
