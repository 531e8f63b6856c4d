// Keeps every auth event the client reports (onAuthStateChange) from page
// load on, so the token panel can show a refresh that happened while another
// view was open.
const MAX_ENTRIES = 100;
const entries = [];
const listeners = new Set();

export function recordEvent(event, session) {
  const expiresAt = session?.expires_at ?? null;
  entries.unshift({ at: new Date(), event, expiresAt });
  entries.length = Math.min(entries.length, MAX_ENTRIES);
  for (const listener of listeners) listener(entries);
}

export const eventEntries = () => entries;

/** Calls back with the whole list on each new event; returns the unsubscribe. */
export function watchEvents(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
