// Log in with email and password.
import { attempt, errorBox, field, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';

export function loginView(ctx) {
  const email = field('Email', { name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = errorBox();
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'login-title' },
    email.row, password.row, error, h('button', { type: 'submit', class: 'primary', text: 'Log in' }));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    if (!email.input.value.trim() || !password.input.value) {
      showError(error, 'Enter your email address and password.');
      (email.input.value.trim() ? password.input : email.input).focus();
      return;
    }
    // Success: the SIGNED_IN event takes the page to the profile.
    const failure = await attempt(form, () => ctx.client.login({ email: email.input.value.trim(), password: password.input.value }));
    if (failure) {
      showError(error, messageFor(failure));
      password.input.select();
      password.input.focus();
    }
  });

  return h('section', { class: 'view' },
    h('h1', { id: 'login-title', text: 'Log in' }),
    form,
    h('p', {}, h('a', { href: '#forgot', text: 'Forgot your password?' }), ' · ',
      h('a', { href: '#signup', text: 'Create an account' })));
}
