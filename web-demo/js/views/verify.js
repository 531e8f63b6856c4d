// #verify-email?token=...: confirms an address (a new account's, or a new
// address after an email change) with the one-time token from the mail link.
import { h } from '../dom.js';
import { messageFor } from '../errors.js';
import { forgetQuery } from '../router.js';
import { currentSession } from '../session-state.js';

export async function verifyView(ctx) {
  const token = ctx.params.get('token') ?? '';
  if (token) forgetQuery('verify-email');
  const heading = h('h1', { text: 'Email verification' });
  if (!token) {
    return h('section', { class: 'view' }, heading,
      h('p', { role: 'alert', class: 'form-error', text: 'This page needs the link from the verification email.' }));
  }
  let outcome;
  try {
    const answer = await ctx.client.request('/auth/verify-email', { method: 'POST', body: { token }, auth: false });
    const user = answer?.user ?? answer;
    // Signed in: fetch the profile again so the page shows the confirmed address.
    if (currentSession()) await ctx.client.getUser().catch(() => {});
    outcome = h('p', { role: 'status', class: 'success', text: `Thank you: ${user?.email ?? 'your address'} is confirmed.` });
  } catch (failure) {
    outcome = h('p', { role: 'alert', class: 'form-error', text: messageFor(failure) });
  }
  return h('section', { class: 'view' }, heading, outcome,
    h('p', {}, h('a', { href: currentSession() ? '#profile' : '#login', text: currentSession() ? 'Back to your profile' : 'Log in' })));
}
