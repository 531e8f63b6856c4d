// The token panel: the access token decoded (header and claims), verified
// offline against the server's JWKS by the wasm core, a countdown to expiry
// and the live log of auth events, so a refresh can be watched.
import { h, replaceChildren } from '../dom.js';
import { messageFor } from '../errors.js';
import { eventEntries, watchEvents } from '../event-log.js';
import { createVerifier, decodeToken, publicRequest } from '../latchkey.js';
import { currentSession, watchSession } from '../session-state.js';

let verifier = null;

// One verifier per page: it fetches the JWKS once, and again for an unknown
// kid (a key rotation). The issuer comes from the server's discovery
// document; the audience has no public source, so the token's own is used.
function verifierFor(audience) {
  verifier ??= publicRequest('/.well-known/openid-configuration').then(({ issuer }) =>
    createVerifier({ jwksUrl: `${window.location.origin}/.well-known/jwks.json`, issuer, audience, leewaySeconds: 0 }));
  verifier.catch(() => (verifier = null));  // try again next time
  return verifier;
}

const json = (value) => h('pre', { class: 'code', tabindex: '0' }, JSON.stringify(value, null, 2));

function secondsLeft(session) {
  return Math.max(0, Math.round(session.expires_at - Date.now() / 1000));
}

export async function tokenView(ctx) {
  const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
  const verdict = h('p', { class: 'verdict', 'aria-live': 'polite' });
  const header = h('div');
  const claims = h('div');
  const log = h('ol', { class: 'event-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Auth events, newest first' });
  const status = h('p', { role: 'status' });

  async function showToken(session) {
    if (!session) return;
    let decoded;
    try {
      decoded = decodeToken(session.access_token);
    } catch (failure) {
      replaceChildren(header, h('p', { text: messageFor(failure) }));
      return;
    }
    replaceChildren(header, json(decoded.header));
    replaceChildren(claims, json(decoded.claims));
    const audience = Array.isArray(decoded.claims.aud) ? decoded.claims.aud[0] : decoded.claims.aud;
    try {
      const result = await (await verifierFor(audience)).verify(session.access_token);
      verdict.dataset.valid = String(result.valid);
      verdict.textContent = result.valid
        ? `Valid: signature checked offline with key ${decoded.header.kid ?? '(no kid)'} from /.well-known/jwks.json.`
        : `Not valid: ${result.code}.`;
    } catch (failure) {
      verdict.dataset.valid = 'false';
      verdict.textContent = `Could not verify: ${messageFor(failure)}`;
    }
  }

  function tick() {
    const session = currentSession();
    if (!session) return;
    const left = secondsLeft(session);
    countdown.textContent = left > 0 ? `The access token expires in ${left} s (at ${new Date(session.expires_at * 1000).toLocaleTimeString()}).` : 'The access token has expired; the next request refreshes it.';
  }

  function showEvents(entries) {
    replaceChildren(log, entries.map((entry) => h('li', { 'data-event': entry.event },
      h('time', { datetime: entry.at.toISOString(), text: entry.at.toLocaleTimeString() }), ' ', h('strong', { text: entry.event }),
      entry.expiresAt ? ` · token valid until ${new Date(entry.expiresAt * 1000).toLocaleTimeString()}` : '')));
  }

  const refresh = h('button', { type: 'button', text: 'Refresh now' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      await ctx.client.refresh();
      status.textContent = 'Refreshed.';
    } catch (failure) {
      status.textContent = messageFor(failure);
    } finally {
      refresh.disabled = false;
    }
  });

  const timer = setInterval(tick, 1000);
  ctx.onCleanup(() => clearInterval(timer));
  ctx.onCleanup(watchSession((session) => {
    showToken(session);
    tick();
  }));
  ctx.onCleanup(watchEvents(showEvents));
  showEvents(eventEntries());
  tick();
  await showToken(currentSession());

  return h('section', { class: 'view' },
    h('h1', { text: 'Your access token' }),
    h('p', { text: 'The client refreshes the token shortly before it expires, in one tab only, and tells the others. Start the server with a short lifetime (--access-ttl 30) to watch it happen.' }),
    h('section', { class: 'card', 'aria-labelledby': 'expiry-title' }, h('h2', { id: 'expiry-title', text: 'Expiry' }), countdown,
      h('div', { class: 'actions' }, refresh), status),
    h('section', { class: 'card', 'aria-labelledby': 'events-title' }, h('h2', { id: 'events-title', text: 'Auth events' }), log),
    h('section', { class: 'card', 'aria-labelledby': 'verify-title' }, h('h2', { id: 'verify-title', text: 'Offline verification' }), verdict),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'header-title' }, h('h2', { id: 'header-title', text: 'Header' }), header),
      h('section', { class: 'card', 'aria-labelledby': 'claims-title' }, h('h2', { id: 'claims-title', text: 'Claims' }), claims)));
}
