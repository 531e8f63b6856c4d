// One refresh at a time for all clients sharing a session:
// - in browsers, Web Locks (navigator.locks) serialise tabs, and a
//   BroadcastChannel tells the other tabs that the stored session changed;
// - where Web Locks are missing (Node, old browsers), an in-process lock keyed
//   by the storage object and key serialises the clients of this process, and
//   an in-process notifier replaces the channel.
// The lock holder must re-read storage: if another holder already rotated the
// refresh token, it uses that result instead of refreshing again, so a rotated
// refresh token is never presented twice.

const localLocks = new WeakMap(); // storage -> Map(key -> tail promise)
const localListeners = new WeakMap(); // storage -> Map(key -> Set(listener))

function tailsOf(storage) {
  let tails = localLocks.get(storage);
  if (!tails) localLocks.set(storage, (tails = new Map()));
  return tails;
}

// A FIFO lock: each caller waits for the previous one's promise.
async function withLocalLock(storage, key, fn) {
  const tails = tailsOf(storage);
  const contended = tails.has(key);
  const previous = tails.get(key) ?? Promise.resolve();
  let release;
  const mine = new Promise((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    // In-process notifications are synchronous: nothing can be in flight.
    return await fn({ contended, crossTab: false });
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

const webLocks = () => (typeof navigator === 'object' && navigator?.locks?.request ? navigator.locks : null);

const BUSY = Symbol('busy');

// Web Locks, telling fn whether another tab held the lock first: that tab's
// news (a BroadcastChannel message, its localStorage write) may still be on
// the way here, since neither is ordered with the lock grant.
async function withWebLock(locks, name, fn) {
  const first = await locks.request(name, { ifAvailable: true }, (lock) => (lock ? fn({ contended: false, crossTab: true }) : BUSY));
  if (first !== BUSY) return first;
  return locks.request(name, () => fn({ contended: true, crossTab: true }));
}

/**
 * Runs fn({contended, crossTab}) while holding the session's lock (across
 * tabs where possible). contended: another holder went first.
 */
export function withSessionLock(storage, key, fn) {
  const locks = webLocks();
  if (locks && typeof window === 'object' && storage === window.localStorage) return withWebLock(locks, `latchkey:${key}`, fn);
  return withLocalLock(storage, key, fn);
}

/**
 * Subscribes to "the stored session changed" from other clients. Returns
 * {notify(message), close()}; onChange(message) is never called for this
 * client's own notify(). The message carries the new record (or null for
 * signed out) because in browsers another tab's localStorage write can reach
 * this tab after the message does (each renderer caches localStorage).
 */
export function sessionChannel(storage, key, onChange) {
  let listeners = localListeners.get(storage);
  if (!listeners) localListeners.set(storage, (listeners = new Map()));
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  const local = (message) => onChange(structuredClone(message));
  set.add(local);

  let channel = null;
  if (typeof BroadcastChannel === 'function' && typeof window === 'object' && storage === window.localStorage) {
    channel = new BroadcastChannel(`latchkey:${key}`);
    channel.onmessage = (event) => onChange(event.data);
  }
  return {
    notify(message) {
      for (const listener of set) if (listener !== local) listener(message);
      channel?.postMessage(message);
    },
    close() {
      set.delete(local);
      channel?.close();
    },
  };
}
