// Two-factor authentication in the demo, in Chromium: set up an app from the
// page (the test reads the key the page shows and computes codes itself),
// recovery codes shown once, the second step at login with a code and with
// a recovery code, aal2 in the token panel, and turning it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail } from '../server/server.mjs';
import { totp, awayFromBoundary } from '../server/totp.mjs';
import { logInInPage, openBrowser, screenshot, signUpInPage, startDemoServer } from './harness.mjs';

test('set up an authenticator app, log in with a code and with a recovery code, then turn it off', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    const password = 'violet tugboat meringue 47';
    const account = await signUpInPage(page, { email: uniqueEmail('mfa-demo'), password });
    await page.getByRole('link', { name: 'Two-factor' }).click();
    await page.waitForSelector('main[data-view="mfa"]');
    assert.equal(await page.locator('[data-aal]').textContent(), 'aal1');

    // The password is the proof of presence; a wrong one is refused in the page.
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('alert').filter({ hasText: 'current password' }).waitFor();
    await page.getByLabel('Current password').fill(password);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.locator('.totp-secret').textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await screenshot(page, 'mfa-setup');

    await page.getByLabel('Code from your authenticator app').fill(totp(secret, Date.now() / 1000 + 300));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    await awayFromBoundary();
    await page.getByLabel('Code from your authenticator app').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    const recovery = (await codes.nth(2).textContent()).trim();
    assert.equal(await page.locator('[data-aal]').textContent(), 'aal2');
    assert.equal(await page.getByRole('button', { name: 'Copy the codes' }).isVisible(), true);
    await screenshot(page, 'mfa-recovery-codes');
    // Shown once: a new visit lists how many are left, not the codes.
    // Wait for each view: until the new one replaces it, the old view (with the
    // codes) is still on the page.
    await page.goto('/#token');
    await page.waitForSelector('main[data-view="token"]');
    // The step-up is on the session's timeline: a new access token, the same refresh token.
    await page.locator('.event-log li[data-event="MFA_CHALLENGE_VERIFIED"]').filter({ hasText: 'aal2' })
      .filter({ hasText: 'same refresh token' }).waitFor();
    assert.equal(await page.locator('svg.timeline .tl-stepup').count(), 1);
    await page.goto('/#mfa');
    await page.waitForSelector('main[data-view="mfa"]');
    await page.getByText('Recovery codes left: 10').waitFor();
    assert.equal(await page.getByRole('list', { name: 'Recovery codes' }).count(), 0);

    // Log out, log in: the second step asks for a code.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await logInInPage(page, account);
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await awayFromBoundary();
    await page.getByLabel('Code from your authenticator app').fill(totp(secret, Date.now() / 1000 + 30));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByRole('link', { name: 'Token' }).click();
    await page.waitForSelector('main[data-view="token"]');
    await page.getByText('"aal": "aal2"').waitFor();

    // And with a recovery code.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await logInInPage(page, account);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recovery);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForSelector('main[data-view="profile"]');

    // Turn it off: the session is aal2 (a recovery code counts), so it goes at once.
    await page.getByRole('link', { name: 'Two-factor' }).click();
    await page.getByText('Recovery codes left: 9').waitFor();
    await page.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await logInInPage(page, account);
    await page.waitForSelector('main[data-view="profile"]');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
