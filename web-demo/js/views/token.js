// The token panel: the session's lifecycle at a glance. The access token
// (its expiry, decoded header and claims, verified offline against the
// server's JWKS by the wasm core), the refresh token's part (its session,
// rotation, what reuse does, the next scheduled refresh) and the timeline of
// the session's events. Every time shows as a clock time and relative to now.
import { h, replaceChildren } from '../dom.js';
import { messageFor } from '../errors.js';
import { confirmDialog } from '../confirm-dialog.js';
import { eventEntries, spentToken, watchEvents } from '../event-log.js';
import { createVerifier, decodeToken, publicRequest } from '../latchkey.js';
import { currentSession, watchSession } from '../session-state.js';
import { clockTime, fromEpochSeconds, relativeTime, whenText } from '../time-format.js';
import { timelineCard } from './token-timeline.js';

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

// Claims that hold seconds since the epoch, and what each one means.
const TIME_CLAIMS = { exp: 'expires', iat: 'issued', nbf: 'not before', auth_time: 'signed in' };

// The claims as JSON, each time claim followed by a note that reads it:
// "exp": 1765000000  // expires 14:03:12 (in 12 s). The notes are refreshed by tick().
function claimsBlock(claims, notes) {
  const lines = JSON.stringify(claims, null, 2).split('\n');
  const pre = h('pre', { class: 'code', tabindex: '0', 'data-claims': JSON.stringify(claims) });
  for (const [i, line] of lines.entries()) {
    const match = /^ {2}"(\w+)": (\d+),?$/.exec(line);
    pre.append(line);
    if (match && TIME_CLAIMS[match[1]]) {
      const note = h('span', { class: 'annotation', 'data-claim': match[1] });
      notes.push({ note, label: TIME_CLAIMS[match[1]], ms: fromEpochSeconds(Number(match[2])) });
      pre.append('  ', note);
    }
    if (i < lines.length - 1) pre.append('\n');
  }
  return pre;
}

const row = (term, ...definition) => [h('dt', { text: term }), h('dd', {}, ...definition)];

export async function tokenView(ctx) {
  const countdown = h('p', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
  const verdict = h('p', { class: 'verdict', 'aria-live': 'polite' });
  const header = h('div');
  const claims = h('div');
  const status = h('p', { role: 'status' });
  const sessionText = h('span', { 'data-field': 'session' });
  const holding = h('span', { 'data-field': 'refresh-token' });
  const rotations = h('span', { 'data-field': 'rotations' });
  const nextRefresh = h('span', { 'data-field': 'next-refresh' });
  const timeline = timelineCard();
  let notes = [];
  let started = null; // the current session's start (from GET /auth/sessions)

  async function showToken(session) {
    if (!session) return;
    let decoded;
    try {
      decoded = decodeToken(session.access_token);
    } catch (failure) {
      replaceChildren(header, h('p', { text: messageFor(failure) }));
      return;
    }
    replaceChildren(header, h('pre', { class: 'code', tabindex: '0' }, JSON.stringify(decoded.header, null, 2)));
    notes = [];
    replaceChildren(claims, claimsBlock(decoded.claims, notes));
    tick();
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

  // When the current session began: the server's list marks it as current.
  async function loadStart() {
    try {
      const { sessions } = await ctx.client.request('/auth/sessions');
      started = sessions.find((s) => s.current)?.created_at ?? null;
    } catch {
      started = null; // the panel still works without it
    }
    tick();
  }

  function tick() {
    const session = currentSession();
    if (!session) return;
    const now = Date.now();
    const expiresMs = fromEpochSeconds(session.expires_at);
    countdown.textContent = expiresMs > now
      ? `The access token expires ${relativeTime(expiresMs, now)} (at ${clockTime(expiresMs, now)}).`
      : 'The access token has expired; the next request refreshes it.';
    for (const { note, label, ms } of notes) note.textContent = `// ${label} ${whenText(ms, now)}`;
    const entries = eventEntries();
    const latest = [...entries].reverse().find((entry) => entry.sid);
    const sid = latest?.sid;
    sessionText.textContent = sid
      ? `${sid}${started ? `, started ${whenText(started, now)}` : ''}`
      : 'not named in this token (no sid claim)';
    holding.textContent = latest?.refreshTag
      ? `fingerprint ${latest.refreshTag} (the first 8 hex digits of its SHA-256; the token itself stays hidden)`
      : 'a refresh token (its fingerprint is being computed)';
    const rotated = entries.filter((entry) => entry.rotated && entry.sid === sid).length;
    rotations.textContent = `${rotated} rotation${rotated === 1 ? '' : 's'} seen by this page.`;
    const next = ctx.client.nextRefreshAt;
    nextRefresh.dataset.at = typeof next === 'number' ? String(next) : '';
    nextRefresh.textContent = typeof next === 'number'
      ? whenText(next, now)
      : 'none scheduled: the next request that needs a token refreshes it when due';
    timeline.update(entries, now, typeof next === 'number' ? next : null);
    replay.disabled = !spentToken();
  }

  const refresh = h('button', { type: 'button', text: 'Refresh now' });
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      await ctx.client.refresh();
      status.textContent = 'Refreshed: a new access token and a new refresh token.';
    } catch (failure) {
      status.textContent = messageFor(failure);
    } finally {
      refresh.disabled = false;
    }
  });

  // Reuse, shown rather than told: present the refresh token the last
  // rotation spent. The server ends the session; the client finds out at its
  // next call and signs this browser out.
  const replay = h('button', { type: 'button', class: 'danger', text: 'Replay the spent refresh token', disabled: !spentToken() });
  replay.addEventListener('click', async () => {
    const spent = spentToken();
    if (!spent) return;
    const yes = await confirmDialog({ title: 'Replay a spent refresh token?',
      text: 'The server will take it as a stolen token and end this session everywhere. You will have to log in again.',
      confirmLabel: 'Replay it' });
    if (!yes) return;
    try {
      await publicRequest('/auth/refresh', { method: 'POST', body: { refresh_token: spent } });
      // Within the server's reuse interval a replay is two tabs racing, not theft.
      status.textContent = 'Accepted: the rotation is too recent (within the server’s reuse interval, two tabs racing get the same new token). Wait a little and try again.';
      return;
    } catch (failure) {
      status.textContent = failure.code === 'refresh_token_reused'
        ? 'Refused as reused (refresh_token_reused): the server revoked the whole session.'
        : messageFor(failure);
    }
    await ctx.client.getUser().catch(() => {}); // session_revoked: the client ends the session
  });

  const timer = setInterval(tick, 1000);
  ctx.onCleanup(() => clearInterval(timer));
  ctx.onCleanup(watchSession((session) => {
    showToken(session);
    tick();
  }));
  ctx.onCleanup(watchEvents(tick));
  await Promise.all([showToken(currentSession()), loadStart()]);

  return h('section', { class: 'view' },
    h('h1', { text: 'Your session and its tokens' }),
    h('p', { text: 'A sign-in gives two tokens: a short-lived access token that APIs check offline, and a refresh token that only this server accepts, once, to get the next pair. The client refreshes shortly before the access token expires, in one tab only, and tells the others. Start the server with a short lifetime (--access-ttl 30) to watch it happen.' }),
    h('section', { class: 'card', 'aria-labelledby': 'expiry-title' }, h('h2', { id: 'expiry-title', text: 'Access token' }), countdown),
    h('section', { class: 'card', 'aria-labelledby': 'refresh-title' },
      h('h2', { id: 'refresh-title', text: 'Refresh token' }),
      h('dl', { class: 'details refresh-facts' },
        row('Session', sessionText),
        row('This browser holds', holding),
        row('Rotation', 'Each refresh spends the refresh token and returns a new one with the new access token. ', rotations),
        row('Reuse', 'Presenting a spent refresh token again counts as theft: the server revokes the whole session, so every token of it stops working, in every tab, and this browser must sign in again. (A replay within a few seconds of the rotation, 10 by default, set by --reuse-interval, gets the same new token back instead: that is two tabs racing, not theft.) ',
          'Try it after a rotation: ', replay),
        row('Next refresh', nextRefresh)),
      h('div', { class: 'actions' }, refresh), status),
    timeline.element,
    h('section', { class: 'card', 'aria-labelledby': 'verify-title' }, h('h2', { id: 'verify-title', text: 'Offline verification' }), verdict),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'header-title' }, h('h2', { id: 'header-title', text: 'Header' }), header),
      h('section', { class: 'card', 'aria-labelledby': 'claims-title' }, h('h2', { id: 'claims-title', text: 'Claims' }), claims)));
}
