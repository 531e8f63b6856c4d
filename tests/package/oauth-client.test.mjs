// The package's social sign-in against a live `latchkey serve` and a real
// OpenID provider (tests/support/oidc.mjs): signInWithOAuth gives the
// provider URL with the client's PKCE challenge, handleOAuthReturn exchanges
// the returned code with the verifier it kept (SIGNED_IN), refusals come back
// as typed errors, and identities are listed, linked and unlinked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { init, AuthClient, AuthError, decodeToken } from '../../wasm/js/index.js';
import { startServer, uniqueEmail, goodPassword, recordEvents } from './helpers.mjs';
import { freePort, startProvider, throughProvider, writeProviders } from '../support/oidc.mjs';

let server;
let provider;
let app;
const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-oauth-client-'));

before(async () => {
  await init();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  app = `${base}/`;
  provider = await startProvider({ clientId: 'pkg', clientSecret: 'pkg-secret', alg: 'EdDSA',
    redirectUris: [`${base}/auth/oauth/local/callback`] });
  const file = writeProviders(dir, [{ id: 'local', name: 'Local', issuer: provider.issuer, client_id: 'pkg', client_secret: 'pkg-secret' }]);
  server = await startServer(['--port', String(port), '--oauth-providers', file]);
});
after(async () => {
  await server?.stop();
  await provider?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the browser does between signInWithOAuth and the page's reload: the provider, then the callback. */
async function returnFrom(url, login, consent = true) {
  // signInWithOAuth's URL is the server's /authorize (which redirects to the provider); linkIdentity's is the provider's.
  const start = url.startsWith(server.base) ? (await fetch(url, { redirect: 'manual' })).headers.get('location') : url;
  const back = new URL(await throughProvider(start, { login, consent }));
  const response = await fetch(`${server.base}${back.pathname}${back.search}`, { redirect: 'manual' });
  return response.headers.get('location');
}

test('signInWithOAuth then handleOAuthReturn: a session with amr oauth, SIGNED_IN, the identity listed', async () => {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const events = recordEvents(client);
  assert.deepEqual(await client.getProviders(), [{ id: 'local', name: 'Local' }]);
  const { url } = await client.signInWithOAuth({ provider: 'local', redirectTo: app, skipBrowserRedirect: true });
  assert.match(new URL(url).searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  const email = uniqueEmail('pkg-oauth');
  const location = await returnFrom(url, email);
  assert.equal(await client.handleOAuthReturn({ url: `${app}#nothing=here` }), null);
  const outcome = await client.handleOAuthReturn({ url: location });
  assert.deepEqual(decodeToken(outcome.session.access_token).claims.amr, ['oauth']);
  assert.equal(outcome.session.user.email, email);
  assert.ok(events.some((e) => e.event === 'SIGNED_IN' && e.session.user.email === email));
  const identities = await client.getUserIdentities();
  assert.deepEqual(identities.map((i) => [i.provider, i.email]), [['local', email]]);
  // The code was spent: the same return again is refused, typed.
  await assert.rejects(client.handleOAuthReturn({ url: location }),
    (e) => e instanceof AuthError && e.code === 'oauth_code_invalid');
  client.close();
});

test('a return to a client that did not start the sign-in is refused (no verifier), and provider errors are typed', async () => {
  const starter = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  const { url } = await starter.signInWithOAuth({ provider: 'local', redirectTo: app, skipBrowserRedirect: true });
  const location = await returnFrom(url, uniqueEmail('pkg-other'));
  const stranger = new AuthClient({ baseUrl: server.base, autoRefresh: false, storageKey: 'another' });
  await assert.rejects(stranger.handleOAuthReturn({ url: location }), (e) => e.code === 'oauth_code_invalid');

  const denied = await starter.signInWithOAuth({ provider: 'local', redirectTo: app, skipBrowserRedirect: true });
  const cancelled = await returnFrom(denied.url, uniqueEmail('pkg-deny'), false);
  await assert.rejects(starter.handleOAuthReturn({ url: cancelled }),
    (e) => e instanceof AuthError && e.code === 'provider_access_denied' && /cancelled/.test(e.message));
  // The server refuses a return address it does not allow before any redirect.
  const elsewhere = await starter.signInWithOAuth({ provider: 'local', redirectTo: 'https://elsewhere.example/', skipBrowserRedirect: true });
  const refused = await fetch(elsewhere.url, { redirect: 'manual' });
  assert.equal(refused.status, 400);
  assert.equal((await refused.json()).error, 'redirect_not_allowed');
  starter.close();
  stranger.close();
});

test('link a provider to a password account, then unlink it', async () => {
  const client = new AuthClient({ baseUrl: server.base, autoRefresh: false });
  await client.signup({ email: uniqueEmail('pkg-link'), password: goodPassword });
  await assert.rejects(client.linkIdentity({ provider: 'local', redirectTo: app, skipBrowserRedirect: true }),
    (e) => e instanceof AuthError && e.code === 'reauthentication_required');
  const { url } = await client.linkIdentity({ provider: 'local', redirectTo: app, currentPassword: goodPassword, skipBrowserRedirect: true });
  const location = await returnFrom(url, uniqueEmail('pkg-linked'));
  assert.deepEqual(await client.handleOAuthReturn({ url: location }), { linked: 'local' });
  const [identity] = await client.getUserIdentities();
  assert.equal(identity.provider, 'local');
  await client.unlinkIdentity({ identityId: identity.id, currentPassword: goodPassword });
  assert.deepEqual(await client.getUserIdentities(), []);
  client.close();
});
