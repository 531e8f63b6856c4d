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
  const previous = tails.get(key) ?? Promise.resolve();
  let release;
  const mine = new Promise((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

const webLocks = () => (typeof navigator === 'object' && navigator?.locks?.request ? navigator.locks : null);

/** Runs fn while holding the session's lock (cross-tab where possible). */
export function withSessionLock(storage, key, fn) {
  const locks = webLocks();
  if (locks && typeof window === 'object' && storage === window.localStorage) {
    return locks.request(`latchkey:${key}`, { mode: 'exclusive' }, fn);
  }
  return withLocalLock(storage, key, fn);
}

/**
 * Subscribes to "the stored session changed" from other clients. Returns
 * {notify(), close()}. `onChange` is never called for this client's own notify().
 */
export function sessionChannel(storage, key, onChange) {
  let listeners = localListeners.get(storage);
  if (!listeners) localListeners.set(storage, (listeners = new Map()));
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  const local = () => onChange();
  set.add(local);

  let channel = null;
  if (typeof BroadcastChannel === 'function' && typeof window === 'object' && storage === window.localStorage) {
    channel = new BroadcastChannel(`latchkey:${key}`);
    channel.onmessage = () => onChange();
  }
  return {
    notify() {
      for (const listener of set) if (listener !== local) listener();
      channel?.postMessage('changed');
    },
    close() {
      set.delete(local);
      channel?.close();
    },
  };
}
