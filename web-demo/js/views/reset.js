// #reset-password?token=...: choose a new password with the one-time token
// from the mail link. On success every session of the account is signed out.
import { attempt, errorBox, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { forgetQuery } from '../router.js';
import { newPasswordField } from './password-field.js';

export function resetView(ctx) {
  const token = ctx.params.get('token') ?? '';
  if (token) forgetQuery('reset-password');
  const password = newPasswordField(ctx, { label: 'New password', name: 'new-password' });
  const error = errorBox();
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'reset-title' },
    password.row, error, h('button', { type: 'submit', class: 'primary', text: 'Set new password' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    if (!password.input.value) {
      showError(error, 'Enter a new password.');
      password.input.focus();
      return;
    }
    const failure = await attempt(form, () => ctx.client.request('/auth/reset-password',
      { method: 'POST', body: { token, new_password: password.input.value }, auth: false }));
    if (failure) {
      if (failure.code === 'weak_password') password.meter.showServerVerdict(failure.details ?? {});
      showError(error, messageFor(failure));
      password.input.focus();
      return;
    }
    // The server ended every session, this browser's too.
    await ctx.client.logout({ scope: 'local' }).catch(() => {});
    ctx.notify('Your password has been changed. Log in with the new one.');
    ctx.navigate('login');
  });
  const missing = !token && h('p', { role: 'alert', class: 'form-error', text: 'This page needs the link from the reset email. Ask for a new one.' });
  return h('section', { class: 'view' }, h('h1', { id: 'reset-title', text: 'Choose a new password' }), missing || form,
    h('p', {}, h('a', { href: '#forgot', text: 'Ask for a new reset link' })));
}
