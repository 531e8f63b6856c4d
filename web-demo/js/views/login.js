// Log in with email and password.
import { attempt, errorBox, field, h, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { providerButtons } from './social.js';
import { passkeySignIn } from './passkeys.js';

// The sign-in's second step: a code from the authenticator app, or a
// recovery code. A wrong answer leaves the step open until it expires.
function secondStep(ctx) {
  let useRecovery = false;
  const code = field('Code from your authenticator app', { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code',
    pattern: '[0-9]*', maxlength: 8, required: true });
  const recovery = field('Recovery code', { name: 'recovery_code', autocomplete: 'off', maxlength: 20 });
  recovery.row.hidden = true;
  const error = errorBox();
  const toggle = h('button', { type: 'button', class: 'link-button', text: 'Use a recovery code instead' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'mfa-title' },
    h('h2', { id: 'mfa-title', text: 'Two-factor authentication' }),
    h('p', { text: 'The first step worked. Now enter the 6-digit code your authenticator app shows.' }),
    code.row, recovery.row, error, h('button', { type: 'submit', class: 'primary', text: 'Verify' }), ' ', toggle);
  toggle.addEventListener('click', () => {
    useRecovery = !useRecovery;
    code.row.hidden = useRecovery;
    recovery.row.hidden = !useRecovery;
    toggle.textContent = useRecovery ? 'Use a code from the app instead' : 'Use a recovery code instead';
    (useRecovery ? recovery.input : code.input).focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    const input = useRecovery ? recovery.input : code.input;
    if (!input.value.trim()) {
      showError(error, useRecovery ? 'Enter one of your recovery codes.' : 'Enter the code from your app.');
      input.focus();
      return;
    }
    const answer = useRecovery ? { recoveryCode: input.value.trim() } : { code: input.value.trim() };
    const failure = await attempt(form, () => ctx.client.mfa.challenge(answer));
    if (failure) {
      showError(error, messageFor(failure));
      if (failure.code === 'mfa_token_invalid') {
        form.closest('section').replaceWith(loginView(ctx));
        return;
      }
      input.select();
      input.focus();
    }
  });
  queueMicrotask(() => code.input.focus());
  return form;
}

export function loginView(ctx) {
  if (ctx.pendingSecondStep?.()) {
    // A provider sign-in came back needing the second factor (app.js).
    return h('section', { class: 'view' }, h('h1', { id: 'login-title', text: 'Log in' }), secondStep(ctx));
  }
  // "webauthn": the browser may offer passkeys in this field's autofill.
  const email = field('Email', { name: 'email', type: 'email', autocomplete: 'username webauthn', required: true });
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
    // Success: the SIGNED_IN event takes the page to the profile; with a
    // second factor, the form asks for a code first.
    let first = null;
    const failure = await attempt(form, async () => {
      first = await ctx.client.login({ email: email.input.value.trim(), password: password.input.value });
    });
    if (!failure && first?.mfaRequired) {
      form.replaceWith(secondStep(ctx));
      return;
    }
    if (failure) {
      showError(error, messageFor(failure));
      password.input.select();
      password.input.focus();
    }
  });

  const view = h('section', { class: 'view' },
    h('h1', { id: 'login-title', text: 'Log in' }),
    form,
    passkeySignIn(ctx, email.input, () => form.replaceWith(secondStep(ctx))),
    providerButtons(ctx),
    h('p', {}, h('a', { href: '#forgot', text: 'Forgot your password?' }), ' · ',
      h('a', { href: '#signup', text: 'Create an account' })));
  return view;
}
