// Sign-up with the live strength meter, then login, profile and a name change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail } from '../server/server.mjs';
import { logInInPage, openBrowser, screenshot, signUpInPage, startDemoServer } from './harness.mjs';

test('a weak password is refused with feedback; a strong one is accepted', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    const email = uniqueEmail('meter');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Name (optional)').fill('Meter Person');
    const password = page.getByLabel('Password', { exact: true });
    const meter = page.locator('.meter');

    // As the person types, the wasm estimator judges with the server's policy.
    await password.pressSequentially('password1');
    await assert.doesNotReject(page.waitForFunction(() => document.querySelector('.meter').dataset.score !== ''));
    assert.equal(await meter.getAttribute('data-acceptable'), 'false');
    const localScore = Number(await meter.getAttribute('data-score'));
    assert.ok(localScore < 3, `score ${localScore}`);
    assert.match(await page.locator('.meter-warning').textContent(), /common|guess/i);
    await page.waitForFunction(() => document.querySelector('.meter-summary').textContent.includes('not accepted yet'));

    // The server refuses it too (422), and its verdict shows in the same meter.
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'too easy to guess' }).waitFor();
    await page.locator('.meter-server').filter({ hasText: 'The server refused this password' }).waitFor();
    assert.equal(Number(await meter.getAttribute('data-score')), localScore, 'server and browser agree on the score');
    assert.match(await page.locator('.meter-warning').textContent(), /common|guess/i);
    assert.equal(await page.evaluate(() => document.activeElement.name), 'password', 'focus goes back to the password');
    await screenshot(page, 'signup-weak-password');

    await password.fill('');
    await password.pressSequentially('correct horse battery staple');
    await page.waitForFunction(() => document.querySelector('.meter').dataset.acceptable === 'true');
    assert.ok(Number(await meter.getAttribute('data-score')) >= 3);
    assert.equal(await page.locator('.meter-server').isHidden(), true);
    await page.getByRole('button', { name: 'Create account' }).click();
    // A new account lands on the token panel, its session's first event listed.
    await page.waitForSelector('main[data-view="token"]');
    assert.equal(new URL(page.url()).hash, '#token');
    await page.locator('.event-log li[data-event="SIGNED_IN"]').waitFor();
    assert.match(await page.locator('#whoami').textContent(), /Meter Person/);
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    assert.match(await page.locator('.details').textContent(), new RegExp(email.replace(/[.]/g, '\\.')));
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('sign up, log out, log in, see the profile and change the name', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    const account = await signUpInPage(page, { email: uniqueEmail('profile'), password: 'violet tugboat meringue 47' });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await page.getByRole('status').filter({ hasText: 'You are signed out' }).waitFor();

    await logInInPage(page, account);
    await page.waitForSelector('main[data-view="profile"]');
    const details = page.locator('.details');
    assert.match(await details.textContent(), /Email verified\s*No/);
    assert.match(await details.textContent(), /Role\s*user/);

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Renamed Person');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('status').filter({ hasText: 'Name saved' }).waitFor();
    await page.locator('#whoami').filter({ hasText: 'Renamed Person' }).waitFor();
    assert.match(await details.textContent(), /Renamed Person/);
    await screenshot(page, 'profile');

    // A reload keeps the session (stored by the client) and the new name comes from the server.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('main[data-view="profile"]');
    assert.match(await page.locator('.details').textContent(), /Renamed Person/);

    // Change the password: a wrong current one is refused, then the new one is the one that works.
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('marble falcon tundra 83');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'current password is not right' }).waitFor();
    await page.getByLabel('Current password').fill(account.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await logInInPage(page, { email: account.email, password: account.password });
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor();
    await logInInPage(page, { email: account.email, password: 'marble falcon tundra 83' });
    await page.waitForSelector('main[data-view="profile"]');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
