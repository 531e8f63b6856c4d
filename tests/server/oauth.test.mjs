// Social sign-in against a real OpenID provider (npm oidc-provider, started
// on 127.0.0.1 by tests/support/oidc.mjs): sign-up and sign-in, refresh, the
// ID token's algorithms, every refusal of the flow (code replay, wrong
// verifier, state replay and tampering, nonce mismatch, redirect_to not
// allowed, consent denied, provider down and slow, unverified email), linking
// and unlinking, and GitHub's kind against a local stand-in for its API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, call, goodPassword, signup, startServer, uniqueEmail } from './server.mjs';
import { fragmentOf, freePort, pkce, startProvider, throughProvider, writeProviders } from '../support/oidc.mjs';
import { awayFromBoundary, totp } from './totp.mjs';

const clientSecret = 'a client secret for tests only';
const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-oauth-'));
let server;
let providers;  // alg -> {issuer, stop}
let app;        // the page's own URL: redirect_to

// The algorithms of the providers started here; each has its own client.
const ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];

before(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  app = `${base}/app`;
  providers = {};
  for (const alg of ALGORITHMS) {
    const id = `op-${alg.toLowerCase()}`;
    providers[alg] = await startProvider({
      clientId: `latchkey-${id}`, clientSecret, alg, redirectUris: [`${base}/auth/oauth/${id}/callback`],
    });
    providers[alg].id = id;
  }
  // One more, whose ID tokens carry no email (only its user info endpoint does).
  const userinfo = await startProvider({ clientId: 'latchkey-op-userinfo', clientSecret, alg: 'ES256', userinfoOnly: true,
    redirectUris: [`${base}/auth/oauth/op-userinfo/callback`] });
  providers.userinfo = Object.assign(userinfo, { id: 'op-userinfo' });
  const file = writeProviders(dir, [...ALGORITHMS, 'userinfo'].map((alg) => ({
    id: providers[alg].id, name: `Local ${alg}`, issuer: providers[alg].issuer,
    client_id: `latchkey-${providers[alg].id}`, client_secret: clientSecret,
  })));
  server = await startServer(['--port', String(port), '--oauth-providers', file, '--redirect-allow', `${base}/app`,
    '--oauth-timeout', '1500']);
});

after(async () => {
  await server?.stop();
  for (const provider of Object.values(providers ?? {})) await provider.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a sign-in at the server: the provider URL and the browser's PKCE pair. */
async function authorize(provider, { redirectTo = app, pair = pkce() } = {}) {
  const query = new URLSearchParams({ redirect_to: redirectTo, code_challenge: pair.challenge, code_challenge_method: 'S256' });
  const response = await fetch(`${server.base}/auth/oauth/${provider}/authorize?${query}`, { redirect: 'manual' });
  return { response, pair, location: response.headers.get('location') };
}

/** The server's answer to the provider's redirect (the callback). */
async function callback(location) {
  const url = new URL(location);
  const response = await fetch(`${server.base}${url.pathname}${url.search}`, { redirect: 'manual' });
  return response;
}

async function exchange(code, verifier) {
  return call(server.base, 'POST', '/auth/token', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier }).toString(),
  });
}

/** A whole sign-in as `login`: the token response and the callback's redirect. */
async function signInWith(provider, login, options = {}) {
  const started = await authorize(provider, options);
  assert.equal(started.response.status, 302, JSON.stringify(await started.response.text()));
  const back = await throughProvider(started.location, { login });
  const done = await callback(back);
  assert.equal(done.status, 302);
  const fragment = fragmentOf(done.headers.get('location'));
  if (!fragment.code) return { fragment, location: done.headers.get('location') };
  const tokens = await exchange(fragment.code, started.pair.verifier);
  return { fragment, tokens, pair: started.pair, location: done.headers.get('location') };
}

function claimsOf(accessToken) {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
}

test('the providers are listed for sign-in pages, without secrets', async () => {
  const listed = await call(server.base, 'GET', '/auth/providers');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.providers.map((p) => p.id), [...ALGORITHMS, 'userinfo'].map((alg) => providers[alg].id));
  assert.equal(JSON.stringify(listed.body).includes(clientSecret), false);
});

for (const alg of ALGORITHMS) {
  test(`${alg} provider: a first sign-in creates the account, a second finds it, and the session refreshes`, async () => {
    const provider = providers[alg].id;
    const email = uniqueEmail(`oidc-${alg.toLowerCase()}`);
    const first = await signInWith(provider, email);
    assert.equal(first.tokens.status, 200, JSON.stringify(first.tokens.body));
    assert.equal(first.location.startsWith(`${app}#code=`), true);
    const claims = claimsOf(first.tokens.body.access_token);
    assert.deepEqual(claims.amr, ['oauth']);
    assert.equal(claims.aal, 'aal1');
    const me = await call(server.base, 'GET', '/auth/me', { token: first.tokens.body.access_token });
    assert.equal(me.body.email, email);
    assert.equal(me.body.email_verified, true);
    assert.deepEqual(me.body.identities.map((i) => [i.provider, i.email]), [[provider, email]]);

    const second = await signInWith(provider, email);
    assert.equal(second.tokens.status, 200);
    assert.equal(second.tokens.body.user.id, first.tokens.body.user.id);

    const refreshed = await call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: second.tokens.body.refresh_token } });
    assert.equal(refreshed.status, 200);
    assert.deepEqual(claimsOf(refreshed.body.access_token).amr, ['oauth']);
  });
}

test('the one-time code works once, only with its verifier, and a wrong verifier spends it', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const started = await authorize(provider);
  const done = await callback(await throughProvider(started.location, { login: uniqueEmail('replay') }));
  const { code } = fragmentOf(done.headers.get('location'));
  const wrong = await exchange(code, pkce().verifier);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error, 'invalid_grant');
  assert.equal(wrong.body.error_code, 'oauth_code_invalid');
  const late = await exchange(code, started.pair.verifier);
  assert.equal(late.body.error, 'invalid_grant', 'a code tried with a wrong verifier is gone');

  const again = await signInWith(provider, uniqueEmail('replay'));
  assert.equal(again.tokens.status, 200);
  const replay = await exchange(again.fragment.code, again.pair.verifier);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error_code, 'oauth_code_invalid');
  const short = await exchange(again.fragment.code, 'too-short');
  assert.equal(short.body.error, 'invalid_grant');
});

test('the state is single use, unknown states are refused, and a state works only for its provider', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const started = await authorize(provider);
  const back = await throughProvider(started.location, { login: uniqueEmail('state') });
  const first = await callback(back);
  assert.equal(first.status, 302);
  const replay = await callback(back);
  assert.equal(replay.status, 400);
  assert.equal((await replay.json()).error, 'oauth_state_invalid');
  assert.equal(replay.headers.get('location'), null, 'no redirect without a trusted state');

  const forged = new URL(back);
  forged.searchParams.set('state', 'x'.repeat(43));
  const refused = await callback(forged.href);
  assert.equal(refused.status, 400);
  assert.equal((await refused.json()).error, 'oauth_state_invalid');

  const missing = await fetch(`${server.base}/auth/oauth/${provider}/callback?code=abc`, { redirect: 'manual' });
  assert.equal(missing.status, 400);

  const unknown = await fetch(`${server.base}/auth/oauth/nobody/callback?code=a&state=b`, { redirect: 'manual' });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error, 'provider_not_found');
});

test('an ID token with another nonce is refused', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const started = await authorize(provider);
  // The nonce in the provider URL is replaced on its way (as an injected
  // request would): the token the provider signs carries that one.
  const tampered = new URL(started.location);
  tampered.searchParams.set('nonce', 'n'.repeat(43));
  const done = await callback(await throughProvider(tampered.href, { login: uniqueEmail('nonce') }));
  assert.equal(done.status, 302);
  assert.equal(fragmentOf(done.headers.get('location')).error, 'provider_response_invalid');
});

test('redirect_to must start with an allowed prefix; PKCE is required, S256 only', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  for (const redirectTo of ['https://evil.example/app', `${server.base}/application`, `${server.base}/apps`,
    `${app}#x`, '', `${server.base}/`]) {
    const { response } = await authorize(provider, { redirectTo });
    assert.equal(response.status, 400, redirectTo);
    assert.equal((await response.json()).error, 'redirect_not_allowed');
    assert.equal(response.headers.get('location'), null);
  }
  const allowed = await authorize(provider, { redirectTo: `${app}/deeper?x=1` });
  assert.equal(allowed.response.status, 302);

  const plain = await fetch(`${server.base}/auth/oauth/${provider}/authorize?${new URLSearchParams({
    redirect_to: app, code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })}`, { redirect: 'manual' });
  assert.equal(plain.status, 400);
  const none = await fetch(`${server.base}/auth/oauth/${provider}/authorize?redirect_to=${encodeURIComponent(app)}`,
    { redirect: 'manual' });
  assert.equal(none.status, 400);
  const unknown = await authorize('nobody');
  assert.equal(unknown.response.status, 404);
});

test('consent denied at the provider comes back as an error in the fragment', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const started = await authorize(provider);
  const back = await throughProvider(started.location, { login: uniqueEmail('deny'), consent: false });
  const done = await callback(back);
  assert.equal(done.status, 302);
  const fragment = fragmentOf(done.headers.get('location'));
  assert.equal(fragment.error, 'provider_access_denied');
  assert.match(fragment.error_description, /cancelled/);
});

test('an unverified provider email never reaches an existing account, and creates none', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const email = uniqueEmail('taken');
  await signup(server.base, email);
  const conflict = await signInWith(provider, `unverified:${email}`);
  assert.equal(conflict.fragment.error, 'identity_email_conflict');
  // A verified email also stops at an account whose own address is not verified.
  const verifiedConflict = await signInWith(provider, email);
  assert.equal(verifiedConflict.fragment.error, 'identity_email_conflict');
  const fresh = await signInWith(provider, `unverified:${uniqueEmail('fresh')}`);
  assert.equal(fresh.fragment.error, 'provider_email_unverified');
  const noEmail = await signInWith(provider, `nomail${Date.now()}`);
  assert.equal(noEmail.fragment.error, 'provider_email_unverified');
});

test('link a provider to a password account, sign in with it, and unlink it; the last way in stays', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const email = uniqueEmail('link');
  const { access_token: token } = await signup(server.base, email);
  const pair = pkce();
  const denied = await call(server.base, 'POST', '/auth/identities/link',
    { token, json: { provider, redirect_to: app, code_challenge: pair.challenge, current_password: 'wrong password here' } });
  assert.equal(denied.status, 401);
  const started = await call(server.base, 'POST', '/auth/identities/link',
    { token, json: { provider, redirect_to: app, code_challenge: pair.challenge, current_password: goodPassword } });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const login = `linked-${Date.now()}@elsewhere.example`;  // another address at the provider
  const done = await callback(await throughProvider(started.body.url, { login }));
  assert.equal(fragmentOf(done.headers.get('location')).linked, provider);
  const listed = await call(server.base, 'GET', '/auth/identities', { token });
  assert.equal(listed.body.identities.length, 1);
  assert.equal(listed.body.identities[0].email, login);

  const viaProvider = await signInWith(provider, login);
  assert.equal(viaProvider.tokens.body.user.email, email, 'the provider account signs in to the linked user');

  // The same provider account cannot be linked to a second user.
  const other = (await signup(server.base)).access_token;
  const second = await call(server.base, 'POST', '/auth/identities/link',
    { token: other, json: { provider, redirect_to: app, current_password: goodPassword } });
  const taken = await callback(await throughProvider(second.body.url, { login }));
  assert.equal(fragmentOf(taken.headers.get('location')).error, 'identity_taken');

  const id = listed.body.identities[0].id;
  const noProof = await call(server.base, 'DELETE', `/auth/identities/${id}`, { token, json: { current_password: 'nope nope nope' } });
  assert.equal(noProof.status, 401);
  const removed = await call(server.base, 'DELETE', `/auth/identities/${id}`, { token, json: { current_password: goodPassword } });
  assert.equal(removed.status, 204);
  const gone = await call(server.base, 'DELETE', `/auth/identities/${id}`, { token, json: { current_password: goodPassword } });
  assert.equal(gone.status, 404);

  // An account made by the provider has no password: its identity is its only way in.
  const only = await signInWith(provider, uniqueEmail('only'));
  const ownToken = only.tokens.body.access_token;
  const [identity] = (await call(server.base, 'GET', '/auth/identities', { token: ownToken })).body.identities;
  const last = await call(server.base, 'DELETE', `/auth/identities/${identity.id}`, { token: ownToken });
  assert.equal(last.status, 409);
  assert.equal(last.body.error, 'last_sign_in_method');
});

test('a user with a second factor answers it after the provider: amr oauth + otp, aal2', async () => {
  const provider = providers[ALGORITHMS[0]].id;
  const email = uniqueEmail('oauth-mfa');
  const first = await signInWith(provider, email);
  const token = first.tokens.body.access_token;
  // No password on this account: the fresh sign-in is the proof of presence.
  const enrolled = await call(server.base, 'POST', '/auth/mfa/totp/enroll', { token, json: {} });
  assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
  await awayFromBoundary();
  const verified = await call(server.base, 'POST', '/auth/mfa/totp/verify',
    { token, json: { factor_id: enrolled.body.factor_id, code: totp(enrolled.body.secret) } });
  assert.equal(verified.status, 200);

  const again = await signInWith(provider, email);
  assert.equal(again.tokens.status, 403);
  assert.equal(again.tokens.body.error, 'mfa_required');
  await awayFromBoundary();
  const finished = await call(server.base, 'POST', '/auth/mfa/challenge',
    { json: { mfa_token: again.tokens.body.mfa_token, code: totp(enrolled.body.secret, Date.now() / 1000 + 30) } });
  assert.equal(finished.status, 200, JSON.stringify(finished.body));
  const claims = claimsOf(finished.body.access_token);
  assert.deepEqual(claims.amr, ['oauth', 'otp']);
  assert.equal(claims.aal, 'aal2');
});

test('a provider that rotates its signing key: the next sign-in fetches the new keys', async () => {
  const alg = 'ES256';
  const before = providers[alg];
  const { port } = new URL(before.issuer);
  const first = await signInWith(before.id, uniqueEmail('rotate'));
  assert.equal(first.tokens.status, 200);
  // The same provider (issuer, client) restarted with a new key: its tokens
  // name a kid the server has not seen.
  await before.stop();
  const restarted = await startProvider({ clientId: `latchkey-${before.id}`, clientSecret, alg, port: Number(port),
    redirectUris: [`${server.base}/auth/oauth/${before.id}/callback`], kid: 'rotated-es256' });
  restarted.id = before.id;
  providers[alg] = restarted;
  const second = await signInWith(before.id, uniqueEmail('rotate'));
  assert.equal(second.tokens.status, 200, JSON.stringify(second.fragment));
});

test('a provider that puts the email only in its user info answer', async () => {
  const second = await signInWith('op-userinfo', uniqueEmail('userinfo'));
  assert.equal(second.tokens.status, 200, JSON.stringify(second.fragment));
  assert.equal(second.tokens.body.user.email_verified, true);
});

test('linking and unlinking refuse bad input with clear codes', async () => {
  const { access_token: token } = await signup(server.base, uniqueEmail('link-bad'));
  const link = (json) => call(server.base, 'POST', '/auth/identities/link', { token, json });
  assert.equal((await link({ redirect_to: app, current_password: goodPassword })).status, 400, 'no provider');
  assert.equal((await link({ provider: 42, redirect_to: app, current_password: goodPassword })).status, 400, 'provider not a string');
  const unknown = await link({ provider: 'nobody', redirect_to: app, current_password: goodPassword });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error, 'provider_not_found');
  const elsewhere = await link({ provider: providers[ALGORITHMS[0]].id, redirect_to: 'https://evil.example/', current_password: goodPassword });
  assert.equal(elsewhere.status, 400);
  assert.equal(elsewhere.body.error, 'redirect_not_allowed');
  const notJson = await call(server.base, 'POST', '/auth/identities/link', { token, body: 'provider=x', headers: { 'Content-Type': 'text/plain' } });
  assert.ok(notJson.status === 400 || notJson.status === 415, String(notJson.status));
  const noToken = await call(server.base, 'GET', '/auth/identities');
  assert.equal(noToken.status, 401);
  const stranger = await call(server.base, 'DELETE', `/auth/identities/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    { token, json: { current_password: goodPassword } });
  assert.equal(stranger.status, 404);
  assert.equal(stranger.body.error, 'identity_not_found');
});

test('the audit log records each outcome', async () => {
  const events = execFileSync('sqlite3', [server.database, 'SELECT DISTINCT event FROM audit_events'],
    { encoding: 'utf8' }).trim().split('\n');
  for (const event of ['oauth_signup', 'oauth_signin', 'oauth_signin_failed', 'identity_linked', 'identity_unlinked']) {
    assert.ok(events.includes(event), event);
  }
});

test('a provider that is down or does not answer gives 502 provider_unavailable, within the timeout', async () => {
  const closed = await freePort();
  const silent = net.createServer(() => {});  // accepts and never answers
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = await freePort();
  const file = writeProviders(dir, [
    { id: 'down', issuer: `http://127.0.0.1:${closed}`, client_id: 'x', client_secret: 'y' },
    { id: 'slow', issuer: `http://127.0.0.1:${silent.address().port}`, client_id: 'x', client_secret: 'y' },
  ]);
  const other = await startServer(['--port', String(port), '--oauth-providers', file, '--oauth-timeout', '1000']);
  try {
    for (const id of ['down', 'slow']) {
      const started = Date.now();
      const response = await fetch(`${other.base}/auth/oauth/${id}/authorize?${new URLSearchParams({
        redirect_to: `${other.base}/`, code_challenge: pkce().challenge })}`, { redirect: 'manual' });
      assert.equal(response.status, 502, id);
      assert.equal((await response.json()).error, 'provider_unavailable');
      assert.ok(Date.now() - started < 3000, `${id} answered after ${Date.now() - started} ms`);
    }
    assert.ok(other.logs.some((line) => line.includes('sign-in provider failed') && line.includes('slow')));
  } finally {
    await other.stop();
    silent.close();
  }
});

test('the callback and the code exchange are rate limited per client address', async () => {
  const port = await freePort();
  const file = writeProviders(dir, [{ id: 'any', issuer: 'https://issuer.example', client_id: 'x', client_secret: 'y' }]);
  const limited = await startServer(['--port', String(port), '--oauth-providers', file, '--rate-oauth-ip', '2/3600']);
  try {
    const statuses = async (send) => {
      const out = [];
      for (let i = 0; i < 3; i++) out.push(await send());
      return out;
    };
    const callbacks = await statuses(async () => (await fetch(`${limited.base}/auth/oauth/any/callback?code=c&state=s`,
      { redirect: 'manual' })).status);
    assert.deepEqual(callbacks, [400, 400, 429]);
    const exchanges = await statuses(async () => (await call(limited.base, 'POST', '/auth/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'c', code_verifier: 'v'.repeat(43) }).toString(),
    })).status);
    assert.deepEqual(exchanges, [400, 400, 429]);
  } finally {
    await limited.stop();
  }
});

test('a bad providers file stops the server at start, naming the problem', async () => {
  const file = writeProviders(dir, [{ id: 'Bad Id', issuer: 'https://x.example', client_id: 'x', client_secret: 'y' }]);
  const serve = (providersFile) => spawnSync(binary, ['serve', '--port', '0', '--database', path.join(dir, 'bad.db'),
    '--oauth-providers', providersFile], { encoding: 'utf8', timeout: 10000 });
  const result = serve(file);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /"id" must be/);
  const insecure = writeProviders(dir, [{ id: 'plain', issuer: 'http://example.com', client_id: 'x', client_secret: 'y' }]);
  const refused = serve(insecure);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /https/);
});

test('GitHub kind: code exchange, the user and its verified primary email, against a local stand-in of its API', async () => {
  const seen = [];
  const githubStub = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ path: req.url, body, auth: req.headers.authorization, accept: req.headers.accept });
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'POST' && req.url === '/login/oauth/access_token') {
        const form = new URLSearchParams(body);
        if (form.get('code') !== 'good-code' || form.get('client_secret') !== 'gh-secret') {
          return res.end(JSON.stringify({ error: 'bad_verification_code' }));
        }
        return res.end(JSON.stringify({ access_token: 'gho_test', token_type: 'bearer', scope: 'read:user,user:email' }));
      }
      if (req.headers.authorization !== 'Bearer gho_test') return res.writeHead(401).end('{}');
      if (req.url === '/api/user') return res.end(JSON.stringify({ id: 4242, login: 'octo', name: 'Octo Cat' }));
      if (req.url === '/api/user/emails') {
        return res.end(JSON.stringify([
          { email: 'octo-old@example.com', primary: false, verified: true },
          { email: 'octo@example.com', primary: true, verified: true },
        ]));
      }
      res.writeHead(404).end('{}');
    });
  });
  await new Promise((resolve) => githubStub.listen(0, '127.0.0.1', resolve));
  const stub = `http://127.0.0.1:${githubStub.address().port}`;
  const port = await freePort();
  const file = writeProviders(dir, [{
    id: 'github', kind: 'github', name: 'GitHub', client_id: 'gh-client', client_secret: 'gh-secret',
    authorization_endpoint: `${stub}/login/oauth/authorize`, token_endpoint: `${stub}/login/oauth/access_token`,
    api_base: `${stub}/api`,
  }]);
  const other = await startServer(['--port', String(port), '--oauth-providers', file]);
  try {
    const pair = pkce();
    const start = await fetch(`${other.base}/auth/oauth/github/authorize?${new URLSearchParams({
      redirect_to: `${other.base}/`, code_challenge: pair.challenge })}`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const to = new URL(start.headers.get('location'));
    assert.equal(to.origin + to.pathname, `${stub}/login/oauth/authorize`);
    assert.equal(to.searchParams.get('client_id'), 'gh-client');
    assert.equal(to.searchParams.get('redirect_uri'), `${other.base}/auth/oauth/github/callback`);
    const state = to.searchParams.get('state');

    const bad = await fetch(`${other.base}/auth/oauth/github/callback?code=bad-code&state=${state}`, { redirect: 'manual' });
    assert.equal(fragmentOf(bad.headers.get('location')).error, 'provider_response_invalid');

    const again = await fetch(`${other.base}/auth/oauth/github/authorize?${new URLSearchParams({
      redirect_to: `${other.base}/`, code_challenge: pair.challenge })}`, { redirect: 'manual' });
    const state2 = new URL(again.headers.get('location')).searchParams.get('state');
    const done = await fetch(`${other.base}/auth/oauth/github/callback?code=good-code&state=${state2}`, { redirect: 'manual' });
    const { code } = fragmentOf(done.headers.get('location'));
    const tokens = await call(other.base, 'POST', '/auth/token', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: pair.verifier }).toString(),
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body.user.email, 'octo@example.com');
    assert.equal(tokens.body.user.name, 'Octo Cat');
    const exchangeCall = seen.find((s) => s.path === '/login/oauth/access_token' && s.body.includes('good-code'));
    assert.equal(exchangeCall.accept, 'application/json');
    assert.equal(new URLSearchParams(exchangeCall.body).get('code_verifier').length, 43, 'PKCE towards GitHub too');
  } finally {
    await other.stop();
    githubStub.close();
  }
});
