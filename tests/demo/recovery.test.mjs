// Forgot / reset password and email verification through the dev outbox:
// the whole mail flow on one machine, links opened from the outbox view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, uniqueEmail, signup as apiSignup } from '../server/server.mjs';
import { logInInPage, openBrowser, screenshot, startDemoServer } from './harness.mjs';

// Mail is written by a background queue: check the outbox until it arrives,
// as a person would, then open the link of the newest matching message.
async function openOutboxLink(page, { to, subject, link }) {
  await page.goto('/#outbox');
  await page.waitForSelector('main[data-view="outbox"]');
  const mail = () => page.locator('.mail').filter({ hasText: `To ${to}` }).filter({ hasText: subject })
    .filter({ has: page.getByRole('link', { name: link }) }).first();
  for (let i = 0; i < 50 && (await mail().count()) === 0; i++) {
    await page.waitForTimeout(200);
    await page.getByRole('button', { name: 'Check for new mail' }).click();
    await page.waitForSelector('main[data-view="outbox"]');
  }
  await mail().getByRole('link', { name: link }).click();
}

test('reset a forgotten password through the outbox link', async () => {
  const server = await startDemoServer(['--dev']);
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('forgot'));
    const page = await browser.newPage('#login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForSelector('main[data-view="forgot"]');
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('status').filter({ hasText: 'reset link is on its way' }).waitFor();

    await openOutboxLink(page, { to: account.email, subject: /reset/i, link: 'Open the reset link' });
    await page.waitForSelector('main[data-view="reset-password"]');
    // The one-time token leaves the address bar once read.
    assert.equal(new URL(page.url()).hash, '#reset-password');
    // The link was checked (without using it up): the page says until when it works.
    assert.match(await page.locator('[data-link="valid"]').textContent(), /works until .*\(in (59|60) min\)/);
    const password = page.getByLabel('New password', { exact: true });
    await password.pressSequentially('letmein');
    await page.waitForFunction(() => document.querySelector('.meter').dataset.acceptable === 'false');
    await password.fill('');
    await password.pressSequentially('quartz lantern pickle orbit');
    await page.waitForFunction(() => document.querySelector('.meter').dataset.acceptable === 'true');
    await screenshot(page, 'reset-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForSelector('main[data-view="login"]');
    await page.getByRole('status').filter({ hasText: 'Your password has been changed' }).waitFor();

    // The old password is gone, the new one works, the link works once.
    assert.equal((await call(server.base, 'POST', '/auth/login', { json: { email: account.email, password: account.password } })).status, 401);
    await logInInPage(page, { email: account.email, password: 'quartz lantern pickle orbit' });
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('main[data-view="login"]');
    // A used link is refused as the page opens, before anyone types a password.
    await openOutboxLink(page, { to: account.email, subject: /reset/i, link: 'Open the reset link' });
    await page.waitForSelector('main[data-view="reset-password"]');
    await page.getByRole('alert').filter({ hasText: 'not valid any more' }).waitFor();
    assert.equal(await page.getByLabel('New password', { exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Set new password' }).count(), 0);
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('a replaced or made-up reset link is refused on load, and checking a link does not use it up', async () => {
  const server = await startDemoServer(['--dev']);
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('relink'));
    const page = await browser.newPage('#forgot');
    // A token of the right shape that the server never issued.
    await page.goto(`/#reset-password?token=${'A'.repeat(43)}`);
    await page.waitForSelector('main[data-view="reset-password"]');
    await page.locator('[data-link="refused"]').filter({ hasText: 'not valid any more' }).waitFor();
    assert.equal(await page.getByLabel('New password', { exact: true }).count(), 0);

    // Two requests: the first link is replaced by the second.
    for (let i = 0; i < 2; i++) {
      assert.equal((await call(server.base, 'POST', '/auth/forgot-password', { json: { email: account.email } })).status, 202);
    }
    await page.goto('/#outbox');
    await page.waitForSelector('main[data-view="outbox"]');
    const links = () => page.locator('.mail').filter({ hasText: `To ${account.email}` }).getByRole('link', { name: 'Open the reset link' });
    for (let i = 0; i < 50 && (await links().count()) < 2; i++) {
      await page.waitForTimeout(200);
      await page.getByRole('button', { name: 'Check for new mail' }).click();
      await page.waitForSelector('main[data-view="outbox"]');
    }
    const [newer, older] = await links().evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    await page.goto(`/${older.slice(older.indexOf('#'))}`);
    await page.waitForSelector('main[data-view="reset-password"]');
    await page.locator('[data-link="refused"]').waitFor();
    // The newer one opens, twice: looking at it did not spend it.
    for (let i = 0; i < 2; i++) {
      await page.goto('/#forgot');
      await page.waitForSelector('main[data-view="forgot"]');
      await page.goto(`/${newer.slice(newer.indexOf('#'))}`);
      await page.waitForSelector('main[data-view="reset-password"]');
      await page.locator('[data-link="valid"]').waitFor();
    }
    await page.getByLabel('New password', { exact: true }).fill('quartz lantern pickle orbit');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForSelector('main[data-view="login"]');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('verify the email address, then change it and confirm the new one', async () => {
  const server = await startDemoServer(['--dev']);
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('verify'));
    const page = await browser.newPage('#login');
    await logInInPage(page, account);
    await page.waitForSelector('main[data-view="profile"]');
    assert.match(await page.locator('.details').textContent(), /Email verified\s*No/);
    await page.getByRole('button', { name: 'Send the verification link again' }).click();
    await page.getByText('Sent. Open the link').waitFor();

    await openOutboxLink(page, { to: account.email, subject: /verif|confirm/i, link: 'Open the verification link' });
    await page.getByRole('status').filter({ hasText: `${account.email} is confirmed` }).waitFor();
    await page.getByRole('link', { name: 'Back to your profile' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    assert.match(await page.locator('.details').textContent(), /Email verified\s*Yes/);

    const newEmail = uniqueEmail('moved');
    await page.getByLabel('New email address').fill(newEmail);
    // Without the current password the server asks for proof that it is the user.
    await page.getByRole('button', { name: 'Change email' }).click();
    await page.getByText('Confirm it is you: enter your current password.', { exact: true }).waitFor();
    await page.getByLabel('Your password, to confirm it is you').fill(account.password);
    await page.getByRole('button', { name: 'Change email' }).click();
    await page.getByRole('status').filter({ hasText: 'Check the new address' }).waitFor();
    assert.match(await page.locator('.details').textContent(), new RegExp(`waiting for confirmation\\)${newEmail.replace(/[.]/g, '\\.')}`));

    await openOutboxLink(page, { to: newEmail, subject: /verif|confirm/i, link: 'Open the verification link' });
    await page.getByRole('status').filter({ hasText: `${newEmail} is confirmed` }).waitFor();
    await page.getByRole('link', { name: 'Back to your profile' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    assert.match(await page.locator('.details').textContent(), new RegExp(`Email${newEmail.replace(/[.]/g, '\\.')}`));
    assert.doesNotMatch(await page.locator('.details').textContent(), /waiting for confirmation/);
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('without --dev there is no outbox link and the page says why', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#login');
    assert.equal(await page.getByRole('link', { name: 'Outbox' }).count(), 0);
    await page.goto('/#outbox');
    await page.getByText('only when the server runs with --dev').waitFor();
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
