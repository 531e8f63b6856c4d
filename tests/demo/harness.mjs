// The demo tests' fixtures: a real `latchkey serve` (tests/server/server.mjs)
// serving this worktree's web-demo/ and wasm/ folders, and Debian's Chromium
// driven by playwright-core, a fresh profile for every test. Every page is
// watched for script errors, console errors and CSP violations; a test fails
// if any appears. Screenshots go to build/demo-screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, startServer, metricsText } from '../server/server.mjs';

export const screenshotDir = path.join(repoRoot, 'build/demo-screenshots');
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The server with the demo's folders; mail goes to an outbox in its temp dir. */
export async function startDemoServer(extraArgs = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-demo-'));
  const server = await startServer(['--package-root', path.join(repoRoot, 'wasm'), '--outbox-dir', path.join(dir, 'outbox'),
    '--rate-signup', 'off', '--rate-signup-email', 'off', ...extraArgs], { dir });
  const stop = server.stop;
  server.stop = async () => {
    try {
      await stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return server;
}

// Chromium reports each HTTP error status (and a refused connection) as a
// console error ("Failed to load resource"): expected answers, not faults.
const expectedConsole = (text) => text.startsWith('Failed to load resource:');

/**
 * A browser with one fresh context (its own storage). Call `problems()` to
 * get what went wrong on any page, and `close()` at the end.
 */
export async function openBrowser(baseUrl, { viewport = { width: 1100, height: 900 } } = {}) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
  const context = await browser.newContext({ baseURL: baseUrl, viewport });
  const problems = [];
  const watch = (page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !expectedConsole(text)) problems.push(`console: ${text}`);
      if (/Content Security Policy/i.test(text)) problems.push(`CSP: ${text}`);
    });
  };
  context.on('page', watch);
  // Chromium logs CSP refusals to the console; the event also reaches the page.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (event) =>
    console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)));
  return {
    context,
    problems: () => [...problems],
    async newPage(hash = '') {
      const page = await context.newPage();
      await page.goto(`/${hash}`);
      await page.waitForSelector('body[data-ready="true"]');
      return page;
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The number of requests to a route, from /metrics (all statuses, or one). */
export async function requestCount(baseUrl, route, status) {
  const text = await metricsText(baseUrl);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('latchkey_http_requests_total{') || !line.includes(`route="${route}"`)) continue;
    if (status !== undefined && !line.includes(`status="${status}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Signs up through the page (which lands on the token panel); returns the credentials. */
export async function signUpInPage(page, { email, password, name = 'Demo User' }) {
  await page.goto('/#signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name (optional)').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForSelector('main[data-view="token"]');
  return { email, password, name };
}

export async function logInInPage(page, { email, password }) {
  await page.goto('/#login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
