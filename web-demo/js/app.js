// Starts the demo: loads the package, creates the AuthClient, follows its
// events and renders the view the URL fragment names.
import { h, replaceChildren } from './dom.js';
import { messageFor } from './errors.js';
import { recordEvent } from './event-log.js';
import { startLatchkey, publicRequest } from './latchkey.js';
import { renderNav } from './nav.js';
import { clearNotice, notify } from './notice.js';
import { currentRoute, navigate } from './router.js';
import { currentSession, setSession, isAdmin, watchSession } from './session-state.js';
import { signupView } from './views/signup.js';
import { loginView } from './views/login.js';
import { profileView } from './views/profile.js';
import { sessionsView } from './views/sessions.js';
import { tokenView } from './views/token.js';
import { forgotView } from './views/forgot.js';
import { resetView } from './views/reset.js';
import { verifyView } from './views/verify.js';
import { outboxView } from './views/outbox.js';
import { adminUsersView } from './views/admin-users.js';
import { auditView } from './views/audit.js';
import { mfaView } from './views/mfa.js';

// access: who may open the view. 'guest' views send a signed-in person on.
const ROUTES = {
  signup: { view: signupView, access: 'guest' },
  login: { view: loginView, access: 'guest' },
  forgot: { view: forgotView, access: 'any' },
  'reset-password': { view: resetView, access: 'any' },
  'verify-email': { view: verifyView, access: 'any' },
  outbox: { view: outboxView, access: 'any' },
  profile: { view: profileView, access: 'user' },
  sessions: { view: sessionsView, access: 'user' },
  token: { view: tokenView, access: 'user' },
  mfa: { view: mfaView, access: 'user' },
  admin: { view: adminUsersView, access: 'admin' },
  audit: { view: auditView, access: 'admin' },
};

const state = { client: null, policy: null, devMode: false, cleanups: [], rendered: null, turn: 0, firstRender: true, pendingSecondStep: false };

function chooseRoute() {
  const { name, params } = currentRoute();
  const signedIn = Boolean(currentSession());
  const route = ROUTES[name];
  if (!route) return { name: signedIn ? 'profile' : 'signup', params };
  // A new account lands on the token panel: its session's lifecycle from the first event.
  if (route.access === 'guest' && signedIn) return { name: name === 'signup' ? 'token' : 'profile', params };
  if ((route.access === 'user' || route.access === 'admin') && !signedIn) return { name: 'login', params };
  if (route.access === 'admin' && !isAdmin()) return { name: 'profile', params };
  return { name, params };
}

async function render() {
  const { name, params } = chooseRoute();
  if (`#${name}` !== window.location.hash.split('?')[0]) window.history.replaceState(null, '', `#${name}`);
  const turn = ++state.turn;
  for (const cleanup of state.cleanups.splice(0)) cleanup();
  state.rendered = name;
  renderNav({ route: name, devMode: state.devMode, onLogout: logout });
  const main = document.getElementById('view');
  const cleanups = [];
  const ctx = {
    client: state.client,
    params,
    navigate,
    notify,
    policy: () => state.policy,
    devMode: () => state.devMode,
    onCleanup: (fn) => cleanups.push(fn),
    pendingSecondStep: () => state.pendingSecondStep,
  };
  let content;
  try {
    content = await ROUTES[name].view(ctx);
  } catch (error) {
    content = h('section', {}, h('h1', { text: 'Something went wrong' }), h('p', { role: 'alert', text: messageFor(error) }));
  }
  if (turn !== state.turn) {  // a newer navigation won: drop this view
    for (const cleanup of cleanups) cleanup();
    return;
  }
  state.cleanups = cleanups;
  replaceChildren(main, content);
  main.dataset.view = name;
  // Move focus to the new heading so keyboard and screen reader users start there.
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'Latchkey'} · Latchkey demo`;
  if (!state.firstRender && heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  state.firstRender = false;
}

async function logout() {
  try {
    await state.client.logout({ scope: 'local' });
  } catch (error) {
    notify(messageFor(error), { kind: 'error' });
  }
}

// Each auth event updates the session (and so the navigation); only sign-in
// and sign-out change the view.
function onAuthEvent(event, session) {
  recordEvent(event, session);
  const wasSignedIn = Boolean(currentSession());
  setSession(session ?? null);
  if (event === 'INITIAL_SESSION') return;
  if (event === 'SIGNED_IN') {
    clearNotice();  // "signed out" is old news now
    state.pendingSecondStep = false;
  }
  if (event === 'SESSION_EXPIRED') notify('Your session has ended. Log in again.', { kind: 'error' });
  if (event === 'SIGNED_OUT' && wasSignedIn) notify('You are signed out.');
  if (event === 'SIGNED_IN' || event === 'SIGNED_OUT' || event === 'SESSION_EXPIRED') render();
}

async function detectDevMode() {
  try {
    await publicRequest('/dev/outbox');
    return true;
  } catch {
    return false;  // 404 without --dev: no outbox to show
  }
}

// Back from a sign-in provider: the package exchanges the code in the URL
// fragment (SIGNED_IN then renders the profile) and clears it; a refusal is
// shown, a user with a second factor gets the login's second step.
async function finishProviderSignIn() {
  try {
    const outcome = await state.client.handleOAuthReturn();
    if (outcome?.mfaRequired) {
      state.pendingSecondStep = true;
      window.history.replaceState(null, '', '#login');
    } else if (outcome?.linked) {
      notify(`The provider is linked to your account.`);
      window.history.replaceState(null, '', '#profile');
    }
  } catch (error) {
    notify(messageFor(error), { kind: 'error' });
    window.history.replaceState(null, '', '#login');  // where the person tries again
  }
}

async function main() {
  try {
    state.client = await startLatchkey();
  } catch (error) {
    replaceChildren(document.getElementById('view'), h('h1', { text: 'The demo could not start' }),
      h('p', { role: 'alert', text: `${error.message} Build the package (wasm/dist) and reload.` }));
    return;
  }
  const [policy, devMode] = await Promise.all([publicRequest('/auth/password-policy').catch(() => null), detectDevMode()]);
  state.policy = policy;
  state.devMode = devMode;
  await new Promise((resolve) => {
    state.client.onAuthStateChange((event, session) => {
      onAuthEvent(event, session);
      if (event === 'INITIAL_SESSION') resolve();
    });
  });
  await finishProviderSignIn();
  watchSession(() => renderNav({ route: state.rendered, devMode: state.devMode, onLogout: logout }));
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
}

main();
