// Keeps every auth event the client reports (onAuthStateChange) from page
// load on, with what each one did to the session: its id, the access token's
// times, and which refresh token the browser holds (by fingerprint). The token
// panel draws the session's timeline from these, including events that
// happened while another view was open.
import { decodeToken } from './latchkey.js';

const MAX_ENTRIES = 100;
const entries = []; // oldest first
const listeners = new Set();
let lastRefreshToken = null;
let lastTag = Promise.resolve(null);
let generation = 0;
// The refresh token the last rotation spent. The server accepts it only as
// evidence of theft (it ends the session): kept for the token panel's
// "replay" button, which shows exactly that.
let spentRefreshToken = null;

// A short name for a refresh token that is not the token: the first 8 hex
// digits of its SHA-256 (WebCrypto exists only in secure contexts, so a page
// on plain http over the network numbers the tokens instead).
async function fingerprint(token, number) {
  if (!globalThis.crypto?.subtle) return `no. ${number}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
  return [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function claimsOf(session) {
  try {
    return decodeToken(session.access_token).claims;
  } catch {
    return {}; // an opaque token: the response's numbers still tell the expiry
  }
}

const notify = () => {
  for (const listener of listeners) listener(entries);
};

export function recordEvent(event, session) {
  const entry = { at: new Date(), event, sid: null, expiresAt: null, aal: null, refreshTag: null, rotatedFrom: null, rotated: false };
  if (session) {
    const claims = claimsOf(session);
    entry.sid = typeof claims.sid === 'string' ? claims.sid : null;
    entry.aal = typeof claims.aal === 'string' ? claims.aal : null;
    entry.expiresAt = session.expires_at ?? claims.exp ?? null;
    const token = session.refresh_token;
    if (typeof token === 'string' && token !== lastRefreshToken) {
      // A new refresh token: a sign-in, or the old one was spent (rotation).
      entry.rotated = lastRefreshToken !== null && event === 'TOKEN_REFRESHED';
      spentRefreshToken = entry.rotated ? lastRefreshToken : null;
      const previous = lastTag;
      lastRefreshToken = token;
      lastTag = fingerprint(token, ++generation);
      Promise.all([lastTag, previous]).then(([tag, before]) => {
        entry.refreshTag = tag;
        if (entry.rotated) entry.rotatedFrom = before;
        notify();
      }, () => {});
    } else if (typeof token === 'string') {
      lastTag.then((tag) => {
        entry.refreshTag = tag;
        notify();
      }, () => {});
    }
  } else if (event === 'SIGNED_OUT' || event === 'SESSION_EXPIRED') {
    lastRefreshToken = null;
    spentRefreshToken = null;
    lastTag = Promise.resolve(null);
  }
  entries.push(entry);
  if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
  notify();
}

/** The refresh token the last rotation replaced, or null. */
export const spentToken = () => spentRefreshToken;

/** Oldest first. */
export const eventEntries = () => entries;

/** Calls back with the whole list on each new event; returns the unsubscribe. */
export function watchEvents(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
