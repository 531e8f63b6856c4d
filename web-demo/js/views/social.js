// Social sign-in in the demo: a "Continue with …" button for each provider
// the server lists (GET /auth/providers), and the linked identities on the
// profile with link and unlink. The package does the work: signInWithOAuth
// sends the browser to the provider with PKCE; app.js finishes the return.
import { attempt, errorBox, field, formatTime, h, replaceChildren, showError } from '../dom.js';
import { messageFor } from '../errors.js';

// The page itself: the server allows PUBLIC_URL/ by default (--redirect-allow).
const returnAddress = () => `${window.location.origin}/`;

/** Buttons for the configured providers; empty (and hidden) when there are none. */
export function providerButtons(ctx) {
  const box = h('div', { class: 'providers', hidden: true });
  const error = errorBox();
  ctx.client.getProviders().then((providers) => {
    if (providers.length === 0) return;
    const buttons = providers.map((provider) => {
      const button = h('button', { type: 'button', class: 'provider', text: `Continue with ${provider.name}` });
      button.addEventListener('click', async () => {
        showError(error, '');
        const failure = await attempt(box, () => ctx.client.signInWithOAuth({ provider: provider.id, redirectTo: returnAddress() }));
        if (failure) showError(error, messageFor(failure));
      });
      return button;
    });
    replaceChildren(box, h('p', { class: 'or', text: 'or' }), ...buttons, error);
    box.hidden = false;
  }, () => {});  // no providers list: the password form is enough
  return box;
}

/** The profile's "Sign-in methods": linked identities, unlink, and link another provider. */
export async function identitiesCard(ctx) {
  const body = h('div');
  const card = h('section', { class: 'card', 'aria-labelledby': 'identities-title' },
    h('h2', { id: 'identities-title', text: 'Sign-in providers' }), body);
  const [providers, identities] = await Promise.all([ctx.client.getProviders(), ctx.client.getUserIdentities()]);
  if (providers.length === 0 && identities.length === 0) return null;
  const current = field('Current password (if your account has one)', { name: 'identity-password', type: 'password',
    autocomplete: 'current-password' });
  const error = errorBox();
  const proof = () => (current.input.value ? current.input.value : undefined);
  const list = h('ul', { class: 'identities', 'aria-label': 'Linked providers' }, identities.map((identity) => {
    const name = providers.find((p) => p.id === identity.provider)?.name ?? identity.provider;
    const unlink = h('button', { type: 'button', class: 'danger', text: `Unlink ${name}` });
    unlink.addEventListener('click', async () => {
      showError(error, '');
      const failure = await attempt(card, () => ctx.client.unlinkIdentity({ identityId: identity.id, currentPassword: proof() }));
      if (failure) return showError(error, messageFor(failure));
      ctx.notify(`${name} is no longer linked.`);
      ctx.navigate('profile');  // shows the list as it is now
    });
    return h('li', {}, `${name}: ${identity.email || 'no email'} (since ${formatTime(identity.created_at)}) `, unlink);
  }));
  const linkable = providers.filter((p) => !identities.some((i) => i.provider === p.id));
  const linkButtons = linkable.map((provider) => {
    const button = h('button', { type: 'button', text: `Link ${provider.name}` });
    button.addEventListener('click', async () => {
      showError(error, '');
      const failure = await attempt(card, () => ctx.client.linkIdentity({ provider: provider.id, redirectTo: returnAddress(),
        currentPassword: proof() }));
      if (failure) showError(error, messageFor(failure));
    });
    return button;
  });
  replaceChildren(body,
    identities.length ? list : h('p', { text: 'No provider is linked to this account.' }),
    current.row, error, h('div', { class: 'actions' }, ...linkButtons));
  return card;
}
