// The navigation bar and the "signed in as" line, rebuilt when the session
// or the route changes.
import { h, replaceChildren } from './dom.js';
import { currentUser, isAdmin } from './session-state.js';

export function renderNav({ route, devMode, onLogout }) {
  const user = currentUser();
  const links = user
    ? [['profile', 'Profile'], ['sessions', 'Sessions'], ['mfa', 'Two-factor'], ['token', 'Token'], isAdmin() && ['admin', 'Users'], isAdmin() && ['audit', 'Audit log']]
    : [['signup', 'Sign up'], ['login', 'Log in'], ['forgot', 'Forgot password']];
  if (devMode) links.push(['outbox', 'Outbox']);
  const items = links.filter(Boolean).map(([name, text]) =>
    h('li', {}, h('a', { href: `#${name}`, 'aria-current': route === name ? 'page' : undefined, text })));
  if (user) items.push(h('li', {}, h('button', { type: 'button', class: 'link-button', onclick: onLogout, text: 'Log out' })));
  replaceChildren(document.getElementById('nav'), items);
  document.getElementById('whoami').textContent = user ? `Signed in as ${user.name || user.email}${isAdmin() ? ' (admin)' : ''}` : 'Not signed in';
}
