// Admin: the audit log (GET /admin/audit) with filters by event, user and
// time, newest first, paged. People show by email and id.
import { field, h, replaceChildren, uniqueId } from '../dom.js';
import { whenText } from '../time-format.js';
import { messageFor } from '../errors.js';

const PAGE_SIZE = 20;
// Suggestions only: the filter accepts any event name the server may log.
const KNOWN_EVENTS = ['signup', 'login', 'login_failed', 'logout', 'token_refreshed', 'refresh_reuse_detected',
  'password_changed', 'password_change_failed', 'password_reset', 'email_verified', 'session_revoked',
  'user_updated', 'role_changed', 'user_deleted', 'key_rotated', 'reauthentication_failed', 'email_change_requested'];

// datetime-local (local time) -> RFC 3339 UTC as the API takes it.
const toUtc = (value) => (value ? new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z') : '');

// A person as the log names them: the account's email (the server joins it
// in) above the id the event holds; an id without an email is a deleted account.
function who(id, email) {
  if (!id) return h('td', { text: '—' });
  return h('td', { class: 'who' },
    h('span', { class: email ? 'email' : 'deleted', text: email ?? '(deleted account)' }),
    h('code', { class: 'id', text: id }));
}

export async function auditView(ctx) {
  const state = { offset: 0, filters: {} };
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'status-line' });
  const table = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of the audit log' });

  const listId = uniqueId('events');
  const event = field('Event', { name: 'event', list: listId, autocomplete: 'off', maxlength: 64 });
  const user = field('User id', { name: 'user_id', autocomplete: 'off', maxlength: 64 }, 'Copy it from a row below.');
  const since = field('From', { name: 'since', type: 'datetime-local' });
  const until = field('Until', { name: 'until', type: 'datetime-local' });
  const form = h('form', { class: 'filters card', 'aria-label': 'Filter the audit log' },
    h('datalist', { id: listId }, KNOWN_EVENTS.map((name) => h('option', { value: name }))),
    event.row, user.row, since.row, until.row,
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Apply filters' }),
      h('button', { type: 'reset', text: 'Clear' })));

  async function load() {
    const query = new URLSearchParams({ limit: PAGE_SIZE, offset: state.offset });
    for (const [name, value] of Object.entries(state.filters)) if (value) query.set(name, value);
    let page;
    try {
      page = await ctx.client.request(`/admin/audit?${query}`);
    } catch (failure) {
      status.textContent = messageFor(failure);
      return;
    }
    status.textContent = `${page.total} event${page.total === 1 ? '' : 's'}`;
    replaceChildren(table, h('table', { class: 'audit' },
      h('caption', { text: `Audit events ${page.total ? state.offset + 1 : 0}–${state.offset + page.events.length} of ${page.total}` }),
      h('thead', {}, h('tr', {}, ['Time', 'Event', 'User', 'By', 'IP', 'Detail'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, page.events.map((e) => h('tr', { 'data-event': e.event },
        h('td', { text: whenText(e.at) }), h('td', {}, h('code', { text: e.event })),
        who(e.user_id, e.user_email), who(e.actor_id, e.actor_email),
        h('td', { text: e.ip || '—' }),
        h('td', { text: Object.keys(e.detail ?? {}).length ? JSON.stringify(e.detail) : '' }))))));
    const previous = h('button', { type: 'button', text: 'Newer', disabled: state.offset === 0 });
    const next = h('button', { type: 'button', text: 'Older', disabled: state.offset + PAGE_SIZE >= page.total });
    previous.addEventListener('click', () => { state.offset -= PAGE_SIZE; load(); });
    next.addEventListener('click', () => { state.offset += PAGE_SIZE; load(); });
    replaceChildren(pager, previous, next);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filters = { event: event.input.value.trim(), user_id: user.input.value.trim(), since: toUtc(since.input.value), until: toUtc(until.input.value) };
    state.offset = 0;
    load();
  });
  form.addEventListener('reset', () => {
    state.filters = {};
    state.offset = 0;
    setTimeout(load);
  });

  await load();
  return h('section', { class: 'view' }, h('h1', { text: 'Audit log' }), form, status, table, pager);
}
