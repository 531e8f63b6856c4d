// Admin: the users table with search and paging; change a role, disable or
// enable an account, delete one (after a confirmation).
import { h, replaceChildren, uniqueId } from '../dom.js';
import { messageFor } from '../errors.js';
import { confirmDialog } from '../confirm-dialog.js';
import { currentUser } from '../session-state.js';

const PAGE_SIZE = 10;

export async function adminUsersView(ctx) {
  const state = { search: '', offset: 0 };
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'status-line' });
  const table = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of users' });

  async function run(work, done) {
    try {
      await work();
      await load();
      if (done) status.textContent = done;  // once the table shows it
    } catch (failure) {
      status.textContent = messageFor(failure);
    }
  }

  function roleControl(user) {
    const id = uniqueId('role');
    const roles = [...new Set(['user', 'admin', user.role])];
    const select = h('select', { id }, roles.map((role) => h('option', { value: role, selected: role === user.role, text: role })));
    const save = h('button', { type: 'button', text: 'Set role', 'aria-label': `Set role of ${user.email}` });
    save.addEventListener('click', () => run(
      () => ctx.client.request(`/admin/users/${user.id}`, { method: 'PATCH', body: { role: select.value } }),
      `${user.email} is now ${select.value}.`));
    return h('div', { class: 'inline' }, h('label', { for: id, class: 'visually-hidden', text: `Role of ${user.email}` }), select, save);
  }

  function row(user) {
    const toggle = h('button', { type: 'button', text: user.disabled ? 'Enable' : 'Disable', 'aria-label': `${user.disabled ? 'Enable' : 'Disable'} ${user.email}` });
    toggle.addEventListener('click', () => run(
      () => ctx.client.request(`/admin/users/${user.id}`, { method: 'PATCH', body: { disabled: !user.disabled } }),
      `${user.email} is now ${user.disabled ? 'enabled' : 'disabled'}.`));
    const remove = h('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete ${user.email}` });
    remove.addEventListener('click', async () => {
      const yes = await confirmDialog({ title: 'Delete this account?', confirmLabel: 'Delete account',
        text: `${user.email} and all of its sessions will be deleted. This cannot be undone.` });
      if (yes) await run(() => ctx.client.request(`/admin/users/${user.id}`, { method: 'DELETE' }), `${user.email} was deleted.`);
    });
    const self = user.id === currentUser()?.id;
    return h('tr', { 'data-email': user.email },
      h('td', {}, user.email, self ? h('strong', { class: 'badge', text: 'you' }) : null),
      h('td', { text: user.name || '—' }),
      h('td', {}, roleControl(user)),
      h('td', { text: user.email_verified ? 'yes' : 'no' }),
      h('td', { class: user.disabled ? 'state-off' : 'state-on', text: user.disabled ? 'disabled' : 'active' }),
      h('td', {}, h('div', { class: 'inline' }, toggle, remove)));
  }

  async function load() {
    const query = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
    if (state.search) query.set('search', state.search);
    const page = await ctx.client.request(`/admin/users?${query}`);
    if (page.users.length === 0 && state.offset > 0) {  // the last one on a page was deleted
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      return load();
    }
    const first = page.total ? state.offset + 1 : 0;
    replaceChildren(table, h('table', {},
      h('caption', { text: `Users ${first}–${state.offset + page.users.length} of ${page.total}${state.search ? ` matching “${state.search}”` : ''}` }),
      h('thead', {}, h('tr', {}, ['Email', 'Name', 'Role', 'Verified', 'Status', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, page.users.map(row))));
    const previous = h('button', { type: 'button', text: 'Previous page', disabled: state.offset === 0 });
    const next = h('button', { type: 'button', text: 'Next page', disabled: state.offset + PAGE_SIZE >= page.total });
    previous.addEventListener('click', () => { state.offset -= PAGE_SIZE; run(() => {}); });
    next.addEventListener('click', () => { state.offset += PAGE_SIZE; run(() => {}); });
    replaceChildren(pager, previous, next);
  }

  const searchId = uniqueId('search');
  const search = h('input', { id: searchId, type: 'search', name: 'search', maxlength: 100, autocomplete: 'off' });
  const form = h('form', { class: 'search', role: 'search' }, h('label', { for: searchId, text: 'Search by email or name' }), search,
    h('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.search = search.value.trim();
    state.offset = 0;
    run(() => {});
  });

  await load();
  return h('section', { class: 'view' }, h('h1', { text: 'Users' }), form, status, table, pager);
}
