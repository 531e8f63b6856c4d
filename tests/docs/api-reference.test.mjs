// The API reference page at /docs, in real Chromium against a live server:
// Swagger UI (npm swagger-ui-dist, installed by .ci/setup.sh) renders the
// server's own /openapi.json under the server's Content-Security-Policy, with
// no console error, no CSP violation and no request leaving the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { startServer, call, repoRoot } from '../server/server.mjs';

let server;
let browser;
const shots = path.join(repoRoot, 'build/demo-screenshots');

before(async () => {
  server = await startServer(['--docs-root', path.join(repoRoot, 'native/docs-ui')]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(shots, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('/docs renders the routes of /openapi.json with no console error, CSP violation or outside request', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    const outside = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(server.base) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const response = await page.goto(`${server.base}/docs`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    await page.waitForSelector('.opblock-summary-path', { timeout: 20_000 });
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path') ?? n.textContent.trim()));
    assert.ok(paths.includes('/auth/login'), paths.join(' '));
    assert.ok(paths.includes('/.well-known/jwks.json'), paths.join(' '));
    const spec = (await call(server.base, 'GET', '/openapi.json')).body;
    assert.equal(new Set(paths).size, Object.keys(spec.paths).length, 'every path of /openapi.json is listed');
    assert.match(await page.textContent('.info .title'), new RegExp(spec.info.title));
    // "Try it out" goes to the server that serves the page, not the document's example URL.
    assert.equal(await page.$eval('.servers select', (s) => s.value), server.base);
    // One operation opens and shows its error responses.
    await page.click('#operations-auth-post_auth_login .opblock-summary, .opblock-summary-path[data-path="/auth/login"]');
    await page.waitForSelector('.responses-wrapper', { timeout: 10_000 });
    await page.screenshot({ path: path.join(shots, 'api-reference.png') });
    assert.deepEqual(problems, []);
    assert.deepEqual(outside, []);
  } finally {
    await context.close();
  }
});

test('/docs assets are served with their types; without the renderer the page says how to install it', async () => {
  const js = await fetch(`${server.base}/docs/swagger-ui-bundle.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  const css = await fetch(`${server.base}/docs/swagger-ui.css`);
  assert.match(css.headers.get('content-type'), /text\/css/);
  const missing = await startServer(['--docs-root', path.join(repoRoot, 'no-such-folder')]);
  try {
    const page = await fetch(`${missing.base}/docs`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /bash \.ci\/setup\.sh run/);
  } finally {
    await missing.stop();
  }
  const off = await startServer(['--docs-root', '']);
  try {
    const page = await call(off.base, 'GET', '/docs');
    assert.equal(page.status, 404);
    assert.equal(page.body.error, 'not_found');
  } finally {
    await off.stop();
  }
});
