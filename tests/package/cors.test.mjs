// A page on another origin, in real Chromium: it signs in when the server
// runs with --dev (local pages on any port) or names the page's origin with
// --cors-origin; without either, the client reports a typed
// origin_not_allowed error naming --cors-origin (the browser only says
// "TypeError: Failed to fetch"), and a stopped server is still a network_error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { startServer, repoRoot, goodPassword } from './helpers.mjs';
import { startStatic } from './static-server.mjs';

let site;
let browser;

const page = `<!doctype html><meta charset="utf-8"><title>cors test</title>
<script type="module">
import * as latchkey from '/latchkey/js/index.js';
window.lk = latchkey;
window.ready = latchkey.init().then(() => 'ready');
</script>`;

before(async () => {
  site = await startStatic({ '/latchkey/': path.join(repoRoot, 'wasm') + '/' }, { '/app.html': page });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

// Opens the page at `pageBase` and signs up then logs in against `apiBase`.
// Returns {ok, code, message, details} as seen by the page.
async function signInFromPage(pageBase, apiBase) {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(`${pageBase}/app.html`);
    assert.equal(await tab.evaluate(() => window.ready), 'ready', errors.join('\n'));
    return await tab.evaluate(async ({ baseUrl, password }) => {
      const client = new window.lk.AuthClient({ baseUrl, autoRefresh: false });
      const email = `cors-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
      try {
        await client.signup({ email, password });
        await client.logout();
        const session = await client.login({ email, password });
        const me = await client.getUser();
        return { ok: true, email: me.email === email, token: typeof session.access_token === 'string' };
      } catch (error) {
        return {
          ok: false,
          name: error.name,
          code: error.code,
          message: error.message,
          details: error.details,
          cause: String(error.cause),
        };
      }
    }, { baseUrl: apiBase, password: goodPassword });
  } finally {
    await context.close();
  }
}

test('--dev: a page on http://127.0.0.1:<other port> and on http://localhost:<port> signs in', async () => {
  const api = await startServer(['--dev', '--rate-signup', 'off']);
  try {
    const fromIp = await signInFromPage(site.base, api.base);
    assert.deepEqual(fromIp, { ok: true, email: true, token: true });
    const localhost = site.base.replace('127.0.0.1', 'localhost');
    const fromName = await signInFromPage(localhost, api.base);
    assert.deepEqual(fromName, { ok: true, email: true, token: true });
  } finally {
    await api.stop();
  }
});

test('--cors-origin <page origin>: the page signs in', async () => {
  const api = await startServer(['--cors-origin', site.base, '--rate-signup', 'off']);
  try {
    assert.deepEqual(await signInFromPage(site.base, api.base), { ok: true, email: true, token: true });
  } finally {
    await api.stop();
  }
});

test('origin not allowed: a typed origin_not_allowed error that names --cors-origin and the page origin', async () => {
  const api = await startServer(['--cors-origin', 'https://somewhere-else.example', '--rate-signup', 'off']);
  try {
    const result = await signInFromPage(site.base, api.base);
    assert.equal(result.ok, false);
    assert.equal(result.name, 'AuthError');
    assert.equal(result.code, 'origin_not_allowed');
    assert.match(result.message, /--cors-origin/);
    assert.ok(result.message.includes(`--cors-origin ${site.base}`), result.message);
    assert.equal(result.details.origin, site.base);
    assert.equal(result.details.server, api.base);
    assert.match(result.cause, /TypeError/);
  } finally {
    await api.stop();
  }
});

test('a stopped server is still network_error, not a CORS verdict', async () => {
  const api = await startServer(['--dev']);
  const base = api.base;
  await api.stop();
  const result = await signInFromPage(site.base, base);
  assert.equal(result.ok, false);
  assert.equal(result.code, 'network_error');
});
