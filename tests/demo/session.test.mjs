// The token lifecycle in the browser: a refresh shows in the event log, a
// second tab shares it instead of refreshing again, and "log out everywhere"
// signs out every tab and every other device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, uniqueEmail, signup as apiSignup } from '../server/server.mjs';
import { logInInPage, openBrowser, requestCount, screenshot, startDemoServer } from './harness.mjs';

const REFRESH = 'POST /auth/refresh';
const refreshEvents = (page) => page.locator('.event-log li[data-event="TOKEN_REFRESHED"]').count();

test('with a short token lifetime, a refresh appears in the event log and the new token verifies', async () => {
  const server = await startDemoServer(['--access-ttl', '6']);
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('refresh'));
    const page = await browser.newPage('#login');
    await logInInPage(page, account);
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByRole('link', { name: 'Token' }).click();
    await page.waitForSelector('main[data-view="token"]');
    await page.locator('.event-log li[data-event="SIGNED_IN"]').waitFor();
    await page.locator('.verdict[data-valid="true"]').waitFor();
    // The raw claims (the notes next to the times change every second).
    const claimsBefore = await page.locator('pre[data-claims]').getAttribute('data-claims');
    assert.match(await page.locator('.countdown').textContent(), /expires in [1-6] s/);

    // 6 s tokens are refreshed a quarter of their life before expiry.
    await page.locator('.event-log li[data-event="TOKEN_REFRESHED"]').first().waitFor({ timeout: 15000 });
    await page.waitForFunction((before) => document.querySelector('pre[data-claims]').dataset.claims !== before, claimsBefore);
    await page.locator('.verdict[data-valid="true"]').waitFor();
    assert.ok(await requestCount(server.base, REFRESH, 200) >= 1);
    await screenshot(page, 'token-panel');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a second tab shares the refresh instead of sending its own', async () => {
  // 20 s tokens: refreshed 5 s before expiry, the next one 15 s after that,
  // so the count read just after the first is not racing a second one.
  const server = await startDemoServer(['--access-ttl', '20']);
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('tabs'));
    const first = await browser.newPage('#login');
    await logInInPage(first, account);
    await first.waitForSelector('main[data-view="profile"]');
    const second = await browser.newPage('#token');
    await second.waitForSelector('main[data-view="token"]');
    await first.goto('/#token');
    await first.waitForSelector('main[data-view="token"]');
    assert.equal(await requestCount(server.base, REFRESH), 0);

    await first.locator('.event-log li[data-event="TOKEN_REFRESHED"]').first().waitFor({ timeout: 25000 });
    await second.locator('.event-log li[data-event="TOKEN_REFRESHED"]').first().waitFor({ timeout: 5000 });
    const logs = async () => `tab 1: ${await first.locator('.event-log').textContent()}\ntab 2: ${await second.locator('.event-log').textContent()}\n` +
      server.logs.filter((line) => line.includes('/auth/refresh')).join('\n');
    assert.equal(await requestCount(server.base, REFRESH), 1, `one refresh for two tabs\n${await logs()}`);
    assert.equal(await refreshEvents(first), 1);
    assert.equal(await refreshEvents(second), 1);
    // Both tabs now hold the same new token.
    const claims = (page) => page.locator('pre[data-claims]').getAttribute('data-claims');
    await second.waitForFunction(() => document.querySelector('.verdict')?.dataset.valid === 'true');
    assert.equal(await claims(first), await claims(second));
    await screenshot(second, 'second-tab');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('log out everywhere signs out both tabs and another device', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  const otherDevice = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('everywhere'));
    const first = await browser.newPage('#login');
    await logInInPage(first, account);
    await first.waitForSelector('main[data-view="profile"]');
    const second = await browser.newPage('#profile');
    await second.waitForSelector('main[data-view="profile"]');
    const phone = await otherDevice.newPage('#login');
    await logInInPage(phone, account);
    await phone.waitForSelector('main[data-view="profile"]');

    await first.getByRole('link', { name: 'Sessions' }).click();
    await first.waitForSelector('main[data-view="sessions"]');
    // The two tabs share one session; the other device and the signup (over
    // the API) have their own.
    assert.equal(await first.locator('tbody tr').count(), 3);
    assert.equal(await first.locator('tbody tr[data-current="true"]').count(), 1);
    // Revoke one: the API client's session (Node's fetch) goes, the rest stay.
    await first.locator('tbody tr').filter({ hasText: 'Node.js' }).getByRole('button', { name: /Revoke session/ }).click();
    await first.getByRole('status').filter({ hasText: 'Session revoked' }).waitFor();
    assert.equal(await first.locator('tbody tr').count(), 2);
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: account.access_token })).body.error, 'session_revoked');
    await screenshot(first, 'sessions');
    await first.getByRole('button', { name: 'Log out everywhere' }).click();

    await first.waitForSelector('main[data-view="login"]');
    await second.waitForSelector('main[data-view="login"]');
    assert.equal(await second.locator('#whoami').textContent(), 'Not signed in');
    // The other device learns it at its next call: its session is gone.
    await phone.getByRole('link', { name: 'Sessions' }).click();
    await phone.waitForSelector('main[data-view="login"]');
    await phone.getByRole('status').filter({ hasText: 'session has ended' }).waitFor();
    assert.deepEqual(browser.problems(), []);
    assert.deepEqual(otherDevice.problems(), []);
  } finally {
    await otherDevice.close();
    await browser.close();
    await server.stop();
  }
});
