// The package in real Chromium, without a bundler (a plain <script
// type="module"> page) and after a Vite build: the wasm loads, tokens verify
// offline, and two tabs sharing localStorage refresh once between them
// (Web Locks + BroadcastChannel), against a live cross-origin server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readdirSync, rmSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { startServer, repoRoot, requestCount, goodPassword } from './helpers.mjs';
import { startStatic } from './static-server.mjs';

let site;
let api;
let browser;
let dir;

const page = (script) => `<!doctype html><meta charset="utf-8"><title>latchkey test</title>
<script type="module">
${script}
</script>`;

// Exposed as window.lk in each tab: the package plus a movable clock.
const harness = `
import * as latchkey from '/latchkey/js/index.js';
window.shift = 0;
window.lk = latchkey;
window.ready = latchkey.init({ tools: true }).then(() => 'ready');
`;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-browser-'));
  site = await startStatic({ '/latchkey/': path.join(repoRoot, 'wasm') + '/' }, { '/tab.html': page(harness) });
  api = await startServer(['--cors-origin', site.base, '--rate-signup', 'off', '--rate-refresh', 'off']);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  await api?.stop();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openTab(context) {
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e)));
  await tab.goto(`${site.base}/tab.html`);
  assert.equal(await tab.evaluate(() => window.ready), 'ready', errors.join('\n'));
  return tab;
}

test('plain <script type=module>: init, strength, offline verification through jwksUrl across origins', async () => {
  const context = await browser.newContext();
  try {
    const tab = await openTab(context);
    const result = await tab.evaluate(async ({ baseUrl, password }) => {
      const { AuthClient, createVerifier, passwordStrength } = window.lk;
      // The page's own fetch passed in: it must not be called as a method of the client.
      const client = new AuthClient({ baseUrl, autoRefresh: false, fetch: window.fetch });
      const session = await client.signup({ email: `tab-${Date.now()}@example.com`, password });
      const verifier = createVerifier({ jwksUrl: `${baseUrl}/.well-known/jwks.json`, audience: 'latchkey', fetch: window.fetch });
      const verdict = await verifier.verify(session.access_token);
      const forged = await verifier.verify(session.access_token.slice(0, -4) + 'AAAA');
      return {
        valid: verdict.valid,
        forged: forged.code,
        stored: JSON.parse(localStorage.getItem('latchkey.session')).session.refresh_token === session.refresh_token,
        offset: JSON.parse(localStorage.getItem('latchkey.session')).offset_ms,
        weak: passwordStrength('password1').acceptable,
      };
    }, { baseUrl: api.base, password: goodPassword });
    assert.equal(result.valid, true);
    assert.equal(result.forged, 'token_signature_invalid');
    assert.equal(result.stored, true, 'the session is in localStorage');
    assert.ok(Math.abs(result.offset) < 5000, `clock offset from the exposed Date header: ${result.offset}`);
    assert.equal(result.weak, false);
  } finally {
    await context.close();
  }
});

test('two tabs with an expired token refresh once between them (Web Locks + BroadcastChannel)', async () => {
  const context = await browser.newContext();
  try {
    const [one, two] = [await openTab(context), await openTab(context)];
    const makeClient = ({ baseUrl }) => {
      window.events = [];
      window.client = new window.lk.AuthClient({ baseUrl, autoRefresh: false, now: () => Date.now() + window.shift });
      window.client.onAuthStateChange((event) => window.events.push(event));
      return typeof navigator.locks?.request === 'function' && typeof BroadcastChannel === 'function';
    };
    assert.equal(await one.evaluate(makeClient, { baseUrl: api.base }), true, 'Web Locks and BroadcastChannel present');
    await one.evaluate((password) => window.client.signup({ email: `tabs-${Date.now()}@example.com`, password }).then(() => true), goodPassword);
    await two.evaluate(makeClient, { baseUrl: api.base });
    const before = await requestCount(api.base, 'POST /auth/refresh');
    const storedBefore = await two.evaluate(() => window.client.getSession().then((s) => s.refresh_token));
    for (const tab of [one, two]) await tab.evaluate(() => (window.shift = 16 * 60_000));
    const burst = () => Promise.all(Array.from({ length: 10 }, () => window.client.fetch('/auth/me').then((r) => r.status)));
    const [a, b] = await Promise.all([one.evaluate(burst), two.evaluate(burst)]);
    assert.deepEqual([...new Set([...a, ...b])], [200]);
    assert.equal((await requestCount(api.base, 'POST /auth/refresh')) - before, 1);
    const [ta, tb] = await Promise.all([one, two].map((t) => t.evaluate(() => window.client.getSession().then((s) => s.refresh_token))));
    assert.equal(ta, tb);
    assert.notEqual(ta, storedBefore);
    // The tab that did not refresh heard of it.
    const events = await Promise.all([one, two].map((t) => t.evaluate(() => window.events)));
    assert.ok(events.flat().filter((e) => e === 'TOKEN_REFRESHED').length >= 1, JSON.stringify(events));
    // Logging out in one tab signs the other out too.
    await one.evaluate(() => window.client.logout());
    await two.waitForFunction(() => window.events.includes('SIGNED_OUT'), null, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`${e.message}: ${JSON.stringify(await Promise.all([one, two].map((t) => t.evaluate(() => [window.events, localStorage.getItem('latchkey.session')]))))}`);
    });
    assert.equal(await two.evaluate(() => window.client.getSession()), null);
  } finally {
    await context.close();
  }
});

test('a Vite build emits the wasm asset and the bundled page loads and uses it', async () => {
  const { build } = await import('vite');
  const app = path.join(dir, 'vite-app');
  mkdirSync(path.join(app, 'node_modules'), { recursive: true });
  // The package as an installed dependency (its own folder is the repository).
  symlinkSync(repoRoot, path.join(app, 'node_modules', 'latchkey'), 'dir');
  writeFileSync(path.join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/main.js"></script>');
  writeFileSync(path.join(app, 'main.js'), `
import { init, passwordStrength, decodeToken, createVerifier, generateEd25519Jwk, publicJwk, signJwt } from 'latchkey';
window.result = init({ tools: true }).then(() => {
  const key = generateEd25519Jwk();
  const token = signJwt(key, { sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60 });
  const verifier = createVerifier({ jwks: { keys: [publicJwk(key)] } });
  return { score: passwordStrength('velvet quartz lantern nimbus').score, valid: verifier.verify(token).valid, sub: decodeToken(token).claims.sub };
});
`);
  await build({ root: app, logLevel: 'silent', build: { outDir: path.join(app, 'dist'), emptyOutDir: true } });
  const assets = readdirSync(path.join(app, 'dist', 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `no wasm asset among ${assets.join(', ')}`);
  const built = await startStatic({ '/': path.join(app, 'dist') + '/' });
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(`${built.base}/index.html`);
    await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 10000 });
    const result = await tab.evaluate(() => window.result);
    assert.deepEqual(result, { score: 4, valid: true, sub: 'u1' }, errors.join('\n'));
  } finally {
    await context.close();
    await built.close();
  }
});
