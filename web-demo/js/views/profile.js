// The signed-in person: details from GET /auth/me, change name, change email
// (confirmed by a link sent to the new address) and change password.
import { attempt, errorBox, field, formatTime, h, replaceChildren, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { newPasswordField } from './password-field.js';
import { updateUser } from '../session-state.js';
import { identitiesCard } from './social.js';
import { passkeysCard } from './passkeys.js';

function details(user) {
  const rows = [
    ['Email', user.email],
    ['Email verified', user.email_verified ? 'Yes' : 'No'],
    user.pending_email ? ['New email (waiting for confirmation)', user.pending_email] : null,
    ['Name', user.name || '—'],
    ['Role', user.role],
    ['Member since', formatTime(user.created_at)],
  ].filter(Boolean);
  return h('dl', { class: 'details' }, rows.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]));
}

function section(title, ...children) {
  const id = `${title.toLowerCase().replace(/\W+/g, '-')}-title`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id, text: title }), ...children);
}

function resendBox(ctx, user) {
  if (user.email_verified) return null;
  const status = h('p', { role: 'status' });
  const button = h('button', { type: 'button', text: 'Send the verification link again' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await ctx.client.request('/auth/resend-verification', { method: 'POST', body: { email: user.email }, auth: false });
      status.textContent = 'Sent. Open the link in the email to confirm your address.';
    } catch (failure) {
      status.textContent = messageFor(failure);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'callout' }, h('p', { text: 'Your email address is not verified yet.' }), button, status);
}

function nameForm(ctx, user, onUser) {
  const name = field('Name', { name: 'name', autocomplete: 'name', value: user.name ?? '', maxlength: 200 });
  const error = errorBox();
  const form = h('form', { novalidate: true }, name.row, error, h('button', { type: 'submit', text: 'Save name' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    let updated;
    const failure = await attempt(form, async () => (updated = await ctx.client.updateUser({ name: name.input.value.trim() })));
    if (failure) {
      showError(error, messageFor(failure));
      name.input.focus();
      return;
    }
    onUser(updated);
    ctx.notify('Name saved.');
  });
  return section('Name', form);
}

function emailForm(ctx, onUser) {
  const email = field('New email address', { name: 'new-email', type: 'email', autocomplete: 'email', required: true },
    'We send a confirmation link to the new address; the old one stays until you open it.');
  // The server wants proof that it is really you, not someone holding a stolen token.
  const current = field('Your password, to confirm it is you',
    { name: 'email-current-password', type: 'password', autocomplete: 'current-password' });
  const error = errorBox();
  const form = h('form', { novalidate: true }, email.row, current.row, error, h('button', { type: 'submit', text: 'Change email' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    if (!email.input.value.trim()) {
      showError(error, 'Enter the new email address.');
      email.input.focus();
      return;
    }
    let updated;
    const changes = { email: email.input.value.trim() };
    if (current.input.value) changes.currentPassword = current.input.value;
    const failure = await attempt(form, async () => (updated = await ctx.client.updateUser(changes)));
    if (failure) {
      const proof = failure.code === 'invalid_credentials' || failure.code === 'reauthentication_required';
      showError(error, failure.code === 'invalid_credentials' ? messageFor({ code: 'password_mismatch' }) : messageFor(failure));
      (proof ? current.input : email.input).focus();
      return;
    }
    email.input.value = '';
    current.input.value = '';
    onUser(updated);
    ctx.notify('Check the new address for a confirmation link.');
  });
  return section('Email address', form);
}

function passwordForm(ctx, user) {
  const current = field('Current password', { name: 'current-password', type: 'password', autocomplete: 'current-password', required: true });
  const next = newPasswordField(ctx, { label: 'New password', name: 'new-password', userInputs: () => [user.email, user.name] });
  const error = errorBox();
  const form = h('form', { novalidate: true }, current.row, next.row, error, h('button', { type: 'submit', text: 'Change password' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError(error, '');
    if (!current.input.value || !next.input.value) {
      showError(error, 'Enter your current password and a new one.');
      (current.input.value ? next.input : current.input).focus();
      return;
    }
    const failure = await attempt(form, () => ctx.client.request('/auth/password', {
      method: 'POST', body: { current_password: current.input.value, new_password: next.input.value } }));
    if (failure) {
      if (failure.code === 'weak_password') next.meter.showServerVerdict(failure.details ?? {});
      // Here the server's invalid_credentials can only mean the current password.
      const wrongCurrent = failure.code === 'invalid_credentials' || failure.code === 'password_mismatch';
      showError(error, wrongCurrent ? messageFor({ code: 'password_mismatch' }) : messageFor(failure));
      (wrongCurrent ? current.input : next.input).focus();
      return;
    }
    current.input.value = '';
    next.input.value = '';
    next.refresh();
    ctx.notify('Password changed. Your other sessions were signed out.');
  });
  return section('Password', form);
}

export async function profileView(ctx) {
  let user = await ctx.client.getUser();
  const summary = h('div');
  const show = () => {
    replaceChildren(summary, details(user), resendBox(ctx, user));
    updateUser(user);  // the navigation shows the role the server has now
  };
  const onUser = (next) => {
    if (next) user = next;
    show();
  };
  show();
  return h('section', { class: 'view' },
    h('h1', { text: 'Your profile' }),
    section('Account', summary),
    nameForm(ctx, user, onUser),
    emailForm(ctx, onUser),
    passwordForm(ctx, user),
    await passkeysCard(ctx).catch(() => null),
    await identitiesCard(ctx).catch(() => null));
}
