// Accessibility and layout checks that need no extra tool: every control has
// a label, the keyboard alone can log in, focus is visible, and nothing is
// wider than a phone screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueEmail, signup as apiSignup } from '../server/server.mjs';
import { openBrowser, screenshot, startDemoServer } from './harness.mjs';

// Names what is wrong on the page: unlabelled controls, nameless buttons,
// headings out of order, content wider than the viewport.
function audit() {
  const issues = [];
  const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (!visible(el) || el.type === 'hidden') continue;
    if (!el.labels?.length && !el.getAttribute('aria-label')) issues.push(`unlabelled ${el.tagName} ${el.name}`);
  }
  for (const el of document.querySelectorAll('button, a')) {
    if (visible(el) && !(el.getAttribute('aria-label') || el.textContent.trim())) issues.push(`nameless ${el.tagName}`);
  }
  if (document.querySelectorAll('main h1').length !== 1) issues.push('main needs exactly one h1');
  if (!document.documentElement.lang) issues.push('no lang on <html>');
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    issues.push(`page ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px viewport`);
  }
  return issues;
}

test('every view has labelled controls and fits a phone screen', async () => {
  const server = await startDemoServer(['--dev']);
  const browser = await openBrowser(server.base, { viewport: { width: 360, height: 740 } });
  try {
    const admin = await apiSignup(server.base, uniqueEmail('a11y'));
    assert.equal(server.cli(['user', 'set-role', admin.email, 'admin']).status, 0);
    const page = await browser.newPage('#signup');
    for (const view of ['signup', 'login', 'forgot', 'outbox']) {
      await page.goto(`/#${view}`);
      await page.waitForSelector(`main[data-view="${view}"]`);
      assert.deepEqual(await page.evaluate(audit), [], view);
    }
    await page.goto('/#login');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForSelector('main[data-view="profile"]');
    for (const view of ['profile', 'sessions', 'token', 'admin', 'audit']) {
      await page.goto(`/#${view}`);
      await page.waitForSelector(`main[data-view="${view}"]`);
      if (view === 'token') await page.waitForSelector('.verdict[data-valid]');  // the long kid is in it
      assert.deepEqual(await page.evaluate(audit), [], view);
    }
    await page.goto('/#profile');
    await page.waitForSelector('main[data-view="profile"]');
    await screenshot(page, 'phone-profile');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('the keyboard alone logs in, with a visible focus ring', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const account = await apiSignup(server.base, uniqueEmail('keys'));
    const page = await browser.newPage('#login');
    // Tab from the top: the skip link first, then into the page.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.getByLabel('Email').focus();
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(ring, 'none', 'focused field shows an outline');
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'password');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-view="profile"]');
    // Navigation moves focus to the new view's heading.
    await page.getByRole('link', { name: 'Sessions' }).press('Enter');
    await page.waitForSelector('main[data-view="sessions"]');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
