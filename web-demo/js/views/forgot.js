// Forgot password: asks for a reset link. The server answers the same way
// whether or not the address has an account, and so does this page.
import { attempt, errorBox, field, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';

export function forgotView(ctx) {
  const email = field('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const error = errorBox();
  const done = h('p', { role: 'status', class: 'success', hidden: true });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'forgot-title' },
    email.row, error, h('button', { type: 'submit', class: 'primary', text: 'Send reset link' }), done);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    done.hidden = true;
    if (!email.input.value.trim()) {
      showError(error, 'Enter the email address of your account.');
      email.input.focus();
      return;
    }
    const failure = await attempt(form, () => ctx.client.request('/auth/forgot-password',
      { method: 'POST', body: { email: email.input.value.trim() }, auth: false }));
    if (failure) {
      showError(error, messageFor(failure));
      email.input.focus();
      return;
    }
    done.replaceChildren(`If an account exists for ${email.input.value.trim()}, a reset link is on its way. It works once and expires soon.`,
      ctx.devMode() ? h('span', {}, ' Dev mode: read it in the ', h('a', { href: '#outbox', text: 'outbox' }), '.') : '');
    done.hidden = false;
  });
  return h('section', { class: 'view' }, h('h1', { id: 'forgot-title', text: 'Reset your password' }),
    h('p', { text: 'We email you a link to choose a new password.' }), form);
}
