// Sign up: email, optional name and a password with the live strength meter.
// The server has the last word; a 422 is shown in the meter like its own verdict.
import { attempt, errorBox, field, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { newPasswordField } from './password-field.js';
import { providerButtons } from './social.js';

export function signupView(ctx) {
  const email = field('Email', { name: 'email', type: 'email', autocomplete: 'email', required: true });
  const name = field('Name (optional)', { name: 'name', autocomplete: 'name', maxlength: 200 });
  const password = newPasswordField(ctx, { userInputs: () => [email.input.value, name.input.value] });
  // Email and name count against the password: re-judge when they change.
  for (const input of [email.input, name.input]) input.addEventListener('input', password.refresh);
  const error = errorBox();
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'signup-title' },
    email.row, name.row, password.row, error, h('button', { type: 'submit', class: 'primary', text: 'Create account' }));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    if (!email.input.value.trim() || !password.input.value) {
      showError(error, 'Enter an email address and a password.');
      (email.input.value.trim() ? password.input : email.input).focus();
      return;
    }
    let session;
    const failure = await attempt(form, async () => {
      session = await ctx.client.signup({ email: email.input.value.trim(), password: password.input.value,
        name: name.input.value.trim() || undefined });
    });
    if (failure) {
      if (failure.code === 'weak_password') password.meter.showServerVerdict(failure.details ?? {});
      showError(error, messageFor(failure));
      (failure.code === 'weak_password' ? password.input : email.input).focus();
    } else if (!session) {
      ctx.notify('Account created. Confirm your email address with the link we sent, then log in.');
      ctx.navigate('login');
    }
    // With a session, the SIGNED_IN event takes the page to the token panel.
  });

  return h('section', { class: 'view' },
    h('h1', { id: 'signup-title', text: 'Create an account' }),
    h('p', { text: 'The meter below runs the same estimator as the server, compiled to WebAssembly, with the server’s policy.' }),
    form,
    providerButtons(ctx),
    h('p', {}, 'Already have an account? ', h('a', { href: '#login', text: 'Log in' })));
}
