// The person's sessions (one per sign-in): revoke one, sign out the others,
// or sign out everywhere.
import { formatTime, h, replaceChildren } from '../dom.js';
import { messageFor } from '../errors.js';

function describeAgent(agent) {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent) ? 'Edge' : /Chrom(e|ium)\//.test(agent) ? 'Chromium' : /Firefox\//.test(agent) ? 'Firefox'
    : /Safari\//.test(agent) ? 'Safari' : /node|undici/i.test(agent) ? 'Node.js' : agent.slice(0, 40);
  return agent.includes('Headless') ? `${browser} (headless)` : browser;
}

export async function sessionsView(ctx) {
  const list = h('div', { class: 'table-wrap' });
  const status = h('p', { role: 'status', 'aria-live': 'polite' });

  async function load() {
    const { sessions } = await ctx.client.request('/auth/sessions');
    const rows = sessions.map((s) => {
      const revoke = h('button', { type: 'button', text: s.current ? 'Log out here' : 'Revoke',
        'aria-label': s.current ? 'Log out this session' : `Revoke session started ${formatTime(s.created_at)}` });
      revoke.addEventListener('click', () => act(revoke, async () => {
        if (s.current) return ctx.client.logout({ scope: 'local' });
        await ctx.client.request(`/auth/sessions/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
        await load();
        status.textContent = 'Session revoked.';
      }));
      return h('tr', { 'data-current': s.current ? 'true' : 'false' },
        h('td', {}, describeAgent(s.user_agent), s.current ? h('strong', { class: 'badge', text: 'this session' }) : null),
        h('td', { text: s.ip || '—' }), h('td', { text: formatTime(s.created_at) }), h('td', { text: formatTime(s.last_used_at) }),
        h('td', {}, revoke));
    });
    replaceChildren(list, h('table', {},
      h('caption', { text: `${sessions.length} active session${sessions.length === 1 ? '' : 's'}` }),
      h('thead', {}, h('tr', {}, ['Device', 'IP address', 'Started', 'Last used', 'Action'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows)));
  }

  async function act(button, work) {
    button.disabled = true;
    try {
      await work();
    } catch (failure) {
      status.textContent = messageFor(failure);
    } finally {
      button.disabled = false;
    }
  }

  const others = h('button', { type: 'button', text: 'Log out other sessions' });
  others.addEventListener('click', () => act(others, async () => {
    await ctx.client.logout({ scope: 'others' });
    await load();
    status.textContent = 'Your other sessions were signed out.';
  }));
  const everywhere = h('button', { type: 'button', class: 'danger', text: 'Log out everywhere' });
  everywhere.addEventListener('click', () => act(everywhere, () => ctx.client.logout({ scope: 'global' })));

  await load();
  return h('section', { class: 'view' },
    h('h1', { text: 'Sessions' }),
    h('p', { text: 'Each sign-in is a session with its own refresh token. Revoking one signs that device out.' }),
    list, status,
    h('div', { class: 'actions' }, others, everywhere));
}
