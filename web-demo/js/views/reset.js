// #reset-password?token=...: choose a new password with the one-time token
// from the mail link. The link is checked first (POST /auth/reset-password/
// check, which does not use it up), so a used, replaced or expired link is
// refused before anyone types a password. On success every session of the
// account is signed out.
import { attempt, errorBox, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { forgetQuery } from '../router.js';
import { whenText } from '../time-format.js';
import { newPasswordField } from './password-field.js';

// {valid: true, expiresAt} or {valid: false, message}; another failure (the
// rate limit, the network) leaves the verdict to the reset itself.
async function checkLink(ctx, token) {
  try {
    const answer = await ctx.client.request('/auth/reset-password/check', { method: 'POST', body: { token }, auth: false });
    return { valid: true, expiresAt: answer.expires_at * 1000 };
  } catch (failure) {
    if (failure.code === 'reset_token_invalid' || failure.code === 'validation_failed') {
      return { valid: false, message: messageFor({ code: 'reset_token_invalid' }) };
    }
    return { valid: null, message: messageFor(failure) };
  }
}

function resetForm(ctx, token) {
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
  return form;
}

const refusal = (text) => h('p', { role: 'alert', class: 'form-error', 'data-link': 'refused', text });

export async function resetView(ctx) {
  const token = ctx.params.get('token') ?? '';
  if (token) forgetQuery('reset-password');
  let body;
  if (!token) {
    body = refusal('This page needs the link from the reset email. Ask for a new one.');
  } else {
    const link = await checkLink(ctx, token);
    if (link.valid === false) {
      body = refusal(link.message);
    } else if (link.valid) {
      body = [h('p', { 'data-link': 'valid', text: `This link works until ${whenText(link.expiresAt)}, once.` }), resetForm(ctx, token)];
    } else {
      body = [h('p', { role: 'alert', class: 'form-error', text: link.message }), resetForm(ctx, token)];
    }
  }
  return h('section', { class: 'view' }, h('h1', { id: 'reset-title', text: 'Choose a new password' }), body,
    h('p', {}, h('a', { href: '#forgot', text: 'Ask for a new reset link' })));
}
