// Passkeys in the demo: "Sign in with a passkey" on the log-in view (and
// passkeys offered in the email field's autofill where the browser can), and
// the profile's list with add, rename and delete. The package does the
// WebAuthn work (client.passkeys, client.signInWithPasskey).
import { attempt, errorBox, field, formatTime, h, replaceChildren, showError } from '../dom.js';
import { messageFor } from '../errors.js';

const supported = () => typeof window.PublicKeyCredential === 'function';
// Browsers refuse passkeys on IP-address pages; the same server answers at localhost.
const onIpAddress = () => /^[\d.]+$|^\[/.test(window.location.hostname);

function localhostHint() {
  const url = `${window.location.protocol}//localhost:${window.location.port}${window.location.pathname}${window.location.hash}`;
  return h('p', { class: 'hint' }, 'Passkeys need a domain name: open ', h('a', { href: url, text: url }), '.');
}

/**
 * The log-in view's passkey button. `onSecondStep` takes the sign-in's
 * TOTP step (a passkey without user verification, for a user with TOTP).
 */
export function passkeySignIn(ctx, emailInput, onSecondStep) {
  if (!supported()) return null;
  if (onIpAddress()) return h('div', { class: 'passkeys' }, localhostHint());
  const error = errorBox();
  const button = h('button', { type: 'button', class: 'passkey', text: 'Sign in with a passkey' });
  const box = h('div', { class: 'passkeys' }, h('p', { class: 'or', text: 'or' }), button, error);
  const finish = (outcome) => {
    if (outcome?.mfaRequired) onSecondStep();
    // Otherwise SIGNED_IN takes the page to the profile.
  };
  // Autofill: the email field offers the site's passkeys while the page is open.
  const autofill = new AbortController();
  window.PublicKeyCredential.isConditionalMediationAvailable?.().then((available) => {
    if (!available || !box.isConnected) return;
    ctx.client.signInWithPasskey({ mediation: 'conditional', signal: autofill.signal }).then(finish, (failure) => {
      if (failure.code !== 'passkey_cancelled') showError(error, messageFor(failure));
    });
  }, () => {});
  button.addEventListener('click', async () => {
    showError(error, '');
    autofill.abort();  // one WebAuthn request at a time
    const email = emailInput.value.trim();
    let outcome = null;
    const failure = await attempt(box, async () => {
      outcome = await ctx.client.signInWithPasskey(email ? { email } : {});
    });
    if (failure) return showError(error, messageFor(failure));
    finish(outcome);
  });
  return box;
}

/** The profile's passkeys: the list, rename, delete, and "Add a passkey". */
export async function passkeysCard(ctx) {
  const body = h('div');
  const card = h('section', { class: 'card', 'aria-labelledby': 'passkeys-title' },
    h('h2', { id: 'passkeys-title', text: 'Passkeys' }), body);
  if (!supported()) {
    replaceChildren(body, h('p', { text: 'This browser cannot use passkeys.' }));
    return card;
  }
  if (onIpAddress()) {
    replaceChildren(body, localhostHint());
    return card;
  }
  const passkeys = await ctx.client.passkeys.list();
  const current = field('Current password (if your account has one)', { name: 'passkey-password', type: 'password',
    autocomplete: 'current-password' }, 'Adding or deleting a passkey needs your password (an account without one: a sign-in in the last 5 minutes).');
  const name = field('Name for a new passkey', { name: 'passkey-name', maxlength: 64, placeholder: 'e.g. Laptop' });
  const error = errorBox();
  const proof = () => (current.input.value ? current.input.value : undefined);
  const reload = () => ctx.navigate('profile');
  const list = h('ul', { class: 'passkey-list', 'aria-label': 'Your passkeys' }, passkeys.map((passkey) => {
    const rename = h('button', { type: 'button', text: 'Rename' });
    const remove = h('button', { type: 'button', class: 'danger', text: 'Delete' });
    rename.addEventListener('click', async () => {
      const next = window.prompt('New name for this passkey', passkey.name);
      if (!next || !next.trim()) return;
      showError(error, '');
      const failure = await attempt(card, () => ctx.client.passkeys.rename(passkey.id, next.trim()));
      if (failure) return showError(error, messageFor(failure));
      ctx.notify('Passkey renamed.');
      reload();
    });
    remove.addEventListener('click', async () => {
      showError(error, '');
      const failure = await attempt(card, () => ctx.client.passkeys.remove(passkey.id, { currentPassword: proof() }));
      if (failure) return showError(error, messageFor(failure));
      ctx.notify(`The passkey "${passkey.name}" was deleted.`);
      reload();
    });
    const used = passkey.last_used_at ? `last used ${formatTime(passkey.last_used_at)}` : 'not used yet';
    return h('li', { 'data-passkey': passkey.id },
      h('strong', { text: passkey.name }), ` (added ${formatTime(passkey.created_at)}, ${used}${passkey.backed_up ? ', synced' : ''}) `,
      rename, ' ', remove);
  }));
  const add = h('button', { type: 'button', class: 'primary', text: 'Add a passkey' });
  add.addEventListener('click', async () => {
    showError(error, '');
    const failure = await attempt(card, () => ctx.client.passkeys.register({ name: name.input.value.trim() || undefined,
      currentPassword: proof() }));
    if (failure) {
      showError(error, messageFor(failure));
      if (failure.code === 'reauthentication_required' || failure.code === 'invalid_credentials') current.input.focus();
      return;
    }
    ctx.notify('Passkey added. You can now sign in with it.');
    reload();
  });
  replaceChildren(body,
    passkeys.length ? list : h('p', { text: 'No passkey yet. A passkey signs you in with your device\'s screen lock, no password needed.' }),
    name.row, current.row, error, h('div', { class: 'actions' }, add));
  return card;
}
