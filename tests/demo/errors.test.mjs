// Bad input gets a clear message from the error-code map (or the server's
// safe message), in an alert region, with focus on the field to fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, signup as apiSignup } from '../server/server.mjs';
import { openBrowser, screenshot, startDemoServer } from './harness.mjs';

const alertText = (page) => page.locator('main [role="alert"]:visible').first().textContent();

test('bad input shows clear messages', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('errors'));
    const page = await browser.newPage('#login');
    const submitLogin = () => page.getByRole('button', { name: 'Log in' }).click();

    await submitLogin();
    assert.equal(await alertText(page), 'Enter your email address and password.');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'email');

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await submitLogin();
    await page.getByRole('alert').filter({ hasText: 'That email and password do not match' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'password');
    // An unknown email gets the very same answer (no account enumeration).
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await submitLogin();
    await page.getByRole('alert').filter({ hasText: 'That email and password do not match' }).waitFor();
    await screenshot(page, 'login-error');

    await page.goto('/#signup');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter an email address like name@example.com' }).waitFor();

    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'An account with this email already exists' }).waitFor();

    // Mail links with a token that is not (or no longer) valid.
    await page.goto('/#verify-email?token=not-a-real-token');
    await page.getByRole('alert').filter({ hasText: 'not valid any more' }).waitFor();
    // A reset link is checked as the page opens: refused before any password is typed.
    await page.goto('/#reset-password?token=not-a-real-token');
    await page.getByRole('alert').filter({ hasText: 'not valid any more' }).waitFor();
    assert.equal(await page.getByLabel('New password', { exact: true }).count(), 0);
    await page.goto('/#login');
    await page.waitForSelector('main[data-view="login"]');
    await page.goto('/#reset-password');
    await page.getByRole('alert').filter({ hasText: 'needs the link from the reset email' }).waitFor();
    assert.deepEqual(browser.problems(), []);

    // The server gone: the page says so instead of failing silently.
    await page.goto('/#login');
    await page.waitForSelector('main[data-view="login"]');
    await server.stop();
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await submitLogin();
    await page.getByRole('alert').filter({ hasText: 'Cannot reach the Latchkey server' }).waitFor();
  } finally {
    await browser.close();
    await server.stop();
  }
});
