// The dev outbox (GET /dev/outbox, only with `latchkey serve --dev`): the mail
// the server would have sent, so reset and verification links work on one
// machine without a mail server.
import { formatTime, h } from '../dom.js';
import { messageFor } from '../errors.js';

// Links to this page (the contract's #reset-password / #verify-email, from any
// host name the server was reached by) open here; anything else stays text.
function linkify(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/\S+/g)) {
    parts.push(text.slice(last, match.index));
    const url = new URL(match[0]);
    const ours = /^#(reset-password|verify-email)\?token=/.test(url.hash);
    parts.push(ours ? h('a', { href: url.hash, class: 'mail-link', text: url.hash.startsWith('#reset') ? 'Open the reset link' : 'Open the verification link' }) : match[0]);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export async function outboxView(ctx) {
  const heading = h('h1', { text: 'Outbox (dev mode)' });
  let messages;
  try {
    ({ messages } = await ctx.client.request('/dev/outbox', { auth: false }));
  } catch (failure) {
    return h('section', { class: 'view' }, heading, h('p', { role: 'alert', text: failure.code === 'not_found'
      ? 'The outbox exists only when the server runs with --dev.' : messageFor(failure) }));
  }
  const reload = h('button', { type: 'button', text: 'Check for new mail', onclick: () => ctx.navigate('outbox') });
  const list = messages.length
    ? h('ol', { class: 'outbox' }, messages.map((m) => h('li', { class: 'card mail' },
      h('h2', { text: m.subject }),
      h('p', { class: 'meta', text: `To ${m.to} · ${formatTime(m.created_at)}` }),
      h('pre', { class: 'mail-text' }, linkify(m.text ?? '')))))
    : h('p', { text: 'No mail yet.' });
  return h('section', { class: 'view' }, heading,
    h('p', { text: 'Mail the server would have sent, newest first. Links open in this tab.' }), reload, list);
}
