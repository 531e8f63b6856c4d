// Social sign-in in the demo, in Chromium, against a real OpenID provider
// (npm oidc-provider with its development login and consent pages): the
// "Continue with …" button, the provider's pages, the return to the page
// (signed in, the code gone from the address bar), the identity on the
// profile, a refusal shown in words, and unlinking the only way in refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueEmail } from '../server/server.mjs';
import { freePort, startProvider, writeProviders } from '../support/oidc.mjs';
import { openBrowser, screenshot, signUpInPage, startDemoServer } from './harness.mjs';

async function atProvider(page, login, { consent = true } = {}) {
  await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  if (consent) await page.getByRole('button', { name: 'Continue' }).click();
  else await page.getByRole('link', { name: /Cancel/ }).click();
}

/** The demo server with one provider ("Local provider"), a browser, and cleanup after `body`. */
async function withProvider(body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-demo-oauth-'));
  const port = await freePort();
  const provider = await startProvider({ clientId: 'demo', clientSecret: 'demo-secret', alg: 'RS256',
    redirectUris: [`http://127.0.0.1:${port}/auth/oauth/local/callback`] });
  const file = writeProviders(dir, [{ id: 'local', name: 'Local provider', issuer: provider.issuer, client_id: 'demo',
    client_secret: 'demo-secret' }]);
  const server = await startDemoServer(['--port', String(port), '--oauth-providers', file]);
  const browser = await openBrowser(server.base);
  try {
    await body({ server, provider, browser });
  } finally {
    await browser.close();
    await server.stop();
    await provider.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('continue with a provider: sign up through it, see the identity, and sign in again', () => withProvider(async ({ server, provider, browser }) => {
  const page = await browser.newPage('#login');
  const email = uniqueEmail('demo-oauth');
  await page.getByRole('button', { name: 'Continue with Local provider' }).click();
  await atProvider(page, email);
  await page.waitForSelector('main[data-view="profile"]');
  assert.equal(new URL(page.url()).hash.includes('code='), false, 'the code is cleared from the address bar');
  await page.getByText(email).first().waitFor();
  const identities = page.getByRole('list', { name: 'Linked providers' });
  await identities.getByText(`Local provider: ${email}`).waitFor();
  await screenshot(page, 'oauth-profile');

  // Its only way in: unlinking is refused, in words.
  await page.getByRole('button', { name: 'Unlink Local provider' }).click();
  await page.getByRole('alert').filter({ hasText: 'only way to sign in' }).waitFor();

  // Log out, and back in with the provider: the same account.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForSelector('main[data-view="login"]');
  await page.getByRole('button', { name: 'Continue with Local provider' }).click();
  // The provider may remember the person (its own session and consent) and send them straight back.
  await Promise.race([
    page.waitForSelector('main[data-view="profile"]'),
    page.waitForURL((url) => url.origin === provider.issuer && url.pathname.startsWith('/interaction/'))
      .then(() => atProvider(page, email), () => {}),
  ]);
  await page.waitForSelector('main[data-view="profile"]');
  await page.getByText(email).first().waitFor();
}));

test('an existing account by email is not taken over: the page explains what to do', () => withProvider(async ({ browser }) => {
  const page = await browser.newPage('#signup');
  const email = uniqueEmail('demo-oauth-taken');
  await signUpInPage(page, { email, password: 'quartz violin harbor 83' });
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForSelector('main[data-view="login"]');
  await page.getByRole('button', { name: 'Continue with Local provider' }).click();
  await atProvider(page, `unverified:${email}`);
  await page.waitForSelector('main[data-view="login"]');
  await page.getByText('Log in with your password, then link the provider').waitFor();
}));
