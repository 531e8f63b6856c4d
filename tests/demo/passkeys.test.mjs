// Passkeys in the demo, in Chromium with its virtual authenticator (the
// DevTools protocol's WebAuthn domain: CTAP2, internal transport, resident
// keys, user verification): a person adds a passkey on the profile, signs
// out, signs in with it without typing anything (from the email field's
// autofill, and with the button) and with their email, renames it and
// deletes it. The page is opened at localhost:
// browsers refuse passkeys on IP-address pages (the page says so there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail } from '../server/server.mjs';
import { openBrowser, screenshot, signUpInPage, startDemoServer } from './harness.mjs';

async function virtualAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

async function sessionClaims(page) {
  return page.evaluate(() => {
    const token = JSON.parse(localStorage.getItem('latchkey.session')).session.access_token;
    const { amr, aal, email } = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { amr, aal, email };
  });
}

async function logOut(page) {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForSelector('main[data-view="login"], main[data-view="signup"]');
}

test('add a passkey on the profile, sign out, sign in with it (username-less and by email), rename and delete it', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(`http://localhost:${server.port}`);
  try {
    const page = await browser.newPage('#signup');
    const authenticator = await virtualAuthenticator(page);
    const password = 'lantern orchard pebble 82';
    const account = await signUpInPage(page, { email: uniqueEmail('passkey-demo'), password });

    await page.goto('/#profile');
    await page.waitForSelector('main[data-view="profile"]');
    await page.getByText('No passkey yet').waitFor();
    // Without the proof of presence the server refuses, and the page says so.
    await page.getByLabel('Name for a new passkey').fill('Test laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: /password|confirm/i }).waitFor();
    await page.getByLabel('Current password (if your account has one)').first().fill(password);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('list', { name: 'Your passkeys' }).getByText('Test laptop').waitFor();
    const stored = await authenticator.credentials();
    assert.equal(stored.length, 1);
    assert.equal(stored[0].isResidentCredential, true);
    assert.equal(stored[0].rpId, 'localhost');
    await screenshot(page, 'passkeys-profile');

    // Autofill (conditional mediation): the log-in view asks for the site's
    // passkeys as it opens; the virtual authenticator, unlike a person,
    // answers at once, so logging out lands straight back in.
    await logOut(page);
    await page.waitForSelector('main[data-view="profile"], main[data-view="token"]');
    await page.waitForFunction(() => localStorage.getItem('latchkey.session') !== null);
    assert.deepEqual(await sessionClaims(page), { amr: ['webauthn'], aal: 'aal2', email: account.email });

    // A browser without autofill for passkeys: the button, username-less.
    await page.addInitScript(() => { window.PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await logOut(page);
    await page.goto('/#login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForSelector('main[data-view="profile"], main[data-view="token"]');
    assert.deepEqual(await sessionClaims(page), { amr: ['webauthn'], aal: 'aal2', email: account.email });

    // With the email typed first: only this account's passkeys are offered.
    await logOut(page);
    await page.goto('/#login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.waitForSelector('main[data-view="profile"], main[data-view="token"]');

    // Rename (the page asks in a prompt), then delete with the password.
    await page.goto('/#profile');
    await page.waitForSelector('main[data-view="profile"]');
    page.once('dialog', (dialog) => dialog.accept('Work laptop'));
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('list', { name: 'Your passkeys' }).getByText('Work laptop').waitFor();
    await page.getByLabel('Current password (if your account has one)').first().fill(password);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No passkey yet').waitFor();

    // The passkey left on the authenticator is no longer recognised.
    await logOut(page);
    await page.goto('/#login');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'not registered here' }).waitFor();
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('on an IP-address page the demo points to localhost instead of failing', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#login');
    const hint = page.locator('.passkeys a');
    await hint.waitFor();
    assert.equal(await hint.getAttribute('href'), `http://localhost:${server.port}/#login`);
    assert.equal(await page.getByRole('button', { name: 'Sign in with a passkey' }).count(), 0);
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
