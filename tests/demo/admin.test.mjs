// The admin journey: promoted through the CLI, the admin changes a role,
// disables and deletes accounts, and finds it all in the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, uniqueEmail, signup as apiSignup } from '../server/server.mjs';
import { logInInPage, openBrowser, screenshot, startDemoServer } from './harness.mjs';

test('an admin changes a role, disables and deletes users, and sees the audit entries', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const admin = await apiSignup(server.base, uniqueEmail('admin'), 'correct horse battery staple', 'Ada Admin');
    const helper = await apiSignup(server.base, uniqueEmail('helper'));
    const mallory = await apiSignup(server.base, uniqueEmail('mallory'));
    const leaving = await apiSignup(server.base, uniqueEmail('leaving'));
    for (let i = 0; i < 9; i++) await apiSignup(server.base, uniqueEmail('filler'));

    // Before the promotion the admin pages are not offered, and not reachable.
    const page = await browser.newPage('#login');
    await logInInPage(page, admin);
    await page.waitForSelector('main[data-view="profile"]');
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
    await page.goto('/#admin');
    await page.waitForFunction(() => window.location.hash === '#profile');
    await page.waitForSelector('main[data-view="profile"]');

    const promoted = server.cli(['user', 'set-role', admin.email, 'admin']);
    assert.equal(promoted.status, 0, promoted.stderr);
    // The page learns the role at sign-in (or on opening the profile).
    await page.getByRole('button', { name: 'Log out' }).click();
    await logInInPage(page, admin);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForSelector('main[data-view="admin"]');

    // Paging: 13 users, 10 a page.
    await page.locator('caption').filter({ hasText: 'Users 1–10 of 13' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('caption').filter({ hasText: 'Users 11–13 of 13' }).waitFor();

    // Search, then make the helper an admin.
    await page.getByLabel('Search by email or name').fill(helper.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('caption').filter({ hasText: 'of 1 matching' }).waitFor();
    await page.getByLabel(`Role of ${helper.email}`, { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: `Set role of ${helper.email}` }).click();
    await page.getByRole('status').filter({ hasText: `${helper.email} is now admin` }).waitFor();

    // Disable mallory: her login is refused from now on.
    await page.getByLabel('Search by email or name').fill(mallory.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Disable ${mallory.email}` }).click();
    await page.getByRole('status').filter({ hasText: `${mallory.email} is now disabled` }).waitFor();
    await page.locator(`tr[data-email="${mallory.email}"] .state-off`).waitFor();
    const refused = await call(server.base, 'POST', '/auth/login', { json: { email: mallory.email, password: mallory.password } });
    assert.equal(refused.body.error, 'user_disabled');
    await screenshot(page, 'admin-users');

    // Delete asks first; Cancel keeps the account, Delete removes it.
    await page.getByLabel('Search by email or name').fill(leaving.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Delete ${leaving.email}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator(`tr[data-email="${leaving.email}"]`).count(), 1);
    await page.getByRole('button', { name: `Delete ${leaving.email}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete account' }).click();
    await page.getByRole('status').filter({ hasText: `${leaving.email} was deleted` }).waitFor();
    assert.equal(await page.locator(`tr[data-email="${leaving.email}"]`).count(), 0);

    // The audit log has each action, filterable by event.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.waitForSelector('main[data-view="audit"]');
    for (const event of ['role_changed', 'user_deleted']) {
      await page.getByLabel('Event').fill(event);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      // Only that event is listed once the filtered page arrives.
      await page.waitForFunction((name) => {
        const rows = [...document.querySelectorAll('tbody tr')];
        return rows.length > 0 && rows.every((row) => row.dataset.event === name);
      }, event);
    }
    await page.getByLabel('Event').fill('role_changed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    // Two role changes: the CLI's promotion and the one made in the page.
    await page.locator('caption').filter({ hasText: 'of 2' }).waitFor();
    // People show by email next to their id: whose role changed, and which admin changed it.
    const changed = page.locator('tbody tr[data-event="role_changed"]').filter({ hasText: helper.email });
    await changed.waitFor();
    const cells = await changed.locator('td.who').allTextContents();
    assert.equal(cells.length, 2);
    assert.ok(cells[0].includes(helper.email) && cells[0].includes(helper.user.id), cells[0]);
    assert.ok(cells[1].includes(admin.email) && cells[1].includes(admin.user.id), cells[1]);
    // The deleted account keeps its id; its email is gone with it.
    await page.getByLabel('Event').fill('user_deleted');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const deleted = page.locator('tbody tr[data-event="user_deleted"]');
    await deleted.filter({ hasText: leaving.user.id }).filter({ hasText: '(deleted account)' }).waitFor();
    assert.ok((await deleted.locator('td.who').nth(1).textContent()).includes(admin.email));
    await page.getByLabel('Event').fill('role_changed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('caption').filter({ hasText: 'of 2' }).waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.locator('tbody tr[data-event="login"]').first().waitFor();
    await screenshot(page, 'admin-audit');
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});

test('the last admin cannot demote themselves, and the page says so', async () => {
  const server = await startDemoServer();
  const browser = await openBrowser(server.base);
  try {
    const admin = await apiSignup(server.base, uniqueEmail('solo'));
    assert.equal(server.cli(['user', 'set-role', admin.email, 'admin']).status, 0);
    const page = await browser.newPage('#login');
    await logInInPage(page, admin);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel(`Role of ${admin.email}`, { exact: true }).selectOption('user');
    await page.getByRole('button', { name: `Set role of ${admin.email}` }).click();
    await page.getByRole('status').filter({ hasText: 'The last administrator cannot be demoted' }).waitFor();
    assert.deepEqual(browser.problems(), []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
