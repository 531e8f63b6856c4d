// How `latchkey serve` serves the demo (contract 5): the package's wasm/
// folder at /latchkey/ with types browsers accept, a CSP that allows wasm but
// no inline or foreign scripts, and --package-root '' turning the mount off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, startDemoServer } from './harness.mjs';

test('the package is served at /latchkey/ with JavaScript and wasm types', async () => {
  const server = await startDemoServer();
  try {
    const expected = {
      '/latchkey/js/index.js': 'text/javascript',
      '/latchkey/dist/latchkey_core.mjs': 'text/javascript',
      '/latchkey/dist/latchkey_core.wasm': 'application/wasm',
      '/js/app.js': 'text/javascript',
      '/favicon.svg': 'image/svg+xml',
      '/': 'text/html',
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await fetch(server.base + path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
    // The page names its icon, so browsers do not ask for a missing /favicon.ico.
    assert.match(await (await fetch(`${server.base}/`)).text(), /<link rel="icon" href="favicon.svg" type="image\/svg\+xml">/);
    const missing = await fetch(`${server.base}/latchkey/js/no-such-file.js`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error, 'not_found');
    // Path traversal out of the mounted folder is refused.
    const escape = await fetch(`${server.base}/latchkey/%2e%2e/native/run.sh`);
    assert.equal(escape.status, 404);
  } finally {
    await server.stop();
  }
});

test('the CSP allows same-origin scripts and wasm compilation, nothing inline or foreign', async () => {
  const server = await startDemoServer();
  try {
    const csp = (await fetch(`${server.base}/`)).headers.get('content-security-policy');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.deepEqual(directives['style-src'], ["'self'"]);
    assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), csp);
  } finally {
    await server.stop();
  }
});

test('--package-root "" turns the mount off; the page itself stays', async () => {
  const server = await startDemoServer(['--package-root', '']);
  try {
    assert.equal((await fetch(`${server.base}/latchkey/js/index.js`)).status, 404);
    assert.equal((await fetch(`${server.base}/`)).status, 200);
  } finally {
    await server.stop();
  }
});

test('a missing package folder is reported at start, not fatal', async () => {
  const server = await startDemoServer(['--package-root', '/nonexistent/latchkey-wasm']);
  try {
    assert.equal((await fetch(`${server.base}/latchkey/js/index.js`)).status, 404);
    assert.ok(server.logs.some((line) => line.includes('package folder not found')), server.logs.join('\n'));
  } finally {
    await server.stop();
  }
});

test('in Chromium, the page loads the wasm under the CSP, and an injected inline script is refused', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const page = await browser.newPage('#signup');
    assert.deepEqual(browser.problems(), [], 'the page itself needs nothing the CSP forbids');
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    assert.equal(await page.evaluate(() => window.injected), undefined);
    const deadline = Date.now() + 5000;
    while (!browser.problems().some((p) => p.includes('CSP')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(browser.problems().some((p) => p.includes('CSP')), 'the harness reports the violation');
  } finally {
    await browser.close();
    await server.stop();
  }
});
